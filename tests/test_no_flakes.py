"""The specs do not depend on their order, and are safe to run in parallel processes.

One run of each here; `python tests/flake_runs.py --runs 50` does it fifty times over.
"""

from __future__ import annotations

import importlib.util
import random
import subprocess
import sys

import pytest

from dojo import paths

pytestmark = pytest.mark.slow

COMMAND = [
    sys.executable,
    "-m",
    "pytest",
    "specs",
    "--target",
    "solutions",
    "-q",
    "-p",
    "no:cacheprovider",
]


def needs(module: str):
    return pytest.mark.skipif(
        importlib.util.find_spec(module) is None,
        reason=f"{module} comes with the dev extra: pip install -e '.[dev]'",
    )


def run(*extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, "--no-progress", *extra],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


@needs("random_order")
def test_the_specs_pass_in_a_random_order():
    seed = random.randrange(1, 10**6)
    completed = run("--random-order-bucket=module", f"--random-order-seed={seed}")
    assert completed.returncode == 0, (
        f"the specs fail in the order of seed {seed} (replay with --random-order-bucket=module "
        f"--random-order-seed={seed}):\n{completed.stdout[-4000:]}"
    )


@needs("xdist")
def test_the_specs_pass_split_over_two_processes():
    completed = run("-n", "2")
    assert completed.returncode == 0, completed.stdout[-4000:]
