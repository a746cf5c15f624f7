"""Other answers to the contexts lesson: mistakes a learner might make, and right answers too."""

from tests.variants import alternative, mistake

VARIANTS = [
    # which_context
    mistake(
        "which_context",
        "g_on_the_request",  # the notes say g is reset with each request
        """
        WHICH_CONTEXT = {"current_app": "app", "g": "request", "request": "request", "session": "request"}
        HOW_MANY_CONTEXTS = 2
        """,
        points_at="WHICH_CONTEXT['g']",
    ),
    mistake(
        "which_context",
        "one_context",
        """
        WHICH_CONTEXT = {"current_app": "app", "g": "app", "request": "request", "session": "request"}
        HOW_MANY_CONTEXTS = 1
        """,
        points_at="HOW_MANY_CONTEXTS",
    ),
    alternative(
        "which_context",
        "built_with_dict",
        """
        WHICH_CONTEXT = dict(current_app="app", g="app", request="request", session="request")
        HOW_MANY_CONTEXTS = len({"app", "request"})
        """,
    ),
    # outside_a_context
    mistake(
        "outside_a_context",
        "attribute_error",
        """
        OUTSIDE_ANY_CONTEXT = {
            "current_app": (AttributeError, "application"),
            "g": (RuntimeError, "application"),
            "request": (RuntimeError, "request"),
            "session": (RuntimeError, "request"),
        }
        INSIDE_APP_CONTEXT_ONLY = {"request": (RuntimeError, "request"), "session": (RuntimeError, "request")}
        """,
        points_at="OUTSIDE_ANY_CONTEXT['current_app']",
    ),
    mistake(
        "outside_a_context",
        "app_context_is_enough",
        """
        OUTSIDE_ANY_CONTEXT = {
            "current_app": (RuntimeError, "application"),
            "g": (RuntimeError, "application"),
            "request": (RuntimeError, "request"),
            "session": (RuntimeError, "request"),
        }
        INSIDE_APP_CONTEXT_ONLY = {"request": None, "session": None}
        """,
        points_at="INSIDE_APP_CONTEXT_ONLY['request']",
    ),
    alternative(
        "outside_a_context",
        "by_comprehension",
        """
        NEEDS = {"current_app": "application", "g": "application", "request": "request", "session": "request"}
        OUTSIDE_ANY_CONTEXT = {name: (RuntimeError, context) for name, context in NEEDS.items()}
        INSIDE_APP_CONTEXT_ONLY = {name: (RuntimeError, "request") for name in ("request", "session")}
        """,
    ),
    # each_app_its_own
    mistake(
        "each_app_its_own",
        "module_global",
        "return LAST_GREETING",
        """
        global LAST_GREETING
        LAST_GREETING = greeting
        app = Flask(__name__)
        app.add_url_rule("/greeting", view_func=greeting_view)
        return app
        """,
        points_at="each answer with its own greeting",
    ),
    mistake(
        "each_app_its_own",
        "remembers_the_first_app",
        """
        global REMEMBERED
        if globals().get("REMEMBERED") is None:
            REMEMBERED = current_app.config["GREETING"]
        return REMEMBERED
        """,
        """
        app = Flask(__name__)
        app.config["GREETING"] = greeting
        app.add_url_rule("/greeting", view_func=greeting_view)
        return app
        """,
        points_at="must answer with the app's GREETING",
    ),
    alternative(
        "each_app_its_own",
        "config_mapping_and_route_decorator",
        "return current_app.config.get('GREETING')",
        """
        app = Flask(__name__)
        app.config.from_mapping(GREETING=greeting)
        app.route("/greeting")(greeting_view)
        return app
        """,
    ),
    # g_per_request
    mistake(
        "g_per_request",
        "module_dict_for_scratch",
        """
        app = Flask(__name__)
        scratch_space = {}

        @app.post("/scratch")
        def scratch():
            body = request.get_json(silent=True)
            if not isinstance(body, dict):
                abort(400)
            found = sorted(scratch_space)
            scratch_space.update(body)
            return {"found": found, "stored": {name: scratch_space[name] for name in body}}

        return app
        """,
        points_at="found names in g that earlier requests stored",
    ),
    mistake(
        "g_per_request",
        "stored_read_from_the_body",
        changes=[
            (
                'abort(400, description="send a JSON object")',
                "abort(400)",
            ),
            (
                """
                        setattr(g, name, value)
                    return {"found": found, "stored": {name: getattr(g, name) for name in body}}
                """,
                """
                        setattr(g, name.upper(), value)
                    return {"found": found, "stored": {name: g.get(name) for name in body}}
                """,
            ),
        ],
        points_at="'stored' must give back every pair of the body, read from g",
    ),
    alternative(
        "g_per_request",
        "dict_of_g",
        """
        app = Flask(__name__)

        @app.post("/scratch")
        def scratch():
            body = request.get_json(silent=True)
            if type(body) is not dict:
                return {"error": "a JSON object, please"}, 400
            found = sorted(vars(g))
            vars(g).update(body)
            return {"found": found, "stored": {name: g.get(name) for name in body}}

        return app
        """,
    ),
    # shared_g
    mistake(
        "shared_g",
        "the_notes_reading",  # g is always fresh
        """
        SHARED_G = {
            "plain": False,
            "outer_app_context": False,
            "outer_test_request_context": False,
            "other_apps_context": False,
            "outer_value_seen_inside": False,
            "request_value_seen_after": False,
        }
        """,
        points_at="SHARED_G['outer_app_context']",
    ),
    mistake(
        "shared_g",
        "always_shared",
        changes=[
            (
                '"plain": False,',
                '"plain": True,',
            ),
            (
                '"other_apps_context": False,',
                '"other_apps_context": True,',
            ),
        ],
        points_at="SHARED_G['plain']",
    ),
    alternative(
        "shared_g",
        "from_the_rule",
        """
        SAME_APP_OUTSIDE = {"outer_app_context", "outer_test_request_context", "outer_value_seen_inside", "request_value_seen_after"}
        SHARED_G = {case: case in SAME_APP_OUTSIDE for case in SAME_APP_OUTSIDE | {"plain", "other_apps_context"}}
        """,
    ),
    # session_memory
    mistake(
        "session_memory",
        "memos_in_a_module_dict",
        """
        app = Flask(__name__)
        app.secret_key = secret_key
        memos = {}

        @app.put("/memo/<name>")
        def keep(name):
            memos[name] = request.get_json()
            return "", 204

        @app.get("/memo/<name>")
        def recall(name):
            if name not in memos:
                abort(404)
            return {"value": memos[name]}

        @app.delete("/memo/<name>")
        def forget(name):
            if name not in memos:
                abort(404)
            del memos[name]
            return "", 204

        @app.get("/memo")
        def names():
            return {"names": sorted(memos)}

        return app
        """,
        points_at="a second client of the same app must see no memos",
    ),
    mistake(
        "session_memory",
        "bad_bodies_stored_as_null",
        """
        app = Flask(__name__)
        app.secret_key = secret_key

        @app.put("/memo/<name>")
        def keep(name):
            session[name] = request.get_json(silent=True)
            return "", 204

        @app.get("/memo/<name>")
        def recall(name):
            if name not in session:
                abort(404)
            return {"value": session[name]}

        @app.delete("/memo/<name>")
        def forget(name):
            if name not in session:
                abort(404)
            del session[name]
            return "", 204

        @app.get("/memo")
        def names():
            return {"names": sorted(session)}

        return app
        """,
        points_at="must be refused with 400 or 415",
    ),
    alternative(
        "session_memory",
        "one_dict_under_one_key",
        """
        app = Flask(__name__)
        app.config["SECRET_KEY"] = secret_key

        @app.route("/memo/<name>", methods=["GET", "PUT", "DELETE"])
        def memo(name):
            memos = session.setdefault("memos", {})
            if request.method == "PUT":
                memos[name] = request.get_json()
                session.modified = True  # changed in place: say so
                return "", 204
            if name not in memos:
                return {"error": "no such memo"}, 404
            if request.method == "DELETE":
                del memos[name]
                session.modified = True
                return "", 204
            return {"value": memos[name]}

        @app.get("/memo")
        def names():
            return {"names": sorted(session.get("memos", {}))}

        return app
        """,
    ),
    # push_and_pop
    mistake(
        "push_and_pop",
        "teardown_before_after_request",
        """
        REQUEST_TIMELINE = [
            "appcontext_pushed", "request_started", "before_request", "view", "teardown_request",
            "after_request", "request_finished", "teardown_appcontext", "appcontext_popped",
        ]
        TIMELINE_INSIDE_APP_CONTEXT = [
            "request_started", "before_request", "view", "after_request", "request_finished",
            "teardown_request",
        ]
        ACTIVE_CONTEXTS = {
            "teardown_request": {"app", "request"},
            "teardown_appcontext": {"app"},
            "after_the_response": set(),
        }
        """,
        points_at="REQUEST_TIMELINE",
    ),
    mistake(
        "push_and_pop",
        "request_still_there_in_teardown_appcontext",
        """
        REQUEST_TIMELINE = [
            "appcontext_pushed", "request_started", "before_request", "view", "after_request",
            "request_finished", "teardown_request", "teardown_appcontext", "appcontext_popped",
        ]
        TIMELINE_INSIDE_APP_CONTEXT = [
            "request_started", "before_request", "view", "after_request", "request_finished",
            "teardown_request",
        ]
        ACTIVE_CONTEXTS = {
            "teardown_request": {"app", "request"},
            "teardown_appcontext": {"app", "request"},
            "after_the_response": set(),
        }
        """,
        points_at="ACTIVE_CONTEXTS['teardown_appcontext']",
    ),
    alternative(
        "push_and_pop",
        "split_strings",
        """
        REQUEST_TIMELINE = (
            "appcontext_pushed request_started before_request view after_request "
            "request_finished teardown_request teardown_appcontext appcontext_popped"
        ).split()
        TIMELINE_INSIDE_APP_CONTEXT = REQUEST_TIMELINE[1:-2]
        ACTIVE_CONTEXTS = dict(
            teardown_request=set(["app", "request"]), teardown_appcontext={"app"}, after_the_response=set()
        )
        """,
    ),
    # push_rule
    mistake(
        "push_rule",
        "always_pushes",
        """
        context = app.app_context()
        context.push()
        try:
            yield context
        finally:
            context.pop()
        """,
        points_at="with the same app active, the block must get the active context",
    ),
    mistake(
        "push_rule",
        "no_finally",
        """
        if has_app_context() and current_app._get_current_object() is app:
            yield app_ctx._get_current_object()
            return
        context = app.app_context()
        context.push()
        yield context
        context.pop()
        """,
        points_at="the context must be popped after the block raised",
    ),
    alternative(
        "push_rule",
        "with_statement",
        """
        from flask.globals import _cv_app

        active = _cv_app.get(None)
        if active is not None and active.app is app:
            yield active
        else:
            with app.app_context() as context:
                yield context
        """,
    ),
]
