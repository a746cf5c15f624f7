# Your file: write between the '# ---- your ...' lines, replacing todo(...) and UNANSWERED.
# `dojo reset <exercise>` restores one exercise's stub; your file is backed up first.
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

# ---- your prediction: map_contents ----
RULES_OF_A_NEW_APP = UNANSWERED
METHODS = {
    'static': UNANSWERED,
    'home': UNANSWERED,
    'add_note': UNANSWERED,
    'note': UNANSWERED,
}
# ---- end: map_contents ----


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
    # ---- your code: two_ways ----
    todo("two_ways")
    # ---- end: two_ways ----


def create_shop_with_add_url_rule() -> Flask:
    # ---- your code: two_ways ----
    todo("two_ways")
    # ---- end: two_ways ----


# ---------------------------------------------------------------------------------------------
# Exercise 3 - route_table (build)
# Rebuild what `flask routes --all-methods` prints, as data: one row per rule of app.url_map,
#   (endpoint, methods, rule)
# where methods is every method of the rule, sorted and joined by ", " ("GET, HEAD, OPTIONS"),
# and rule is the rule string. Rows are ordered by endpoint, as the command orders them.
# The specs run the real command on the same app and compare.


def route_table(app: Flask) -> list[tuple[str, str, str]]:
    # ---- your code: route_table ----
    todo("route_table")
    # ---- end: route_table ----


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

# ---- your prediction: dispatch_outcomes ----
STATUS = {
    'GET /items/42': UNANSWERED,
    'GET /items/042': UNANSWERED,
    'GET /items/-1': UNANSWERED,
    'GET /items/4.5': UNANSWERED,
    'GET /prices/4.5': UNANSWERED,
    'GET /prices/4': UNANSWERED,
    'GET /users/ada/lovelace': UNANSWERED,
    'GET /files/ada/lovelace': UNANSWERED,
    'GET /nowhere': UNANSWERED,
    'DELETE /items/42': UNANSWERED,
    'POST /users/ada': UNANSWERED,
    'OPTIONS /items/42': UNANSWERED,
}
ARGUMENT = {
    'GET /items/042': UNANSWERED,
    'GET /prices/4.5': UNANSWERED,
    'GET /users/ada': UNANSWERED,
    'GET /files/ada/lovelace': UNANSWERED,
}
ALLOW = {
    'DELETE /items/42': UNANSWERED,
    'POST /users/ada': UNANSWERED,
    'OPTIONS /items/42': UNANSWERED,
}
# ---- end: dispatch_outcomes ----


# ---------------------------------------------------------------------------------------------
# Exercise 5 - url_round_trip (use)
# build_url(app, endpoint, **values): the URL (path and query string, no host) that url_for gives
# for the endpoint. The caller has no context pushed: building needs one, so push it yourself,
# and leave nothing pushed behind.
# match_url(app, url, method="GET"): the other way round, the (endpoint, view arguments) that
# dispatch would pick for that URL, the arguments converted as the view would get them. A URL
# that no rule matches raises the error Flask would answer with (werkzeug's NotFound, say).


def build_url(app: Flask, endpoint: str, **values: object) -> str:
    # ---- your code: url_round_trip ----
    todo("url_round_trip")
    # ---- end: url_round_trip ----


def match_url(app: Flask, url: str, method: str = "GET") -> tuple[str, dict]:
    # ---- your code: url_round_trip ----
    todo("url_round_trip")
    # ---- end: url_round_trip ----
