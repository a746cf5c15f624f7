"""The `dojo` command, on the real course and on the fake one."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dojo import course
from dojo.cli import main


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_hint_starts_with_a_nudge_and_offers_more():
    exercise = course.exercises()[0]
    result = invoke("hint", exercise.id)
    assert result.exit_code == 0
    assert exercise.task.splitlines()[0] in result.output
    assert f"Hint 1 of {len(exercise.hints)}: {exercise.hints[0]}" in result.output
    assert exercise.hints[1] not in result.output
    assert f"More: dojo hint {exercise.id} 2" in result.output


def test_the_last_level_shows_every_hint_and_offers_no_more():
    exercise = course.exercises()[0]
    result = invoke("hint", exercise.id, str(len(exercise.hints) + 5))
    assert all(hint in result.output for hint in exercise.hints)
    assert "More:" not in result.output


def test_an_unknown_exercise_lists_the_known_ones():
    result = CliRunner().invoke(main, ["hint", "no_such_exercise"])
    assert result.exit_code == 2
    assert "no exercise 'no_such_exercise'" in result.output
    assert course.exercises()[0].id in result.output


def test_generate_check_passes_on_the_checked_in_kata():
    assert invoke("generate", "--check").exit_code == 0


@pytest.mark.slow
def test_status_shows_every_lesson_and_the_first_exercise_on_a_fresh_course(fake_course):
    result = fake_course.dojo()
    assert result.returncode == 0, result.stderr
    assert "0 of 3 exercises done." in result.stdout
    assert "[ ] 1. a_predict (predict): Predict a number" in result.stdout
    assert "[ ] 1. b_build (build): Greet" in result.stdout
    assert "Next: alpha, exercise 1: a_predict" in result.stdout
    assert "gamma" in result.stdout


@pytest.mark.slow
def test_generate_backs_up_a_learners_file_before_writing_over_it(fake_course):
    kata = fake_course.root / "kata/alpha.py"
    kata.write_text(kata.read_text() + "# my own work\n")
    check = fake_course.dojo("generate", "--check")
    assert check.returncode == 1
    assert "stale: kata/alpha.py" in check.stdout
    result = fake_course.dojo("generate")
    assert "backed up" in result.stdout
    [backup] = (fake_course.root / ".dojo/backups").iterdir()
    assert backup.read_text().endswith("# my own work\n")
    assert "# my own work" not in kata.read_text()
