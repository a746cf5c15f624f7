"""The promises every spec makes, proven for every built lesson.

- every spec passes on solutions/, and those runs cover solutions/ fully (lines and branches);
- every spec fails on the pristine kata, each with a one-line "not written / not answered" reason;
- with only exercise E solved, exactly E's specs pass (exercises are independent);
- kata/ is what the generator writes; the catalogue and the lesson files agree with the specs.

The spec runs happen in subprocesses (a lesson module, once imported, stays imported), at most two
at a time, once per lesson however many of these tests ask for them.
"""

from __future__ import annotations

import io
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import coverage
import pytest

from dojo import course, generate, paths, runs
from dojo.progress import PASS

pytestmark = pytest.mark.slow

LESSONS = course.built_lessons()
LESSON_IDS = [lesson.id for lesson in LESSONS]
EXERCISES = [(lesson.id, e.id) for lesson in LESSONS for e in lesson.exercises]
STUB_REASONS = ("not written yet", "not answered yet")


@dataclass
class LessonProof:
    solutions: runs.Run
    coverage_percent: float
    coverage_report: str
    pristine: runs.Run
    alone: dict[str, runs.Run]  # exercise id -> run with only that exercise solved


def _spec_file(lesson: course.Lesson) -> str:
    return str(lesson.spec_file)


def _coverage_of(lesson: course.Lesson, data_file: Path) -> tuple[float, str]:
    measured = coverage.Coverage(
        data_file=str(data_file), config_file=str(paths.ROOT / "pyproject.toml")
    )
    measured.load()
    report = io.StringIO()
    files = [str(paths.SOLUTIONS / f"{module}.py") for module in lesson.modules]
    percent = measured.report(include=files, file=report, show_missing=True, skip_covered=False)
    return percent, report.getvalue()


@cache
def prove(lesson_id: str) -> LessonProof:
    lesson = course.lesson(lesson_id)
    spec = _spec_file(lesson)
    scratch = Path(tempfile.mkdtemp(prefix=f"dojo-proof-{lesson_id}-"))
    data_file = scratch / ".coverage"
    pristine = runs.write_target(scratch / "pristine", lesson)
    alone_targets = {
        e.id: runs.write_target(scratch / f"only-{e.id}", lesson, frozenset({e.id}))
        for e in lesson.exercises
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        solutions = pool.submit(runs.run_specs, spec, target="solutions", coverage_file=data_file)
        pristine_run = pool.submit(runs.run_specs, spec, target=pristine)
        alone = {
            e: pool.submit(runs.run_specs, spec, target=folder)
            for e, folder in alone_targets.items()
        }
        solutions_run = solutions.result()  # the coverage data exists once this run is over
        percent, report = _coverage_of(lesson, data_file)
        return LessonProof(
            solutions=solutions_run,
            coverage_percent=percent,
            coverage_report=report,
            pristine=pristine_run.result(),
            alone={e: future.result() for e, future in alone.items()},
        )


def _listing(results) -> str:
    return "\n".join(
        f"  {r.name}: {r.status}: {r.message.splitlines()[0] if r.message else ''}" for r in results
    )


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_every_spec_passes_on_the_solutions(lesson_id):
    run = prove(lesson_id).solutions
    assert run.results, f"no spec of {lesson_id} ran:\n{run.output}"
    not_passing = [r for r in run.results if r.status != PASS]
    assert not not_passing, f"specs that do not pass on solutions/:\n{_listing(not_passing)}"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_the_specs_cover_the_solutions_fully(lesson_id):
    proof = prove(lesson_id)
    assert proof.coverage_percent == 100.0, (
        f"solutions/ not fully covered:\n{proof.coverage_report}"
    )


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_every_spec_fails_on_the_pristine_kata_with_a_clear_line(lesson_id):
    run = prove(lesson_id).pristine
    assert run.results, f"no spec of {lesson_id} ran:\n{run.output}"
    passing = [r for r in run.results if r.status == PASS]
    assert not passing, (
        f"specs that pass on the stubs (a spec must fail there):\n{_listing(passing)}"
    )
    unclear = [
        r
        for r in run.results
        if not any(reason in r.message.splitlines()[0] for reason in STUB_REASONS)
    ]
    assert not unclear, (
        f"specs whose first line does not say what is unwritten:\n{_listing(unclear)}"
    )


@pytest.mark.parametrize(("lesson_id", "exercise_id"), EXERCISES)
def test_an_exercise_solved_alone_turns_exactly_its_own_specs_green(lesson_id, exercise_id):
    run = prove(lesson_id).alone[exercise_id]
    own = {r.name for r in run.results if r.exercise == exercise_id}
    assert own, f"exercise {exercise_id} has no spec"
    passing = run.by_status(PASS)
    assert passing == own, (
        f"with only {exercise_id} solved:\n"
        f"  its specs that fail: {sorted(own - passing)}\n"
        f"  other specs that pass: {sorted(passing - own)}\n{_listing(run.results)}"
    )


def test_kata_is_what_the_generator_writes():
    stale = generate.stale_files(LESSONS)
    assert not stale, f"run `dojo generate`: these differ from the generator's output: {stale}"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_a_built_lesson_has_its_files_and_regions(lesson_id):
    lesson = course.lesson(lesson_id)
    assert lesson.spec_file.exists(), f"{lesson.spec_file} is missing"
    assert lesson.exercises, f"lesson {lesson_id} has no exercises"
    region_exercises = set()
    for module in lesson.modules:
        source = paths.SOLUTIONS / f"{module}.py"
        region_exercises |= {
            r.exercise for r in generate.find_regions(source.read_text(), str(source))
        }
    ids = {e.id for e in lesson.exercises}
    assert region_exercises <= ids, (
        f"regions name unknown exercises: {sorted(region_exercises - ids)}"
    )
    assert ids <= region_exercises, (
        f"exercises with nothing to write: {sorted(ids - region_exercises)}"
    )
    for exercise in lesson.exercises:
        assert len(exercise.hints) >= 2, (
            f"{exercise.id}: a nudge first, then more: give 2 hints or more"
        )
        assert exercise.task and exercise.title, f"{exercise.id}: title and task are required"


def _claims_named_by_specs() -> dict[str, set[str]]:
    """For each lesson, the claims its specs name (from the solutions runs)."""
    named: dict[str, set[str]] = {}
    for lesson in LESSONS:
        for result in prove(lesson.id).solutions.results:
            named.setdefault(lesson.id, set()).update(result.claims)
    return named


CLAIM_IDS = sorted(course.claims())


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_every_claim_is_covered_untestable_or_pending(claim_id):
    claim = course.claims()[claim_id]
    built = {lesson.id for lesson in LESSONS}
    for lesson_id in claim.lessons:
        course.lesson(lesson_id)  # a claim names only lessons of the plan
    if claim.verdict == "untestable":
        assert claim.reason, f"{claim_id}: untestable, so it must say why"
        named_anywhere = set().union(*_claims_named_by_specs().values()) if LESSONS else set()
        assert claim_id not in named_anywhere, f"{claim_id} is untestable, yet a spec names it"
        return
    pending = [lesson_id for lesson_id in claim.lessons if lesson_id not in built]
    named = _claims_named_by_specs()
    uncovered = [
        lesson_id
        for lesson_id in claim.lessons
        if lesson_id in built and claim_id not in named[lesson_id]
    ]
    assert not uncovered, (
        f"{claim_id} belongs to built lesson(s) {uncovered}, yet no spec there names it"
    )
    if pending:
        pytest.skip(f"pending: {claim_id} waits for lesson(s) {', '.join(pending)}, not built yet")


def test_the_catalogue_was_checked_on_the_installed_flask_series():
    from importlib.metadata import version

    series = ".".join(version("flask").split(".")[:2])
    assert f"Flask {series}." in course.checked_on(), (
        f"specs/claims.toml says checked_on = {course.checked_on()!r}, but Flask "
        f"{version('flask')} is installed: check the verdicts again on it, then update checked_on"
    )
