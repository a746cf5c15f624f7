"""How long the specs take on the reference answers: whole runs, as a learner or CI starts them.

    python bench/spec_suite.py [--repeat N] [--target solutions|kata]

Prints, for each built lesson and for the whole suite, the wall time of `pytest <specs> --target
solutions -q` in a fresh process (interpreter start-up and imports included): best, median, worst.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dojo import course  # noqa: E402 - the checkout's runner, not an installed copy


def wall_time(spec_paths: list[str], target: str) -> float:
    command = [sys.executable, "-m", "pytest", *spec_paths, "--target", target, "-q"]
    command += ["-p", "no:cacheprovider", "--no-progress"]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--target", default="solutions")
    options = parser.parse_args()
    rows = [(lesson.id, [str(lesson.spec_file)]) for lesson in course.built_lessons()]
    rows.append(("all of specs/", ["specs"]))
    wall_time(["specs"], options.target)  # warm the bytecode caches once, like a second run would
    print(f"pytest <specs> --target {options.target}: wall seconds over {options.repeat} runs")
    print(f"{'specs':<16}{'best':>8}{'median':>8}{'worst':>8}")
    for name, spec_paths in rows:
        times = [wall_time(spec_paths, options.target) for _ in range(options.repeat)]
        print(f"{name:<16}{min(times):>8.2f}{statistics.median(times):>8.2f}{max(times):>8.2f}")


if __name__ == "__main__":
    main()
