"""The pytest plugin behind `pytest specs/`: the target switch, the `kata` fixture, short failure
messages for a learner's unfinished or broken code, and the progress summary at the end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dojo import course, guards, progress, target
from dojo.kit import KataError

_TARGET = pytest.StashKey[target.Target]()
_RESULTS = pytest.StashKey[dict]()
_DESELECTED = pytest.StashKey[list]()
_THREADS_BEFORE = pytest.StashKey[set]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dojo", "FlaskNotes Kata")
    group.addoption(
        "--target",
        default=None,
        help="what the specs run against: kata (default), solutions, or a folder of lesson "
        f"modules; the environment variable {target.TARGET_ENV} does the same",
    )
    group.addoption(
        "--dojo-results", default=None, metavar="FILE", help="write every spec's result as JSON"
    )
    group.addoption("--no-progress", action="store_true", help="leave out the progress summary")
    parser.addini("dojo_hypothesis_max_examples", "examples per hypothesis spec", default="40")
    parser.addini("dojo_spec_timeout", "seconds a spec may run before it is stopped", default="30")


def _hypothesis_profile(config: pytest.Config) -> None:
    from hypothesis import HealthCheck, settings

    # one verdict per answer: the same kata gets the same examples on every run; the kata
    # fixture holds no state, so sharing it across examples is safe
    settings.register_profile(
        "dojo",
        max_examples=int(config.getini("dojo_hypothesis_max_examples")),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        # one failure, shown as its one-line message, rather than a group of them
        report_multiple_bugs=False,
    )
    settings.load_profile("dojo")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "claim(id): the claim of the notes a spec encodes")
    config.addinivalue_line("markers", "exercise(id): the exercise a spec belongs to")
    try:
        config.stash[_TARGET] = target.Target(target.resolve(config.getoption("target")))
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[_RESULTS] = {}
    config.stash[_DESELECTED] = []
    _hypothesis_profile(config)


def _spec_identity(item: pytest.Item) -> tuple[str, str, tuple[str, ...]] | None:
    lesson_id = course.lesson_for_spec_file(Path(item.path))
    if lesson_id is None:
        return None
    exercise = item.get_closest_marker("exercise")
    claims = tuple(mark.args[0] for mark in item.iter_markers("claim"))
    return lesson_id, exercise.args[0] if exercise else "", claims


def _check_spec(
    item: pytest.Item, lesson_id: str, exercise_id: str, claims: tuple[str, ...]
) -> str:
    """What is wrong with a spec's markers, or '' when nothing is."""
    try:
        lesson = course.lesson(lesson_id)
    except KeyError:
        return f"{item.nodeid}: {lesson_id!r} is not a lesson of specs/course.toml"
    if exercise_id not in {e.id for e in lesson.exercises}:
        return f"{item.nodeid}: exercise {exercise_id!r} is not an exercise of lesson {lesson_id!r}"
    if not claims:
        return f"{item.nodeid}: a spec names its claim with @pytest.mark.claim(...)"
    unknown = [c for c in claims if c not in course.claims()]
    if unknown:
        return f"{item.nodeid}: unknown claim {', '.join(unknown)} (see specs/claims.toml)"
    return ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problems = []
    for item in items:
        identity = _spec_identity(item)
        if identity is None:
            continue
        lesson_id, exercise_id, claims = identity
        problem = _check_spec(item, lesson_id, exercise_id, claims)
        if problem:
            problems.append(problem)
            continue
        # `pytest specs -k where_each_lives` (or -k contexts, or -k C7) selects by these
        item.extra_keyword_matches.update({lesson_id, exercise_id, *claims})
        item.repr_failure = _quick_repr_failure(item.repr_failure, _folder(item))
    if problems:
        raise pytest.UsageError("specs with bad markers:\n  " + "\n  ".join(problems))


def pytest_deselected(items: list[pytest.Item]) -> None:
    for item in items:
        identity = _spec_identity(item)
        if identity is not None:
            item.config.stash[_DESELECTED].append(identity[1])


@pytest.fixture
def kata(request: pytest.FixtureRequest) -> target.LessonHandle:
    """The lesson module the spec is about, from the chosen target (kata/ unless told otherwise)."""
    identity = _spec_identity(request.node)
    if identity is None:
        raise pytest.UsageError("the kata fixture serves specs in specs/test_<lesson>.py only")
    lesson = course.lesson(identity[0])
    return target.LessonHandle(request.config.stash[_TARGET], lesson.module, identity[1])


def _short_message(error: BaseException | None, folder: Path) -> str | None:
    """The whole report for an error whose message says all (a stub, a spec's teaching failure).

    The message names the file and what to do; a traceback would only bury it. Notes stay:
    hypothesis puts the falsifying example there.
    """
    if error is None:
        return None
    short = isinstance(error, (KataError, target.MissingName)) or (
        isinstance(error, pytest.fail.Exception) and not error.pytrace
    )
    message = str(error) if short else guards.explain_bad_return(error, folder)
    return "\n".join([message, *getattr(error, "__notes__", ())]) if message else None


def _quick_repr_failure(default, folder: Path):
    # pytest would first render a full traceback, parsing the source of every frame, only for
    # the plugin to replace it: on a pristine kata that was most of the run's time
    def repr_failure(excinfo, *args, **kwargs):
        message = _short_message(excinfo.value, folder)
        return message if message is not None else default(excinfo, *args, **kwargs)

    return repr_failure


def _folder(item: pytest.Item) -> Path:
    return item.config.stash[_TARGET].folder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    if _spec_identity(item) is None:
        return (yield)
    with guards.time_limit(float(item.config.getini("dojo_spec_timeout")), _folder(item)):
        return (yield)


def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_THREADS_BEFORE] = guards.threads_now()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item):
    result = yield
    if _spec_identity(item) is not None and _THREADS_BEFORE in item.stash:
        guards.check_threads_finished(item.stash[_THREADS_BEFORE], _folder(item))
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    error = call.excinfo.value if call.excinfo is not None else None
    message = _short_message(error, _folder(item))
    if message is not None:
        report.longrepr = message  # setup and teardown errors are rendered without repr_failure
    identity = _spec_identity(item)
    if identity is not None:
        _record(item, report, identity)
    return report


def _record(item: pytest.Item, report: pytest.TestReport, identity: tuple) -> None:
    results = item.config.stash[_RESULTS]
    lesson_id, exercise_id, claims = identity
    previous = results.get(item.nodeid)
    if report.failed:
        status = progress.FAIL if report.when == "call" else progress.ERROR
        message = _message(report)
    elif report.skipped:
        status, message = progress.SKIP, _message(report)
    else:
        status, message = progress.PASS, ""
    # a spec's result is its worst phase: a failing teardown spoils a passing call
    if previous is not None and previous.status in (progress.FAIL, progress.ERROR):
        return
    if previous is not None and status == progress.PASS:
        return
    results[item.nodeid] = progress.SpecResult(
        item.nodeid, lesson_id, exercise_id, claims, status, message
    )


def _message(report: pytest.TestReport) -> str:
    if isinstance(report.longrepr, str):
        return report.longrepr
    if isinstance(report.longrepr, tuple):  # a skip: (file, line, reason)
        return str(report.longrepr[2])
    crash = getattr(report.longrepr, "reprcrash", None)
    return crash.message if crash is not None else str(report.longrepr)


def _progress(config: pytest.Config) -> progress.Progress:
    return progress.summarize(
        config.stash[_RESULTS].values(),
        config.stash[_TARGET].label,
        config.stash[_DESELECTED],
    )


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not config.stash[_RESULTS] or config.getoption("no_progress"):
        return
    terminalreporter.write_sep("=", "FlaskNotes Kata")
    terminalreporter.write_line(progress.render(_progress(config)))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    path = session.config.getoption("dojo_results")
    if not path:
        return
    results = list(session.config.stash[_RESULTS].values())
    worst = progress.PASS
    if any(r.status == progress.ERROR for r in results):
        worst = progress.ERROR
    elif any(r.status == progress.FAIL for r in results):
        worst = progress.FAIL
    summary = _progress(session.config)
    payload = {
        # the top-level field names follow Exercism's results.json (version 2)
        "version": 2,
        "status": worst,
        "target": session.config.stash[_TARGET].label,
        "tests": [r.as_json() for r in results],
        "exercises": {
            e.exercise.id: {"lesson": e.exercise.lesson, "done": e.done}
            for lp in summary.lessons
            for e in lp.exercises
        },
        "done": summary.done,
        "total": summary.total,
    }
    Path(path).write_text(json.dumps(payload, indent=2), encoding="utf-8")
