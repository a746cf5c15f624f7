"""The stub generator: solution regions become stubs, everything else is copied."""

from __future__ import annotations

import ast
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dojo.generate import GenerationError, find_kata_regions, find_regions, render
from dojo.kit import UNANSWERED, NotWrittenYet, is_unanswered, todo

SOURCE = '''"""A lesson."""

# answer: guess
GUESS = {"a": 1, "b": [2, 3]}
LIMIT = 10
# end answer


def build():
    """Make it."""
    # solution: make
    value = 42
    return value
    # end solution


class Thing:
    def method(self):
        # solution: method
        return "done"
        # end solution
'''


def test_pristine_render_stubs_every_region_and_keeps_the_rest():
    kata = render(SOURCE)
    assert '"""A lesson."""' in kata
    assert '"""Make it."""' in kata
    assert "GUESS = {\n    'a': UNANSWERED,\n    'b': UNANSWERED,\n}" in kata
    assert "LIMIT = UNANSWERED" in kata
    assert '    todo("make")' in kata
    assert '        todo("method")' in kata
    assert "42" not in kata and '"done"' not in kata
    assert "# solution" not in kata and "# answer" not in kata and "# end " not in kata
    assert "# ---- your prediction: guess ----\nGUESS" in kata
    assert '    # ---- your code: make ----\n    todo("make")\n    # ---- end: make ----' in kata
    ast.parse(kata)


def test_a_solved_exercise_keeps_its_solution_inside_the_kata_fences():
    kata = render(SOURCE, frozenset({"make"}))
    fenced = "    # ---- your code: make ----\n    value = 42\n    return value\n"
    fenced += "    # ---- end: make ----"
    assert fenced in kata
    assert 'todo("method")' in kata
    assert "GUESS = {" in kata and "UNANSWERED" in kata


def test_solving_everything_gives_the_solution_with_kata_fences_for_markers():
    solved = render(SOURCE, frozenset({"guess", "make", "method"}))
    fences = {"# solution: ": "# ---- your code: ", "# answer: ": "# ---- your prediction: "}
    expected, exercise = [], ""
    for line in SOURCE.splitlines():
        stripped, indent = line.strip(), line[: len(line) - len(line.lstrip())]
        prefix = next((p for p in fences if stripped.startswith(p)), None)
        if prefix:
            exercise = stripped[len(prefix) :]
            expected.append(f"{indent}{fences[prefix]}{exercise} ----")
        elif stripped.startswith("# end "):
            expected.append(f"{indent}# ---- end: {exercise} ----")
        else:
            expected.append(line)
    assert solved == "\n".join(expected) + "\n"


def test_kata_fences_are_found_again_and_a_broken_one_is_left_out():
    kata = render(SOURCE)
    assert [(r.kind, r.exercise) for r in find_kata_regions(kata)] == [
        ("prediction", "guess"),
        ("code", "make"),
        ("code", "method"),
    ]
    broken = kata.replace("# ---- end: make ----", "# the learner deleted this fence")
    assert [r.exercise for r in find_kata_regions(broken)] == ["guess", "method"]


def test_regions_are_listed_in_order():
    regions = find_regions(SOURCE)
    assert [(r.kind, r.exercise) for r in regions] == [
        ("answer", "guess"),
        ("solution", "make"),
        ("solution", "method"),
    ]
    assert regions[2].indent == " " * 8


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("# solution: a\nx = 1\n", "solutions/x.py:1: region never closed"),
        ("x = 1\n# end solution\n", "solutions/x.py:2: '# end' with no region open"),
        (
            "# solution: a\n# solution: b\n# end solution\n",
            "solutions/x.py:2: a region opens inside another",
        ),
        (
            "# answer: a\nX = 1\n# end solution\n",
            "solutions/x.py:3: '# end solution' closes a 'answer' region opened on line 1",
        ),
        ("# answer: a\nprint(1)\n# end answer\n", "an answer region holds only `NAME = value`"),
        ("# answer: a\n# end answer\n", "empty answer region"),
        ("# answer: a\nX = (\n# end answer\n", "answer region does not parse"),
    ],
)
def test_broken_markers_are_reported_with_their_line(text, complaint):
    with pytest.raises(GenerationError, match=re.escape(complaint)):
        render(text, filename="solutions/x.py")


def test_a_stub_names_its_file_and_function():
    def create_app():
        todo("first")

    with pytest.raises(
        NotWrittenYet,
        match=r"^not written yet: tests/test_generate.py:create_app \(exercise first;",
    ):
        create_app()


def test_a_stub_is_not_an_exception_a_learner_can_swallow():
    def careless():
        try:
            todo()
        except Exception:  # noqa: BLE001 - the point of the test
            return "swallowed"

    with pytest.raises(NotWrittenYet):
        careless()


def test_unanswered_has_no_truth_value():
    with pytest.raises(TypeError, match="UNANSWERED has no truth value"):
        bool(UNANSWERED)


leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.just(UNANSWERED)
nested = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
        | st.tuples(inner, inner)
    ),
    max_leaves=10,
)


def _holds_sentinel(value) -> bool:
    if value is UNANSWERED:
        return True
    if isinstance(value, dict):
        return any(_holds_sentinel(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_sentinel(v) for v in value)
    return False


@given(nested)
def test_is_unanswered_finds_the_sentinel_at_any_depth(value):
    assert is_unanswered(value) == _holds_sentinel(value)
