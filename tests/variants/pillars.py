"""Other answers to the pillars lesson: mistakes a learner might make, and right answers too."""

from tests.variants import alternative, mistake

VARIANTS = [
    # whose_parts
    mistake(
        "whose_parts",
        "subclasses_count_as_flask",  # flask.Request is imported from flask, so it must be Flask's
        """
        WHOSE_PARTS = {
            "url_map": "werkzeug",
            "request": "flask",
            "response": "flask",
            "abort_404": "werkzeug",
            "session": "flask",
            "g": "flask",
            "config": "flask",
            "test_client": "flask",
            "jinja_env": "jinja2",
            "debugger": "werkzeug",
        }
        """,
        points_at="WHOSE_PARTS['request']",
    ),
    mistake(
        "whose_parts",
        "g_is_a_werkzeug_local",  # g is reached through a LocalProxy, so it feels like Werkzeug's
        changes=[
            (
                '"g": "flask",',
                '"g": "werkzeug",',
            ),
        ],
        points_at="WHOSE_PARTS['g']",
    ),
    mistake(
        "whose_parts",
        "jinja_env_is_flasks",  # flask.templating.Environment: but it subclasses Jinja2's
        changes=[
            (
                '"jinja_env": "jinja2",',
                '"jinja_env": "flask",',
            ),
        ],
        points_at="WHOSE_PARTS['jinja_env']",
    ),
    alternative(
        "whose_parts",
        "werkzeug_unless_said_otherwise",
        """
        PARTS = ("url_map", "request", "response", "abort_404", "session", "g", "config", "test_client", "jinja_env", "debugger")
        NOT_WERKZEUG = {"g": "flask", "config": "flask", "jinja_env": "jinja2"}
        WHOSE_PARTS = {part: NOT_WERKZEUG.get(part, "werkzeug") for part in PARTS}
        """,
    ),
    # plain_wsgi
    mistake(
        "plain_wsgi",
        "path_info_taken_as_text",  # PATH_INFO looks like a str, so it is sent as it is
        """
        if environ["REQUEST_METHOD"] != "GET":
            start_response("405 Method Not Allowed", [TEXT_PLAIN, ("Allow", "GET")])
            return [b"only GET\\n"]
        start_response("200 OK", [TEXT_PLAIN])
        return [environ["PATH_INFO"].encode("utf-8")]
        """,
        points_at="PATH_INFO carries the path's bytes as latin-1 characters",
    ),
    mistake(
        "plain_wsgi",
        "no_allow_header",
        """
        if environ["REQUEST_METHOD"] != "GET":
            start_response("405 Method Not Allowed", [TEXT_PLAIN])
            return [b"only GET\\n"]
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8")
        start_response("200 OK", [TEXT_PLAIN])
        return [path.encode("utf-8")]
        """,
        points_at="must have an Allow header naming GET",
    ),
    mistake(
        "plain_wsgi",
        "body_as_str",  # a list of str, as a print-minded learner returns
        """
        if environ["REQUEST_METHOD"] != "GET":
            start_response("405 Method Not Allowed", [TEXT_PLAIN, ("Allow", "GET")])
            return ["only GET\\n"]
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8")
        start_response("200 OK", [TEXT_PLAIN])
        return [path]
        """,
        points_at="Iterator yielded non-bytestring",
    ),
    mistake(
        "plain_wsgi",
        "no_content_type_on_405",
        """
        if environ["REQUEST_METHOD"] != "GET":
            start_response("405 Method Not Allowed", [("Allow", "GET")])
            return [b"only GET\\n"]
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8")
        start_response("200 OK", [TEXT_PLAIN])
        return [path.encode("utf-8")]
        """,
        points_at="No Content-Type header",
    ),
    mistake(
        "plain_wsgi",
        "every_method_answered",  # only GET was asked about, so only GET is written
        """
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8")
        start_response("200 OK", [TEXT_PLAIN])
        return [path.encode("utf-8")]
        """,
        points_at="must be refused with 405",
    ),
    alternative(
        "plain_wsgi",
        "raw_bytes_and_http_status",
        """
        from http import HTTPStatus

        def status_line(status):
            return f"{status.value} {status.phrase}"

        if environ.get("REQUEST_METHOD") == "GET":
            # the latin-1 characters are the path's bytes, UTF-8 already: no need to decode
            start_response(status_line(HTTPStatus.OK), [("Content-Type", "text/plain; charset=UTF-8")])
            return [environ.get("PATH_INFO", "").encode("iso-8859-1")]
        start_response(
            status_line(HTTPStatus.METHOD_NOT_ALLOWED),
            [("Allow", "GET"), ("Content-Type", "text/plain; charset=utf-8")],
        )
        return [b"GET only"]
        """,
    ),
    # flask_by_hand
    mistake(
        "flask_by_hand",
        "path_info_as_given",  # the path is a str and PATH_INFO takes a str: no conversion
        changes=[
            (
                '"PATH_INFO": path.encode("utf-8").decode("latin-1"),',
                '"PATH_INFO": path,',
            ),
        ],
        points_at="the view saw another path",
    ),
    mistake(
        "flask_by_hand",
        "result_never_closed",
        changes=[
            (
                """
                try:
                    chunks.extend(result)
                finally:
                    # the app may hold resources until its iterable is closed; close() is optional
                    getattr(result, "close", lambda: None)()
                """,
                "chunks.extend(result)",
            ),
        ],
        points_at="must be closed once",
    ),
    mistake(
        "flask_by_hand",
        "no_wsgi_errors",  # the keys Flask reads, and no more
        changes=[('"wsgi.errors": sys.stderr,', "")],
        points_at="wsgi.errors",
    ),
    mistake(
        "flask_by_hand",
        "query_left_in_the_path",  # the URL as a browser shows it
        changes=[
            (
                """
                "PATH_INFO": path.encode("utf-8").decode("latin-1"),
                "QUERY_STRING": query_string,
                """,
                """
                "PATH_INFO": (path + ("?" + query_string if query_string else "")).encode("utf-8").decode("latin-1"),
                "QUERY_STRING": "",
                """,
            ),
        ],
        points_at="the view saw other query arguments",
    ),
    mistake(
        "flask_by_hand",
        "testing_defaults_fill_the_rest",  # they fill SCRIPT_NAME only without PATH_INFO
        """
        import wsgiref.util

        environ = {"REQUEST_METHOD": method, "PATH_INFO": path.encode("utf-8").decode("latin-1"), "QUERY_STRING": query_string}
        wsgiref.util.setup_testing_defaults(environ)
        started = []

        def start_response(status, headers, exc_info=None):
            started.append((status, headers))

        result = wsgi_app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
        return started[0][0], started[0][1], body
        """,
        points_at="KeyError: 'SCRIPT_NAME'",
    ),
    alternative(
        "flask_by_hand",
        "testing_defaults_and_closing",
        """
        import contextlib
        import wsgiref.util

        environ = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",  # the defaults add it only when PATH_INFO is missing too
            "PATH_INFO": path.encode().decode("iso-8859-1"),
            "QUERY_STRING": query_string,
        }
        wsgiref.util.setup_testing_defaults(environ)  # the standard library's, not Werkzeug's
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return lambda data: None

        with contextlib.closing(wsgi_app(environ, start_response)) as result:
            body = bytes().join(chunk for chunk in result)
        return answer["status"], answer["headers"], body
        """,
    ),
    # when_jinja_escapes
    mistake(
        "when_jinja_escapes",
        "extension_in_any_case",  # .HTML is HTML, surely
        changes=[
            (
                '"page.HTML": False,',
                '"page.HTML": True,',
            ),
        ],
        points_at="AUTOESCAPED['page.HTML']",
    ),
    mistake(
        "when_jinja_escapes",
        "a_string_has_no_extension",  # no file name, so no .html, so no escaping
        changes=[
            (
                '"from_string": True,',
                '"from_string": False,',
            ),
        ],
        points_at="AUTOESCAPED['from_string']",
    ),
    mistake(
        "when_jinja_escapes",
        "escape_twice_escapes_twice",
        changes=[
            (
                '"escape_twice": "&lt;i&gt;",',
                '"escape_twice": "&amp;lt;i&amp;gt;",',
            ),
        ],
        points_at="COMES_OUT['escape_twice']",
    ),
    mistake(
        "when_jinja_escapes",
        "a_literal_is_trusted",  # the template's author wrote it, not a visitor
        changes=[
            (
                '"literal_in_template": "&lt;i&gt;",',
                '"literal_in_template": "<i>",',
            ),
        ],
        points_at="COMES_OUT['literal_in_template']",
    ),
    alternative(
        "when_jinja_escapes",
        "from_the_rule",
        """
        CASES = ("from_string", "page.html", "page.svg", "page.txt", "page.html.j2", "page.HTML", "plain_jinja2")
        AUTOESCAPED = {case: case == "from_string" or case.endswith((".html", ".htm", ".xml", ".xhtml", ".svg")) for case in CASES}
        ESCAPED_I = "&lt;" + "i" + "&gt;"
        COMES_OUT = dict(
            markup_plus_text="<b>" + ESCAPED_I,
            escape_twice=ESCAPED_I,
            markup_format=f"<em>{ESCAPED_I}</em>",
            safe_filter="<i>",
            literal_in_template=ESCAPED_I,
        )
        """,
    ),
    # pages_from_jinja
    mistake(
        "pages_from_jinja",
        "safe_on_the_visitors_text",  # so that the page shows what was typed
        """
        app = Flask(__name__)

        @app.get("/hello")
        def hello():
            return render_template("pillars/hello.html", name=request.args.get("name", ""))

        @app.get("/echo")
        def echo():
            return render_template_string("<p>You said: {{ text|safe }}</p>", text=request.args.get("text", ""))

        @app.get("/emphasis")
        def emphasis():
            fragment = Markup("<em>{}</em>").format(request.args.get("text", ""))
            return render_template("pillars/emphasis.html", fragment=fragment)

        return app
        """,
        points_at="as markup, unescaped",
    ),
    mistake(
        "pages_from_jinja",
        "escaped_by_hand_too",  # to be safe
        """
        from markupsafe import escape

        app = Flask(__name__)

        @app.get("/hello")
        def hello():
            return render_template("pillars/hello.html", name=str(escape(request.args.get("name", ""))))

        @app.get("/echo")
        def echo():
            return render_template_string("<p>You said: {{ text }}</p>", text=request.args.get("text", ""))

        @app.get("/emphasis")
        def emphasis():
            fragment = Markup("<em>{}</em>").format(request.args.get("text", ""))
            return render_template("pillars/emphasis.html", fragment=fragment)

        return app
        """,
        points_at="the text was escaped twice",
    ),
    mistake(
        "pages_from_jinja",
        "text_pasted_into_the_template",  # an f-string builds the template
        """
        app = Flask(__name__)

        @app.get("/hello")
        def hello():
            return render_template("pillars/hello.html", name=request.args.get("name", ""))

        @app.get("/echo")
        def echo():
            text = request.args.get("text", "")
            return render_template_string(f"<p>You said: {text}</p>")

        @app.get("/emphasis")
        def emphasis():
            fragment = Markup("<em>{}</em>").format(request.args.get("text", ""))
            return render_template("pillars/emphasis.html", fragment=fragment)

        return app
        """,
        points_at="ran as template code",
    ),
    mistake(
        "pages_from_jinja",
        "markup_around_the_text",  # Markup makes the em tags stay tags, and the text with them
        """
        app = Flask(__name__)

        @app.get("/hello")
        def hello():
            return render_template("pillars/hello.html", name=request.args.get("name", ""))

        @app.get("/echo")
        def echo():
            return render_template_string("<p>You said: {{ text }}</p>", text=request.args.get("text", ""))

        @app.get("/emphasis")
        def emphasis():
            text = request.args.get("text", "")
            return render_template("pillars/emphasis.html", fragment=Markup(f"<em>{text}</em>"))

        return app
        """,
        points_at="format() escapes what it puts in",
    ),
    mistake(
        "pages_from_jinja",
        "fragment_as_plain_str",  # the em tags written into a str: the template escapes them
        """
        app = Flask(__name__)

        @app.get("/hello")
        def hello():
            return render_template("pillars/hello.html", name=request.args.get("name", ""))

        @app.get("/echo")
        def echo():
            return render_template_string("<p>You said: {{ text }}</p>", text=request.args.get("text", ""))

        @app.get("/emphasis")
        def emphasis():
            text = request.args.get("text", "")
            return render_template("pillars/emphasis.html", fragment=f"<em>{text}</em>")

        return app
        """,
        points_at="between real <em> tags",
    ),
    alternative(
        "pages_from_jinja",
        "markup_by_percent_and_own_template",
        """
        app = Flask(__name__)

        def asked(name):
            return request.args.get(name, default="")

        def hello():
            return render_template("pillars/hello.html", name=asked("name"))

        def echo():
            return render_template_string("<!doctype html><pre>{{ text }}</pre>", text=asked("text"))

        def emphasis():
            # % escapes what it puts in, as format() does
            return render_template_string("<p>{{ fragment }}</p>", fragment=Markup("<em>%s</em>") % asked("text"))

        for view in (hello, echo, emphasis):
            app.add_url_rule(f"/{view.__name__}", view_func=view)
        return app
        """,
    ),
    alternative(
        "pages_from_jinja",
        "markup_by_addition",
        """
        app = Flask(__name__)

        @app.route("/hello")
        def hello():
            return render_template("pillars/hello.html", name=request.args.get("name", ""))

        @app.route("/echo")
        def echo():
            return render_template_string("{{ text }}", text=request.args.get("text", ""))

        @app.route("/emphasis")
        def emphasis():
            # adding plain text to Markup escapes the text
            fragment = Markup("<em>") + request.args.get("text", "") + Markup("</em>")
            return render_template("pillars/emphasis.html", fragment=fragment)

        return app
        """,
    ),
    # init_app_pattern: two regions, Tally.init_app then Tally.count
    mistake(
        "init_app_pattern",
        "count_kept_on_the_extension",  # the classic: self.count
        """
        if "tally" in app.extensions:
            raise RuntimeError("this app has a Tally already")
        app.extensions["tally"] = self
        self.served = 0

        @app.before_request
        def count_request():
            self.served += 1

        @app.after_request
        def stamp_response(response):
            response.headers["X-Tally"] = str(self.count())
            return response
        """,
        "return self.served",
        points_at="each app's count must live in that app",
    ),
    mistake(
        "init_app_pattern",
        "after_request_forgets_to_return",
        """
        if "tally" in app.extensions:
            raise RuntimeError("this app has a Tally already")
        app.extensions["tally"] = {"count": 0}

        @app.before_request
        def count_request():
            current_app.extensions["tally"]["count"] += 1

        @app.after_request
        def stamp_response(response):
            response.headers["X-Tally"] = str(self.count())
        """,
        'return current_app.extensions["tally"]["count"]',
        points_at="must return the response it is given",
    ),
    mistake(
        "init_app_pattern",
        "a_second_tally_welcome",  # nothing says no
        """
        app.extensions["tally"] = {"count": 0}

        @app.before_request
        def count_request():
            current_app.extensions["tally"]["count"] += 1

        @app.after_request
        def stamp_response(response):
            response.headers["X-Tally"] = str(self.count())
            return response
        """,
        'return current_app.extensions["tally"]["count"]',
        points_at="must raise RuntimeError",
    ),
    mistake(
        "init_app_pattern",
        "refused_by_a_flag_on_the_extension",  # remembers it was initialised, not for which app
        """
        if getattr(self, "initialised", False):
            raise RuntimeError("Tally is initialised already")
        self.initialised = True
        app.extensions["tally"] = {"count": 0}

        @app.before_request
        def count_request():
            current_app.extensions["tally"]["count"] += 1

        @app.after_request
        def stamp_response(response):
            response.headers["X-Tally"] = str(self.count())
            return response
        """,
        'return current_app.extensions["tally"]["count"]',
        points_at="refuse only an app that has a Tally already",
    ),
    alternative(
        "init_app_pattern",
        "state_object_and_plain_registration",
        """
        import itertools
        from types import SimpleNamespace

        if app.extensions.get("tally") is not None:
            raise RuntimeError(f"{app.name} has its Tally")
        app.extensions["tally"] = SimpleNamespace(ticket=itertools.count(1), served=0)

        def count_request():
            state = current_app.extensions["tally"]
            state.served = next(state.ticket)

        def stamp_response(response):
            response.headers.set("X-Tally", self.count())
            return response

        app.before_request(count_request)
        app.after_request(stamp_response)
        """,
        'return current_app.extensions["tally"].served',
    ),
]
