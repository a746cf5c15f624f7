"""Lesson: request dispatching and the URL map (claims D1 to D4).

Every request Flask receives is looked up in one table, `app.url_map`: its rules say which URL
and which HTTP method lead to which endpoint, and what type each part of the URL is converted to.
`@app.route` and `app.add_url_rule` both write into that table, dispatch reads it, and `url_for`
reads it backwards. This lesson looks inside the table, rebuilds `flask routes`, and checks that
building and matching a URL undo each other.

Run this lesson's specs with:  pytest specs/test_dispatch.py
"""

from flask import Flask, request, url_for

from dojo.kit import UNANSWERED, todo  # noqa: F401 - the generated kata's stubs use them

# ---------------------------------------------------------------------------------------------
# Exercise 1 - map_contents (predict)
# What is in the URL map? First, of an app that was just made with Flask(__name__) and nothing
# else: the set of rule strings it already holds (a rule string looks like "/notes/<int:note_id>").
# Then, of this app:
#
#     app = Flask(__name__)
#
#     @app.get("/")
#     def home(): ...
#
#     @app.post("/notes")
#     def add_note(): ...
#
#     @app.route("/notes/<int:note_id>", methods=["GET", "DELETE"])
#     def note(note_id): ...
#
# the set of HTTP methods that the rule of each endpoint accepts, as Flask stores them.

# answer: map_contents
RULES_OF_A_NEW_APP = {"/static/<path:filename>"}
METHODS = {
    "static": {"GET", "HEAD", "OPTIONS"},
    "home": {"GET", "HEAD", "OPTIONS"},
    "add_note": {"POST", "OPTIONS"},
    "note": {"GET", "HEAD", "OPTIONS", "DELETE"},
}
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 2 - two_ways (use)
# The four views below make a small shop. Register them twice, once per factory:
#   create_shop_with_route()         with the decorator, app.route (or app.get / app.post)
#   create_shop_with_add_url_rule()  with app.add_url_rule only
# Both apps must hold these rules, the endpoints named after the view functions:
#   GET  /                       home
#   GET  /items/<int:item_id>    show_item
#   POST /items                  add_item
#   GET  /shelves/<path:shelf>   show_shelf
# The views are written for you; only the registering is yours.


def home() -> str:
    return "Welcome to the shop"


def show_item(item_id: int) -> dict:
    return {"id": item_id, "type": type(item_id).__name__}


def add_item() -> tuple[dict, int]:
    return {"added": request.get_json(silent=True)}, 201


def show_shelf(shelf: str) -> dict:
    return {"shelf": shelf}


def create_shop_with_route() -> Flask:
    # solution: two_ways
    app = Flask(__name__)
    # a decorator is a call that registers the function and hands it back unchanged
    app.route("/")(home)
    app.get("/items/<int:item_id>")(show_item)
    app.post("/items")(add_item)
    app.get("/shelves/<path:shelf>")(show_shelf)
    return app
    # end solution


def create_shop_with_add_url_rule() -> Flask:
    # solution: two_ways
    app = Flask(__name__)
    app.add_url_rule("/", view_func=home)
    app.add_url_rule("/items/<int:item_id>", view_func=show_item)
    app.add_url_rule("/items", view_func=add_item, methods=["POST"])
    app.add_url_rule("/shelves/<path:shelf>", view_func=show_shelf)
    return app
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 3 - route_table (build)
# Rebuild what `flask routes --all-methods` prints, as data: one row per rule of app.url_map,
#   (endpoint, methods, rule)
# where methods is every method of the rule, sorted and joined by ", " ("GET, HEAD, OPTIONS"),
# and rule is the rule string. Rows are ordered by endpoint, as the command orders them.
# The specs run the real command on the same app and compare.


def route_table(app: Flask) -> list[tuple[str, str, str]]:
    # solution: route_table
    rows = [
        (rule.endpoint, ", ".join(sorted(rule.methods or ())), rule.rule)
        for rule in app.url_map.iter_rules()
    ]
    # a stable sort on the endpoint alone, like the command: rules of one endpoint keep their order
    return sorted(rows, key=lambda row: row[0])
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 4 - dispatch_outcomes (predict)
# This app answers every request it matches with the argument its view received:
#
#     @app.get("/items/<int:item_id>")      def show_item(item_id): ...
#     @app.put("/items/<int:item_id>")      def replace_item(item_id): ...
#     @app.get("/prices/<float:price>")     def show_price(price): ...
#     @app.get("/users/<name>")             def show_user(name): ...
#     @app.get("/files/<path:name>")        def show_file(name): ...
#
# STATUS: the status code of each request.
# ARGUMENT: for the requests that reach a view, the value the view receives (its type counts).
# ALLOW: for the requests answered 405, and for the OPTIONS request, the set of methods the
# Allow header lists.

# answer: dispatch_outcomes
STATUS = {
    "GET /items/42": 200,
    "GET /items/042": 200,
    "GET /items/-1": 404,
    "GET /items/4.5": 404,
    "GET /prices/4.5": 200,
    "GET /prices/4": 404,
    "GET /users/ada/lovelace": 404,
    "GET /files/ada/lovelace": 200,
    "GET /nowhere": 404,
    "DELETE /items/42": 405,
    "POST /users/ada": 405,
    "OPTIONS /items/42": 200,
}
ARGUMENT = {
    "GET /items/042": 42,
    "GET /prices/4.5": 4.5,
    "GET /users/ada": "ada",
    "GET /files/ada/lovelace": "ada/lovelace",
}
ALLOW = {
    "DELETE /items/42": {"GET", "HEAD", "OPTIONS", "PUT"},
    "POST /users/ada": {"GET", "HEAD", "OPTIONS"},
    "OPTIONS /items/42": {"GET", "HEAD", "OPTIONS", "PUT"},
}
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 5 - url_round_trip (use)
# build_url(app, endpoint, **values): the URL (path and query string, no host) that url_for gives
# for the endpoint. The caller has no context pushed: building needs one, so push it yourself,
# and leave nothing pushed behind.
# match_url(app, url, method="GET"): the other way round, the (endpoint, view arguments) that
# dispatch would pick for that URL, the arguments converted as the view would get them. A URL
# that no rule matches raises the error Flask would answer with (werkzeug's NotFound, say).


def build_url(app: Flask, endpoint: str, **values: object) -> str:
    # solution: url_round_trip
    # url_for needs a request (or a SERVER_NAME); a test request context is a request of our own
    with app.test_request_context():
        return url_for(endpoint, **values)
    # end solution


def match_url(app: Flask, url: str, method: str = "GET") -> tuple[str, dict]:
    # solution: url_round_trip
    # the request context decodes the URL and matches it against the map, as dispatch does
    with app.test_request_context(url, method=method):
        if request.routing_exception is not None:
            raise request.routing_exception
        return request.url_rule.endpoint, request.view_args
    # end solution
