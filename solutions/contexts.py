"""Lesson: the two contexts and their four variables (claims C5 to C10).

Flask lets a view use `current_app`, `g`, `request` and `session` as if they were globals. They are
not: each is a proxy to something held by one of two contexts that Flask pushes around a request.
This lesson finds out which context holds what, what happens without one, and in what order
Flask pushes and pops them. One claim of the notes is out of date here (C7): read the specs'
messages closely when they mention it.

Run this lesson's specs with:  pytest specs/test_contexts.py
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, abort, current_app, g, has_app_context, request, session
from flask.ctx import AppContext
from flask.globals import app_ctx

from dojo.kit import UNANSWERED, todo  # noqa: F401 - the generated kata's stubs use them

# ---------------------------------------------------------------------------------------------
# Exercise 1 - which_context (predict)
# For each of the four names, say which context holds it: "app" or "request".
# And how many kinds of context does Flask push around a request? (an int)

# answer: which_context
WHICH_CONTEXT = {
    "current_app": "app",
    "g": "app",
    "request": "request",
    "session": "request",
}
HOW_MANY_CONTEXTS = 2
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 2 - outside_a_context (predict)
# What happens when code touches each name with no context pushed at all? Give a pair:
# (the exception class it raises, the context its message says is missing: "application" or
# "request"). Example of the form only: (KeyError, "application").
# Then the same for `request` and `session` while only an application context is pushed.

# answer: outside_a_context
OUTSIDE_ANY_CONTEXT = {
    "current_app": (RuntimeError, "application"),
    "g": (RuntimeError, "application"),
    "request": (RuntimeError, "request"),
    "session": (RuntimeError, "request"),
}
INSIDE_APP_CONTEXT_ONLY = {
    "request": (RuntimeError, "request"),
    "session": (RuntimeError, "request"),
}
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 3 - each_app_its_own (use)
# `greeting_view` is one function that two different apps both serve. It must answer with the
# GREETING setting of whichever app is handling the request, so it cannot close over an app:
# it has to ask for the current one.


def greeting_view() -> str:
    """Return the GREETING config value of the app that is handling the request."""
    # solution: each_app_its_own
    return current_app.config["GREETING"]
    # end solution


def create_greeting_app(greeting: str) -> Flask:
    """An app whose config has GREETING set, and whose GET /greeting is served by greeting_view."""
    # solution: each_app_its_own
    app = Flask(__name__)
    app.config["GREETING"] = greeting
    app.add_url_rule("/greeting", view_func=greeting_view)
    return app
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 4 - g_per_request (use)
# An app whose POST /scratch takes a JSON object and keeps every pair in `g` for the rest of the
# request. It answers {"found": [...], "stored": {...}}:
#   found  - the sorted names that g already held when the view started
#   stored - each name of the body, read back from g (not from the body)
# A body that is not a JSON object is answered with 400.


def create_scratch_app() -> Flask:
    # solution: g_per_request
    app = Flask(__name__)

    @app.post("/scratch")
    def scratch():
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            abort(400, description="send a JSON object")
        found = sorted(g)
        for name, value in body.items():
            setattr(g, name, value)
        return {"found": found, "stored": {name: getattr(g, name) for name in body}}

    return app
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 5 - shared_g (predict)
# An app's view reads a mark from g, then leaves its own mark there. A test makes two requests
# with the test client. In each case below, say True or False.
#   plain                      - nothing around the requests: does the 2nd see the 1st's mark?
#   outer_app_context          - both inside one `with app.app_context():`: same question
#   outer_test_request_context - both inside one `with app.test_request_context():`: same question
#   other_apps_context         - both inside an app context of a different app: same question
#   outer_value_seen_inside    - inside `with app.app_context():` the test sets g.mark before the
#                                request: does the view see it?
#   request_value_seen_after   - inside `with app.app_context():`, after the request returned:
#                                does the test's g hold the view's mark?

# answer: shared_g
SHARED_G = {
    "plain": False,
    "outer_app_context": True,
    "outer_test_request_context": True,
    "other_apps_context": False,
    "outer_value_seen_inside": True,
    "request_value_seen_after": True,
}
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 6 - session_memory (use)
# A memo app, signed with the secret key it is given. Its memos live in the session:
#   PUT    /memo/<name>  body: any JSON value; keep it under name; answer 204
#   GET    /memo/<name>  answer {"value": ...}, or 404 if there is no such memo
#   DELETE /memo/<name>  forget it; answer 204, or 404 if there was none
#   GET    /memo         answer {"names": [sorted names of the memos]}
# A PUT whose body is not JSON is refused with a 4xx (400 or 415), never stored.


def create_memo_app(secret_key: str) -> Flask:
    # solution: session_memory
    app = Flask(__name__)
    app.secret_key = secret_key

    @app.put("/memo/<name>")
    def keep(name: str):
        # Flask answers 415 for a body that is not declared JSON, 400 for one that does not parse
        session[name] = request.get_json()
        return "", 204

    @app.get("/memo/<name>")
    def recall(name: str):
        if name not in session:
            abort(404)
        return {"value": session[name]}

    @app.delete("/memo/<name>")
    def forget(name: str):
        if name not in session:
            abort(404)
        del session[name]
        return "", 204

    @app.get("/memo")
    def names():
        return {"names": sorted(session)}

    return app
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 7 - push_and_pop (predict)
# Put these events in the order they happen during one request made with the test client:
#   "after_request", "appcontext_popped", "appcontext_pushed", "before_request",
#   "request_finished", "request_started", "teardown_appcontext", "teardown_request", "view"
# (the *_started, *_finished, *_pushed and *_popped ones are Flask's signals; the others are
# the hooks of the same name, and the view itself).
# Then: the same request made inside `with app.app_context():` - which events happen, in order?
# Last: which contexts are active at each of these moments? A set of "app" and/or "request".

# answer: push_and_pop
REQUEST_TIMELINE = [
    "appcontext_pushed",
    "request_started",
    "before_request",
    "view",
    "after_request",
    "request_finished",
    "teardown_request",
    "teardown_appcontext",
    "appcontext_popped",
]
TIMELINE_INSIDE_APP_CONTEXT = [
    "request_started",
    "before_request",
    "view",
    "after_request",
    "request_finished",
    "teardown_request",
]
ACTIVE_CONTEXTS = {
    "teardown_request": {"app", "request"},
    "teardown_appcontext": {"app"},
    "after_the_response": set(),
}
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 8 - push_rule (build)
# Rebuild the rule Flask applies when it pushes a request context: push an application context
# for `app` only if no context of that very app is active, and reuse the active one otherwise.
# Yield the app context that is active inside the block. On the way out, pop what you pushed
# (and only that), also when the block raises; let the exception through.


@contextmanager
def app_context_for(app: Flask) -> Iterator[AppContext]:
    # solution: push_rule
    if has_app_context() and current_app._get_current_object() is app:
        yield app_ctx._get_current_object()
        return
    context = app.app_context()
    context.push()
    try:
        yield context
    finally:
        context.pop()
    # end solution
