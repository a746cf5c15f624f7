"""Specs of the lesson `dispatch`: the URL map, dispatch and url_for (claims D1 to D4).

Every prediction is compared with what the installed Flask does during the run: the specs build
the apps the kata describes, look in their maps and send them requests.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from urllib.parse import urlsplit

import flask
import pytest
from flask import Flask
from flask.cli import routes_command
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from dojo.spec import check_prediction, expect, expect_equal, fail

exercise = pytest.mark.exercise
claim = pytest.mark.claim


def methods_by_endpoint(app: Flask) -> dict[str, set[str]]:
    return {rule.endpoint: set(rule.methods) for rule in app.url_map.iter_rules()}


def rule_set(app: Flask) -> set[tuple[str, frozenset[str], str]]:
    return {(r.endpoint, frozenset(r.methods), r.rule) for r in app.url_map.iter_rules()}


def expect_same_rules(app: Flask, expected: Flask, claim_id: str, what: str) -> None:
    """The maps hold the same rules; a failure shows only the endpoints whose rules differ."""
    got, wanted = rule_set(app), rule_set(expected)
    if got == wanted:
        return
    differing = sorted({endpoint for endpoint, _, _ in got ^ wanted})

    def rows(rules):
        return sorted((e, sorted(m), r) for e, m, r in rules if e in differing)

    fail(
        claim_id,
        f"{what}: (endpoint, methods, rule) wrong for {', '.join(differing)}",
        expected=rows(wanted),
        got=rows(got),
        why="the endpoint defaults to the view function's name; the methods are the ones "
        "asked for (methods=[...], app.get, app.post), HEAD and OPTIONS come free; the rule "
        "keeps its converters",
    )


def expect_app(app: object, claim_id: str, factory: str) -> Flask:
    expect(isinstance(app, Flask), claim_id, f"{factory}() must return a Flask app", got=app)
    return app


def answer(app: Flask, method: str, path: str) -> tuple[int, frozenset[str], bytes]:
    """What a client sees: status, the Allow header's methods, the body."""
    response = app.test_client().open(path, method=method)
    return response.status_code, frozenset(response.allow), response.get_data()


# --- Exercise 1: map_contents ----------------------------------------------------------------


def notes_app() -> Flask:
    """The app that kata/dispatch.py describes above METHODS."""
    app = Flask(__name__)

    @app.get("/")
    def home():
        return ""

    @app.post("/notes")
    def add_note():
        return ""

    @app.route("/notes/<int:note_id>", methods=["GET", "DELETE"])
    def note(note_id):
        return ""

    return app


@exercise("map_contents")
@claim("D3")
def test_a_new_app_already_holds_a_rule(kata):
    rules = {rule.rule for rule in Flask(__name__).url_map.iter_rules()}
    check_prediction(
        kata,
        "RULES_OF_A_NEW_APP",
        rules,
        "D3",
        "the rule strings in the map of an app that was just made",
        why="Flask registers a rule for the app's static folder when the app is made",
    )


@exercise("map_contents")
@claim("D3")
@pytest.mark.parametrize("endpoint", ["static", "home", "add_note", "note"])
def test_the_methods_each_rule_accepts(kata, endpoint):
    check_prediction(
        kata,
        "METHODS",
        methods_by_endpoint(notes_app())[endpoint],
        "D3",
        f"the methods of the rule of endpoint {endpoint!r}",
        key=endpoint,
        why="Werkzeug adds HEAD to a rule with GET; Flask adds OPTIONS to every rule that does "
        "not list OPTIONS itself, and answers those OPTIONS requests on its own",
    )


# --- Exercise 2: two_ways --------------------------------------------------------------------

# the shop the task asks for: (endpoint, methods asked for, rule); Flask adds the rest
SHOP = [
    ("home", ["GET"], "/"),
    ("show_item", ["GET"], "/items/<int:item_id>"),
    ("add_item", ["POST"], "/items"),
    ("show_shelf", ["GET"], "/shelves/<path:shelf>"),
]


def reference_shop() -> Flask:
    """The shop's rules registered by the spec, so that the installed Flask gives the answers."""
    app = Flask(__name__)
    for endpoint, methods, rule in SHOP:
        app.add_url_rule(rule, endpoint, lambda **values: "", methods=methods)
    return app


FACTORIES = ["create_shop_with_route", "create_shop_with_add_url_rule"]


@pytest.fixture
def route_calls(monkeypatch) -> list[str]:
    """The rule strings registered through Flask.route (app.get and app.post go through it)."""
    calls: list[str] = []
    original = Flask.route

    def route(self, rule, **options):
        calls.append(rule)
        return original(self, rule, **options)

    monkeypatch.setattr(Flask, "route", route)
    return calls


@exercise("two_ways")
@claim("D2")
@pytest.mark.parametrize("factory", FACTORIES)
def test_the_shop_holds_the_rules_asked_for(kata, factory):
    app = expect_app(getattr(kata, factory)(), "D2", factory)
    expect_same_rules(app, reference_shop(), "D2", f"the rules in {factory}()'s map")


@exercise("two_ways")
@claim("D2")
def test_the_decorator_factory_registers_through_route(kata, route_calls):
    kata.create_shop_with_route()
    expect_equal(
        sorted(route_calls),
        sorted(rule for _, _, rule in SHOP),
        "D2",
        "the rules create_shop_with_route() registers through app.route (or app.get, app.post)",
    )


@exercise("two_ways")
@claim("D2")
def test_the_other_factory_never_uses_route(kata, route_calls):
    app = expect_app(kata.create_shop_with_add_url_rule(), "D2", "create_shop_with_add_url_rule")
    expect_equal(
        route_calls,
        [],
        "D2",
        "create_shop_with_add_url_rule() must not call app.route, app.get or app.post",
    )
    expect_same_rules(app, reference_shop(), "D2", "the rules in its map")


@pytest.fixture
def made() -> dict:
    """Apps made once per spec and kept across its hypothesis examples."""
    return {}


segments = st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=6)
shop_paths = st.one_of(
    st.just("/"),
    st.just("/items"),
    st.integers(-5, 10**6).map(lambda n: f"/items/{n}"),
    segments.map(lambda s: f"/items/{s}"),
    st.lists(segments, min_size=1, max_size=3).map(lambda p: "/shelves/" + "/".join(p)),
    segments.map(lambda s: f"/{s}"),
)
shop_methods = st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"])


@exercise("two_ways")
@claim("D2")
@settings(max_examples=15)
@given(method=shop_methods, path=shop_paths)
def test_both_shops_answer_every_request_alike(kata, made, method, path):
    if not made:  # the factories run inside the spec, where an unwritten one fails it
        made["shops"] = [expect_app(getattr(kata, name)(), "D2", name) for name in FACTORIES]
    by_route, by_add_url_rule = (answer(app, method, path) for app in made["shops"])
    expect_equal(
        by_add_url_rule,
        by_route,
        "D2",
        f"{method} {path}: (status, Allow, body) of the add_url_rule shop vs the route shop",
        why="both ways put the same rule in the map, so dispatch cannot tell them apart",
    )


@exercise("two_ways")
@claim("D1")
@pytest.mark.parametrize("factory", FACTORIES)
def test_the_shop_dispatches_by_url_method_and_type(kata, factory):
    client = expect_app(getattr(kata, factory)(), "D1", factory).test_client()
    item = client.get("/items/7")
    expect_equal(
        (item.status_code, item.json),
        (200, {"id": 7, "type": "int"}),
        "D1",
        "GET /items/7: the int converter hands show_item an int",
    )
    expect_equal(client.get("/items/seven").status_code, 404, "D1", "GET /items/seven")
    shelf = client.get("/shelves/top/left").json
    expect_equal(shelf, {"shelf": "top/left"}, "D1", "GET /shelves/top/left: path keeps '/'")
    added = client.post("/items", json={"name": "lamp"})
    expect_equal(added.status_code, 201, "D1", "POST /items")
    form = client.post("/items", data={"name": "lamp"})
    expect_equal(
        (form.status_code, form.json),
        (201, {"added": None}),
        "D1",
        "POST /items with a form body instead of JSON",
        why="the method and the URL choose the view; the body plays no part in dispatch",
    )
    reference = reference_shop()
    for method, path in [("DELETE", "/items/7"), ("GET", "/items")]:
        status, allowed, _ = answer(client.application, method, path)
        expected, allowed_by_flask, _ = answer(reference, method, path)
        expect_equal(
            (status, set(allowed)),
            (expected, set(allowed_by_flask)),
            "D1",
            f"{method} {path}: a URL the map knows, with a method its rule does not accept",
            why="405 comes with an Allow header that lists what the rules of that URL accept",
        )


# --- Exercise 3: route_table -----------------------------------------------------------------


def flask_routes(app: Flask) -> list[tuple[str, str, str]]:
    """The rows that `flask routes --all-methods` prints for the app, read back from its output."""
    result = app.test_cli_runner().invoke(routes_command, ["--all-methods"])
    if result.output.startswith("No routes"):
        return []
    lines = result.output.splitlines()[2:]  # the header and its underline
    # columns are padded and joined by two spaces; a single space only occurs inside "GET, HEAD"
    return [tuple(re.split(r"\s{2,}", line.rstrip(), maxsplit=2)) for line in lines]


def table_difference(rows: list[tuple], expected: list[tuple]) -> str:
    """The first difference between the table and the command's rows, in words."""
    methods_printed = {(endpoint, rule): methods for endpoint, methods, rule in expected}
    for endpoint, methods, rule in rows:
        printed = methods_printed.get((endpoint, rule), methods)
        if printed != methods:
            return (
                f"the methods of {endpoint} ({rule}) are {methods!r} where the command prints "
                f"{printed!r}: every method of the rule, HEAD and OPTIONS included, sorted and "
                "joined by ', '"
            )
    lacking = Counter(expected) - Counter(rows)
    if lacking:
        return (
            f"the table has no row {next(iter(lacking))}: one row per rule of app.url_map, "
            "the static rule included"
        )
    return f"the command prints no row {next(iter(Counter(rows) - Counter(expected)))}"


def check_table(kata, app: Flask, what: str) -> None:
    expected = flask_routes(app)
    table = kata.route_table(app)
    rows = [tuple(row) for row in table]
    if Counter(rows) != Counter(expected):
        fail(
            "D3",
            f"the rows of route_table() for {what}, against `flask routes --all-methods`",
            expected=expected,
            got=rows,
            why=table_difference(rows, expected),
        )
    endpoints = [row[0] for row in rows]
    expect_equal(endpoints, sorted(endpoints), "D3", f"route_table() for {what}: endpoint order")
    expect_equal(
        rows,
        expected,
        "D3",
        f"route_table() for {what}: the order of the rows of one endpoint",
        why="the command sorts on the endpoint alone, and a sort is stable: rules of one "
        "endpoint keep the order of the map (sorting whole rows reorders them)",
    )


@exercise("route_table")
@claim("D3")
def test_the_table_of_a_new_app(kata):
    check_table(kata, Flask(__name__), "a new app")


@exercise("route_table")
@claim("D3")
def test_the_table_of_an_app_with_every_kind_of_rule(kata):
    app = Flask(__name__)

    @app.route("/antelope")  # registered second: a decorator applies from the bottom up
    @app.route("/zebra", methods=["GET", "POST"])
    def animals():
        return ""

    @app.route("/ask", methods=["OPTIONS", "PUT"])  # OPTIONS written by hand: no automatic one
    def ask():
        return ""

    app.add_url_rule("/a/<int:number>/<path:rest>", "deep", lambda number, rest: "")
    check_table(kata, app, "an app with two rules for one endpoint and a hand-made OPTIONS")


route_names = st.from_regex(r"[a-z][a-z_]{0,7}", fullmatch=True)
method_sets = st.sets(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]), min_size=1)


@exercise("route_table")
@claim("D3")
# no shrinking: every example runs the command, and shrinking a failure would run it hundreds
# of times, past the spec's time limit; the first examples are the simplest ones anyway
@settings(max_examples=12, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(
    with_static=st.booleans(),
    routes=st.dictionaries(route_names, st.tuples(route_names, method_sets), max_size=5),
)
def test_the_table_of_any_app(kata, with_static, routes):
    app = Flask(__name__, static_folder="static" if with_static else None)
    for endpoint, (path, methods) in routes.items():
        app.add_url_rule(f"/{path}/{endpoint}", f"view_{endpoint}", lambda: "", methods=methods)
    check_table(kata, app, f"an app with static={with_static} and routes {routes}")


# --- Exercise 4: dispatch_outcomes -----------------------------------------------------------


def outcomes_app(received: list) -> Flask:
    """The app that kata/dispatch.py describes above STATUS; views keep what they receive."""
    app = Flask(__name__)

    def keep(**values):
        received.extend(values.values())
        return ""

    for rule, endpoint, methods in [
        ("/items/<int:item_id>", "show_item", ["GET"]),
        ("/items/<int:item_id>", "replace_item", ["PUT"]),
        ("/prices/<float:price>", "show_price", ["GET"]),
        ("/users/<name>", "show_user", ["GET"]),
        ("/files/<path:name>", "show_file", ["GET"]),
    ]:
        app.add_url_rule(rule, endpoint, keep, methods=methods)
    return app


def dispatch(request_line: str) -> tuple[int, frozenset[str], list]:
    received: list = []
    method, path = request_line.split(" ")
    response = outcomes_app(received).test_client().open(path, method=method)
    return response.status_code, frozenset(response.allow), received


STATUS_CASES = [
    "GET /items/42",
    "GET /items/042",
    "GET /items/-1",
    "GET /items/4.5",
    "GET /prices/4.5",
    "GET /prices/4",
    "GET /users/ada/lovelace",
    "GET /files/ada/lovelace",
    "GET /nowhere",
    "DELETE /items/42",
    "POST /users/ada",
    "OPTIONS /items/42",
]


@exercise("dispatch_outcomes")
@claim("D1")
@pytest.mark.parametrize("request_line", STATUS_CASES)
def test_the_status_of_each_request(kata, request_line):
    status, _, _ = dispatch(request_line)
    check_prediction(
        kata,
        "STATUS",
        status,
        "D1",
        f"the status code of {request_line}",
        key=request_line,
        why="no rule fits the URL: 404; a rule fits the URL but not the method: 405",
    )


@exercise("dispatch_outcomes")
@claim("D1")
@pytest.mark.parametrize(
    "request_line",
    ["GET /items/042", "GET /prices/4.5", "GET /users/ada", "GET /files/ada/lovelace"],
)
def test_the_argument_each_view_receives(kata, request_line):
    _, _, received = dispatch(request_line)
    predicted = kata.prediction("ARGUMENT", request_line)
    value = received[0]
    if type(predicted) is not type(value) or predicted != value:
        fail(
            "D1",
            f"{kata.file}:ARGUMENT[{request_line!r}]: the value the view receives",
            expected=f"{value!r} ({type(value).__name__})",
            got=f"{predicted!r} ({type(predicted).__name__})",
            why="the converter turns the text of the URL into the view's argument, typed",
        )


@exercise("dispatch_outcomes")
@claim("D1")
@pytest.mark.parametrize(
    "request_line", ["DELETE /items/42", "POST /users/ada", "OPTIONS /items/42"]
)
def test_the_allow_header(kata, request_line):
    _, allowed, _ = dispatch(request_line)
    check_prediction(
        kata,
        "ALLOW",
        set(allowed),
        "D1",
        f"the methods in the Allow header of the answer to {request_line}",
        key=request_line,
        why="Allow gathers the methods of every rule whose URL matched; Flask answers OPTIONS "
        "itself with that header, no view involved",
    )


# --- Exercise 5: url_round_trip --------------------------------------------------------------


def catalogue_app() -> Flask:
    app = Flask(__name__)
    for rule, endpoint in [
        ("/items/<int:item_id>", "show_item"),
        ("/users/<name>", "show_user"),
        ("/files/<path:name>", "show_file"),
        ("/tickets/<uuid:ticket>", "show_ticket"),
        ("/years/<int:year>/<slug>", "show_year"),
    ]:
        app.add_url_rule(rule, endpoint, lambda **values: "")
    return app


# the string converter's values hold no "/", the path converter's hold no empty segment: the
# round trip holds inside those domains (a spec below shows what happens outside)
url_text = st.text(st.characters(exclude_characters="/", exclude_categories=("Cs",)), min_size=1)
endpoint_values = st.one_of(
    st.tuples(st.just("show_item"), st.fixed_dictionaries({"item_id": st.integers(0, 10**12)})),
    st.tuples(st.just("show_user"), st.fixed_dictionaries({"name": url_text})),
    st.tuples(
        st.just("show_file"),
        st.fixed_dictionaries({"name": st.lists(url_text, min_size=1, max_size=3).map("/".join)}),
    ),
    st.tuples(st.just("show_ticket"), st.fixed_dictionaries({"ticket": st.uuids()})),
    st.tuples(
        st.just("show_year"),
        st.fixed_dictionaries({"year": st.integers(0, 9999), "slug": url_text}),
    ),
)


def flask_url_for(app: Flask, endpoint: str, **values) -> str:
    with app.test_request_context():
        return flask.url_for(endpoint, **values)


@pytest.fixture
def catalogue() -> Flask:
    return catalogue_app()


@exercise("url_round_trip")
@claim("D4")
@settings(max_examples=20)
@given(target=endpoint_values, query=st.dictionaries(st.sampled_from("pqr"), url_text, max_size=2))
def test_building_then_matching_gives_back_the_arguments(kata, catalogue, target, query):
    app = catalogue
    endpoint, values = target
    try:
        url = kata.build_url(app, endpoint, **values, **query)
    except RuntimeError as error:  # url_for without a request (or SERVER_NAME) to build from
        fail(
            "D4",
            f"build_url(app, {endpoint!r}, **{values | query!r}) raised RuntimeError",
            got=str(error).splitlines()[0],
            why="url_for needs a request to build from, and an app context alone has none "
            "(no SERVER_NAME either): push app.test_request_context() around it",
        )
    expect(
        not isinstance(url, str) or not urlsplit(url).netloc,
        "D4",
        f"build_url(app, {endpoint!r}, **{values | query!r}) must give the path and query "
        "string only, no scheme or host",
        got=url,
        why="url_for builds a URL relative to the server unless _external=True is asked for",
    )
    expect_equal(
        url,
        flask_url_for(app, endpoint, **values, **query),
        "D4",
        f"build_url(app, {endpoint!r}, **{values | query!r})",
        why="the expected URL is url_for's, called in a request context by the spec",
    )
    try:
        matched = kata.match_url(app, url)
    except HTTPException as error:
        fail(
            "D4",
            f"match_url(app, {url!r}) raised {error.code} for a URL that url_for just built",
            why="the map matches a decoded path; the query string and percent-escapes are not "
            "part of it (a request context splits and decodes them for you)",
        )
    expect_equal(
        matched,
        (endpoint, values),
        "D4",
        f"match_url(app, {url!r})",
        why="matching reads the same rule backwards: the endpoint, and the arguments converted "
        "again (the query string is not part of them)",
    )


@exercise("url_round_trip")
@claim("D4")
def test_the_functions_leave_no_context_behind(kata):
    app = catalogue_app()
    ticket = uuid.UUID(int=7)
    url = kata.build_url(app, "show_ticket", ticket=ticket)
    left_after_build = flask.has_app_context()
    matched = kata.match_url(app, url)
    expect(
        not left_after_build and not flask.has_app_context(),
        "D4",
        "after build_url and match_url return, no context may stay pushed",
    )
    expect_equal(matched, ("show_ticket", {"ticket": ticket}), "D4", f"match_url(app, {url!r})")


@exercise("url_round_trip")
@claim("D1")
@pytest.mark.parametrize(
    ("url", "method", "error"),
    [("/nowhere", "GET", NotFound), ("/items/3", "DELETE", MethodNotAllowed)],
)
def test_matching_fails_as_dispatch_fails(kata, url, method, error):
    status = catalogue_app().test_client().open(url, method=method).status_code
    expect_equal(status, error.code, "D1", f"Flask's own answer to {method} {url}")
    what = f"match_url(app, {url!r}, {method!r}) must raise {error.__name__} ({status})"
    why = (
        "when no rule fits, request.url_rule is None and request.routing_exception holds the "
        "error dispatch answers with: NotFound when no rule fits the URL, MethodNotAllowed when "
        "one fits the URL but not the method"
    )
    try:
        matched = kata.match_url(catalogue_app(), url, method)
    except error as raised:
        expect(str(raised).startswith(f"{error.code} "), "D1", what, got=repr(raised), why=why)
    except Exception as raised:  # a KataError (a stub) is not an Exception: it goes on up
        fail("D1", what, got=repr(raised), why=why)
    else:
        fail("D1", what, got=f"a return: {matched!r}", why=why)


@exercise("url_round_trip")
@claim("D4")
def test_a_slash_in_a_string_argument_breaks_the_round_trip(kata):
    app = catalogue_app()
    url = kata.build_url(app, "show_user", name="ada/lovelace")
    expect_equal(url, flask_url_for(app, "show_user", name="ada/lovelace"), "D4", "the URL built")
    flask_status = app.test_client().get(url).status_code
    try:
        matched = kata.match_url(app, url)
    except NotFound:
        matched = NotFound
    expect_equal(
        (flask_status, matched),
        (404, NotFound),
        "D4",
        f"{url}: Flask's answer, and what match_url does with it",
        why="url_for leaves '/' unescaped, and the default string converter stops at '/': "
        "outside a converter's domain, what is built is not matched",
    )
