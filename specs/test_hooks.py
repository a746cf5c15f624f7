"""Specs of the lesson `hooks`: request hooks on Flask 3.1 (claims H1 to H7).

Hook calls are observed by appending to a list and comparing the whole list. Predictions are
compared with what the installed Flask does during the run. The SQLite files live in pytest's
tmp_path; the threaded server binds 127.0.0.1 on a free port and is always stopped.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from flask import Flask, abort, g
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from dojo import observe
from dojo.servers import running_server
from dojo.spec import check_prediction, expect, expect_equal, fail

exercise = pytest.mark.exercise
claim = pytest.mark.claim

WAIT = 10  # seconds; only a broken kata ever waits this long


# --- Exercise 1: which_hooks -----------------------------------------------------------------


@exercise("which_hooks")
@claim("H1")
@pytest.mark.parametrize(
    "name", ["before_request", "after_request", "teardown_request", "teardown_appcontext"]
)
def test_the_hooks_flask_still_has(kata, name):
    present = callable(getattr(Flask(__name__), name, None))
    check_prediction(
        kata,
        "HOOK_EXISTS",
        present,
        "H1",
        f"does a Flask app have {name}?",
        key=name,
        why="before_request, after_request and teardown_request are still there; "
        "teardown_appcontext too, although the notes never name it: it runs whenever an app "
        "context is popped, after every request included",
    )


@exercise("which_hooks")
@claim("H2")
def test_before_first_request_is_gone(kata):
    present = hasattr(Flask(__name__), "before_first_request")
    check_prediction(
        kata,
        "HOOK_EXISTS",
        present,
        "H2",
        "does a Flask app have before_first_request?",
        key="before_first_request",
        why="it was deprecated in Flask 2.2 and removed in 2.3; set-up belongs in the factory",
    )


@exercise("which_hooks")
@claim("H2")
def test_what_asking_for_the_removed_hook_raises(kata):
    app = Flask(__name__)
    with pytest.raises(Exception, match="no attribute 'before_first_request'") as raised:
        app.before_first_request(lambda: None)
    check_prediction(
        kata,
        "ERROR_FOR_A_MISSING_HOOK",
        raised.type,
        "H2",
        "the exception class raised by app.before_first_request",
        why="the method was removed, not kept with a warning: asking an object for an "
        "attribute it lacks raises AttributeError",
    )


# --- Exercise 2: hook_order ------------------------------------------------------------------


class Handled(Exception):
    pass


class Unhandled(Exception):
    pass


def hooks_app(case: str, calls: list[str], teardown_got: list) -> Flask:
    """The app that kata/hooks.py describes above HOOK_CALLS, set up for one case."""
    app = Flask(__name__)
    app.testing = case != "unhandled_not_testing"
    # Flask logs an unhandled error when it answers 500; the spec's output stays quiet
    app.log_exception = lambda exc_info: None

    @app.before_request
    def before_a():
        calls.append("before_a")
        if case == "before_returns":
            return "early", 203
        if case == "before_raises":
            raise Handled("from before_a")
        return None

    @app.before_request
    def before_b():
        calls.append("before_b")

    @app.after_request
    def after_a(response):
        calls.append("after_a")
        return response

    @app.after_request
    def after_b(response):
        calls.append("after_b")
        return response

    @app.teardown_request
    def teardown_a(error):
        calls.append("teardown_a")
        teardown_got.append(None if error is None else type(error).__name__)

    @app.teardown_request
    def teardown_b(error):
        calls.append("teardown_b")

    @app.errorhandler(Handled)
    def handler(error):
        calls.append("handler")
        return "handled", 418

    @app.get("/")
    def view():
        calls.append("view")
        if case == "view_raises_handled":
            raise Handled("from the view")
        if case == "view_aborts":
            abort(404)
        if case.startswith("unhandled"):
            raise Unhandled("from the view")
        return "ok"

    return app


def run_case(case: str) -> tuple[list[str], object, object]:
    """(the calls recorded, what teardown_a received, what the test client gave) for one case."""
    calls: list[str] = []
    teardown_got: list = []
    client = hooks_app(case, calls, teardown_got).test_client()
    try:
        client_got: object = client.get("/").status_code
    except Unhandled:
        client_got = "raises"
    return calls, teardown_got[0], client_got


def case(name: str, claim_id: str):
    return pytest.param(name, marks=claim(claim_id), id=name)


CASES = [
    case("plain", "H3"),
    case("before_returns", "H3"),
    case("before_raises", "H3"),
    case("view_raises_handled", "H5"),
    case("view_aborts", "H5"),
    case("unhandled_testing", "H4"),
    case("unhandled_not_testing", "H4"),
]
WHY_CALLS = {
    "H3": "before hooks run in registration order until one returns a value or raises; the "
    "response made from that goes through every after hook",
    "H4": "after hooks are skipped only when the exception escapes Flask (TESTING, debug, "
    "PROPAGATE_EXCEPTIONS); otherwise they run on Flask's 500",
    "H5": "a handled error is a response like any other: after hooks run, in reverse order",
}


@exercise("hook_order")
@pytest.mark.parametrize("name", CASES)
def test_the_calls_around_a_request(kata, request, name):
    claim_id = request.node.get_closest_marker("claim").args[0]
    calls, _, _ = run_case(name)
    check_prediction(
        kata,
        "HOOK_CALLS",
        calls,
        claim_id,
        f"the calls recorded in case {name!r}, in order",
        key=name,
        why=WHY_CALLS[claim_id],
    )


@exercise("hook_order")
@claim("H5")
@pytest.mark.parametrize("name", [param.values[0] for param in CASES])
def test_what_teardown_receives(kata, name):
    _, teardown_got, _ = run_case(name)
    check_prediction(
        kata,
        "TEARDOWN_GETS",
        teardown_got,
        "H5",
        f"what teardown_a receives in case {name!r}",
        key=name,
        why="teardown gets the exception only when nothing handled it; after an error handler "
        "or abort() it gets None",
    )


@exercise("hook_order")
@claim("H4")
@pytest.mark.parametrize("name", [param.values[0] for param in CASES])
def test_what_the_client_gets(kata, name):
    _, _, client_got = run_case(name)
    check_prediction(
        kata,
        "CLIENT_GETS",
        client_got,
        "H4",
        f"what the test client returns in case {name!r}",
        key=name,
        why="with testing on, an unhandled exception reaches the caller; with it off, Flask "
        "answers 500",
    )


# --- Exercise 3: current_user ----------------------------------------------------------------


def quick_connection(path: Path) -> sqlite3.Connection:
    """A connection for the spec's own writes; no fsync, since no spec here tests durability."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous = OFF")
    return connection


def make_members_db(path: Path, users: dict[str, str]) -> dict[str, int]:
    """A users table holding {token: name}; returns {token: id}."""
    with quick_connection(path) as db:
        db.execute(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "token TEXT NOT NULL UNIQUE)"
        )
        ids = {
            token: db.execute(
                "INSERT INTO users (name, token) VALUES (?, ?)", (name, token)
            ).lastrowid
            for token, name in users.items()
        }
    db.close()
    return ids


def members_app(kata, db_path: Path, probe_calls: list[str]) -> Flask:
    """The learner's app, plus a view of the spec's own that reads g.user."""
    app = kata.create_members_app(str(db_path))
    expect(isinstance(app, Flask), "H6", "create_members_app must return a Flask app", got=app)
    app.testing = True

    @app.get("/probe")
    def spec_probe():
        probe_calls.append("probe")
        return {"user": g.get("user")}

    return app


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


tokens = st.from_regex(r"[A-Za-z0-9]{6,16}", fullmatch=True)
members = st.dictionaries(tokens, st.text(min_size=1, max_size=20), min_size=1, max_size=4)


@exercise("current_user")
@claim("H6")
# no shrinking: every example builds a database, and shrinking a failure would build hundreds,
# past the spec's time limit; the first examples are the simplest ones anyway
@settings(max_examples=8, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(users=members)
def test_each_token_loads_its_own_user_into_g(kata, tmp_path, users):
    db_path = tmp_path / "members.db"
    db_path.unlink(missing_ok=True)  # one database per example, in the same file
    ids = make_members_db(db_path, users)
    client = members_app(kata, db_path, []).test_client()
    for token, name in users.items():
        user = {"id": ids[token], "name": name}
        me = client.get("/me", headers=bearer(token))
        expect_equal((me.status_code, me.json), (200, user), "H6", "GET /me with a known token")
        probe = client.get("/probe", headers=bearer(token)).json
        expect_equal(
            probe,
            {"user": user},
            "H6",
            "g.user as seen by a view the spec added to your app",
            why="the hook runs before every view of the app, so g.user is there for all of them",
        )


@exercise("current_user")
@claim("H6")
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic YWRhOmFkYQ=="},
        bearer("nobody-has-this"),
        bearer(""),
        # a user's own token under another scheme: only Bearer carries a token here
        {"Authorization": "Basic adas-token"},
        {"Authorization": "Token adas-token"},
    ],
    ids=[
        "no-header",
        "basic-auth",
        "unknown-token",
        "empty-token",
        "known-token-basic-scheme",
        "known-token-token-scheme",
    ],
)
def test_a_request_without_a_known_user_gets_401_and_no_view(kata, tmp_path, headers):
    db_path = tmp_path / "members.db"
    make_members_db(db_path, {"adas-token": "Ada"})
    probe_calls: list[str] = []
    app = members_app(kata, db_path, probe_calls)
    client = app.test_client()
    why = (
        "with no known user the before_request hook must answer 401 itself: a value it "
        "returns is the response and no view runs, the spec's own views included"
    )
    statuses: list[object] = []
    with observe.hooks_run(app) as ran:
        for path in ("/me", "/probe"):
            try:
                statuses.append(client.get(path, headers=headers).status_code)
            except Exception as error:  # a view that could not cope without a user
                first_line = f"{type(error).__name__}: {error}".splitlines()[0]
                statuses.append(f"raised {first_line}")
    seen = {"hooks run, both requests": ran}
    expect_equal(
        statuses,
        [401, 401],
        "H6",
        f"GET /me and GET /probe with {headers}",
        why=why,
        flask=seen,
    )
    expect_equal(probe_calls, [], "H6", "views that ran", why=why, flask=seen)


@exercise("current_user")
@claim("H6")
def test_the_user_is_read_from_the_database_on_every_request(kata, tmp_path):
    db_path = tmp_path / "members.db"
    ids = make_members_db(db_path, {"adas-token": "Ada", "bobs-token": "Bob"})
    client = members_app(kata, db_path, []).test_client()
    first = client.get("/me", headers=bearer("adas-token")).json
    with quick_connection(db_path) as db:
        db.execute("UPDATE users SET name = 'Ada Lovelace' WHERE token = 'adas-token'")
        db.execute("DELETE FROM users WHERE token = 'bobs-token'")
    db.close()
    renamed = client.get("/me", headers=bearer("adas-token")).json
    removed = client.get("/me", headers=bearer("bobs-token")).status_code
    expect_equal(
        [first, renamed, removed],
        [
            {"id": ids["adas-token"], "name": "Ada"},
            {"id": ids["adas-token"], "name": "Ada Lovelace"},
        ]
        + [401],
        "H6",
        "GET /me before and after the spec renamed Ada and removed Bob in the database",
        why="the hook must query the database for each request, not remember earlier answers",
    )


# --- Exercise 4: db_per_request --------------------------------------------------------------


@pytest.fixture
def notes_db(tmp_path) -> Path:
    path = tmp_path / "notes.db"
    with quick_connection(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)")
    db.close()
    return path


@pytest.fixture
def opened(monkeypatch) -> list[sqlite3.Connection]:
    """Every connection sqlite3.connect opens from now on, held so that none is closed by the
    garbage collector behind the app's back: only an explicit close() closes it."""
    connections: list[sqlite3.Connection] = []
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        connection = real_connect(*args, **kwargs)
        connections.append(connection)
        # no fsync on the app's commits: the spec counts connections, durability is not its topic
        connection.execute("PRAGMA synchronous = OFF")
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)
    yield connections
    for connection in connections:
        connection.close()  # whatever a broken kata left open, the spec leaves nothing behind


def is_open(connection: sqlite3.Connection) -> bool:
    try:
        connection.execute("SELECT 1")
    except sqlite3.ProgrammingError:  # "Cannot operate on a closed database."
        return False
    return True


def descriptors_on(path: Path) -> int | None:
    """How many file descriptors of this process point at the file (None where /proc is absent)."""
    folder = "/proc/self/fd"
    if not os.path.isdir(folder):  # pragma: no cover - not Linux
        return None
    target, count = os.path.realpath(path), 0
    for name in os.listdir(folder):
        try:
            count += os.readlink(f"{folder}/{name}") == target
        except OSError:  # the descriptor of the listing itself is gone already
            pass
    return count


def registered_hooks(app: Flask) -> dict[str, list[str]]:
    """The names of the app's own after and teardown hooks, for a failure message."""
    kinds = {
        "after_request": app.after_request_funcs,
        "teardown_request": app.teardown_request_funcs,
    }
    shown = {kind: [f.__name__ for f in found.get(None, [])] for kind, found in kinds.items()}
    shown["teardown_appcontext"] = [f.__name__ for f in app.teardown_appcontext_funcs]
    return {f"{kind} hooks of the app": names for kind, names in shown.items()}


def after_hooks_returning_nothing(app: Flask) -> list[str]:
    """Watch the app's after_request hooks: the list fills with the names of those that
    returned None instead of a response."""
    returned_nothing: list[str] = []

    def watched(function):
        def hook(response):
            answer = function(response)
            if answer is None:
                returned_nothing.append(function.__name__)
            return answer

        hook.__name__ = function.__name__
        return hook

    for key, functions in app.after_request_funcs.items():
        app.after_request_funcs[key] = [watched(function) for function in functions]
    return returned_nothing


def notes_requests(app: Flask, rounds: int):
    """(what, send) pairs: a mix of succeeding and failing requests, the same on every run."""
    client = app.test_client()
    for number in range(rounds):
        text = f"note {number}"

        def add(text=text):
            response = client.post("/notes", json={"text": text})
            expect_equal(response.status_code, 201, "H7", f"POST /notes {text!r}")
            return response.json["id"]

        def duplicate_testing(text=text):
            app.testing = True
            with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
                client.post("/notes", json={"text": text})

        def duplicate_not_testing(text=text):
            app.testing = False
            status = client.post("/notes", json={"text": text}).status_code
            app.testing = True
            expect_equal(status, 500, "H7", "a duplicate POST with testing off")

        def show(number=number):
            response = client.get(f"/notes/{number + 1}")
            expect_equal(response.json, {"id": number + 1, "text": f"note {number}"}, "H7", "GET")

        def missing(number=number):
            status = client.get(f"/notes/{10_000 + number}").status_code
            expect_equal(status, 404, "H7", "GET of a note that does not exist")

        def count(number=number):
            expect_equal(client.get("/notes").json, {"count": number + 1}, "H7", "GET /notes")

        def not_json():
            status = client.post("/notes", data="just text", content_type="text/plain").status_code
            expect_equal(status, 415, "H7", "POST /notes with a body that is not JSON")

        yield "a new note", add
        yield "a duplicate, raising through the test client (testing on)", duplicate_testing
        yield "a duplicate, answered 500 (testing off)", duplicate_not_testing
        yield "a note that exists", show
        yield "a note that does not exist (404)", missing
        yield "the count", count
        yield "a body that is not JSON (415), which needs no connection", not_json


@exercise("db_per_request")
@claim("H7")
def test_every_request_closes_its_own_connection(kata, notes_db, opened):
    app = kata.create_notes_app(str(notes_db))
    expect(isinstance(app, Flask), "H7", "create_notes_app must return a Flask app", got=app)
    app.log_exception = lambda exc_info: None  # the 500s are expected; keep the output quiet
    app.testing = True
    returned_nothing = after_hooks_returning_nothing(app)
    sent = 0
    for what, send in notes_requests(app, rounds=43):
        before = len(opened)
        try:
            send()
        except Exception:
            expect(
                not returned_nothing,
                "H7",
                f"request {sent + 1} ({what}): the after_request hook "
                f"{''.join(returned_nothing[:1])} returned None",
                why="an after_request hook must return the response it was given (or one in its "
                "place): what it returns is what Flask sends",
                flask=registered_hooks(app),
            )
            raise
        sent += 1
        new = opened[before:]
        needed = 0 if "needs no connection" in what else 1
        if needed and not new:
            fail(
                "H7",
                f"request {sent} ({what}) opened no connection with sqlite3.connect",
                why="each request gets its own connection; one shared by every request is not "
                "per request (and sqlite3.connect must be called as such, at request time)",
            )
        if len(new) > needed:
            fail(
                "H7",
                f"request {sent} ({what}) opened {len(new)} connections"
                if needed
                else f"request {sent} ({what}) opened a connection it never needed",
                expected=needed,
                got=len(new),
                why="one connection per request, opened the first time the request needs one "
                "and kept in g, so that its later uses get the same one"
                + ("" if needed else ": this request never needed one (not in before_request)"),
            )
        still_open = sum(is_open(connection) for connection in new)
        expect_equal(
            still_open,
            0,
            "H7",
            f"connections of request {sent} ({what}) still open after its response",
            why="close it in a teardown hook: after_request is skipped when the exception "
            "escapes, and the view itself never gets there when it raises",
            flask=registered_hooks(app),
        )
    expect_equal(
        descriptors_on(notes_db) or 0,
        0,
        "H7",
        f"file descriptors still open on the database after {sent} requests",
    )


# --- Exercise 5: run_once --------------------------------------------------------------------


class SetupFailed(Exception):
    pass


STUCK = WAIT / 2  # seconds; a call of a run_once function returns in far less, unless stuck


def call_within_a_bound(function, what: str) -> None:
    """Call function in a thread of its own: a call that never returns (a lock left held) fails
    the spec with a message rather than hanging it; what the call raises is raised here."""
    raised: list[BaseException] = []

    def call():
        try:
            function()
        except BaseException as error:  # noqa: BLE001 - handed to the spec's thread
            raised.append(error)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(STUCK)
    expect(
        not thread.is_alive(),
        "H2",
        f"{what} did not return within {STUCK:g} s",
        why="is a lock still held because setup() raised? Release it in a finally, or take "
        "it with `with lock:`, which releases it whatever happens",
    )
    if raised:
        raise raised[0]


@exercise("run_once")
@claim("H2")
def test_setup_runs_once_however_often_it_is_called(kata):
    calls: list[str] = []
    once = kata.run_once(lambda: calls.append("setup"))
    for _ in range(5):
        once()
    expect_equal(calls, ["setup"], "H2", "setup calls after five calls of run_once(setup)")


@exercise("run_once")
@claim("H2")
def test_a_setup_that_raised_is_tried_again(kata):
    calls: list[str] = []

    def setup():
        calls.append("setup")
        if len(calls) == 1:
            raise SetupFailed("the database is not reachable yet")

    once = kata.run_once(setup)
    with pytest.raises(SetupFailed, match="not reachable yet"):
        once()
    call_within_a_bound(once, "the call after the set-up raised")
    call_within_a_bound(once, "the call after that")
    expect_equal(
        calls,
        ["setup", "setup"],
        "H2",
        "setup calls: the first raised, then three calls in all",
        why="a set-up that failed is not done: the next caller must run it again",
    )


@exercise("run_once")
@claim("H2")
def test_a_caller_during_setup_waits_until_it_is_done(kata):
    started, release, finished = threading.Event(), threading.Event(), threading.Event()
    calls: list[str] = []
    seen_by_latecomer: list[bool] = []

    def setup():
        calls.append("setup")
        started.set()
        release.wait(WAIT)
        finished.set()

    once = kata.run_once(setup)
    first = threading.Thread(target=once, daemon=True)
    latecomer_calling = threading.Event()

    def latecomer():
        latecomer_calling.set()
        once()
        seen_by_latecomer.append(finished.is_set())

    second = threading.Thread(target=latecomer, daemon=True)
    first.start()
    try:
        expect(started.wait(WAIT), "H2", "the first call must start setup")
        second.start()
        latecomer_calling.wait(WAIT)
    finally:
        release.set()
        first.join(WAIT)
        if second.ident is not None:
            second.join(WAIT)
    expect(
        not first.is_alive() and not second.is_alive(),
        "H2",
        f"a call of run_once's function did not return within {WAIT} s",
        why="a caller waits for a set-up in progress, then goes on; something it waits for is "
        "never released",
    )
    expect_equal(
        calls,
        ["setup"],
        "H2",
        "setup calls, the second caller arriving mid-set-up",
        why="a flag checked and set without a lock lets a second caller in while setup() "
        "still runs",
    )
    expect_equal(
        seen_by_latecomer,
        [True],
        "H2",
        "was the set-up finished when the second caller's call returned?",
        why="callers that come during the set-up must wait for it, not skip it: "
        "before_first_request promised that no request goes on before the set-up is done",
    )


@exercise("run_once")
@claim("H2")
def test_sixteen_first_requests_at_once_on_a_threaded_server(kata):
    clients = 16
    app = Flask(__name__)
    together = threading.Barrier(clients, timeout=WAIT)
    passed = threading.Condition()
    arrivals, through_barrier = [0], [0]
    calls: list[int] = []
    finished = threading.Event()

    @app.before_request
    def all_at_the_same_moment():
        # registered before the learner's hook: the first 16 requests all reach it before any
        # of them goes on
        with passed:
            arrivals[0] += 1
            first_ones = arrivals[0] <= clients
        if first_ones:
            together.wait()
        with passed:
            through_barrier[0] += 1
            passed.notify_all()

    def setup():
        calls.append(threading.get_ident())
        # hold the set-up until every request is past the barrier and at the run-once gate
        with passed:
            passed.wait_for(lambda: through_barrier[0] >= clients, timeout=WAIT)
        finished.set()

    kata.before_first_request(app, setup)

    @app.get("/")
    def view():
        return {"setup_finished": finished.is_set()}

    answers: list[tuple[int, bytes]] = []
    with running_server(app) as server:

        def ask():
            try:
                status, _, body = server.get("/", timeout=WAIT)
            except OSError as error:  # reported with the statuses, not lost in the thread
                status, body = 0, json.dumps({"setup_finished": repr(error)}).encode()
            answers.append((status, body))

        threads = [threading.Thread(target=ask, daemon=True) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT * 2)
        stuck = sum(thread.is_alive() for thread in threads)
        expect_equal(stuck, 0, "H2", f"first requests still unanswered after {WAIT * 2} s")
        first_calls = len(calls)
        later = server.get("/", timeout=WAIT)
    statuses = sorted(status for status, _ in answers)
    expect_equal(statuses, [200] * clients, "H2", f"statuses of the {clients} first requests")
    if first_calls != 1:
        fail(
            "H2",
            f"setup ran {first_calls} times for {clients} simultaneous first requests",
            expected=1,
            got=first_calls,
            why="one run_once(setup), made when the hook is registered, must guard every "
            "request: a flag checked and set without a lock lets several threads in at once, "
            "and registering setup itself (or a new run_once per request) runs it every time",
        )
    unfinished = sum(not json.loads(body)["setup_finished"] for _, body in answers)
    expect_equal(
        unfinished,
        0,
        "H2",
        "first requests whose view ran before the set-up had finished",
        why="callers that come during the set-up must wait for it, not skip it",
    )
    expect_equal(later[0], 200, "H2", "the status of a 17th request, made afterwards")
    expect_equal(len(calls), 1, "H2", "setup calls after a 17th request")
