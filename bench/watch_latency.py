"""How fast `dojo watch` answers a save: from writing a kata file to the new verdict on screen.

    python bench/watch_latency.py [--saves N] [--poll]

Runs the real watcher in a pseudo-terminal (Unix) on a copy of this checkout, then saves the
first lesson's kata file N times (alternately with and without a trailing comment) and times each
save until the verdict line ("k of n specs pass.") for it shows. Prints median, 90th percentile
and worst, in seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ptyscreen import Screen  # noqa: E402 - the checkout's helper


def copy_checkout(destination: Path) -> None:
    for name in ("specs", "solutions", "kata"):
        shutil.copytree(
            ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy(ROOT / name, destination / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--poll", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dojo-watch-bench-") as folder:
        root = Path(folder)
        copy_checkout(root)
        from dojo import course

        kata = root / "kata" / f"{course.built_lessons()[0].module}.py"
        pristine = kata.read_text()
        versions = [pristine + "# saved again\n", pristine]
        environment = {**os.environ, "DOJO_ROOT": str(root), "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "dojo", "watch", *(["--poll"] if options.poll else [])]
        screen = Screen(command, root, environment)
        try:
            screen.wait_for("Save a file in kata/ to run again", timeout=120)
            timings = []
            for number in range(options.saves):
                seen = len(screen.text)
                started = time.perf_counter()
                kata.write_text(versions[number % 2])
                screen.wait_for("specs pass.", timeout=30, since=seen)
                timings.append(time.perf_counter() - started)
        finally:
            screen.close()
    ordered = sorted(timings)
    ninetieth = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    mode = "polling" if options.poll else "notifications"
    print(f"dojo watch ({mode}): seconds from saving {kata.name} to the new verdict")
    median = statistics.median(timings)
    print(f"saves={len(timings)} median={median:.3f} p90={ninetieth:.3f} worst={ordered[-1]:.3f}")


if __name__ == "__main__":
    main()
