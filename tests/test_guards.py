"""The guards against a learner's accidents: endless loops, threads left running, bad returns."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from flask import Flask

from dojo import guards


@pytest.fixture
def learner_file(tmp_path: Path):
    """A module in a 'learner' folder, loaded from its file so that its frames point there."""

    def load(source: str):
        path = tmp_path / "lesson.py"
        path.write_text(source)
        namespace: dict = {}
        exec(compile(source, str(path), "exec"), namespace)
        return namespace

    return load


def test_an_endless_loop_is_stopped_naming_the_learners_line(learner_file, tmp_path):
    module = learner_file("def spin():\n    while True:\n        pass\n")
    with pytest.raises(
        guards.SpecTimedOut, match=r"lesson\.py:[23] \(in spin\): still running after 0.2 s"
    ):
        with guards.time_limit(0.2, tmp_path):
            module["spin"]()


def test_a_wait_outside_the_learners_files_is_named_as_such(tmp_path):
    never = threading.Event()
    with pytest.raises(
        guards.SpecTimedOut, match="no line of .* was running: is something waiting forever"
    ):
        with guards.time_limit(0.2, tmp_path):
            never.wait()


def test_a_quick_block_is_not_stopped(tmp_path):
    with guards.time_limit(5, tmp_path):
        total = sum(range(1000))
    assert total == 499500


def test_a_thread_left_running_is_named(learner_file, tmp_path):
    module = learner_file(
        "import threading\n"
        "stop = threading.Event()\n"
        "def worker():\n"
        "    stop.wait(30)\n"
        "def start():\n"
        "    threading.Thread(target=worker).start()\n"
    )
    before = guards.threads_now()
    module["start"]()
    try:
        with pytest.raises(
            guards.ThreadLeftRunning, match=r"lesson\.py:3 \(worker\): a thread running"
        ):
            guards.check_threads_finished(before, tmp_path, grace=0.1)
    finally:
        module["stop"].set()


def test_a_thread_that_ends_in_the_grace_period_is_fine(learner_file, tmp_path):
    module = learner_file(
        "import threading\n"
        "go = threading.Event()\n"
        "def worker():\n"
        "    go.wait(30)\n"
        "def start():\n"
        "    threading.Thread(target=worker).start()\n"
        "    go.set()\n"
    )
    before = guards.threads_now()
    module["start"]()
    guards.check_threads_finished(before, tmp_path, grace=5)


def test_a_view_that_returns_nothing_is_named_with_its_line(learner_file, tmp_path):
    module = learner_file(
        "from flask import Flask\n"
        "def make():\n"
        "    app = Flask('lesson')\n"
        "    @app.route('/')\n"
        "    def index():\n"
        "        print('forgot to return')\n"
        "    return app\n"
    )
    app: Flask = module["make"]()
    app.testing = True
    with pytest.raises(TypeError) as raised:
        app.test_client().get("/")
    message = guards.explain_bad_return(raised.value, tmp_path)
    assert message.startswith(
        f"{guards.display_path(str(tmp_path / 'lesson.py'))}:5 (in index): TypeError:"
    )
    assert "did not return a valid response" in message


def test_other_errors_are_left_to_pytest(tmp_path):
    assert guards.explain_bad_return(ValueError("no"), tmp_path) is None
