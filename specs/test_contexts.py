"""Specs of the lesson `contexts`: the two contexts and their four variables (claims C5 to C10).

Every prediction is compared with what the installed Flask does during the run; no answer is
written down here.
"""

from __future__ import annotations

import contextlib
import contextvars
import json

import flask
import flask.globals
import pytest
from flask import Flask, appcontext_popped, appcontext_pushed, g, request_finished, request_started
from hypothesis import given
from hypothesis import strategies as st

from dojo.observe import session_of
from dojo.spec import any_json_value, check_prediction, client_of, expect, expect_equal, fail

exercise = pytest.mark.exercise
claim = pytest.mark.claim

FOUR_NAMES = ("current_app", "g", "request", "session")


def touch(name: str) -> object:
    """Use one of the four proxies the way a view would."""
    if name == "current_app":
        return flask.current_app.name
    if name == "g":
        return flask.g.get("anything")
    if name == "request":
        return flask.request.method
    return flask.session.get("anything")


def failure_of(name: str) -> tuple[type, str] | None:
    """(exception class, the context its message names) when touching `name` fails, else None."""
    try:
        touch(name)
    except Exception as error:  # noqa: BLE001 - any exception is part of the observation
        text = str(error)
        missing = "application" if "application context" in text else "request"
        return type(error), missing if "context" in text else text
    return None


def context_holding(name: str) -> str:
    """Observe which context makes `name` usable: only an app context, or a request context too."""
    app = Flask(__name__)
    app.secret_key = "observation"
    with app.app_context():
        if failure_of(name) is None:
            return "app"
    with app.test_request_context():
        if failure_of(name) is None:
            return "request"
    raise AssertionError(f"{name} is usable in neither context")  # pragma: no cover


def serve(app: object) -> flask.testing.FlaskClient:
    return client_of(app, "C6")


def no_context_is_active() -> None:
    if flask.has_app_context() or flask.has_request_context():  # pragma: no cover
        pytest.fail("an earlier spec left a context pushed; this spec cannot observe from outside")


# --- Exercise 1: which_context ---------------------------------------------------------------


@exercise("which_context")
@claim("C6")
def test_current_app_lives_on_the_app_context(kata):
    check_prediction(
        kata,
        "WHICH_CONTEXT",
        context_holding("current_app"),
        "C6",
        "the context that holds current_app",
        key="current_app",
    )


@exercise("which_context")
@claim("C7")
def test_g_lives_on_the_app_context(kata):
    check_prediction(
        kata,
        "WHICH_CONTEXT",
        context_holding("g"),
        "C7",
        "the context that holds g",
        key="g",
        why="g works as soon as an app context is pushed, with no request at all",
    )


@exercise("which_context")
@claim("C8")
def test_request_lives_on_the_request_context(kata):
    check_prediction(
        kata,
        "WHICH_CONTEXT",
        context_holding("request"),
        "C8",
        "the context that holds request",
        key="request",
    )


@exercise("which_context")
@claim("C9")
def test_session_lives_on_the_request_context(kata):
    check_prediction(
        kata,
        "WHICH_CONTEXT",
        context_holding("session"),
        "C9",
        "the context that holds session",
        key="session",
    )


@exercise("which_context")
@claim("C5")
def test_a_request_runs_under_two_contexts(kata):
    app = Flask(__name__)

    @app.route("/")
    def count_active_contexts():
        variables = [
            v for v in vars(flask.globals).values() if isinstance(v, contextvars.ContextVar)
        ]
        return {"active": sum(1 for v in variables if v.get(None) is not None)}

    active = serve(app).get("/").json["active"]
    check_prediction(
        kata, "HOW_MANY_CONTEXTS", active, "C5", "the number of contexts active while a view runs"
    )


# --- Exercise 2: outside_a_context -----------------------------------------------------------


@exercise("outside_a_context")
@claim("C6")
def test_current_app_outside_any_context(kata):
    no_context_is_active()
    check_prediction(
        kata,
        "OUTSIDE_ANY_CONTEXT",
        failure_of("current_app"),
        "C6",
        "what touching current_app does with no context",
        key="current_app",
    )


@exercise("outside_a_context")
@claim("C7")
def test_g_outside_any_context(kata):
    no_context_is_active()
    check_prediction(
        kata,
        "OUTSIDE_ANY_CONTEXT",
        failure_of("g"),
        "C7",
        "what touching g does with no context",
        key="g",
    )


@exercise("outside_a_context")
@claim("C8")
def test_request_outside_any_context(kata):
    no_context_is_active()
    check_prediction(
        kata,
        "OUTSIDE_ANY_CONTEXT",
        failure_of("request"),
        "C8",
        "what touching request does with no context",
        key="request",
    )


@exercise("outside_a_context")
@claim("C9")
def test_session_outside_any_context(kata):
    no_context_is_active()
    check_prediction(
        kata,
        "OUTSIDE_ANY_CONTEXT",
        failure_of("session"),
        "C9",
        "what touching session does with no context",
        key="session",
    )


@exercise("outside_a_context")
@claim("C8")
def test_request_with_only_an_app_context(kata):
    with Flask(__name__).app_context():
        observed = failure_of("request")
    check_prediction(
        kata,
        "INSIDE_APP_CONTEXT_ONLY",
        observed,
        "C8",
        "what touching request does with only an app context",
        key="request",
        why="an app context alone carries no request: nothing was sent by a client",
    )


@exercise("outside_a_context")
@claim("C9")
def test_session_with_only_an_app_context(kata):
    app = Flask(__name__)
    app.secret_key = "observation"
    with app.app_context():
        observed = failure_of("session")
    check_prediction(
        kata,
        "INSIDE_APP_CONTEXT_ONLY",
        observed,
        "C9",
        "what touching session does with only an app context",
        key="session",
    )


# --- Exercise 3: each_app_its_own ------------------------------------------------------------

greetings = st.text(max_size=40)


@exercise("each_app_its_own")
@claim("C6")
@given(greeting=greetings)
def test_an_app_answers_with_its_own_greeting(kata, greeting):
    response = serve(kata.create_greeting_app(greeting)).get("/greeting")
    expect_equal(response.status_code, 200, "C6", "GET /greeting must answer 200")
    expect_equal(
        response.get_data(as_text=True),
        greeting,
        "C6",
        "GET /greeting must answer with the app's GREETING",
    )


@exercise("each_app_its_own")
@claim("C6")
@given(first=greetings, second=greetings)
def test_two_apps_served_in_turn_keep_their_greetings(kata, first, second):
    clients = [serve(kata.create_greeting_app(first)), serve(kata.create_greeting_app(second))]
    answers = [client.get("/greeting").get_data(as_text=True) for client in clients * 2]
    expect_equal(
        answers,
        [first, second, first, second],
        "C6",
        "two apps made by one factory, asked in turn, must each answer with its own greeting",
        why="a value kept outside the app (a module global, say) is shared by both apps",
    )


@exercise("each_app_its_own")
@claim("C6")
def test_one_view_function_serves_whichever_app_is_current(kata):
    apps = {"A": kata.create_greeting_app("from A"), "B": kata.create_greeting_app("from B")}
    seen = {}
    for label, app in apps.items():
        with app.app_context():
            seen[label] = kata.greeting_view()
    expect_equal(
        seen,
        {"A": "from A", "B": "from B"},
        "C6",
        "greeting_view called inside each app's context",
        why="greeting_view must ask current_app, not remember one app",
    )


@exercise("each_app_its_own")
@claim("C6")
def test_the_innermost_app_context_wins_and_the_outer_comes_back(kata):
    outer, inner = kata.create_greeting_app("outer"), kata.create_greeting_app("inner")
    with outer.app_context():
        before = kata.greeting_view()
        with inner.app_context():
            during = kata.greeting_view()
        after = kata.greeting_view()
    expect_equal(
        [before, during, after],
        ["outer", "inner", "outer"],
        "C6",
        "greeting_view before, inside and after a nested app context",
    )


@exercise("each_app_its_own")
@claim("C6")
def test_greeting_view_outside_any_context_raises(kata):
    kata.create_greeting_app("unused")
    no_context_is_active()
    with pytest.raises(RuntimeError, match="Working outside of application context"):
        kata.greeting_view()


# --- Exercise 4: g_per_request ---------------------------------------------------------------

names = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
json_values = any_json_value(keys=names)
scratch_bodies = st.dictionaries(names, json_values, max_size=6)
# for the reset spec only the names matter; plain values keep it quick
name_only_bodies = st.dictionaries(names, st.integers() | st.text(max_size=5), max_size=6)


@exercise("g_per_request")
@claim("C7")
@given(body=scratch_bodies)
def test_g_keeps_what_the_view_stored_for_the_rest_of_the_request(kata, body):
    response = serve(kata.create_scratch_app()).post("/scratch", json=body)
    expect_equal(
        response.status_code, 200, "C7", "POST /scratch with a JSON object must answer 200"
    )
    expect_equal(
        response.json.get("stored"),
        body,
        "C7",
        "'stored' must give back every pair of the body, read from g",
    )


@exercise("g_per_request")
@claim("C7")
@given(bodies=st.lists(name_only_bodies, min_size=2, max_size=5))
def test_g_starts_empty_for_every_request(kata, bodies):
    client = serve(kata.create_scratch_app())
    stored_before: set[str] = set()
    for number, body in enumerate(bodies, start=1):
        found = client.post("/scratch", json=body).json.get("found")
        leaked = sorted(set(found or ()) & stored_before)
        if leaked:
            fail(
                "C7",
                f"request {number} found names in g that earlier requests stored",
                expected="none of them",
                got=leaked,
                why="Flask gives every request a fresh g when no app context is pushed around it",
            )
        stored_before |= set(body)


@exercise("g_per_request")
@claim("C7")
def test_two_clients_do_not_share_g(kata):
    app = kata.create_scratch_app()
    first, second = serve(app), serve(app)
    first.post("/scratch", json={"owner": "first"})
    found = second.post("/scratch", json={"owner": "second"}).json.get("found")
    expect_equal(found, [], "C7", "the second client's request must find g empty")


bad_bodies = (
    st.lists(json_values, max_size=3) | st.text(max_size=10) | st.integers() | st.none()
).map(lambda value: ({"json": value}))
broken_json = st.sampled_from(["{", "[1,", "{'single': 'quotes'}", "nul", ""]).map(
    lambda text: {"data": text, "content_type": "application/json"}
)


@exercise("g_per_request")
@claim("C8")
@given(request_args=bad_bodies | broken_json)
def test_a_body_that_is_not_a_json_object_gets_400(kata, request_args):
    response = serve(kata.create_scratch_app()).post("/scratch", **request_args)
    expect_equal(
        response.status_code,
        400,
        "C8",
        f"POST /scratch with {request_args!r} must be refused with 400",
        why="request.get_json() gives whatever JSON was sent, or fails; check it is a dict",
    )


# --- Exercise 5: shared_g --------------------------------------------------------------------


def marking_app() -> Flask:
    app = Flask(__name__)
    app.testing = True

    @app.route("/mark/<mark>")
    def leave_mark(mark):
        seen = g.get("mark")
        g.mark = mark
        return {"seen": seen}

    return app


def second_request_sees_first(around) -> bool:
    app = marking_app()
    client = app.test_client()
    with around(app):
        client.get("/mark/first")
        return client.get("/mark/second").json["seen"] == "first"


def observe_shared_g(case: str) -> bool:
    if case == "plain":
        return second_request_sees_first(lambda app: contextlib.nullcontext())
    if case == "outer_app_context":
        return second_request_sees_first(lambda app: app.app_context())
    if case == "outer_test_request_context":
        return second_request_sees_first(lambda app: app.test_request_context())
    if case == "other_apps_context":
        return second_request_sees_first(lambda app: Flask("another").app_context())
    app = marking_app()
    with app.app_context():
        g.mark = "set by the test"
        seen_inside = app.test_client().get("/mark/view").json["seen"]
        if case == "outer_value_seen_inside":
            return seen_inside == "set by the test"
        return g.mark == "view"  # request_value_seen_after


SHARED_G_CASES = [
    "plain",
    "outer_app_context",
    "outer_test_request_context",
    "other_apps_context",
    "outer_value_seen_inside",
    "request_value_seen_after",
]


@exercise("shared_g")
@claim("C7")
@pytest.mark.parametrize("case", SHARED_G_CASES)
def test_when_requests_share_g(kata, case):
    check_prediction(
        kata,
        "SHARED_G",
        observe_shared_g(case),
        "C7",
        f"case {case!r}",
        key=case,
        why="a request pushes its own app context only if none of the same app is "
        "active; otherwise it reuses the active one, and g with it",
    )


# --- Exercise 6: session_memory --------------------------------------------------------------

memo_names = st.from_regex(r"[A-Za-z0-9_-]{1,16}", fullmatch=True)
memos = st.dictionaries(memo_names, json_values, min_size=1, max_size=5)
secret_keys = st.text(min_size=1, max_size=30)


def put_json(client, url: str, value: object):
    # json=None would send no body at all, and null is a JSON value like any other
    return client.put(url, data=json.dumps(value), content_type="application/json")


@exercise("session_memory")
@claim("C9")
@given(secret_key=secret_keys, kept=memos)
def test_a_client_gets_back_what_it_kept(kata, secret_key, kept):
    app = kata.create_memo_app(secret_key)
    client = serve(app)
    for name, value in kept.items():
        status = put_json(client, f"/memo/{name}", value).status_code
        expect_equal(status, 204, "C9", f"PUT /memo/{name} must answer 204")
    carried = {"the session the client carries": session_of(app, client)}
    for name, value in kept.items():
        response = client.get(f"/memo/{name}")
        expect_equal(
            response.status_code,
            200,
            "C9",
            f"GET /memo/{name} after a PUT must answer 200",
            flask=carried,
        )
        expect_equal(
            response.json,
            {"value": value},
            "C9",
            f"GET /memo/{name} in a later request",
            flask=carried,
        )
    expect_equal(
        client.get("/memo").json,
        {"names": sorted(kept)},
        "C9",
        "GET /memo lists the names",
        flask=carried,
    )


@exercise("session_memory")
@claim("C9")
@given(kept=memos)
def test_another_client_does_not_see_the_memos(kata, kept):
    app = kata.create_memo_app("one key for the app")
    owner, stranger = serve(app), serve(app)
    for name, value in kept.items():
        put_json(owner, f"/memo/{name}", value)
    expect_equal(
        stranger.get("/memo").json,
        {"names": []},
        "C9",
        "a second client of the same app must see no memos",
        why="each client carries its own session in its own cookie",
        flask={"the second client's session": session_of(app, stranger)},
    )
    name = next(iter(kept))
    expect_equal(
        stranger.get(f"/memo/{name}").status_code, 404, "C9", "a memo of another client must be 404"
    )


@exercise("session_memory")
@claim("C9")
def test_the_memos_travel_in_the_cookie(kata):
    app = kata.create_memo_app("one key for the app")
    owner, newcomer = serve(app), serve(app)
    owner.put("/memo/colour", json="teal")
    cookie = owner.get_cookie("session")
    expect(
        cookie is not None, "C9", "after a PUT the client must hold a `session` cookie", got=None
    )
    newcomer.set_cookie("session", cookie.value)
    expect_equal(
        newcomer.get("/memo/colour").json,
        {"value": "teal"},
        "C9",
        "a client given the cookie must see the memo",
        why="the server keeps nothing: the whole session is in the cookie",
    )


@exercise("session_memory")
@claim("C9")
def test_a_forgotten_memo_is_gone(kata):
    client = serve(kata.create_memo_app("key"))
    client.put("/memo/a", json=1)
    client.put("/memo/b", json=2)
    expect_equal(client.delete("/memo/a").status_code, 204, "C9", "DELETE /memo/a must answer 204")
    expect_equal(client.get("/memo/a").status_code, 404, "C9", "GET /memo/a after DELETE")
    expect_equal(client.delete("/memo/a").status_code, 404, "C9", "DELETE /memo/a a second time")
    expect_equal(client.get("/memo").json, {"names": ["b"]}, "C9", "GET /memo after the DELETE")


@exercise("session_memory")
@claim("C9")
@pytest.mark.parametrize(
    "body",
    [
        {"data": "not json", "content_type": "application/json"},
        {"data": "teal", "content_type": "text/plain"},
        {"data": b""},
    ],
    ids=["malformed", "plain-text", "empty"],
)
def test_a_memo_that_is_not_json_is_refused(kata, body):
    client = serve(kata.create_memo_app("key"))
    status = client.put("/memo/colour", **body).status_code
    expect(
        status in (400, 415),
        "C9",
        "a PUT whose body is not JSON must be refused with 400 or 415",
        got=status,
    )
    expect_equal(client.get("/memo").json, {"names": []}, "C9", "nothing may be stored")


# --- Exercise 7: push_and_pop ----------------------------------------------------------------


def active_contexts() -> set[str]:
    active = set()
    if flask.has_app_context():
        active.add("app")
    if flask.has_request_context():
        active.add("request")
    return active


def observe_request(outer_app_context: bool) -> tuple[list[str], dict[str, set[str]]]:
    """The events of one request, and the contexts active during the teardowns and after."""
    app = Flask(__name__)
    app.testing = True
    events: list[str] = []
    active: dict[str, set[str]] = {}

    def record(name):
        def receiver(sender, **extra):
            events.append(name)

        return receiver

    @app.before_request
    def before_request():
        events.append("before_request")

    @app.after_request
    def after_request(response):
        events.append("after_request")
        return response

    @app.teardown_request
    def teardown_request(error):
        events.append("teardown_request")
        active["teardown_request"] = active_contexts()

    @app.teardown_appcontext
    def teardown_appcontext(error):
        events.append("teardown_appcontext")
        active["teardown_appcontext"] = active_contexts()

    @app.route("/")
    def view():
        events.append("view")
        return ""

    signals = [appcontext_pushed, request_started, request_finished, appcontext_popped]
    receivers = {signal: record(signal.name.replace("-", "_")) for signal in signals}
    for signal, receiver in receivers.items():
        signal.connect(receiver, app)
    try:
        if outer_app_context:
            with app.app_context():
                events.clear()
                app.test_client().get("/")
                return list(events), active
        app.test_client().get("/")
        active["after_the_response"] = active_contexts()
        return events, active
    finally:
        for signal, receiver in receivers.items():
            signal.disconnect(receiver, app)


@exercise("push_and_pop")
@claim("C10")
def test_the_order_of_events_around_a_request(kata):
    events, _ = observe_request(outer_app_context=False)
    check_prediction(kata, "REQUEST_TIMELINE", events, "C10", "the events of one request, in order")


@exercise("push_and_pop")
@claim("C10")
@claim("C7")
def test_the_events_when_an_app_context_is_already_pushed(kata):
    events, _ = observe_request(outer_app_context=True)
    check_prediction(
        kata,
        "TIMELINE_INSIDE_APP_CONTEXT",
        events,
        "C10",
        "the events of a request made inside `with app.app_context():`",
        why="the request reuses the app context that is already active",
    )


@exercise("push_and_pop")
@claim("C10")
@pytest.mark.parametrize(
    "moment", ["teardown_request", "teardown_appcontext", "after_the_response"]
)
def test_the_contexts_active_at_each_moment(kata, moment):
    _, active = observe_request(outer_app_context=False)
    check_prediction(
        kata,
        "ACTIVE_CONTEXTS",
        active[moment],
        "C10",
        f"the contexts active at {moment}",
        key=moment,
    )


# --- Exercise 8: push_rule -------------------------------------------------------------------


def fresh_app(name: str = "rule") -> Flask:
    return Flask(name)


def current_context():
    return flask.globals.app_ctx._get_current_object()


@exercise("push_rule")
@claim("C10")
def test_with_no_context_it_pushes_one_and_pops_it(kata):
    app = fresh_app()
    no_context_is_active()
    with kata.app_context_for(app) as yielded:
        inside = (flask.current_app._get_current_object(), current_context())
    expect(inside[0] is app, "C10", "inside the block, current_app must be the app", got=inside[0])
    expect(
        yielded is inside[1],
        "C10",
        "the block must receive the active app context",
        expected=inside[1],
        got=yielded,
    )
    expect(
        not flask.has_app_context(),
        "C10",
        "after the block no app context may be active",
        got=active_contexts(),
    )


@exercise("push_rule")
@claim("C7")
def test_with_the_same_app_active_it_reuses_the_context_and_g(kata):
    app = fresh_app()
    pushed = []
    with appcontext_pushed.connected_to(lambda sender, **extra: pushed.append(sender), app):
        with app.app_context() as outer:
            g.note = "outer"
            with kata.app_context_for(app) as yielded:
                note = g.get("note")
            still = current_context()
    expect(
        yielded is outer,
        "C7",
        "with the same app active, the block must get the active context",
        expected=outer,
        got=yielded,
    )
    expect_equal(note, "outer", "C7", "g inside the block must be the outer g")
    expect_equal(len(pushed), 1, "C7", "app contexts pushed: only the outer one")
    expect(
        still is outer, "C7", "after the block the outer context must still be active", got=still
    )


@exercise("push_rule")
@claim("C6")
def test_with_another_app_active_it_pushes_a_new_context(kata):
    app, other = fresh_app("rule"), fresh_app("other")
    with other.app_context() as outer:
        g.note = "other's"
        with kata.app_context_for(app) as yielded:
            inside_app = flask.current_app._get_current_object()
            inside_note = g.get("note")
        after = current_context()
    expect(
        inside_app is app,
        "C6",
        "inside the block current_app must be the app asked for",
        got=inside_app,
    )
    expect(yielded is not outer, "C6", "another app's context may not be reused")
    expect_equal(inside_note, None, "C6", "g inside the block must be the new context's, empty")
    expect(after is outer, "C6", "after the block the other app's context must be back", got=after)


class Boom(Exception):
    pass


@exercise("push_rule")
@claim("C10")
def test_a_raising_block_still_pops_and_the_error_goes_through(kata):
    app = fresh_app()
    torn_down = []
    app.teardown_appcontext(torn_down.append)
    with pytest.raises(Boom, match="inside the block"):
        with kata.app_context_for(app):
            raise Boom("inside the block")
    expect(
        not flask.has_app_context(),
        "C10",
        "the context must be popped after the block raised",
        got=active_contexts(),
    )
    expect(
        len(torn_down) == 1 and isinstance(torn_down[0], Boom),
        "C10",
        "teardown_appcontext must run once and receive the error",
        got=torn_down,
    )


@exercise("push_rule")
@claim("C10")
def test_a_raising_block_leaves_a_reused_context_pushed(kata):
    app = fresh_app()
    with app.app_context() as outer:
        with pytest.raises(Boom, match="reused"):
            with kata.app_context_for(app):
                raise Boom("reused")
        after = current_context()
    expect(after is outer, "C10", "a context the block did not push must not be popped", got=after)


def nest(open_context, apps: list[Flask], plan: list[int], seen: list) -> list[tuple[int, int]]:
    """Open contexts one inside another as the plan says; for each level, the level whose context
    is active there (the same level when a new one was pushed, an outer one when it was reused)."""
    if not plan:
        return []
    with open_context(apps[plan[0]]):
        active = current_context()
        level = next((i for i, ctx in enumerate(seen) if ctx is active), len(seen))
        seen.append(active)
        return [(plan[0], level)] + nest(open_context, apps, plan[1:], seen)


@exercise("push_rule")
@claim("C7")
@claim("C10")
@given(plan=st.lists(st.integers(0, 2), min_size=1, max_size=6))
def test_it_follows_flasks_own_rule_at_any_nesting(kata, plan):
    apps = [fresh_app(f"app{i}") for i in range(3)]
    flasks = nest(lambda app: app.test_request_context(), apps, plan, [])
    yours = nest(kata.app_context_for, apps, plan, [])
    expect_equal(
        yours,
        flasks,
        "C7",
        f"nesting app contexts for apps {plan}: (app, level whose context is active)",
        why="the expected levels come from Flask's own test_request_context at the same "
        "nesting: it reuses an active context of the same app",
    )
