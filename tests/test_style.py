"""The project's code passes its linter and formatter (settings in pyproject.toml)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from dojo import paths


@pytest.mark.skipif(
    importlib.util.find_spec("ruff") is None,
    reason="ruff comes with the dev extra: pip install -e '.[dev]'",
)
@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_satisfied(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "."],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
