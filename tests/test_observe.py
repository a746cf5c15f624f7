"""The observations that make a failure message know Flask."""

from __future__ import annotations

import flask
import pytest

from dojo import observe
from dojo.spec import fail


def make_app() -> flask.Flask:
    app = flask.Flask("observed")
    app.secret_key = "key"
    app.testing = True

    @app.route("/keep/<value>")
    def keep(value):
        flask.session["kept"] = value
        return ""

    return app


def test_state_now_is_empty_outside_any_context():
    assert observe.state_now() == {}


def test_state_now_names_the_contexts_and_the_names_in_g():
    app = make_app()
    with app.test_request_context("/somewhere?x=1"):
        flask.g.user = "ann"
        assert observe.state_now() == {
            "contexts active": [
                "app context of 'observed'",
                "request context of GET /somewhere?x=1",
            ],
            "g holds": ["user"],
        }


def test_session_of_decodes_the_client_cookie():
    app = make_app()
    client = app.test_client()
    assert observe.session_of(app, client) == "(no session cookie)"
    client.get("/keep/teal")
    assert observe.session_of(app, client) == {"kept": "teal"}


def test_session_of_says_when_the_cookie_cannot_be_read():
    app, other = make_app(), make_app()
    other.secret_key = "another key"
    client = app.test_client()
    client.get("/keep/teal")
    assert observe.session_of(other, client) == "(a cookie the app cannot read: BadTimeSignature)"
    other.secret_key = None
    assert observe.session_of(other, client) == "(the app has no secret key)"


def test_hooks_run_records_the_order_and_puts_the_hooks_back():
    app = make_app()

    @app.before_request
    def first():
        pass

    @app.after_request
    def stamp(response):
        return response

    @app.teardown_request
    def close(error):
        pass

    before = {key: list(value) for key, value in app.before_request_funcs.items()}
    with observe.hooks_run(app) as calls:
        app.test_client().get("/keep/x")
    assert calls == ["before_request:first", "after_request:stamp", "teardown_request:close"]
    assert app.before_request_funcs == before


def test_fail_adds_what_flask_looked_like():
    app = make_app()
    with app.app_context():
        flask.g.user = "ann"
        with pytest.raises(pytest.fail.Exception) as failure:
            fail("C7", "g kept a value", expected=[], got=["user"], flask={"session": {"a": 1}})
    message = str(failure.value)
    assert "  Flask at that moment:" in message
    assert "    session: {'a': 1}" in message
    assert "    contexts active: [\"app context of 'observed'\"]" in message
    assert "    g holds: ['user']" in message
    assert message.splitlines()[-1].startswith("  claim C7 (erratum):")
