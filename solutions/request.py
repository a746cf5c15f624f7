"""Lesson: the request object, read as if it were a global (claims C1 and C8).

A Flask view is called with its URL arguments only. Everything else the client sent - the method,
the path, the query string, the form, a JSON body, the headers, the cookies - the view reads from
`flask.request`, a name imported once at the top of the module like any global. This lesson finds
out what that object gives back, and has you write views that hand every part of a request back
to the client unchanged, whatever the client sends.

Run this lesson's specs with:  pytest specs/test_request.py
"""

from flask import Flask, request

from dojo.kit import UNANSWERED, todo  # noqa: F401 - the generated kata's stubs use them

# ---------------------------------------------------------------------------------------------
# Exercise 1 - what_a_view_gets (predict)
# An app has the rule "/items/<int:item_id>". A client asks for GET /items/7?tag=a&tag=b.
#   view_arguments      - the keyword arguments Flask calls the view with (a dict)
#   proxy_type          - type(flask.request).__name__, asked outside any request (a str)
#   first_of_repeated   - request.args.get("tag") in that view
#   all_of_repeated     - request.args.getlist("tag") in that view
#   missing_arg_status  - the status code the client gets when the view reads
#                         request.args["colour"], which the client did not send
#   plain_text_as_json  - the status code when a view calls request.get_json() on a POST whose
#                         body is sent as text/plain
#   form_of_json_post   - request.form.to_dict() in a view that got a JSON POST

# answer: what_a_view_gets
REQUEST_FACTS = {
    "view_arguments": {"item_id": 7},
    "proxy_type": "LocalProxy",
    "first_of_repeated": "a",
    "all_of_repeated": ["a", "b"],
    "missing_arg_status": 400,
    "plain_text_as_json": 415,
    "form_of_json_post": {},
}
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 2 - echo_url (use)
# An app whose rule "/echo/<path:rest>" accepts GET, POST, PUT, PATCH and DELETE and answers
# with JSON:
#   {"method": the HTTP method, "path": the path that was asked for,
#    "rest": the URL argument the view was given,
#    "args": every query argument, as {name: [each value, in the order sent]}}
# Only `rest` comes in as a parameter; the rest is read from `request`.


def create_url_echo_app() -> Flask:
    # solution: echo_url
    app = Flask(__name__)

    @app.route("/echo/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def echo(rest: str):
        return {
            "method": request.method,
            "path": request.path,
            "rest": rest,
            "args": request.args.to_dict(flat=False),
        }

    return app
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 3 - echo_body (use)
# An app that hands a request body back:
#   POST /form  a form (application/x-www-form-urlencoded); answer {"form": {name: [values]}}
#   POST /json  a JSON body, any JSON value at all; answer {"json": the value}
# A repeated form field keeps every value, in order.


def create_body_echo_app() -> Flask:
    # solution: echo_body
    app = Flask(__name__)

    @app.post("/form")
    def echo_form():
        return {"form": request.form.to_dict(flat=False)}

    @app.post("/json")
    def echo_json():
        return {"json": request.get_json()}

    return app
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 4 - echo_headers (use)
# An app whose GET /headers answers
#   {"headers": {every header name, in lower case: its value},
#    "cookies": {every cookie name: its value}}


def create_header_echo_app() -> Flask:
    # solution: echo_headers
    app = Flask(__name__)

    @app.get("/headers")
    def echo_headers():
        return {
            "headers": {name.lower(): value for name, value in request.headers.items()},
            "cookies": dict(request.cookies),
        }

    return app
    # end solution
