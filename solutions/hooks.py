"""Lesson: request hooks, and what changed since the notes (claims H1 to H7).

Hooks let code run around every request without touching the views: before it, after it, and
when its contexts are torn down. The notes list four hooks and say when each runs; Flask 3.1
has dropped one of them and runs another in more cases than the notes say. This lesson predicts
the exact order of the calls, then uses hooks for what they are good at (the user of a request,
a database connection per request) and rebuilds the hook that was removed.

Run this lesson's specs with:  pytest specs/test_hooks.py
"""

import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing

from flask import Flask, abort, g, request

from dojo.kit import UNANSWERED, todo  # noqa: F401 - the generated kata's stubs use them

# ---------------------------------------------------------------------------------------------
# Exercise 1 - which_hooks (predict)
# The notes name four hook decorators. For each name below, does a Flask 3.1 app still have it?
# (True or False.) And what does Python raise when code asks an app for one it lacks?

# answer: which_hooks
HOOK_EXISTS = {
    "before_first_request": False,
    "before_request": True,
    "after_request": True,
    "teardown_request": True,
    "teardown_appcontext": True,
}
ERROR_FOR_A_MISSING_HOOK = AttributeError
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 2 - hook_order (predict)
# One app, with everything registered in this order:
#   before_request    before_a, then before_b
#   after_request     after_a, then after_b       (each returns the response it was given)
#   teardown_request  teardown_a, then teardown_b
#   errorhandler(Handled)  handler, which answers ("handled", 418)
#   a view at GET /, which records "view" and then, depending on the case, returns "ok" (200),
#   raises Handled, raises Unhandled (an exception no handler is registered for), or calls
#   abort(404) (no handler registered for 404 either)
# Every hook and the handler record their own name when they are called. The cases:
#   plain                  the view returns "ok"
#   before_returns         before_a returns ("early", 203) instead of None
#   before_raises          before_a raises Handled
#   view_raises_handled    the view raises Handled
#   view_aborts            the view calls abort(404)
#   unhandled_testing      the view raises Unhandled; app.testing is True
#   unhandled_not_testing  the view raises Unhandled; app.testing is False
# HOOK_CALLS: the names recorded, in order, during one GET / made with the test client.
# TEARDOWN_GETS: what teardown_a receives: None, or the class name of the exception ("Handled").
# CLIENT_GETS: the status code the test client returns, or "raises" if the call raises instead.

# answer: hook_order
HOOK_CALLS = {
    "plain": ["before_a", "before_b", "view", "after_b", "after_a", "teardown_b", "teardown_a"],
    "before_returns": ["before_a", "after_b", "after_a", "teardown_b", "teardown_a"],
    "before_raises": ["before_a", "handler", "after_b", "after_a", "teardown_b", "teardown_a"],
    "view_raises_handled": [
        "before_a",
        "before_b",
        "view",
        "handler",
        "after_b",
        "after_a",
        "teardown_b",
        "teardown_a",
    ],
    "view_aborts": [
        "before_a",
        "before_b",
        "view",
        "after_b",
        "after_a",
        "teardown_b",
        "teardown_a",
    ],
    "unhandled_testing": ["before_a", "before_b", "view", "teardown_b", "teardown_a"],
    "unhandled_not_testing": [
        "before_a",
        "before_b",
        "view",
        "after_b",
        "after_a",
        "teardown_b",
        "teardown_a",
    ],
}
TEARDOWN_GETS = {
    "plain": None,
    "before_returns": None,
    "before_raises": None,
    "view_raises_handled": None,
    "view_aborts": None,
    "unhandled_testing": "Unhandled",
    "unhandled_not_testing": "Unhandled",
}
CLIENT_GETS = {
    "plain": 200,
    "before_returns": 203,
    "before_raises": 418,
    "view_raises_handled": 418,
    "view_aborts": 404,
    "unhandled_testing": "raises",
    "unhandled_not_testing": 500,
}
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 3 - current_user (use)
# The database at db_path (the specs make it) has one table:
#   CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, token TEXT NOT NULL UNIQUE)
# A client says who it is with the header `Authorization: Bearer <token>`.
# Write create_members_app(db_path), an app with:
#   - a before_request hook that looks the token up in the database on every request (users are
#     added, renamed and removed while the app runs) and puts the user in g.user as a dict
#     {"id": ..., "name": ...};
#   - for a request with no such header, another scheme, or a token that no user has, the hook
#     answers 401 itself, so that no view runs;
#   - GET /me, whose view answers g.user as JSON.
# Close every connection you open (the connection per request comes in the next exercise).


def create_members_app(db_path: str) -> Flask:
    # solution: current_user
    app = Flask(__name__)

    @app.before_request
    def load_user():
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        row = None
        if scheme == "Bearer" and token:
            with closing(sqlite3.connect(db_path)) as db:
                query = "SELECT id, name FROM users WHERE token = ?"
                row = db.execute(query, (token,)).fetchone()
        if row is None:
            # a value returned by a before_request hook is the response; the view is skipped
            return {"error": "unknown user"}, 401
        g.user = {"id": row[0], "name": row[1]}
        return None

    @app.get("/me")
    def me():
        return g.user

    return app
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 4 - db_per_request (use)
# The database at db_path (the specs make it) has one table:
#   CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)
# Write create_notes_app(db_path). Each request that touches the database gets its own
# connection, opened with sqlite3.connect(db_path) (call it just so: the specs count the
# connections it opens) the first time the request needs one, kept in g, and closed by a
# teardown hook, whatever happened during the request. Routes:
#   POST /notes             body {"text": ...}: insert and commit, answer ({"id": new id}, 201);
#                           a text already stored makes sqlite3 raise IntegrityError: let it
#                           raise (no handler), that request fails; a body that is not JSON is
#                           refused (request.json does that: 415) without opening a connection
#   GET  /notes/<int:id>    {"id": ..., "text": ...}, or 404
#   GET  /notes             {"count": number of notes}


def create_notes_app(db_path: str) -> Flask:
    # solution: db_per_request
    app = Flask(__name__)

    def get_db() -> sqlite3.Connection:
        if "db" not in g:
            g.db = sqlite3.connect(db_path)
        return g.db

    # teardown runs after every request, also when the view raised: the one safe place to close
    @app.teardown_appcontext
    def close_db(error):
        db = g.pop("db", None)
        if db is not None:
            db.close()

    @app.post("/notes")
    def add_note():
        text = request.json["text"]  # a body that is not JSON is refused before any connection
        cursor = get_db().execute("INSERT INTO notes (text) VALUES (?)", (text,))
        get_db().commit()  # the same connection again: one per request, not one per call
        return {"id": cursor.lastrowid}, 201

    @app.get("/notes/<int:note_id>")
    def show_note(note_id: int):
        row = get_db().execute("SELECT id, text FROM notes WHERE id = ?", (note_id,)).fetchone()
        if row is None:
            abort(404)
        return {"id": row[0], "text": row[1]}

    @app.get("/notes")
    def count_notes():
        return {"count": get_db().execute("SELECT count(*) FROM notes").fetchone()[0]}

    return app
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 5 - run_once (build)
# before_first_request is gone from Flask. Rebuild what it promised:
# run_once(setup) returns a function that calls setup() the first time it is called and never
# again. A caller that comes while setup() is still running waits until it has finished, so
# nobody goes on before the set-up is done. If setup() raises, the error reaches that caller and
# the set-up counts as not done: the next call tries again.
# before_first_request(app, setup) makes setup run once, before the first request the app
# handles, also when many first requests arrive at the same moment on a threaded server.


def run_once(setup: Callable[[], object]) -> Callable[[], None]:
    # solution: run_once
    lock = threading.Lock()
    done = False

    def call_once() -> None:
        nonlocal done
        # every caller takes the lock: a latecomer waits for a set-up in progress to finish
        with lock:
            if not done:
                setup()
                done = True

    return call_once
    # end solution


def before_first_request(app: Flask, setup: Callable[[], object]) -> None:
    # solution: run_once
    app.before_request(run_once(setup))
    # end solution
