"""Specs of the lesson `pillars`: what Flask takes from Werkzeug and Jinja2 (P2), and how an
extension plugs into an app (P1). P3, who wrote the libraries, is history: no spec can run it.

Every prediction is compared with what the installed libraries do during the run; no answer is
written down here.
"""

from __future__ import annotations

import json
import sys
import warnings
import wsgiref.util
import wsgiref.validate
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

import flask
import jinja2
import pytest
import werkzeug.http
import werkzeug.serving
from flask import Flask, request, template_rendered
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape
from werkzeug.wsgi import ClosingIterator

from dojo.servers import running_server
from dojo.spec import check_prediction, client_of, expect, expect_equal, fail

exercise = pytest.mark.exercise
claim = pytest.mark.claim

# the specs that build two apps or two answers per example run half the examples of the
# profile (read when this module is collected), to keep the lesson well under half a second
half_the_examples = settings(max_examples=max(10, settings.default.max_examples // 2))


def serve(app: object) -> flask.testing.FlaskClient:
    return client_of(app, "P2")


# --- Exercise 1: whose_parts -----------------------------------------------------------------

PILLARS = ("werkzeug", "jinja2")


def pillar_of(obj: object) -> str:
    """The first of the two libraries that defines the object's class or one of its bases."""
    for cls in type(obj).__mro__:
        library = cls.__module__.partition(".")[0]
        if library in PILLARS:
            return library
    return "flask"


def lineage(obj: object) -> str:
    return " -> ".join(f"{cls.__module__}.{cls.__qualname__}" for cls in type(obj).__mro__)


class Stop(Exception):
    """Raised by the stand-in server: the spec wants to see what it is handed, not to serve."""


def handed_to_the_debug_server(monkeypatch: pytest.MonkeyPatch) -> object:
    app = Flask(__name__)
    handed = []

    def stand_in(host, port, wsgi_app, *args, **kwargs):
        handed.append(wsgi_app)
        raise Stop

    # app.run reaches Werkzeug's make_server through run_simple; nothing binds a port
    monkeypatch.setattr(werkzeug.serving, "make_server", stand_in)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)  # set, it makes app.run do nothing
    with pytest.raises(Stop):
        app.run(port=0, debug=True, use_reloader=False, load_dotenv=False)
    return handed[0]


def seen_during_a_request(key: str) -> object:
    app = Flask(__name__)
    app.secret_key = "observation"
    seen: dict[str, object] = {}

    @app.get("/")
    def view():
        seen["request"] = request._get_current_object()
        seen["session"] = flask.session._get_current_object()
        seen["g"] = flask.g._get_current_object()
        try:
            flask.abort(404)
        except Exception as error:  # noqa: BLE001 - whatever it raises is the observation
            seen["abort_404"] = error
        return "observed"

    @app.after_request
    def after(response):
        seen["response"] = response
        return response

    app.test_client().get("/")
    return seen[key]


def observe_part(key: str, monkeypatch: pytest.MonkeyPatch) -> object:
    app = Flask(__name__)
    outside_a_request = {
        "url_map": lambda: app.url_map,
        "config": lambda: app.config,
        "test_client": app.test_client,
        "jinja_env": lambda: app.jinja_env,
        "debugger": lambda: handed_to_the_debug_server(monkeypatch),
    }
    if key in outside_a_request:
        return outside_a_request[key]()
    return seen_during_a_request(key)


PARTS = [
    "url_map",
    "request",
    "response",
    "abort_404",
    "session",
    "g",
    "config",
    "test_client",
    "jinja_env",
    "debugger",
]


@exercise("whose_parts")
@claim("P2")
@pytest.mark.parametrize("part", PARTS)
def test_which_library_each_part_comes_from(kata, part, monkeypatch):
    observed = observe_part(part, monkeypatch)
    check_prediction(
        kata,
        "WHOSE_PARTS",
        pillar_of(observed),
        "P2",
        f"the library behind {part}",
        key=part,
        why=f"its class and bases, read from the running objects: {lineage(observed)}",
    )


# --- Exercise 2: plain_wsgi ------------------------------------------------------------------

# any text a path segment can hold, except the separator itself
segments = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/"), max_size=6)
paths = st.lists(segments, min_size=1, max_size=3).map(lambda parts: "/" + "/".join(parts))
other_methods = st.sampled_from(["POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])


def environ_for(method: str, path: str, query: str = "") -> dict:
    """A complete environ, as a server builds it: the path's UTF-8 bytes as latin-1 text."""
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query,
    }
    wsgiref.util.setup_testing_defaults(environ)
    return environ


@contextmanager
def validated(claim_id: str, who: str):
    """Turn wsgiref.validate's complaints into a failure that says what it found."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", wsgiref.validate.WSGIWarning)
        try:
            yield
        # the validator asserts and warns; it also raises KeyError for a missing SCRIPT_NAME
        except (AssertionError, KeyError, wsgiref.validate.WSGIWarning) as complaint:
            fail(
                claim_id,
                f"{who} failed under wsgiref.validate",
                got=f"{type(complaint).__name__}: {complaint}",
                why="PEP 3333 fixes what an environ holds and how an app answers; the "
                "validator checks both sides of every call (a KeyError names a missing key)",
            )
        except UnicodeError as complaint:
            fail(
                claim_id,
                f"{who} failed on text that is not latin-1",
                got=f"{type(complaint).__name__}: {complaint}",
                why="text in a WSGI environ stands for bytes, one character per byte, so only "
                "characters below 256 may appear: encode to UTF-8, then decode as latin-1",
            )


def call_validated(wsgi_app, environ: dict) -> tuple[str, dict[str, str], bytes]:
    """Call an app through the validator as a server would: (status, headers, body)."""
    started = []

    def start_response(status, headers, exc_info=None):
        started.append((status, headers))
        return lambda data: None

    with validated("P2", "calling plain_wsgi_app"):
        result = wsgiref.validate.validator(wsgi_app)(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    status, headers = started[0]
    return status, {name.lower(): value for name, value in headers}, body


def call_plain(kata, method: str, path: str) -> tuple[str, dict[str, str], bytes]:
    handed_to_flask = []
    with flask.request_started.connected_to(lambda sender, **extra: handed_to_flask.append(sender)):
        answer = call_validated(kata.plain_wsgi_app, environ_for(method, path))
    expect(
        not handed_to_flask,
        "P2",
        "plain_wsgi_app must answer on its own, with no Flask app behind it",
        got=handed_to_flask,
    )
    return answer


@exercise("plain_wsgi")
@claim("P2")
@given(path=paths)
def test_a_get_answers_with_its_path_as_utf8_text(kata, path):
    status, headers, body = call_plain(kata, "GET", path)
    expect_equal(status.split(" ")[0], "200", "P2", f"the status line of GET {path!r}")
    mimetype, options = werkzeug.http.parse_options_header(headers.get("content-type", ""))
    expect(
        mimetype == "text/plain" and options.get("charset", "").lower() == "utf-8",
        "P2",
        f"GET {path!r} must be UTF-8 plain text",
        expected="text/plain; charset=utf-8",
        got=headers.get("content-type"),
    )
    expect_equal(
        body,
        path.encode("utf-8"),
        "P2",
        f"the body of GET {path!r}",
        why="PATH_INFO carries the path's bytes as latin-1 characters; encode them back to "
        "bytes with latin-1 and decode those as UTF-8",
    )


@exercise("plain_wsgi")
@claim("P2")
@half_the_examples
@given(method=other_methods, path=paths)
def test_other_methods_are_refused_with_405(kata, method, path):
    status, headers, _ = call_plain(kata, method, path)
    expect_equal(
        status.split(" ")[0],
        "405",
        "P2",
        f"the status line of {method} {path!r}: a method other than GET must be refused with 405",
        why="plain_wsgi_app answers GET only; read environ['REQUEST_METHOD'] and refuse the rest",
    )
    allowed = [name.strip().upper() for name in headers.get("allow", "").split(",")]
    expect(
        "GET" in allowed,
        "P2",
        f"the 405 answer to {method} must have an Allow header naming GET",
        got=headers.get("allow"),
    )


@exercise("plain_wsgi")
@claim("P2")
def test_a_real_server_serves_it(kata):
    wanted = ["/", "/plain", "/café/日本", "/with space/and+plus"]
    # served bare: Werkzeug's server puts REMOTE_PORT in the environ as an int, which the
    # validator rejects; the specs above validate the app on its own
    with running_server(kata.plain_wsgi_app) as server:
        answers = [server.get(quote(path)) for path in wanted]
    for path, (status, _, body) in zip(wanted, answers, strict=True):
        expect_equal(
            (status, body.decode("utf-8", "replace")),
            (200, path),
            "P2",
            f"Werkzeug's server, asked for {quote(path)}",
            why="the server decodes the URL's %-escapes and hands the app the bytes as "
            "latin-1 characters, as PEP 3333 asks",
        )


# --- Exercise 3: flask_by_hand ---------------------------------------------------------------

echo_segments = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="/"), min_size=1, max_size=6
)
echo_paths = st.one_of(
    st.lists(echo_segments, min_size=1, max_size=3).map(lambda parts: "/echo/" + "/".join(parts)),
    st.just("/nowhere"),
)
queries = st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=3).map(urlencode)
methods = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])


def echo_app(closed: list) -> Flask:
    """An app that answers with what it understood of the request."""
    app = Flask(__name__)

    @app.route("/echo/<path:rest>", methods=["GET", "POST", "PUT", "DELETE"])
    def echo(rest):
        return {"method": request.method, "rest": rest, "args": request.args.to_dict(flat=False)}

    @app.after_request
    def watch(response):
        # runs when whoever called the app closes what it returned
        response.call_on_close(lambda: closed.append("closed"))
        return response

    return app


# what the echo app answers, and the part of the environ each comes from
ECHOED_FROM = {
    "method": "the view saw another method: REQUEST_METHOD is the method as given",
    "rest": "the view saw another path: PATH_INFO must hold the path alone, its UTF-8 bytes "
    "as latin-1 characters",
    "args": "the view saw other query arguments: QUERY_STRING must hold the query string as it "
    "is, apart from the path",
}


def misread(truth: bytes, body: bytes) -> str:
    """Which parts of the hand-made environ the echo app read otherwise than the test client's."""
    try:
        expected, got = json.loads(truth), json.loads(body)
    except ValueError:
        return ""
    if not isinstance(expected, dict) or not isinstance(got, dict):
        return ""
    return "; ".join(
        reason for field, reason in ECHOED_FROM.items() if got.get(field) != expected.get(field)
    )


@exercise("flask_by_hand")
@claim("P2")
def test_a_hand_made_call_gets_what_the_test_client_gets(kata):
    # one app answers through Flask's test client, its twin through call_wsgi: both stateless
    client = echo_app([]).test_client()
    closed: list[str] = []
    wrapped = wsgiref.validate.validator(echo_app(closed))

    @half_the_examples
    # first: a path beyond ASCII and a repeated name, where most wrong environs show at once
    @example(method="GET", path="/echo/café", query="tag=a&tag=b")
    @given(method=methods, path=echo_paths, query=queries)
    def same_answer(method, path, query):
        truth = client.open(quote(path), method=method, query_string=query)
        closed.clear()
        with validated("P2", "call_wsgi"):
            outcome = kata.call_wsgi(wrapped, method, path, query)
        expect(
            isinstance(outcome, tuple) and len(outcome) == 3,
            "P2",
            "call_wsgi must return (status, headers, body)",
            got=outcome,
        )
        status, headers, body = outcome
        expect_equal(
            (status, sorted(headers), body),
            (truth.status, sorted(truth.headers.to_wsgi_list()), truth.get_data()),
            "P2",
            f"(status, sorted headers, body) of {method} {path!r} with query {query!r}",
            why=misread(truth.get_data(), body)
            or "the app answers the environ you built; PATH_INFO must hold the path's UTF-8 "
            "bytes as latin-1 characters, QUERY_STRING the query as it is",
        )
        expect_equal(
            closed,
            ["closed"],
            "P2",
            "what the app returned must be closed once, after reading it",
            why="Flask frees the response's resources in close(); a server must always call it",
        )

    same_answer()


@exercise("flask_by_hand")
@claim("P2")
def test_the_environ_names_wsgi_version_1_0(kata):
    seen = []
    app = Flask(__name__)

    @app.get("/")
    def record_the_version():
        seen.append(request.environ.get("wsgi.version", "(no wsgi.version key)"))
        return ""

    kata.call_wsgi(app, "GET", "/")
    expect_equal(
        seen,
        [(1, 0)],
        "P2",
        'environ["wsgi.version"] as the app saw it',
        why="PEP 3333 fixes this key to the tuple (1, 0), the protocol version a server speaks",
    )


@exercise("flask_by_hand")
@claim("P2")
def test_a_second_start_response_with_exc_info_replaces_the_first(kata):
    def app_that_fails_after_starting(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise RuntimeError("the body could not be made")
        except RuntimeError:
            # allowed while nothing has been sent: the error answer replaces the first one
            start_response("500 Internal Server Error", [("X-Failed", "yes")], sys.exc_info())
        return ClosingIterator([b"failed"])  # closable, as what a Flask app returns

    status, headers, body = kata.call_wsgi(app_that_fails_after_starting, "GET", "/")
    expect_equal(
        (status, list(headers), body),
        ("500 Internal Server Error", [("X-Failed", "yes")], b"failed"),
        "P2",
        "(status, headers, body) of an app that called start_response twice",
        why="an app may call start_response again, with exc_info, until the body starts; "
        "the server must send the last status and headers it was given",
    )


# --- Exercise 4: when_jinja_escapes ----------------------------------------------------------

TEMPLATE_FILES = ["page.html", "page.svg", "page.txt", "page.html.j2", "page.HTML"]


def render_x(case: str, folder: Path) -> str:
    """Render "{{ x }}" with x = "<b>" the way the case says."""
    if case == "plain_jinja2":
        return jinja2.Environment().from_string("{{ x }}").render(x="<b>")
    for name in TEMPLATE_FILES:
        (folder / name).write_text("{{ x }}", encoding="utf-8")
    app = Flask(__name__, template_folder=str(folder))
    with app.app_context():
        if case == "from_string":
            return flask.render_template_string("{{ x }}", x="<b>")
        return flask.render_template(case, x="<b>")


@exercise("when_jinja_escapes")
@claim("P2")
@pytest.mark.parametrize("case", ["from_string", *TEMPLATE_FILES, "plain_jinja2"])
def test_which_templates_escape(kata, case, tmp_path):
    output = render_x(case, tmp_path)
    check_prediction(
        kata,
        "AUTOESCAPED",
        output != "<b>",
        "P2",
        f"whether {case} escapes '<b>'",
        key=case,
        why=f"rendered during this run, it gave {output!r}; Flask turns escaping on by the "
        "template's name (Flask.select_jinja_autoescape), Jinja2 alone leaves it off",
    )


def comes_out(case: str) -> str:
    app = Flask(__name__)
    expressions = {
        "markup_plus_text": lambda: Markup("<b>") + "<i>",
        "escape_twice": lambda: escape(escape("<i>")),
        "markup_format": lambda: Markup("<em>{}</em>").format("<i>"),
        "safe_filter": lambda: flask.render_template_string("{{ x|safe }}", x="<i>"),
        "literal_in_template": lambda: flask.render_template_string("{{ '<i>' }}"),
    }
    with app.app_context():
        return str(expressions[case]())


@exercise("when_jinja_escapes")
@claim("P2")
@pytest.mark.parametrize(
    "case",
    ["markup_plus_text", "escape_twice", "markup_format", "safe_filter", "literal_in_template"],
)
def test_what_markup_and_escaping_produce(kata, case):
    check_prediction(
        kata,
        "COMES_OUT",
        comes_out(case),
        "P2",
        f"the text that {case} produces",
        key=case,
        why="Markup is text already trusted: it is never escaped again, and what is added to "
        "it is escaped first",
    )


# --- Exercise 5: pages_from_jinja ------------------------------------------------------------

# a word that escaping leaves alone: where it lands in the page, the visitor's text must land
SENTINEL = "Sentinel7q"
hostile_text = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.sampled_from(
            [
                "<",
                ">",
                "&",
                '"',
                "'",
                "<script>alert(1)</script>",
                "&amp;",
                "</p>",
                "{{ 7*7 }}",
                "é",
            ]
        ),
        min_size=1,
        max_size=6,
    ).map("".join),
)


def visit(client, url: str, field: str, text: str) -> tuple[str, list]:
    """The page's text, and the (template, context) pairs Flask rendered for it."""
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append((template, dict(context)))

    with template_rendered.connected_to(record):
        response = client.get(url, query_string={field: text})
    expect_equal(response.status_code, 200, "P2", f"the status of GET {url}")
    return response.get_data(as_text=True), rendered


TEMPLATE_CODE = "{{ 7*7 }}"


def mishandled(shown: str, page: str, text: str) -> str:
    """What became of the visitor's text, when the page shows it otherwise than escaped once."""
    if text != escape(text) and shown == page.replace(SENTINEL, text):
        return (
            "the text reached the page as markup, unescaped: what a visitor typed is never "
            "marked safe (no |safe filter, no Markup(text))"
        )
    if shown == page.replace(SENTINEL, str(escape(str(escape(text))))):
        return (
            "the text was escaped twice: Flask's Jinja2 escapes every value already, so do not "
            "call escape() on it before rendering"
        )
    if "{{" in text:
        return (
            "the text ran as template code: it went into the template's source; pass it to the "
            "template as a variable instead"
        )
    return ""


def check_shown_as_text(client, url: str, field: str, also=None, examples=None) -> None:
    """Whatever the visitor types appears in the page escaped, where a harmless word appears;
    `also(text, rendered)` checks more on the same visit."""
    page, _ = visit(client, url, field, SENTINEL)
    expect(SENTINEL in page, "P2", f"GET {url} must show the {field} it is given", got=page)

    @example(text=TEMPLATE_CODE)  # first: text that runs if it lands in a template's source
    @given(text=hostile_text)
    def shown_as_text(text):
        shown, rendered = visit(client, url, field, text)
        if also is not None:
            also(text, rendered)
        expect_equal(
            shown,
            page.replace(SENTINEL, str(escape(text))),
            "P2",
            f"GET {url} with {field}={text!r}",
            why=mishandled(shown, page, text)
            or "the visitor's text must reach the page escaped exactly once: never as markup, "
            "never as template code, never escaped twice",
        )

    if examples is not None:
        shown_as_text = examples(shown_as_text)
    shown_as_text()


@exercise("pages_from_jinja")
@claim("P2")
def test_hello_comes_from_the_template_folder(kata):
    app = kata.create_page_app()
    _, rendered = visit(serve(app), "/hello", "name", "Ada")
    names = [template.name for template, _ in rendered]
    expect_equal(names, ["pillars/hello.html"], "P2", "the templates GET /hello renders")
    expected_file = Path(app.root_path, app.template_folder, "pillars", "hello.html")
    expect_equal(
        Path(rendered[0][0].filename),
        expected_file,
        "P2",
        "the file the hello template was loaded from",
        why="render_template looks in the app's template folder, beside the module",
    )


@exercise("pages_from_jinja")
@claim("P2")
def test_hello_shows_any_name_as_text(kata):
    check_shown_as_text(serve(kata.create_page_app()), "/hello", "name")


@exercise("pages_from_jinja")
@claim("P2")
def test_echo_is_a_template_from_a_string(kata):
    _, rendered = visit(serve(kata.create_page_app()), "/echo", "text", "hi")
    names = [template.name for template, _ in rendered]
    expect_equal(
        names,
        [None],
        "P2",
        "the names of the templates GET /echo renders",
        why="a template made from a string has no name (render_template_string)",
    )


@exercise("pages_from_jinja")
@claim("P2")
def test_echo_shows_any_text_as_text(kata):
    # a template from a string is compiled again on every request: fewer examples
    check_shown_as_text(serve(kata.create_page_app()), "/echo", "text", examples=half_the_examples)


@exercise("pages_from_jinja")
@claim("P2")
def test_emphasis_keeps_its_tags_and_escapes_the_text(kata):
    client = serve(kata.create_page_app())
    page, _ = visit(client, "/emphasis", "text", SENTINEL)
    expect(
        f"<em>{SENTINEL}</em>" in page,
        "P2",
        "GET /emphasis must show the text between real <em> tags",
        got=page,
    )

    def passed_as_markup(text, rendered):
        fragments = [context.get("fragment") for _, context in rendered]
        expect(
            len(fragments) == 1 and isinstance(fragments[0], Markup),
            "P2",
            "GET /emphasis must render one template with `fragment`, a Markup object",
            got=fragments,
        )
        expect_equal(
            str(fragments[0]),
            f"<em>{escape(text)}</em>",
            "P2",
            f"the fragment for text={text!r}",
            why="Markup's format() escapes what it puts in, and keeps its own tags",
        )

    check_shown_as_text(client, "/emphasis", "text", also=passed_as_markup)


# --- Exercise 6: init_app_pattern ------------------------------------------------------------


def hooks_of(app: Flask) -> int:
    return sum(len(funcs) for funcs in app.before_request_funcs.values()) + sum(
        len(funcs) for funcs in app.after_request_funcs.values()
    )


@exercise("init_app_pattern")
@claim("P1")
@pytest.mark.parametrize("form", ["init_app", "constructor"])
def test_init_app_registers_the_extension_and_its_hooks(kata, form):
    app = Flask(__name__)
    handed_on = []

    # registered first, so it runs after the extension's after_request hooks (they run in the
    # reverse order of registration) and sees what they hand on
    @app.after_request
    def watch(response):
        handed_on.append(response)
        return response if response is not None else app.response_class("lost")

    hooks_before = hooks_of(app)
    if form == "init_app":
        kata.Tally().init_app(app)
    else:
        kata.Tally(app)
    expect(
        "tally" in app.extensions,
        "P1",
        f"after {form}, app.extensions must have the key 'tally'",
        got=sorted(app.extensions),
    )
    expect(
        hooks_of(app) > hooks_before,
        "P1",
        "the extension must add its behaviour through before_request/after_request hooks",
        got=f"{hooks_of(app)} hooks, as before",
    )
    response = serve(app).get("/anything")
    expect(
        all(handed is not None for handed in handed_on),
        "P1",
        "an after_request hook must return the response it is given",
        got=handed_on,
        why="Flask hands each after_request hook's return value to the next, and sends the "
        "last one: a hook that returns nothing loses the response",
    )
    expect_equal(response.headers.get("X-Tally"), "1", "P1", "X-Tally of the app's first request")


requests_plan = st.lists(
    st.tuples(st.sampled_from([0, 1]), st.sampled_from(["/", "/missing"])), min_size=1, max_size=6
)


@exercise("init_app_pattern")
@claim("P1")
@half_the_examples
@example(plan=[(0, "/"), (1, "/")])  # first: one request each, the smallest plan that tells
@given(plan=requests_plan)
def test_two_apps_of_one_factory_count_apart(kata, plan):
    try:
        apps = [kata.create_app(), kata.create_app()]
    except RuntimeError as error:
        fail(
            "P1",
            "create_app() must make a second app with the module's one Tally",
            got=f"RuntimeError: {error}",
            why="one extension object serves every app: refuse only an app that has a Tally "
            "already (app.extensions), never a new app",
        )
    clients = [serve(app) for app in apps]
    served = [0, 0]
    for which, path in plan:
        served[which] += 1
        response = clients[which].get(path)
        expect_equal(
            response.headers.get("X-Tally"),
            str(served[which]),
            "P1",
            f"X-Tally of request {served[which]} to app {which} ({path}), plan {plan}",
            why="both apps share the module's one Tally object; each app's count must live in "
            "that app (app.extensions), found through current_app",
        )
        if path == "/":
            expect_equal(
                response.json, {"count": served[which]}, "P1", f"GET / of app {which}: count()"
            )
    for which, app in enumerate(apps):
        with app.app_context():
            counted = kata.tally.count()
        expect_equal(
            counted,
            served[which],
            "P1",
            f"tally.count() in an app context of app {which}, plan {plan}",
            why="each app's count must live in that app (app.extensions), found through "
            "current_app; a count kept on the one Tally object adds up both apps' requests",
        )


@exercise("init_app_pattern")
@claim("P1")
@pytest.mark.parametrize("second", ["the same Tally", "a new Tally"])
def test_a_second_tally_on_one_app_is_refused(kata, second):
    app = kata.create_app()
    extension = kata.tally if second == "the same Tally" else kata.Tally()
    try:
        extension.init_app(app)
    except RuntimeError:
        pass
    else:
        fail(
            "P1",
            f"init_app of {second} on an app that has a Tally must raise RuntimeError",
            why="app.extensions tells whether the app has one already; its hooks would count "
            "every request twice",
        )
    response = serve(app).get("/")
    expect_equal(
        response.headers.get("X-Tally"), "1", "P1", "X-Tally of the first request after the refusal"
    )
