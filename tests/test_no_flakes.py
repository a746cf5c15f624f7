"""The specs do not depend on their order, and are safe to run in parallel processes.

One run of each here; `python tests/flake_runs.py --runs 50` does it fifty times over.
"""

from __future__ import annotations

import importlib.util
import random

import pytest

from tests.flake_runs import MODES, run

pytestmark = pytest.mark.slow


def needs(module: str):
    return pytest.mark.skipif(
        importlib.util.find_spec(module) is None,
        reason=f"{module} comes with the dev extra: pip install -e '.[dev]'",
    )


@needs("random_order")
def test_the_specs_pass_in_a_random_order():
    seed = random.randrange(1, 10**6)
    passed, _, output = run(MODES["random order"](seed))
    replay = " ".join(MODES["random order"](seed))
    assert passed, (
        f"the specs fail in the order of seed {seed} (replay: pytest specs --target solutions "
        f"{replay}):\n{output[-4000:]}"
    )


@needs("xdist")
def test_the_specs_pass_split_over_two_processes():
    passed, _, output = run(MODES["two processes"](0))
    assert passed, output[-4000:]
