"""Other answers to the deploy lesson: mistakes a learner might make, and right answers too.

Most of these start real gunicorn processes, as the specs do for any answer."""

from tests.variants import alternative, mistake

VARIANTS = [
    # dev_server_warning
    mistake(
        "dev_server_warning",
        "debug_mode_is_quiet",  # --debug is for development, so surely it does not warn
        changes=[
            (
                '"warns_in_debug_mode": True,',
                '"warns_in_debug_mode": False,',
            ),
        ],
        points_at="FLASK_RUN['warns_in_debug_mode']",
    ),
    mistake(
        "dev_server_warning",
        "all_on_stdout",  # it all shows in the terminal, so it is all print()
        changes=[
            (
                '"warning_stream": "stderr",',
                '"warning_stream": "stdout",',
            ),
        ],
        points_at="FLASK_RUN['warning_stream']",
    ),
    mistake(
        "dev_server_warning",
        "all_on_stderr",  # a server logs, and logging goes to stderr
        changes=[
            (
                '"banner_stream": "stdout",',
                '"banner_stream": "stderr",',
            ),
        ],
        points_at="FLASK_RUN['banner_stream']",
    ),
    alternative(
        "dev_server_warning",
        "streams_by_who_writes",
        """
        LOGGING_STREAM, CLICK_ECHO_STREAM = "stderr", "stdout"
        FLASK_RUN = dict.fromkeys(["warns", "warns_in_debug_mode"], True)
        FLASK_RUN.update(warning_stream=LOGGING_STREAM, banner_stream=CLICK_ECHO_STREAM)
        """,
    ),
    # gunicorn_entry (two regions: the factory's body, then the module-level app)
    mistake(
        "gunicorn_entry",
        "names_the_factory",  # `app = create_app` without the call
        changes=[
            (
                "# asked per request: each gunicorn worker is a process of its own",
                "",
            ),
            (
                "app = create_app()",
                "app = create_app",
            ),
        ],
        points_at="manage.app must be a Flask app",
    ),
    mistake(
        "gunicorn_entry",
        "one_app_for_every_call",  # the app at the top of the module, the factory hands it out
        "return app",
        """
        app = Flask(__name__)

        @app.get("/health")
        def health():
            return {"status": "ok", "pid": os.getpid()}
        """,
        points_at="must make a new app on every call",
    ),
    mistake(
        "gunicorn_entry",
        "pid_read_when_the_app_is_made",  # once is enough, surely
        """
        app = Flask(__name__)
        pid = os.getpid()

        @app.get("/health")
        def health():
            return {"status": "ok", "pid": pid}

        return app
        """,
        "app = create_app()",
        points_at="Was the pid read at import time",
    ),
    alternative(
        "gunicorn_entry",
        "jsonify_and_add_url_rule",
        """
        from flask import jsonify

        def health():
            return jsonify(status="ok", pid=os.getpid())

        made = Flask(__name__)
        made.add_url_rule("/health", "health", health, methods=["GET"])
        return made
        """,
        """
        app = application = create_app()
        """,
    ),
    # app_uri
    mistake(
        "app_uri",
        "default_name_app",  # `flask run` looks for app, so gunicorn must too
        """
        module_name, _, expression = uri.partition(":")
        module = importlib.import_module(module_name)
        node = ast.parse(expression or "app", mode="eval").body
        if isinstance(node, ast.Name):
            found = getattr(module, node.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [ast.literal_eval(arg) for arg in node.args]
            kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
            found = getattr(module, node.func.id)(*args, **kwargs)
        else:
            raise ValueError(expression)
        if found is None or not callable(found):
            raise TypeError(found)
        return found
        """,
        points_at="load_app('dojo_probe_apps')",
    ),
    mistake(
        "app_uri",
        "evaluates_the_text",  # eval in the module's namespace reads every call
        """
        module_name, colon, expression = uri.partition(":")
        module = importlib.import_module(module_name)
        found = eval(expression if colon else "application", vars(module))
        if found is None or not callable(found):
            raise TypeError(found)
        return found
        """,
        points_at="Failed to parse arguments as literal values",
    ),
    mistake(
        "app_uri",
        "anything_goes_back",  # the server will find out soon enough if it is no app
        """
        module_name, colon, expression = uri.partition(":")
        module = importlib.import_module(module_name)
        node = ast.parse(expression if colon else "application", mode="eval").body
        if isinstance(node, ast.Name):
            return getattr(module, node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [ast.literal_eval(arg) for arg in node.args]
            kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
            return getattr(module, node.func.id)(*args, **kwargs)
        raise ValueError(expression)
        """,
        points_at="Failed to find application object",
    ),
    alternative(
        "app_uri",
        "match_statement",
        """
        if ":" in uri:
            module_name, expression = uri.split(":", 1)
        else:
            module_name, expression = uri, "application"
        module = importlib.import_module(module_name)
        match ast.parse(expression, mode="eval").body:
            case ast.Name(id=name):
                found = getattr(module, name)
            case ast.Call(func=ast.Name(id=name), args=args, keywords=keywords):
                factory = getattr(module, name)
                found = factory(
                    *map(ast.literal_eval, args),
                    **{keyword.arg: ast.literal_eval(keyword.value) for keyword in keywords},
                )
            case _:
                raise SyntaxError(f"neither a name nor a call: {expression!r}")
        if not callable(found):  # None is not callable either
            raise TypeError(f"{found!r} is no WSGI app")
        return found
        """,
    ),
    # gunicorn_defaults
    mistake(
        "gunicorn_defaults",
        "binds_every_interface",  # a server is there to be reached from outside
        changes=[
            (
                '"bind": "127.0.0.1:8000",',
                '"bind": "0.0.0.0:8000",',
            ),
        ],
        points_at="GUNICORN_DEFAULTS['bind']",
    ),
    mistake(
        "gunicorn_defaults",
        "workers_from_the_cores",  # the docs recommend 2 x cores + 1, so that is the default
        changes=[
            (
                '"workers": 1,',
                '"workers": 2 * (os.cpu_count() or 1) + 1,',
            ),
        ],
        points_at="GUNICORN_DEFAULTS['workers']",
    ),
    mistake(
        "gunicorn_defaults",
        "port_is_only_for_flask",  # PORT is the platform's business; gunicorn keeps its 8000
        changes=[
            (
                '"bind_when_PORT_is_5000": "0.0.0.0:5000",',
                '"bind_when_PORT_is_5000": "127.0.0.1:8000",',
            ),
        ],
        points_at="GUNICORN_DEFAULTS['bind_when_PORT_is_5000']",
    ),
    mistake(
        "gunicorn_defaults",
        "extra_named_after_the_package",
        changes=[
            (
                'GUNICORN_EXTRA = "deploy"',
                'GUNICORN_EXTRA = "gunicorn"',
            ),
        ],
        points_at="GUNICORN_EXTRA",
    ),
    alternative(
        "gunicorn_defaults",
        "built_from_parts",
        """
        GUNICORN_EXTRA = "DEPLOY".lower()
        LOOPBACK, EVERYWHERE = "127.0.0.1", "0.0.0.0"
        GUNICORN_DEFAULTS = dict(
            bind=f"{LOOPBACK}:{8000}",
            bind_when_PORT_is_5000=f"{EVERYWHERE}:{5000}",
            workers=1,
            workers_when_WEB_CONCURRENCY_is_3=int("3"),
            worker_class="sync",
        )
        """,
    ),
    # one_key_for_all
    mistake(
        "one_key_for_all",
        "a_signed_cookie_travels",  # the cookie holds the session, so any process can read it
        changes=[
            (
                '"other_process_random_key": False,',
                '"other_process_random_key": True,',
            ),
        ],
        points_at="SESSION_KEPT['other_process_random_key']",
    ),
    mistake(
        "one_key_for_all",
        "sessions_live_in_the_process",  # as if the session were kept in the server's memory
        changes=[
            (
                '"other_process_shared_key": True,',
                '"other_process_shared_key": False,',
            ),
        ],
        points_at="SESSION_KEPT['other_process_shared_key']",
    ),
    alternative(
        "one_key_for_all",
        "kept_where_the_key_is_the_same",
        """
        SAME_KEY = {"same_process_random_key", "other_process_shared_key"}
        SESSION_KEPT = {
            case: case in SAME_KEY
            for case in ("same_process_random_key", "other_process_random_key", "other_process_shared_key")
        }
        """,
    ),
    # config_from_env
    mistake(
        "config_from_env",
        "a_random_key_when_none_is_set",  # never fails to start, but each process signs alone
        """
        import secrets

        app = Flask(__name__)
        app.config.from_prefixed_env()
        app.secret_key = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
        app.config["DEBUG"] = False
        return app
        """,
        points_at="must raise RuntimeError",
    ),
    mistake(
        "config_from_env",
        "debug_turned_off_too_early",  # from_prefixed_env then reads FLASK_DEBUG=1 back in
        """
        secret_key = os.environ.get("SECRET_KEY")
        if not secret_key:
            raise RuntimeError("no SECRET_KEY")
        app = Flask(__name__)
        app.config["DEBUG"] = False
        app.secret_key = secret_key
        app.config.from_prefixed_env()
        return app
        """,
        points_at="'debug': False",
    ),
    mistake(
        "config_from_env",
        "values_kept_as_strings",  # copies the variables by hand, as the strings they are
        """
        secret_key = os.environ.get("SECRET_KEY")
        if not secret_key:
            raise RuntimeError("no SECRET_KEY")
        app = Flask(__name__)
        for name, value in os.environ.items():
            if name.startswith("FLASK_"):
                app.config[name.removeprefix("FLASK_")] = value
        app.secret_key = secret_key
        app.debug = False
        return app
        """,
        points_at="FLASK_GREETING",
    ),
    mistake(
        "config_from_env",
        "a_key_written_in_the_code",  # the environment's key is checked, then a fixed one used
        """
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("no SECRET_KEY")
        app = Flask(__name__)
        app.config.from_prefixed_env()
        app.config.update(SECRET_KEY="change-me", DEBUG=False)
        return app
        """,
        points_at="'setting/SECRET_KEY': 'shared'",
    ),
    mistake(
        "config_from_env",
        "the_debugger_kept_for_production",  # debug off, but errors still shown in the browser
        """
        from werkzeug.debug import DebuggedApplication

        secret_key = os.environ.get("SECRET_KEY")
        if not secret_key:
            raise RuntimeError("no SECRET_KEY")
        app = Flask(__name__)
        app.config.from_prefixed_env()
        app.secret_key = secret_key
        app.debug = False
        app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)
        return app
        """,
        points_at="DebuggedApplication wraps the app",
    ),
    alternative(
        "config_from_env",
        "by_hand_with_json",
        """
        import json

        secret_key = os.environ.get("SECRET_KEY") or None
        if secret_key is None:
            raise RuntimeError("set SECRET_KEY: every process must sign with the same key")
        app = Flask(__name__)
        for variable, text in sorted(os.environ.items()):
            if not variable.startswith("FLASK_"):
                continue
            try:
                value = json.loads(text)
            except ValueError:
                value = text
            app.config[variable[len("FLASK_"):]] = value
        app.config.update(SECRET_KEY=secret_key, DEBUG=False)
        return app
        """,
    ),
]
