"""Other answers to the threads lesson: mistakes a learner might make, and right answers too."""

from tests.variants import alternative, mistake

# a ContextLocal written right, region by region, for the variants that change only one region
LOCAL_INIT = 'object.__setattr__(self, "_values", ContextVar(f"ContextLocal<{id(self)}>"))'
LOCAL_GETATTR = """
values = self._values.get({})
if name not in values:
    raise AttributeError(f"{name!r} is not set in this thread or task")
return values[name]
"""
LOCAL_SETATTR = "self._values.set({**self._values.get({}), name: value})"
LOCAL_DELATTR = """
values = dict(self._values.get({}))
if name not in values:
    raise AttributeError(f"{name!r} is not set in this thread or task")
del values[name]
self._values.set(values)
"""
LOCAL_RELEASE = "self._values.set({})"

# a ContextProxy written right, region by region
PROXY = {
    "init": 'object.__setattr__(self, "_lookup", lookup)',
    "current": "return self._lookup()",
    "getattr": "return getattr(self._get_current_object(), name)",
    "getitem": "return self._get_current_object()[key]",
    "call": "return self._get_current_object()(*args, **kwargs)",
    "bool": "return bool(self._get_current_object())",
    "eq": "return self._get_current_object() == other",
    "repr": "return repr(self._get_current_object())",
}


def proxy(**changed: str) -> tuple[str, ...]:
    """The regions of a right ContextProxy, with some of them written otherwise."""
    return tuple({**PROXY, **changed}.values())


# a PooledWSGIServer written right, region by region
POOL_INIT = """
super().__init__(host, port, app, handler=QuietHandler)
self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pooled")
"""
POOL_PROCESS = "self.pool.submit(self.serve_connection, connection, client_address)"
POOL_CLOSE = """
super().server_close()
self.pool.shutdown(wait=True)
"""

VARIANTS = [
    # global_race
    mistake(
        "global_race",
        "the_last_writer_is_not_lucky",  # "a global mixes them all up": nobody gets their own
        """
        OWN_NAME_BACK = {"module_global": 0, "threading_local": 8, "flask_request": 8}
        """,
        points_at="OWN_NAME_BACK['module_global']",
    ),
    mistake(
        "global_race",
        "threading_local_is_a_global_too",
        """
        OWN_NAME_BACK = {"module_global": 1, "threading_local": 1, "flask_request": 8}
        """,
        points_at="OWN_NAME_BACK['threading_local']",
    ),
    mistake(
        "global_race",
        "the_gil_keeps_them_apart",
        """
        OWN_NAME_BACK = {"module_global": 8, "threading_local": 8, "flask_request": 8}
        """,
        points_at="OWN_NAME_BACK['module_global']",
    ),
    alternative(
        "global_race",
        "per_thread_places_by_comprehension",
        """
        PER_THREAD = ("threading_local", "flask_request")
        OWN_NAME_BACK = {place: 8 for place in PER_THREAD} | {"module_global": 1}
        """,
    ),
    # context_local
    mistake(
        "context_local",
        "a_plain_dict",
        'object.__setattr__(self, "_values", {})',
        """
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None
        """,
        "self._values[name] = value",
        """
        try:
            del self._values[name]
        except KeyError:
            raise AttributeError(name) from None
        """,
        "self._values.clear()",
        points_at="each keeps its own value",
    ),
    mistake(
        "context_local",
        "threading_local",  # one value per thread, but the tasks of a thread share it
        'object.__setattr__(self, "_values", threading.local())',
        "return getattr(self._values, name)",
        "setattr(self._values, name, value)",
        "delattr(self._values, name)",
        "vars(self._values).clear()",
        points_at="per-thread storage mixes them up",
    ),
    mistake(
        "context_local",
        "dict_changed_in_place",
        LOCAL_INIT,
        LOCAL_GETATTR,
        """
        try:
            values = self._values.get()
        except LookupError:
            values = {}
            self._values.set(values)
        values[name] = value
        """,
        """
        values = self._values.get({})
        if name not in values:
            raise AttributeError(f"{name!r} is not set in this thread or task")
        del values[name]
        """,
        "self._values.get({}).clear()",
        points_at="change a stored dict in place",
    ),
    mistake(
        "context_local",
        "key_error_for_a_missing_name",
        LOCAL_INIT,
        "return self._values.get({})[name]",
        LOCAL_SETATTR,
        """
        values = dict(self._values.get({}))
        del values[name]
        self._values.set(values)
        """,
        LOCAL_RELEASE,
        points_at="must raise AttributeError",
    ),
    mistake(
        "context_local",
        "release_makes_a_new_variable",  # forgets every thread's values, not only its own
        LOCAL_INIT,
        LOCAL_GETATTR,
        LOCAL_SETATTR,
        LOCAL_DELATTR,
        'object.__setattr__(self, "_values", ContextVar(f"ContextLocal<{id(self)}>"))',
        points_at="forgets the values of the current thread or task only",
    ),
    mistake(
        "context_local",
        "one_variable_for_the_class",  # each new object replaces the variable of all of them
        'type(self)._values = ContextVar("ContextLocal")',
        LOCAL_GETATTR,
        LOCAL_SETATTR,
        LOCAL_DELATTR,
        LOCAL_RELEASE,
        points_at="must not appear on another",
    ),
    alternative(
        "context_local",
        "copy_on_write_with_dict_union",
        """
        object.__setattr__(self, "_values", ContextVar("values"))
        """,
        """
        try:
            return self._values.get({})[name]
        except KeyError:
            raise AttributeError(f"no {name} here") from None
        """,
        "self._values.set(self._values.get({}) | {name: value})",
        """
        values = self._values.get({})
        if name not in values:
            raise AttributeError(f"no {name} here")
        self._values.set({key: value for key, value in values.items() if key != name})
        """,
        "self._values.set({})",
    ),
    alternative(
        "context_local",
        "a_tuple_of_pairs_and_a_default",
        """
        var = ContextVar("pairs", default=())
        object.__setattr__(self, "_pairs", var)
        """,
        """
        for key, value in self._pairs.get():
            if key == name:
                return value
        raise AttributeError(name)
        """,
        """
        kept = tuple(pair for pair in self._pairs.get() if pair[0] != name)
        self._pairs.set((*kept, (name, value)))
        """,
        """
        pairs = self._pairs.get()
        kept = tuple(pair for pair in pairs if pair[0] != name)
        if len(kept) == len(pairs):
            raise AttributeError(name)
        self._pairs.set(kept)
        """,
        "self._pairs.set(())",
    ),
    # proxy
    mistake(
        "proxy",
        "caches_the_first_object",
        'object.__setattr__(self, "_object", lookup())',
        "return self._object",
        *proxy()[2:],
        points_at="it keeps nothing",
    ),
    mistake(
        "proxy",
        "no_eq",  # leaves equality to object: a proxy equals only itself
        *proxy(eq="return super().__eq__(other)"),
        points_at="the object it stands for",
    ),
    mistake(
        "proxy",
        "always_true",  # like an object without __bool__
        *proxy(bool="return True"),
        points_at="bool(proxy) over None",
    ),
    mistake(
        "proxy",
        "true_when_there_is_an_object",
        *proxy(bool="return self._get_current_object() is not None"),
        points_at="bool(proxy) over False",
    ),
    mistake(
        "proxy",
        "items_read_with_get",  # works for a dict, not for a list
        *proxy(getitem="return self._get_current_object().get(key)"),
        points_at="proxy[1] after the object became a list raised AttributeError",
    ),
    mistake(
        "proxy",
        "items_are_attributes",
        *proxy(getitem="return getattr(self._get_current_object(), key)"),
        points_at="as current[key] would",
    ),
    mistake(
        "proxy",
        "eq_by_identity",
        *proxy(eq="return self._get_current_object() is other"),
        points_at="proxy over False == 0",
    ),
    mistake(
        "proxy",
        "repr_of_the_proxy",
        *proxy(repr='return f"<ContextProxy {self._lookup!r}>"'),
        points_at="repr(proxy)",
    ),
    alternative(
        "proxy",
        "plain_attribute_and_operator_module",
        *proxy(
            init="self._lookup = lookup  # no __setattr__ of our own: a plain assignment works",
            getitem="import operator\n\nreturn operator.getitem(self._lookup(), key)",
            call="target = self._lookup()\nreturn target(*args, **kwargs)",
            bool="return not not self._lookup()",
            eq="import operator\n\nreturn operator.eq(self._lookup(), other)",
            repr="return f'{self._lookup()!r}'",
        ),
    ),
    # isolated_view
    mistake(
        "isolated_view",
        "kept_in_a_module_dict",
        """
        app = Flask(__name__)
        asker = {}

        @app.get("/whoami")
        def whoami():
            asker["name"] = request.args["name"]
            asker["client"] = request.headers["X-Client"]
            wait()
            return dict(asker)

        return app
        """,
        points_at="each thread reads its own request",
    ),
    mistake(
        "isolated_view",
        "kept_in_the_app_config",
        """
        app = Flask(__name__)

        @app.get("/whoami")
        def whoami():
            current_app.config["ASKER"] = (request.args["name"], request.headers["X-Client"])
            wait()
            name, client = current_app.config["ASKER"]
            return {"name": name, "client": client}

        return app
        """,
        points_at="each thread reads its own request",
    ),
    mistake(
        "isolated_view",
        "never_waits",
        changes=[
            (
                "wait()",
                "",
            ),
        ],
        points_at="calls of wait()",
    ),
    mistake(
        "isolated_view",
        "one_request_at_a_time",  # a lock, to be safe from the other threads
        """
        app = Flask(__name__)
        one_at_a_time = threading.Lock()

        @app.get("/whoami")
        def whoami():
            with one_at_a_time:
                wait()
                return {"name": request.args["name"], "client": request.headers["X-Client"]}

        return app
        """,
        points_at="never inside the view together",
    ),
    mistake(
        "isolated_view",
        "the_name_as_a_parameter",
        changes=[
            (
                "def whoami():",
                "def whoami(name):",
            ),
            (
                'return {"name": request.args["name"], "client": request.headers["X-Client"]}',
                'return {"name": name, "client": request.headers["X-Client"]}',
            ),
        ],
        points_at="missing 1 required positional argument: 'name'",
    ),
    alternative(
        "isolated_view",
        "g_and_jsonify",
        """
        from flask import g, jsonify

        def whoami():
            g.name = request.args.get("name")
            g.client = request.headers.get("X-Client")
            wait()  # g belongs to this request: the others cannot touch it
            return jsonify(name=g.name, client=g.client)

        app = Flask(__name__)
        app.add_url_rule("/whoami", view_func=whoami)
        return app
        """,
    ),
    # thread_per_request
    mistake(
        "thread_per_request",
        "the_notes_pool",
        """
        DEV_SERVER_THREADS = {"eight_connections": 1, "one_kept_alive_client": 1}
        NEXT_REQUEST_FINDS = {"threading_local": "earlier", "context_var": "earlier", "flask_g": None}
        """,
        points_at="DEV_SERVER_THREADS['eight_connections']",
    ),
    mistake(
        "thread_per_request",
        "keep_alive_keeps_the_thread",
        """
        DEV_SERVER_THREADS = {"eight_connections": 8, "one_kept_alive_client": 1}
        NEXT_REQUEST_FINDS = {"threading_local": "earlier", "context_var": "earlier", "flask_g": None}
        """,
        points_at="DEV_SERVER_THREADS['one_kept_alive_client']",
    ),
    mistake(
        "thread_per_request",
        "a_context_var_ends_with_the_request",
        """
        DEV_SERVER_THREADS = {"eight_connections": 8, "one_kept_alive_client": 8}
        NEXT_REQUEST_FINDS = {"threading_local": "earlier", "context_var": None, "flask_g": None}
        """,
        points_at="NEXT_REQUEST_FINDS['context_var']",
    ),
    mistake(
        "thread_per_request",
        "g_lives_on_the_thread",
        """
        DEV_SERVER_THREADS = {"eight_connections": 8, "one_kept_alive_client": 8}
        NEXT_REQUEST_FINDS = {"threading_local": "earlier", "context_var": "earlier", "flask_g": "earlier"}
        """,
        points_at="NEXT_REQUEST_FINDS['flask_g']",
    ),
    alternative(
        "thread_per_request",
        "from_fromkeys",
        """
        DEV_SERVER_THREADS = dict.fromkeys(["eight_connections", "one_kept_alive_client"], 2 * 4)
        NEXT_REQUEST_FINDS = dict.fromkeys(["threading_local", "context_var"], "earlier")
        NEXT_REQUEST_FINDS["flask_g"] = None
        """,
    ),
    # thread_pool
    mistake(
        "thread_pool",
        "one_request_at_a_time",  # waits for each connection before taking the next
        POOL_INIT,
        "self.pool.submit(self.serve_connection, connection, client_address).result()",
        POOL_CLOSE,
        points_at="serving one connection at a time",
    ),
    mistake(
        "thread_pool",
        "a_pool_of_one",
        """
        super().__init__(host, port, app, handler=QuietHandler)
        self.pool = ThreadPoolExecutor(thread_name_prefix="pooled", max_workers=1)
        """,
        POOL_PROCESS,
        POOL_CLOSE,
        points_at="serving one connection at a time",
    ),
    mistake(
        "thread_pool",
        "serves_it_itself",
        POOL_INIT,
        "self.serve_connection(connection, client_address)",
        POOL_CLOSE,
        points_at="must hand the connection to the pool",
    ),
    mistake(
        "thread_pool",
        "a_new_thread_per_connection",
        POOL_INIT,
        """
        threading.Thread(target=self.serve_connection, args=(connection, client_address)).start()
        """,
        POOL_CLOSE,
        points_at="at most 2 threads, reused",
    ),
    mistake(
        "thread_pool",
        "close_forgets_the_pool",
        POOL_INIT,
        POOL_PROCESS,
        "super().server_close()",
        points_at="server_close() must wait until every pooled thread has finished",
    ),
    mistake(
        "thread_pool",
        "close_forgets_the_socket",
        POOL_INIT,
        POOL_PROCESS,
        "self.pool.shutdown(wait=True)",
        points_at="the listening socket after server_close()",
    ),
    alternative(
        "thread_pool",
        "threads_and_a_queue",
        """
        import queue

        super().__init__(host, port, app, handler=QuietHandler)
        self.connections = queue.SimpleQueue()

        def work() -> None:
            while (job := self.connections.get()) is not None:
                self.serve_connection(*job)

        self.workers = [threading.Thread(target=work, name=f"worker-{n}") for n in range(workers)]
        for worker in self.workers:
            worker.start()
        """,
        "self.connections.put((connection, client_address))",
        """
        BaseWSGIServer.server_close(self)
        for _ in self.workers:
            self.connections.put(None)
        for worker in self.workers:
            worker.join()
        """,
    ),
    # naive_thread
    mistake(
        "naive_thread",
        "the_thread_inherits_the_context",
        """
        IN_A_NEW_THREAD = {
            "request": None,
            "current_app": None,
            "request_passed_as_argument": None,
            "real_request_passed": None,
        }
        """,
        points_at="IN_A_NEW_THREAD['request']",
    ),
    mistake(
        "naive_thread",
        "a_proxy_remembers_its_request",
        changes=[
            (
                '"request_passed_as_argument": (RuntimeError, "Working outside of request context."),',
                '"request_passed_as_argument": None,',
            ),
        ],
        points_at="IN_A_NEW_THREAD['request_passed_as_argument']",
    ),
    mistake(
        "naive_thread",
        "current_app_is_the_one_app",  # there is one app, so surely every thread sees it
        changes=[
            (
                '"current_app": (RuntimeError, "Working outside of application context."),',
                '"current_app": None,',
            ),
        ],
        points_at="IN_A_NEW_THREAD['current_app']",
    ),
    alternative(
        "naive_thread",
        "named_outcomes",
        """
        NO_REQUEST = (RuntimeError, "Working outside of request context.")
        NO_APP = (RuntimeError, "Working outside of application context.")
        IN_A_NEW_THREAD = dict(
            request=NO_REQUEST, current_app=NO_APP, request_passed_as_argument=NO_REQUEST, real_request_passed=None
        )
        """,
    ),
    # hand_over
    mistake(
        "hand_over",
        "hands_over_the_proxies",
        changes=[
            (
                "def run_in_a_thread(job: Callable[[], Any]) -> dict:",
                "def run_in_a_thread(job):",
            ),
            (
                """
                    real_app, real_request = current_app._get_current_object(), request._get_current_object()
                    return run_in_a_thread(lambda: needs_objects(real_app, real_request))
                """,
                "return run_in_a_thread(lambda: needs_objects(current_app, request))",
            ),
        ],
        points_at="got the proxy of app and request, not the real object",
    ),
    mistake(
        "hand_over",
        "a_bare_thread",
        changes=[
            (
                "def run_in_a_thread(job: Callable[[], Any]) -> dict:",
                "def run_in_a_thread(job):",
            ),
            (
                "return run_in_a_thread(copy_current_request_context(needs_context))",
                "return run_in_a_thread(needs_context)",
            ),
        ],
        points_at="Working outside of application context",
    ),
    mistake(
        "hand_over",
        "only_the_app_context",  # the usual recipe for a background job
        """
        app = Flask(__name__)

        def run_in_a_thread(job):
            results = []
            thread = threading.Thread(target=lambda: results.append(job()))
            thread.start()
            thread.join(timeout=WAIT_SECONDS)
            return {"result": results[0]}

        def with_the_app():
            with app.app_context():
                return needs_context()

        @app.get("/copied")
        def copied():
            return run_in_a_thread(with_the_app)

        @app.get("/handed")
        def handed():
            real_app, real_request = current_app._get_current_object(), request._get_current_object()
            return run_in_a_thread(lambda: needs_objects(real_app, real_request))

        return app
        """,
        points_at="Working outside of request context",
    ),
    mistake(
        "hand_over",
        "no_thread_at_all",
        """
        app = Flask(__name__)

        @app.get("/copied")
        def copied():
            return {"result": needs_context()}

        @app.get("/handed")
        def handed():
            return {"result": needs_objects(current_app._get_current_object(), request._get_current_object())}

        return app
        """,
        points_at="in a thread of its own",
    ),
    alternative(
        "hand_over",
        "an_executor_and_futures",
        """
        app = Flask(__name__)

        def in_a_thread(job, *args):
            with ThreadPoolExecutor(max_workers=1) as executor:
                return {"result": executor.submit(job, *args).result(timeout=WAIT_SECONDS)}

        @app.route("/copied")
        def copied():
            return in_a_thread(copy_current_request_context(needs_context))

        @app.route("/handed")
        def handed():
            return in_a_thread(needs_objects, current_app._get_current_object(), request._get_current_object())

        return app
        """,
    ),
]
