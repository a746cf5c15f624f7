"""Other answers to the dispatch lesson: mistakes a learner might make, and right answers too."""

from tests.variants import alternative, mistake

VARIANTS = [
    # map_contents
    mistake(
        "map_contents",
        "a_new_app_is_empty",  # no view written, so no rule: the static rule is forgotten
        changes=[
            (
                'RULES_OF_A_NEW_APP = {"/static/<path:filename>"}',
                "RULES_OF_A_NEW_APP = set()",
            ),
        ],
        points_at="a rule for the app's static folder",
    ),
    mistake(
        "map_contents",
        "static_without_the_path_converter",
        changes=[
            (
                'RULES_OF_A_NEW_APP = {"/static/<path:filename>"}',
                'RULES_OF_A_NEW_APP = {"/static/<filename>"}',
            ),
        ],
        points_at="RULES_OF_A_NEW_APP",
    ),
    mistake(
        "map_contents",
        "only_the_methods_asked_for",  # forgets the HEAD and OPTIONS that come free
        """
        RULES_OF_A_NEW_APP = {"/static/<path:filename>"}
        METHODS = {
            "static": {"GET"},
            "home": {"GET"},
            "add_note": {"POST"},
            "note": {"GET", "DELETE"},
        }
        """,
        points_at="Werkzeug adds HEAD to a rule with GET",
    ),
    mistake(
        "map_contents",
        "head_on_every_rule",
        changes=[
            (
                '"add_note": {"POST", "OPTIONS"},',
                '"add_note": {"POST", "HEAD", "OPTIONS"},',
            ),
        ],
        points_at="METHODS['add_note']",
    ),
    alternative(
        "map_contents",
        "free_methods_added_by_union",
        """
        RULES_OF_A_NEW_APP = set(["/static/" + "<path:filename>"])
        FREE = {"OPTIONS"}
        WITH_GET = {"GET", "HEAD"} | FREE
        METHODS = dict(static=WITH_GET, home=set(WITH_GET), add_note={"POST"} | FREE, note=WITH_GET | {"DELETE"})
        """,
    ),
    # two_ways
    mistake(
        "two_ways",
        "add_url_rule_without_methods",  # add_item ends up a GET rule
        changes=[
            (
                "# a decorator is a call that registers the function and hands it back unchanged",
                "",
            ),
            (
                'app.add_url_rule("/items", view_func=add_item, methods=["POST"])',
                'app.add_url_rule("/items", view_func=add_item)',
            ),
        ],
        points_at="wrong for add_item",
    ),
    mistake(
        "two_ways",
        "no_int_converter",  # show_item gets the text of the URL
        """
        app = Flask(__name__)
        app.route("/")(home)
        app.route("/items/<item_id>")(show_item)
        app.route("/items", methods=["POST"])(add_item)
        app.route("/shelves/<path:shelf>")(show_shelf)
        return app
        """,
        """
        app = Flask(__name__)
        app.add_url_rule("/", view_func=home)
        app.add_url_rule("/items/<int:item_id>", view_func=show_item)
        app.add_url_rule("/items", view_func=add_item, methods=["POST"])
        app.add_url_rule("/shelves/<path:shelf>", view_func=show_shelf)
        return app
        """,
        points_at="wrong for show_item",
    ),
    mistake(
        "two_ways",
        "endpoint_names_of_its_own",
        """
        app = Flask(__name__)
        app.route("/")(home)
        app.get("/items/<int:item_id>")(show_item)
        app.post("/items")(add_item)
        app.get("/shelves/<path:shelf>")(show_shelf)
        return app
        """,
        """
        app = Flask(__name__)
        app.add_url_rule("/", "index", home)
        app.add_url_rule("/items/<int:item_id>", "item", show_item)
        app.add_url_rule("/items", "new_item", add_item, methods=["POST"])
        app.add_url_rule("/shelves/<path:shelf>", "shelf", show_shelf)
        return app
        """,
        points_at="the endpoint defaults to the view function's name",
    ),
    mistake(
        "two_ways",
        "route_in_both",
        """
        app = Flask(__name__)
        app.route("/")(home)
        app.get("/items/<int:item_id>")(show_item)
        app.post("/items")(add_item)
        app.get("/shelves/<path:shelf>")(show_shelf)
        return app
        """,
        """
        app = Flask(__name__)
        app.route("/")(home)
        app.route("/items/<int:item_id>")(show_item)
        app.route("/items", methods=["POST"])(add_item)
        app.route("/shelves/<path:shelf>")(show_shelf)
        return app
        """,
        points_at="must not call app.route, app.get or app.post",
    ),
    mistake(
        "two_ways",
        "add_url_rule_in_both",
        """
        app = Flask(__name__)
        app.add_url_rule("/", view_func=home)
        app.add_url_rule("/items/<int:item_id>", view_func=show_item)
        app.add_url_rule("/items", view_func=add_item, methods=["POST"])
        app.add_url_rule("/shelves/<path:shelf>", view_func=show_shelf)
        return app
        """,
        """
        app = Flask(__name__)
        app.add_url_rule("/", view_func=home)
        app.add_url_rule("/items/<int:item_id>", view_func=show_item)
        app.add_url_rule("/items", view_func=add_item, methods=["POST"])
        app.add_url_rule("/shelves/<path:shelf>", view_func=show_shelf)
        return app
        """,
        points_at="registers through app.route",
    ),
    alternative(
        "two_ways",
        "from_one_table",
        """
        app = Flask(__name__)
        for rule, view, methods in [
            ("/", home, ["GET"]),
            ("/items/<int:item_id>", show_item, ["GET"]),
            ("/items", add_item, ["POST"]),
            ("/shelves/<path:shelf>", show_shelf, ["GET"]),
        ]:
            app.route(rule, methods=methods)(view)
        return app
        """,
        """
        app = Flask(__name__)
        for view, rule, methods in [
            (home, "/", None),
            (show_item, "/items/<int:item_id>", None),
            (add_item, "/items", ["POST"]),
            (show_shelf, "/shelves/<path:shelf>", ("GET",)),
        ]:
            app.add_url_rule(rule, view.__name__, view, methods=methods)
        return app
        """,
    ),
    # route_table
    mistake(
        "route_table",
        "methods_as_flask_routes_shows_them",  # what `flask routes` prints without --all-methods
        """
        rows = [
            (rule.endpoint, ", ".join(sorted(rule.methods - {"HEAD", "OPTIONS"})), rule.rule)
            for rule in app.url_map.iter_rules()
        ]
        return sorted(rows, key=lambda row: row[0])
        """,
        points_at="the methods of static (/static/<path:filename>)",
    ),
    mistake(
        "route_table",
        "sorted_on_the_whole_row",
        """
        return sorted(
            (rule.endpoint, ", ".join(sorted(rule.methods)), rule.rule)
            for rule in app.url_map.iter_rules()
        )
        """,
        points_at="rules of one endpoint keep the order of the map",
    ),
    mistake(
        "route_table",
        "in_the_map_order",
        """
        return [
            (rule.endpoint, ", ".join(sorted(rule.methods)), rule.rule)
            for rule in app.url_map.iter_rules()
        ]
        """,
        points_at="endpoint order",
    ),
    mistake(
        "route_table",
        "only_the_views_of_the_app",  # leaves out the static rule, thinking it is Flask's own
        """
        rows = [
            (rule.endpoint, ", ".join(sorted(rule.methods)), rule.rule)
            for rule in app.url_map.iter_rules()
            if rule.endpoint != "static"
        ]
        return sorted(rows, key=lambda row: row[0])
        """,
        points_at="the static rule included",
    ),
    alternative(
        "route_table",
        "sorted_rules_then_rows",
        """
        from operator import attrgetter

        table = []
        for rule in sorted(app.url_map.iter_rules(), key=attrgetter("endpoint")):
            table.append((rule.endpoint, ", ".join(sorted(rule.methods)), str(rule)))
        return table
        """,
    ),
    # dispatch_outcomes
    mistake(
        "dispatch_outcomes",
        "a_wrong_method_is_not_found",  # 404 for a URL whose rule has another method
        changes=[
            (
                """
                    "DELETE /items/42": 405,
                    "POST /users/ada": 405,
                """,
                """
                    "DELETE /items/42": 404,
                    "POST /users/ada": 404,
                """,
            ),
            (
                """
                    "DELETE /items/42": {"GET", "HEAD", "OPTIONS", "PUT"},
                    "POST /users/ada": {"GET", "HEAD", "OPTIONS"},
                """,
                """
                    "DELETE /items/42": set(),
                    "POST /users/ada": set(),
                """,
            ),
        ],
        points_at="STATUS['DELETE /items/42']",
    ),
    mistake(
        "dispatch_outcomes",
        "int_takes_a_sign_and_float_an_int",
        changes=[
            (
                '"GET /items/-1": 404,',
                '"GET /items/-1": 200,',
            ),
            (
                '"GET /prices/4": 404,',
                '"GET /prices/4": 200,',
            ),
        ],
        points_at="STATUS['GET /items/-1']",
    ),
    mistake(
        "dispatch_outcomes",
        "arguments_are_the_text_of_the_url",
        changes=[
            (
                """
                    "GET /items/042": 42,
                    "GET /prices/4.5": 4.5,
                """,
                """
                    "GET /items/042": "042",
                    "GET /prices/4.5": "4.5",
                """,
            ),
        ],
        points_at="ARGUMENT['GET /items/042']",
    ),
    mistake(
        "dispatch_outcomes",
        "allow_lists_only_the_methods_written",
        changes=[
            (
                """
                    "DELETE /items/42": {"GET", "HEAD", "OPTIONS", "PUT"},
                    "POST /users/ada": {"GET", "HEAD", "OPTIONS"},
                    "OPTIONS /items/42": {"GET", "HEAD", "OPTIONS", "PUT"},
                """,
                """
                    "DELETE /items/42": {"GET", "PUT"},
                    "POST /users/ada": {"GET"},
                    "OPTIONS /items/42": {"GET", "PUT"},
                """,
            ),
        ],
        points_at="ALLOW['DELETE /items/42']",
    ),
    alternative(
        "dispatch_outcomes",
        "grouped_by_outcome",
        """
        NOT_FOUND = ["GET /items/-1", "GET /items/4.5", "GET /prices/4", "GET /users/ada/lovelace", "GET /nowhere"]
        WRONG_METHOD = ["DELETE /items/42", "POST /users/ada"]
        FOUND = ["GET /items/42", "GET /items/042", "GET /prices/4.5", "GET /files/ada/lovelace", "OPTIONS /items/42"]
        STATUS = dict.fromkeys(FOUND, 200) | dict.fromkeys(NOT_FOUND, 404) | dict.fromkeys(WRONG_METHOD, 405)
        ARGUMENT = {
            "GET /items/042": int("042"),
            "GET /prices/4.5": float("4.5"),
            "GET /users/ada": "ada",
            "GET /files/ada/lovelace": "/".join(["ada", "lovelace"]),
        }
        ITEMS = {"GET", "PUT"} | {"HEAD", "OPTIONS"}
        ALLOW = {"DELETE /items/42": ITEMS, "POST /users/ada": {"GET", "HEAD", "OPTIONS"}, "OPTIONS /items/42": ITEMS}
        """,
    ),
    # url_round_trip
    mistake(
        "url_round_trip",
        "url_for_in_an_app_context",  # an app context is not enough without SERVER_NAME
        """
        with app.app_context():
            return url_for(endpoint, **values)
        """,
        """
        with app.test_request_context(url, method=method):
            if request.routing_exception is not None:
                raise request.routing_exception
            return request.url_rule.endpoint, request.view_args
        """,
        points_at="an app context alone has none",
    ),
    mistake(
        "url_round_trip",
        "url_for_with_no_context",
        """
        return url_for(endpoint, **values)
        """,
        """
        with app.test_request_context(url, method=method):
            if request.routing_exception is not None:
                raise request.routing_exception
            return request.url_rule.endpoint, request.view_args
        """,
        points_at="push app.test_request_context() around it",
    ),
    mistake(
        "url_round_trip",
        "an_external_url",
        """
        with app.test_request_context():
            return url_for(endpoint, _external=True, **values)
        """,
        """
        with app.test_request_context(url, method=method):
            if request.routing_exception is not None:
                raise request.routing_exception
            return request.url_rule.endpoint, request.view_args
        """,
        points_at="no scheme or host",
    ),
    mistake(
        "url_round_trip",
        "a_context_left_pushed",
        """
        app.test_request_context().push()
        return url_for(endpoint, **values)
        """,
        """
        with app.test_request_context(url, method=method):
            if request.routing_exception is not None:
                raise request.routing_exception
            return request.url_rule.endpoint, request.view_args
        """,
        points_at="no context may stay pushed",
    ),
    mistake(
        "url_round_trip",
        "the_raw_url_matched",  # neither the query string split off nor the escapes decoded
        """
        with app.test_request_context():
            return url_for(endpoint, **values)
        """,
        """
        return app.url_map.bind("localhost").match(url, method=method)
        """,
        points_at="for a URL that url_for just built",
    ),
    mistake(
        "url_round_trip",
        "nothing_matched_is_not_found",  # a wrong method answered 404 as well
        """
        with app.test_request_context():
            return url_for(endpoint, **values)
        """,
        """
        from werkzeug.exceptions import NotFound

        with app.test_request_context(url, method=method):
            if request.url_rule is None:
                raise NotFound()
            return request.url_rule.endpoint, request.view_args
        """,
        points_at="must raise MethodNotAllowed",
    ),
    mistake(
        "url_round_trip",
        "no_match_not_raised",
        """
        with app.test_request_context():
            return url_for(endpoint, **values)
        """,
        """
        with app.test_request_context(url, method=method):
            return request.url_rule.endpoint, request.view_args
        """,
        points_at="must raise NotFound",
    ),
    alternative(
        "url_round_trip",
        "pushed_and_popped_by_hand_and_a_bound_map",
        """
        context = app.test_request_context()
        context.push()
        try:
            return url_for(endpoint, **values)
        finally:
            context.pop()
        """,
        """
        from urllib.parse import unquote, urlsplit

        adapter = app.url_map.bind("localhost")
        return adapter.match(unquote(urlsplit(url).path), method=method)
        """,
    ),
]
