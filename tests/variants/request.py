"""Other answers to the request lesson: mistakes a learner might make, and right answers too."""

from tests.variants import alternative, mistake

VARIANTS = [
    # what_a_view_gets
    mistake(
        "what_a_view_gets",
        "url_arguments_as_text",  # everything in a URL is text, surely
        changes=[
            (
                '"view_arguments": {"item_id": 7},',
                '"view_arguments": {"item_id": "7"},',
            ),
        ],
        points_at="REQUEST_FACTS['view_arguments']",
    ),
    mistake(
        "what_a_view_gets",
        "request_is_a_request",  # it behaves like one, so it is one
        changes=[
            (
                '"proxy_type": "LocalProxy",',
                '"proxy_type": "Request",',
            ),
        ],
        points_at="REQUEST_FACTS['proxy_type']",
    ),
    mistake(
        "what_a_view_gets",
        "a_missing_key_is_a_server_error",  # a KeyError in a view: 500
        changes=[
            (
                '"missing_arg_status": 400,',
                '"missing_arg_status": 500,',
            ),
        ],
        points_at="REQUEST_FACTS['missing_arg_status']",
    ),
    mistake(
        "what_a_view_gets",
        "get_gives_the_last_value",  # as a dict built from the pairs would
        changes=[
            (
                '"first_of_repeated": "a",',
                '"first_of_repeated": "b",',
            ),
        ],
        points_at="REQUEST_FACTS['first_of_repeated']",
    ),
    mistake(
        "what_a_view_gets",
        "a_json_post_fills_the_form",  # a POST body is a form
        changes=[
            (
                '"form_of_json_post": {},',
                '"form_of_json_post": {"colour": "teal"},',
            ),
        ],
        points_at="REQUEST_FACTS['form_of_json_post']",
    ),
    alternative(
        "what_a_view_gets",
        "status_codes_by_name",
        """
        from http import HTTPStatus

        REQUEST_FACTS = dict(
            view_arguments=dict(item_id=7),
            proxy_type="LocalProxy",
            first_of_repeated="a",
            all_of_repeated=list("ab"),
            missing_arg_status=HTTPStatus.BAD_REQUEST,
            plain_text_as_json=HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            form_of_json_post=dict(),
        )
        """,
    ),
    # echo_url
    mistake(
        "echo_url",
        "args_flattened",  # to_dict() with no argument: one value per name
        """
        app = Flask(__name__)

        @app.route("/echo/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
        def echo(rest):
            return {"method": request.method, "path": request.path, "rest": rest, "args": request.args.to_dict()}

        return app
        """,
        points_at="to_dict(flat=False) or getlist() keep them all",
    ),
    mistake(
        "echo_url",
        "a_list_of_the_first_value",  # lists, as asked, but built from .items()
        """
        app = Flask(__name__)

        @app.route("/echo/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
        def echo(rest):
            args = {name: [value] for name, value in request.args.items()}
            return {"method": request.method, "path": request.path, "rest": rest, "args": args}

        return app
        """,
        points_at=".get() gives the first value of a name only",
    ),
    mistake(
        "echo_url",
        "full_path_for_the_path",  # the path with everything after it
        changes=[
            (
                "def echo(rest: str):",
                "def echo(rest):",
            ),
            (
                '"path": request.path,',
                '"path": request.full_path,',
            ),
        ],
        points_at="without the query string",
    ),
    mistake(
        "echo_url",
        "only_get",  # @app.route accepts GET alone unless told otherwise
        changes=[
            (
                """
                @app.route("/echo/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
                def echo(rest: str):
                """,
                """
                @app.route("/echo/<path:rest>")
                def echo(rest):
                """,
            ),
        ],
        points_at="the rule does not accept this method",
    ),
    alternative(
        "echo_url",
        "getlist_and_add_url_rule",
        """
        app = Flask(__name__)

        def echo(rest):
            return {
                "method": request.method,
                "path": request.path,
                "rest": rest,
                "args": {name: request.args.getlist(name) for name in request.args},
            }

        app.add_url_rule("/echo/<path:rest>", view_func=echo, methods=("GET", "POST", "PUT", "PATCH", "DELETE"))
        return app
        """,
    ),
    alternative(
        "echo_url",
        "lists_and_jsonify",
        """
        from flask import jsonify

        app = Flask(__name__)

        @app.route("/echo/<path:rest>", methods=["DELETE", "GET", "PATCH", "POST", "PUT"])
        def echo(rest):
            return jsonify(method=request.method, path=request.path, rest=rest, args=dict(request.args.lists()))

        return app
        """,
    ),
    # echo_body
    mistake(
        "echo_body",
        "form_flattened",  # dict(request.form): one value per field
        changes=[
            (
                'return {"form": request.form.to_dict(flat=False)}',
                'return {"form": dict(request.form)}',
            ),
        ],
        points_at="request.form is a MultiDict like request.args",
    ),
    mistake(
        "echo_body",
        "json_or_an_empty_object",  # a guard against a missing body
        changes=[
            (
                'return {"json": request.get_json()}',
                'return {"json": request.get_json() or {}}',
            ),
        ],
        points_at="a falsy value (null, false, 0, an empty string or list) is a value too",
    ),
    mistake(
        "echo_body",
        "the_body_as_text",  # request.data is the body, after all
        changes=[
            (
                'return {"json": request.get_json()}',
                'return {"json": request.get_data(as_text=True)}',
            ),
        ],
        points_at="the body came back as the text it was sent as",
    ),
    alternative(
        "echo_body",
        "lists_and_request_json",
        """
        app = Flask(__name__)

        @app.route("/form", methods=["POST"])
        def echo_form():
            return {"form": {name: values for name, values in request.form.lists()}}

        @app.route("/json", methods=["POST"])
        def echo_json():
            return {"json": request.json}

        return app
        """,
    ),
    # echo_headers
    mistake(
        "echo_headers",
        "names_as_flask_gives_them",  # dict(request.headers): Title-Case names
        """
        app = Flask(__name__)

        @app.get("/headers")
        def echo_headers():
            return {"headers": dict(request.headers), "cookies": dict(request.cookies)}

        return app
        """,
        points_at="the headers sent, by lower-case name",
    ),
    mistake(
        "echo_headers",
        "cookies_split_by_hand",  # from the Cookie header, name=value; name=value
        """
        app = Flask(__name__)

        @app.get("/headers")
        def echo_headers():
            cookies = {}
            for pair in request.headers.get("Cookie", "").split("; "):
                if pair:
                    name, _, value = pair.partition("=")
                    cookies[name] = value
            return {"headers": {name.lower(): value for name, value in request.headers.items()}, "cookies": cookies}

        return app
        """,
        points_at="already unquoted",
    ),
    mistake(
        "echo_headers",
        "the_cookie_header_itself",  # the cookies are a header, aren't they
        changes=[
            (
                '"cookies": dict(request.cookies),',
                '"cookies": request.headers.get("Cookie", {}),',
            ),
        ],
        points_at="request.cookies holds the Cookie header's pairs",
    ),
    alternative(
        "echo_headers",
        "keys_and_to_dict",
        """
        app = Flask(__name__)

        @app.route("/headers")
        def echo_headers():
            headers = {}
            for name in request.headers.keys():
                headers[name.lower()] = request.headers[name]
            return {"headers": headers, "cookies": request.cookies.to_dict()}

        return app
        """,
    ),
]
