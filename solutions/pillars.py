"""Lesson: what Flask stands on, Werkzeug and Jinja2, and how extensions add the rest (P1, P2).

Flask itself is thin. Underneath, Werkzeug speaks WSGI, parses requests, builds responses,
routes URLs and supplies the debugger; Jinja2 renders the templates. Everything else comes
from extensions, which plug into an app through a small, well-worn pattern. This lesson takes
the layers apart: a WSGI app with no Flask at all, a Flask app driven by hand with nothing but
the WSGI protocol, Jinja2's escaping rules, and an extension of your own.

(The notes also say that Werkzeug and Jinja2 were written by Flask's author. That is history,
not behaviour: no spec can check it, and the claims catalogue says so under P3.)

Run this lesson's specs with:  pytest specs/test_pillars.py
"""

import io
import sys
from collections.abc import Callable, Iterable

from flask import Flask, current_app, render_template, render_template_string, request
from markupsafe import Markup

from dojo.kit import UNANSWERED, todo  # noqa: F401 - the generated kata's stubs use them

# ---------------------------------------------------------------------------------------------
# Exercise 1 - whose_parts (predict)
# For each object below, say which library its class comes from: "werkzeug", "jinja2", or
# "flask" when neither of the two is anywhere among its class's bases. A Flask class that
# subclasses a Werkzeug one counts as "werkzeug": that is the part Flask borrows.
#   url_map     - app.url_map
#   request     - the object behind flask.request while a view runs
#   response    - what the string a view returns becomes (the object after_request receives)
#   abort_404   - the exception flask.abort(404) raises
#   session     - the object behind flask.session while a view runs
#   g           - the object behind flask.g while a view runs
#   config      - app.config
#   test_client - app.test_client()
#   jinja_env   - app.jinja_env
#   debugger    - what app.run(debug=True) hands to the server in place of the app

# answer: whose_parts
WHOSE_PARTS = {
    "url_map": "werkzeug",
    "request": "werkzeug",
    "response": "werkzeug",
    "abort_404": "werkzeug",
    "session": "werkzeug",
    "g": "flask",
    "config": "flask",
    "test_client": "werkzeug",
    "jinja_env": "jinja2",
    "debugger": "werkzeug",
}
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 2 - plain_wsgi (build)
# A web application needs no framework: WSGI (PEP 3333) is one function call. A server calls
# app(environ, start_response); the app calls start_response(status, headers) once and returns
# an iterable of bytes. Write one that uses nothing of Flask:
#   GET, any path  -> "200 OK", Content-Type "text/plain; charset=utf-8",
#                     body: the requested path itself, as UTF-8 (GET /café answers "/café")
#   other methods  -> "405 Method Not Allowed", with an Allow header naming GET
# Mind PEP 3333's rule for text in the environ: PATH_INFO holds the raw bytes of the path,
# each byte stored as one character (latin-1), whatever encoding the client used.

TEXT_PLAIN = ("Content-Type", "text/plain; charset=utf-8")


def plain_wsgi_app(environ: dict, start_response: Callable) -> Iterable[bytes]:
    # solution: plain_wsgi
    if environ["REQUEST_METHOD"] != "GET":
        body = b"only GET is answered here\n"
        headers = [TEXT_PLAIN, ("Allow", "GET"), ("Content-Length", str(len(body)))]
        start_response("405 Method Not Allowed", headers)
        return [body]
    # undo the latin-1 stand-in to get the bytes back, then read them as the UTF-8 they are
    path = environ["PATH_INFO"].encode("latin-1").decode("utf-8")
    body = path.encode("utf-8")
    start_response("200 OK", [TEXT_PLAIN, ("Content-Length", str(len(body)))])
    return [body]
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 3 - flask_by_hand (use)
# A Flask app is a WSGI callable too. Play the server: build the environ dict yourself (no test
# client, no Werkzeug helpers), call wsgi_app(environ, start_response), collect the body, and
# close what it returned, as every server must. Return (status line, header list, body bytes).
# The specs hand you a Flask app wrapped in wsgiref.validate's checker, so a key missing from
# your environ, or a value of the wrong type, is reported to you by name.


def call_wsgi(
    wsgi_app: Callable, method: str, path: str, query_string: str = ""
) -> tuple[str, list[tuple[str, str]], bytes]:
    # solution: flask_by_hand
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        # PEP 3333: the path's UTF-8 bytes, one latin-1 character per byte
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query_string,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    started: list[tuple[str, list[tuple[str, str]]]] = []
    chunks: list[bytes] = []

    def start_response(status, headers, exc_info=None):
        started.append((status, headers))
        return chunks.append  # the legacy write() callable; Flask never uses it

    result = wsgi_app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        # the app may hold resources until its iterable is closed; close() is optional
        getattr(result, "close", lambda: None)()
    status, headers = started[-1]
    return status, headers, b"".join(chunks)
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 4 - when_jinja_escapes (predict)
# Each template below is "{{ x }}" rendered with x = "<b>". Does "<b>" come out escaped
# (True) or as it is (False)?
#   from_string    - flask.render_template_string
#   page.html      - flask.render_template from the app's template folder
#   page.svg       - the same, another file name
#   page.txt       - the same, another file name
#   page.html.j2   - the same, another file name
#   page.HTML      - the same, another file name
#   plain_jinja2   - jinja2.Environment().from_string(...).render(...), no Flask involved
# Then: what text comes out of each of these? (a str; Markup compares equal to its text)
#   markup_plus_text   - Markup("<b>") + "<i>"
#   escape_twice       - escape(escape("<i>"))
#   markup_format      - Markup("<em>{}</em>").format("<i>")
#   safe_filter        - render_template_string("{{ x|safe }}", x="<i>")
#   literal_in_template - render_template_string("{{ '<i>' }}")

# answer: when_jinja_escapes
AUTOESCAPED = {
    "from_string": True,
    "page.html": True,
    "page.svg": True,
    "page.txt": False,
    "page.html.j2": False,
    "page.HTML": False,
    "plain_jinja2": False,
}
COMES_OUT = {
    "markup_plus_text": "<b>&lt;i&gt;",
    "escape_twice": "&lt;i&gt;",
    "markup_format": "<em>&lt;i&gt;</em>",
    "safe_filter": "<i>",
    "literal_in_template": "&lt;i&gt;",
}
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 5 - pages_from_jinja (use)
# An app with three pages, each showing text that a visitor typed into the query string:
#   GET /hello?name=...    renders the file templates/pillars/hello.html (it is there already)
#   GET /echo?text=...     renders a template that you write in a Python string: it shows
#                          the text, and nothing in the page may alter it (no filters)
#   GET /emphasis?text=... renders templates/pillars/emphasis.html (or a template of your own)
#                          with a variable `fragment`: the text wrapped in <em>...</em>, built
#                          in Python as Markup so that the em tags stay tags while the text in
#                          between is escaped
# Whatever a visitor types must reach the page as text, never as markup.


def create_page_app() -> Flask:
    # solution: pages_from_jinja
    app = Flask(__name__)
    echo_page = "<!doctype html>\n<title>Echo</title>\n<p>You said: {{ text }}</p>"

    @app.get("/hello")
    def hello():
        return render_template("pillars/hello.html", name=request.args.get("name", ""))

    @app.get("/echo")
    def echo():
        return render_template_string(echo_page, text=request.args.get("text", ""))

    @app.get("/emphasis")
    def emphasis():
        # format() escapes its arguments; the literal around them stays trusted markup
        fragment = Markup("<em>{}</em>").format(request.args.get("text", ""))
        return render_template("pillars/emphasis.html", fragment=fragment)

    return app
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 6 - init_app_pattern (build)
# Flask's extensions share one shape. The extension object is made once, at import time, with
# no app; a factory then calls ext.init_app(app) for each app it makes. So the object must not
# keep any app's state on itself: it keeps it in the app, under app.extensions["<name>"], and
# finds the right one through current_app while a request runs.
# Write Tally, an extension that counts the requests an app has served:
#   init_app(app)  registers the extension's state in app.extensions["tally"] and adds hooks
#                  so that every response of the app, even a 404, carries a header
#                  X-Tally: <how many requests this app has served, this one included>.
#                  An app that has a Tally already is refused with RuntimeError: its hooks
#                  would count every request twice.
#   count()        the number of requests the current app has served so far.
# create_app below is the factory; it is already written, and both forms of use must work:
# Tally(app) as well as tally = Tally() followed by tally.init_app(app).


class Tally:
    """Counts each app's requests in a response header; one object serves many apps."""

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        # solution: init_app_pattern
        if "tally" in app.extensions:
            raise RuntimeError("this app has a Tally already; a second would count twice")
        # the state lives in the app, so apps never share it, and the object stays reusable
        app.extensions["tally"] = {"count": 0}

        @app.before_request
        def count_request() -> None:
            current_app.extensions["tally"]["count"] += 1

        @app.after_request
        def stamp_response(response):
            response.headers["X-Tally"] = str(self.count())
            return response

        # end solution

    def count(self) -> int:
        # solution: init_app_pattern
        return current_app.extensions["tally"]["count"]
        # end solution


tally = Tally()  # one object for every app the factory makes, as extensions are used


def create_app() -> Flask:
    app = Flask(__name__)
    tally.init_app(app)

    @app.get("/")
    def home():
        return {"count": tally.count()}

    return app
