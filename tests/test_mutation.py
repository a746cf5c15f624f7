"""The mutation score's machinery (tests/mutation_score.py) and its list of survivors.

The full run mutates every lesson and takes minutes, so it is a command of its own:
`python tests/mutation_score.py`. Here: how a mutant's diff is read, how the survivors file is
judged, that every entry of the real file still fits the code, and one real run of Cosmic Ray
on the small fake course.
"""

from __future__ import annotations

import difflib
import importlib.util
import re

import pytest

from dojo import paths
from dojo.course import read_toml
from tests import mutation_score
from tests.mutation_score import Mutant, changed_lines, judge

needs_cosmic_ray = pytest.mark.skipif(
    importlib.util.find_spec("cosmic_ray") is None,
    reason="Cosmic Ray comes with the mutation extra: pip install -e '.[mutation]'",
)


def cosmic_ray_diff(before: str, after: str) -> str:
    """A diff made the way Cosmic Ray makes the one it stores for a mutant."""
    lines = difflib.unified_diff(
        before.split("\n"), after.split("\n"), "a/solutions/x.py", "b/solutions/x.py", lineterm=""
    )
    return "\n".join(["--- mutation diff ---", *lines])


def test_a_diff_gives_the_changed_line_and_its_two_texts():
    source = "a = 1\nb = 2\nc = 3\nd = 4\nif b > 1:\n    pass\ne = 5\n"
    mutated = source.replace("if b > 1:", "if b >= 1:")
    assert changed_lines(cosmic_ray_diff(source, mutated)) == (5, "if b > 1:", "if b >= 1:")


def test_a_removed_line_has_empty_after_text():
    source = "@app.route('/')\ndef home():\n    return 'hi'\n"
    mutated = source.replace("@app.route('/')\n", "")
    assert changed_lines(cosmic_ray_diff(source, mutated)) == (1, "@app.route('/')", "")


def mutant(outcome: str, after: str = "x = 2", operator: str = "core/NumberReplacer") -> Mutant:
    return Mutant("solutions/a.py", 3, operator, "x = 1", after, outcome, timed_out=False)


def entry(verdict: str, after: str = "x = 2", operator: str = "core/NumberReplacer") -> dict:
    found = {"file": "solutions/a.py", "operator": operator, "before": "x = 1", "after": after}
    return {**found, "verdict": verdict, "why": "w", "spec": "specs/test_a.py::test_x"}


@pytest.fixture
def survivors(monkeypatch):
    listed: list[dict] = []
    monkeypatch.setattr(mutation_score, "read_survivors", lambda: listed)
    return listed


FILES = {"solutions/a.py"}


def test_a_survivor_nobody_listed_is_unexplained(survivors):
    living = mutant("survived")
    assert judge([living, mutant("killed", after="x = 0")], FILES) == ([], [living])


def test_an_equivalent_entry_explains_its_survivor(survivors):
    survivors.append(entry("equivalent"))
    assert judge([mutant("survived")], FILES) == ([], [])


def test_operator_and_replacement_may_be_globs(survivors):
    survivors.append(entry("equivalent", after="x = *", operator="core/Number*"))
    assert judge([mutant("survived", "x = 0"), mutant("survived", "x = 2")], FILES) == ([], [])


def test_a_replacement_with_brackets_matches_as_written(survivors):
    survivors.append(entry("equivalent", after="x = row[ -1]"))
    assert judge([mutant("survived", "x = row[ -1]")], FILES) == ([], [])


def test_a_mutant_listed_as_killed_must_be_killed(survivors):
    survivors.append(entry("killed"))
    assert judge([mutant("killed")], FILES) == ([], [])
    problems, unexplained = judge([mutant("survived")], FILES)
    assert unexplained == []
    assert problems == [
        "listed as killed by specs/test_a.py::test_x, but it lives: "
        "solutions/a.py: core/NumberReplacer: 'x = 1' -> 'x = 2'"
    ]


def test_an_equivalent_mutant_the_specs_now_kill_is_reported(survivors):
    survivors.append(entry("equivalent"))
    problems, _ = judge([mutant("killed")], FILES)
    assert [problem.split(":")[0] for problem in problems] == [
        "listed as equivalent, but the specs kill it now"
    ]


def test_an_entry_matching_no_mutant_is_stale(survivors):
    survivors.append(entry("equivalent", after="x = 9"))
    problems, _ = judge([mutant("killed")], FILES)
    assert [problem.split(":")[0] for problem in problems] == [
        "listed, but no such mutant any more (remove it)"
    ]


def test_entries_of_lessons_left_out_are_not_judged(survivors):
    survivors.append(entry("equivalent"))
    assert judge([], {"solutions/b.py"}) == ([], [])


# --- the real survivors file ------------------------------------------------------------------

ENTRIES = read_toml(paths.ROOT / "tests" / "mutation_survivors.toml").get("survivor", [])


def entry_id(listed: dict) -> str:
    return f"{listed['file']}:{listed['operator']}:{listed['after']}"


@pytest.mark.parametrize("listed", ENTRIES, ids=entry_id)
def test_each_listed_survivor_is_explained(listed):
    assert set(listed) >= {"file", "operator", "before", "after", "verdict"}, listed
    assert listed["verdict"] in {"equivalent", "killed"}, listed
    if listed["verdict"] == "equivalent":
        assert len(listed.get("why", "")) > 20, "an equivalent mutant needs its reason"
    else:
        spec_file, _, name = listed["spec"].partition("::")
        text = (paths.ROOT / spec_file).read_text(encoding="utf-8")
        assert not name or re.search(rf"^def {re.escape(name)}\(", text, re.M), listed["spec"]


@pytest.mark.parametrize("listed", ENTRIES, ids=entry_id)
def test_each_listed_survivor_is_still_in_the_code(listed):
    lines = {line.strip() for line in (paths.ROOT / listed["file"]).read_text("utf-8").splitlines()}
    missing = [part for part in listed["before"].split(" / ") if part not in lines]
    assert not missing, f"{listed['file']} no longer has {missing}: update the survivors file"


# --- one real run, on the fake course -----------------------------------------------------------

TRIANGLE = 'SHAPES = {"square": 4, "triangle": 3}'
SURVIVOR_ENTRY = f"""
[[survivor]]
file = "solutions/alpha.py"
operator = "core/NumberReplacer"
before = '{TRIANGLE}'
after = 'SHAPES = {{"square": 4, "triangle": [24]}}'
verdict = "equivalent"
why = "no spec of the fake course asks for the triangle's corners"
"""


@pytest.mark.slow
@needs_cosmic_ray
def test_a_real_run_finds_the_mutant_no_spec_kills(fake_course):
    command = [str(paths.ROOT / "tests" / "mutation_score.py"), "--lesson", "alpha"]
    first = fake_course.run(*command, "--floor", "0.8")
    assert first.returncode == 1, first.stdout + first.stderr
    unexplained = [line for line in first.stdout.splitlines() if "unexplained" in line]
    # the only number no spec reads: the triangle's corners, 3, made 4 and 2
    assert sorted(unexplained) == [
        f"unexplained survivor: solutions/alpha.py:7 core/NumberReplacer: "
        f"'{TRIANGLE}' -> '{TRIANGLE.replace('3', shown)}'"
        for shown in ("2", "4")
    ], first.stdout
    table = {line.split()[0]: line.split()[1:4] for line in first.stdout.splitlines()[1:3]}
    killed = int(table["alpha"][1])
    assert table["alpha"] == table["all"] and int(table["alpha"][2]) == 2 and killed > 10

    fake_course.write("tests/mutation_survivors.toml", SURVIVOR_ENTRY)
    second = fake_course.run(*command, "--floor", "0.8")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "unexplained" not in second.stdout
