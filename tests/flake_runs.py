"""Run the whole spec suite on the solutions many times, in random order and split over two
processes, and print how many runs passed: a spec that can flake is a bug.

    python tests/flake_runs.py [--runs 50]

Random order shuffles the specs within each module and the modules themselves (a global shuffle
works too, but rebuilds the deploy lesson's shared servers at every return to its module, so it
is slow, not wrong). The seeds are 1..N, so a failing run can be replayed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "pytest", "specs", "--target", "solutions", "-q"]
COMMAND += ["-p", "no:cacheprovider", "--no-progress"]
MODES = {
    "random order": lambda seed: ["--random-order-bucket=module", f"--random-order-seed={seed}"],
    "two processes": lambda seed: ["-n", "2"],
}


def run(extra: list[str]) -> tuple[bool, float, str]:
    """One run of the whole suite: passed or not, wall seconds, and pytest's output."""
    started = time.perf_counter()
    completed = subprocess.run(
        [*COMMAND, *extra], cwd=ROOT, capture_output=True, text=True, check=False, timeout=900
    )
    return completed.returncode == 0, time.perf_counter() - started, completed.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    failed = 0
    for mode, arguments in MODES.items():
        passed, times = 0, []
        for seed in range(1, runs + 1):
            ok, seconds, output = run(arguments(seed))
            times.append(seconds)
            passed += ok
            if not ok:
                failed += 1
                last = (output.strip().splitlines() or [""])[-1]
                print(f"  {mode}, run {seed} FAILED: {last}  (replay: {' '.join(arguments(seed))})")
        times.sort()
        median, worst = times[len(times) // 2], times[-1]
        print(f"{mode}: {passed} of {runs} passed, median {median:.1f} s, worst {worst:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
