"""The specs reject plausible mistakes, pointing at them, and accept other correct answers.

For every exercise of a lesson with variants (tests/variants/<lesson>.py): at least two mistakes
a learner might really make, each failing with a first message that names what is wrong, and at
least one correct answer written differently from the reference, passing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import pytest

from dojo import course, paths
from tests.variants import edited, lessons_with_variants, reference, variants_of

pytestmark = pytest.mark.slow

LESSONS = [lesson.id for lesson in course.built_lessons()]
VARIANTS = [(lesson, v) for lesson in lessons_with_variants() for v in variants_of(lesson)]


@cache
def outcomes(lesson_id: str) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "outcomes.json"
        completed = subprocess.run(
            [sys.executable, str(paths.ROOT / "tests" / "run_variants.py"), lesson_id, str(output)],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert output.exists(), completed.stdout + completed.stderr
        return json.loads(output.read_text())


@pytest.mark.parametrize(
    ("lesson_id", "variant"),
    [pair for pair in VARIANTS if pair[1].is_mistake],
    ids=lambda x: getattr(x, "key", x),
)
def test_a_plausible_mistake_is_rejected_with_a_message_that_points_at_it(lesson_id, variant):
    got = outcomes(lesson_id)[variant.key]
    assert got["specs"], f"{variant.exercise} has no spec"
    assert got["passed"] < got["specs"], (
        f"the mistake {variant.name!r} passes every spec of {variant.exercise}"
    )
    assert variant.points_at in got["first_failure"], (
        f"the first failing spec ({got['first_failing_spec']}) does not say "
        f"{variant.points_at!r}:\n{got['first_failure']}"
    )


@pytest.mark.parametrize(
    ("lesson_id", "variant"),
    [pair for pair in VARIANTS if not pair[1].is_mistake],
    ids=lambda x: getattr(x, "key", x),
)
def test_a_correct_answer_written_differently_passes(lesson_id, variant):
    got = outcomes(lesson_id)[variant.key]
    assert got["specs"] and got["passed"] == got["specs"], (
        f"{variant.name!r} is a correct answer, yet {got['first_failing_spec']} fails:\n"
        f"{got['first_failure']}"
    )


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_exercise_has_two_mistakes_and_an_alternative(lesson_id):
    if lesson_id not in lessons_with_variants():
        pytest.skip(f"pending: no variants written yet for lesson {lesson_id} (tests/variants/)")
    variants = variants_of(lesson_id)
    exercises = {e.id for e in course.lesson(lesson_id).exercises}
    unknown = {v.exercise for v in variants} - exercises
    assert not unknown, f"variants name exercises that {lesson_id} does not have: {sorted(unknown)}"
    for exercise in sorted(exercises):
        mine = [v for v in variants if v.exercise == exercise]
        mistakes = sum(v.is_mistake for v in mine)
        alternatives = len(mine) - mistakes
        assert mistakes >= 2, f"{exercise}: {mistakes} plausible mistake(s); two at least"
        assert alternatives >= 1, f"{exercise}: no correct answer written differently"
    keys = [v.key for v in variants]
    assert len(keys) == len(set(keys)), "two variants share a name"


def test_a_change_replaces_its_block_at_the_reference_indentation():
    (piece,) = edited("hand_over", "t", [('return {"result": results[0]}', "return None")])
    (original,) = reference("hand_over")
    assert "    return None" in piece.splitlines()  # the nested function's body
    assert piece == original.replace('return {"result": results[0]}', "return None")


def test_a_change_must_name_a_block_the_reference_holds_once():
    with pytest.raises(ValueError, match="holds 0 copies of 'no line says this'"):
        edited("hand_over", "t", [("no line says this", "x")])
    with pytest.raises(ValueError, match=r"holds (?![01] )\d+ copies of '\"before_a\",'"):
        edited("hook_order", "t", [('"before_a",', '"before_x",')])
