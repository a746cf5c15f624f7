"""The README's loop on a copy of the real course: the first exercise is named, its hint is shown,
solving it turns its specs green, and the tool moves on to the next exercise."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dojo import course, generate, paths

pytestmark = pytest.mark.slow


def copy_of_the_course(destination: Path) -> Path:
    for name in ("specs", "solutions", "kata", "dojo"):
        shutil.copytree(
            paths.ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy(paths.ROOT / name, destination / name)
    return destination


def run(root: Path, *command: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DOJO_TARGET", "DOJO_ROOT")}
    return subprocess.run(
        [sys.executable, *command],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_new_learner_reaches_solves_and_moves_past_the_first_exercise(tmp_path):
    root = copy_of_the_course(tmp_path)
    exercises = course.exercises()
    first, second = exercises[0], exercises[1]

    status = run(root, "-m", "dojo")
    assert status.returncode == 0, status.stderr
    assert f"0 of {len(exercises)} exercises done." in status.stdout
    assert f"exercise 1: {first.id} ({first.kind})" in status.stdout

    hint = run(root, "-m", "dojo", "hint", first.id)
    assert f"Hint 1 of {len(first.hints)}: {first.hints[0]}" in hint.stdout

    before = run(root, "-m", "pytest", "specs", "-k", first.id, "-p", "no:cacheprovider")
    assert before.returncode == 1

    lesson = course.lesson(first.lesson)
    for (
        module
    ) in lesson.modules:  # the learner writes what the solution has, for this exercise only
        (root / "kata" / f"{module}.py").write_text(
            generate.kata_text(module, frozenset({first.id}))
        )

    after = run(root, "-m", "pytest", "specs", "-k", first.id, "-p", "no:cacheprovider")
    assert after.returncode == 0, after.stdout[-3000:]

    moved_on = run(root, "-m", "dojo")
    assert f"1 of {len(exercises)} exercises done." in moved_on.stdout
    assert f"[x] 1. {first.id}" in moved_on.stdout
    assert f": {second.id} ({second.kind})" in moved_on.stdout.split("Next:")[1]
