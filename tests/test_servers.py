"""The real server that specs use: loopback only, always stopped, never hanging the run."""

from __future__ import annotations

import threading

import pytest
from flask import Flask

from dojo.kit import NotWrittenYet, todo
from dojo.servers import ServerDidNotStop, running_server


def make_app(
    entered: threading.Event | None = None, release: threading.Event | None = None
) -> Flask:
    app = Flask("served")

    @app.route("/")
    def index():
        return "hello"

    @app.route("/stub")
    def stub():
        todo("some_exercise")

    @app.route("/stuck")
    def stuck():
        entered.set()
        release.wait(timeout=30)
        return "late"

    return app


@pytest.mark.parametrize("threaded", [True, False], ids=["threaded", "single"])
def test_it_serves_on_loopback_and_leaves_no_thread_behind(threaded):
    before = set(threading.enumerate())
    with running_server(make_app(), threaded=threaded) as server:
        assert server.host == "127.0.0.1"
        assert server.get("/")[0::2] == (200, b"hello")
    assert set(threading.enumerate()) == before


def test_a_stub_answers_500_and_fails_the_spec_with_its_own_message():
    with pytest.raises(NotWrittenYet, match="^not written yet: tests/test_servers.py:stub"):
        with running_server(make_app()) as server:
            status, _, body = server.get("/stub")
            assert status == 500
            assert b"not written yet" in body


@pytest.mark.parametrize("threaded", [True, False], ids=["threaded", "single"])
def test_a_stuck_view_fails_the_spec_instead_of_hanging_the_run(threaded):
    entered, release = threading.Event(), threading.Event()
    answers: list = []
    try:
        with pytest.raises(
            ServerDidNotStop, match="waiting on a lock or an event that nobody releases"
        ):
            with running_server(
                make_app(entered, release), threaded=threaded, deadline=0.2
            ) as server:
                client = threading.Thread(target=lambda: answers.append(server.get("/stuck")))
                client.start()
                assert entered.wait(timeout=10)
    finally:
        release.set()
        client.join(timeout=10)
    assert not client.is_alive()
