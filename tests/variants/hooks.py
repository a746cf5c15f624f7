"""Other answers to the hooks lesson: mistakes a learner might make, and right answers too."""

import textwrap

from tests.variants import alternative, mistake

CORRECT_HOOK_ORDER = """
HOOK_CALLS = {
    "plain": ["before_a", "before_b", "view", "after_b", "after_a", "teardown_b", "teardown_a"],
    "before_returns": ["before_a", "after_b", "after_a", "teardown_b", "teardown_a"],
    "before_raises": ["before_a", "handler", "after_b", "after_a", "teardown_b", "teardown_a"],
    "view_raises_handled": ["before_a", "before_b", "view", "handler", "after_b", "after_a", "teardown_b", "teardown_a"],
    "view_aborts": ["before_a", "before_b", "view", "after_b", "after_a", "teardown_b", "teardown_a"],
    "unhandled_testing": ["before_a", "before_b", "view", "teardown_b", "teardown_a"],
    "unhandled_not_testing": ["before_a", "before_b", "view", "after_b", "after_a", "teardown_b", "teardown_a"],
}
TEARDOWN_GETS = {
    "plain": None,
    "before_returns": None,
    "before_raises": None,
    "view_raises_handled": None,
    "view_aborts": None,
    "unhandled_testing": "Unhandled",
    "unhandled_not_testing": "Unhandled",
}
CLIENT_GETS = {
    "plain": 200,
    "before_returns": 203,
    "before_raises": 418,
    "view_raises_handled": 418,
    "view_aborts": 404,
    "unhandled_testing": "raises",
    "unhandled_not_testing": 500,
}
"""


def hook_order_with(*changes: str) -> str:
    """The right answer to hook_order, then the lines that change some entries of it."""
    return CORRECT_HOOK_ORDER + "\n".join(changes) + "\n"


def joined(*pieces: str) -> str:
    """Pieces of code written at different indentations, as one piece."""
    return "\n".join(textwrap.dedent(piece) for piece in pieces)


CORRECT_MEMBERS_ME = """
@app.get("/me")
def me():
    return g.user
"""

CORRECT_NOTES_ROUTES = """
@app.post("/notes")
def add_note():
    text = request.json["text"]
    cursor = get_db().execute("INSERT INTO notes (text) VALUES (?)", (text,))
    get_db().commit()
    return {"id": cursor.lastrowid}, 201

@app.get("/notes/<int:note_id>")
def show_note(note_id):
    row = get_db().execute("SELECT id, text FROM notes WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        abort(404)
    return {"id": row[0], "text": row[1]}

@app.get("/notes")
def count_notes():
    return {"count": get_db().execute("SELECT count(*) FROM notes").fetchone()[0]}

return app
"""

REFERENCE_HOOK = "app.before_request(run_once(setup))"

VARIANTS = [
    # which_hooks
    mistake(
        "which_hooks",
        "the_notes_four",  # the notes' account: before_first_request is still there
        changes=[
            (
                '"before_first_request": False,',
                '"before_first_request": True,',
            ),
        ],
        points_at="removed in 2.3",
    ),
    mistake(
        "which_hooks",
        "only_the_notes_hooks",  # the notes never name teardown_appcontext
        changes=[
            (
                '"teardown_appcontext": True,',
                '"teardown_appcontext": False,',
            ),
        ],
        points_at="HOOK_EXISTS['teardown_appcontext']",
    ),
    mistake(
        "which_hooks",
        "a_deprecation_warning",  # it was deprecated first: surely it only warns
        changes=[
            (
                "ERROR_FOR_A_MISSING_HOOK = AttributeError",
                "ERROR_FOR_A_MISSING_HOOK = DeprecationWarning",
            ),
        ],
        points_at="removed, not kept with a warning",
    ),
    alternative(
        "which_hooks",
        "every_hook_but_one",
        """
        NAMES = ["before_first_request", "before_request", "after_request", "teardown_request", "teardown_appcontext"]
        HOOK_EXISTS = {name: name != "before_first_request" for name in NAMES}
        ERROR_FOR_A_MISSING_HOOK = type(AttributeError())
        """,
    ),
    # hook_order
    mistake(
        "hook_order",
        "after_request_never_runs_after_an_error",  # the notes' outdated account
        hook_order_with(
            'HOOK_CALLS["before_raises"] = ["before_a", "handler", "teardown_b", "teardown_a"]',
            'HOOK_CALLS["view_raises_handled"] = ["before_a", "before_b", "view", "handler", "teardown_b", "teardown_a"]',
            'HOOK_CALLS["view_aborts"] = ["before_a", "before_b", "view", "teardown_b", "teardown_a"]',
            'HOOK_CALLS["unhandled_not_testing"] = ["before_a", "before_b", "view", "teardown_b", "teardown_a"]',
        ),
        points_at="HOOK_CALLS['before_raises']",
    ),
    mistake(
        "hook_order",
        "every_kind_in_registration_order",
        hook_order_with(
            'HOOK_CALLS["plain"] = ["before_a", "before_b", "view", "after_a", "after_b", "teardown_a", "teardown_b"]',
        ),
        points_at="HOOK_CALLS['plain']",
    ),
    mistake(
        "hook_order",
        "an_early_response_skips_the_after_hooks",
        hook_order_with('HOOK_CALLS["before_returns"] = ["before_a", "teardown_b", "teardown_a"]'),
        points_at="HOOK_CALLS['before_returns']",
    ),
    mistake(
        "hook_order",
        "teardown_sees_the_handled_error",
        hook_order_with(
            'TEARDOWN_GETS["before_raises"] = "Handled"',
            'TEARDOWN_GETS["view_raises_handled"] = "Handled"',
        ),
        points_at="TEARDOWN_GETS['before_raises']",
    ),
    mistake(
        "hook_order",
        "the_test_client_always_answers_500",
        hook_order_with('CLIENT_GETS["unhandled_testing"] = 500'),
        points_at="CLIENT_GETS['unhandled_testing']",
    ),
    alternative(
        "hook_order",
        "built_from_pieces",
        """
        BEFORE = ["before_a", "before_b"]
        AFTER = ["after_b", "after_a"]
        TEARDOWN = ["teardown_b", "teardown_a"]
        HOOK_CALLS = {
            "plain": BEFORE + ["view"] + AFTER + TEARDOWN,
            "before_returns": BEFORE[:1] + AFTER + TEARDOWN,
            "before_raises": BEFORE[:1] + ["handler"] + AFTER + TEARDOWN,
            "view_raises_handled": BEFORE + ["view", "handler"] + AFTER + TEARDOWN,
            "view_aborts": BEFORE + ["view"] + AFTER + TEARDOWN,
            "unhandled_testing": BEFORE + ["view"] + TEARDOWN,
            "unhandled_not_testing": BEFORE + ["view"] + AFTER + TEARDOWN,
        }
        TEARDOWN_GETS = dict.fromkeys(HOOK_CALLS) | dict.fromkeys(["unhandled_testing", "unhandled_not_testing"], "Unhandled")
        CLIENT_GETS = dict(
            plain=200, before_returns=203, before_raises=418, view_raises_handled=418, view_aborts=404,
            unhandled_testing="raises", unhandled_not_testing=500,
        )
        """,
    ),
    # current_user
    mistake(
        "current_user",
        "no_401_for_an_unknown_user",  # g.user is None, and the views are left to cope
        joined(
            """
        app = Flask(__name__)

        @app.before_request
        def load_user():
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            with closing(sqlite3.connect(db_path)) as db:
                row = db.execute("SELECT id, name FROM users WHERE token = ?", (token,)).fetchone()
            g.user = {"id": row[0], "name": row[1]} if row else None
        """,
            CORRECT_MEMBERS_ME,
            "return app",
        ),
        points_at="the before_request hook must answer 401 itself",
    ),
    mistake(
        "current_user",
        "401_in_the_view_only",
        """
        app = Flask(__name__)

        @app.before_request
        def load_user():
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            with closing(sqlite3.connect(db_path)) as db:
                row = db.execute("SELECT id, name FROM users WHERE token = ?", (token,)).fetchone()
            g.user = {"id": row[0], "name": row[1]} if scheme == "Bearer" and row else None

        @app.get("/me")
        def me():
            if g.user is None:
                abort(401)
            return g.user

        return app
        """,
        points_at="the before_request hook must answer 401 itself",
    ),
    mistake(
        "current_user",
        "a_module_global_instead_of_g",
        """
        global CURRENT_USER
        app = Flask(__name__)

        @app.before_request
        def load_user():
            global CURRENT_USER
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            with closing(sqlite3.connect(db_path)) as db:
                row = db.execute("SELECT id, name FROM users WHERE token = ?", (token,)).fetchone()
            if scheme != "Bearer" or row is None:
                return {"error": "unknown user"}, 401
            CURRENT_USER = {"id": row[0], "name": row[1]}

        @app.get("/me")
        def me():
            return CURRENT_USER

        return app
        """,
        points_at="g.user as seen by a view the spec added",
    ),
    mistake(
        "current_user",
        "users_remembered_between_requests",
        joined(
            """
        app = Flask(__name__)
        known = {}

        @app.before_request
        def load_user():
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme == "Bearer" and token and token not in known:
                with closing(sqlite3.connect(db_path)) as db:
                    row = db.execute("SELECT id, name FROM users WHERE token = ?", (token,)).fetchone()
                if row is not None:
                    known[token] = {"id": row[0], "name": row[1]}
            if token not in known or scheme != "Bearer":
                return {"error": "unknown user"}, 401
            g.user = known[token]
        """,
            CORRECT_MEMBERS_ME,
            "return app",
        ),
        points_at="not remember earlier answers",
    ),
    alternative(
        "current_user",
        "werkzeug_authorization_and_abort",
        """
        app = Flask(__name__)

        @app.before_request
        def load_user():
            auth = request.authorization
            if auth is None or auth.type != "bearer" or not auth.token:
                abort(401)
            db = sqlite3.connect(db_path)
            db.row_factory = sqlite3.Row
            try:
                row = db.execute("SELECT id, name FROM users WHERE token = ?", (auth.token,)).fetchone()
            finally:
                db.close()
            if row is None:
                abort(401)
            g.user = dict(row)

        @app.route("/me")
        def me():
            return dict(g.user)

        return app
        """,
    ),
    # db_per_request
    mistake(
        "db_per_request",
        "closed_in_after_request",  # skipped when the exception escapes: a leak
        joined(
            """
        app = Flask(__name__)

        def get_db():
            if "db" not in g:
                g.db = sqlite3.connect(db_path)
            return g.db

        @app.after_request
        def close_db(response):
            db = g.pop("db", None)
            if db is not None:
                db.close()
            return response
        """,
            CORRECT_NOTES_ROUTES,
        ),
        points_at="after_request is skipped when the exception escapes",
    ),
    mistake(
        "db_per_request",
        "after_request_that_forgets_the_response",
        joined(
            """
        app = Flask(__name__)

        def get_db():
            if "db" not in g:
                g.db = sqlite3.connect(db_path)
            return g.db

        @app.after_request
        def close_db(response):
            if "db" in g:
                g.db.close()
        """,
            CORRECT_NOTES_ROUTES,
        ),
        points_at="must return the response it was given",
    ),
    mistake(
        "db_per_request",
        "closed_at_the_end_of_each_view",
        """
        app = Flask(__name__)

        @app.post("/notes")
        def add_note():
            text = request.json["text"]
            db = sqlite3.connect(db_path)
            cursor = db.execute("INSERT INTO notes (text) VALUES (?)", (text,))
            db.commit()
            db.close()
            return {"id": cursor.lastrowid}, 201

        @app.get("/notes/<int:note_id>")
        def show_note(note_id):
            db = sqlite3.connect(db_path)
            row = db.execute("SELECT id, text FROM notes WHERE id = ?", (note_id,)).fetchone()
            db.close()
            if row is None:
                abort(404)
            return {"id": row[0], "text": row[1]}

        @app.get("/notes")
        def count_notes():
            db = sqlite3.connect(db_path)
            count = db.execute("SELECT count(*) FROM notes").fetchone()[0]
            db.close()
            return {"count": count}

        return app
        """,
        points_at="the view itself never gets there when it raises",
    ),
    mistake(
        "db_per_request",
        "one_connection_for_the_app",
        joined(
            """
        app = Flask(__name__)
        connection = sqlite3.connect(db_path, check_same_thread=False)

        def get_db():
            return connection
        """,
            CORRECT_NOTES_ROUTES,
        ),
        points_at="opened no connection with sqlite3.connect",
    ),
    mistake(
        "db_per_request",
        "opened_for_every_request",  # in before_request, not when the request needs one
        joined(
            """
        app = Flask(__name__)

        @app.before_request
        def open_db():
            g.db = sqlite3.connect(db_path)

        def get_db():
            return g.db

        @app.teardown_request
        def close_db(error):
            g.db.close()
        """,
            CORRECT_NOTES_ROUTES,
        ),
        points_at="opened a connection it never needed",
    ),
    mistake(
        "db_per_request",
        "a_new_connection_at_every_call",  # g.db is overwritten: only the last one is closed
        joined(
            """
        app = Flask(__name__)

        def get_db():
            g.db = sqlite3.connect(db_path)
            return g.db

        @app.teardown_appcontext
        def close_db(error):
            if "db" in g:
                g.db.close()
        """,
            CORRECT_NOTES_ROUTES,
        ),
        points_at="one connection per request",
    ),
    alternative(
        "db_per_request",
        "teardown_request_and_a_transaction",
        """
        app = Flask(__name__)

        def get_db():
            db = getattr(g, "_db", None)
            if db is None:
                db = g._db = sqlite3.connect(db_path)
            return db

        @app.teardown_request
        def close_db(error=None):
            db = getattr(g, "_db", None)
            if db is not None:
                g._db = None
                db.close()

        @app.route("/notes", methods=["POST"])
        def add_note():
            payload = request.get_json()
            db = get_db()
            with db:  # commits, or rolls back when the insert raises
                cursor = db.execute("INSERT INTO notes (text) VALUES (?)", (payload["text"],))
            return {"id": cursor.lastrowid}, 201

        @app.route("/notes/<int:note_id>")
        def show_note(note_id):
            found = get_db().execute("SELECT id, text FROM notes WHERE id = ?", (note_id,)).fetchall()
            if not found:
                return {"error": "no such note"}, 404
            (note_id, text), = found
            return {"id": note_id, "text": text}

        @app.route("/notes")
        def count_notes():
            (count,) = get_db().execute("SELECT count(*) FROM notes").fetchone()
            return {"count": count}

        return app
        """,
    ),
    # run_once
    mistake(
        "run_once",
        "a_flag_without_a_lock",
        """
        done = False

        def call_once():
            nonlocal done
            if not done:
                setup()
                done = True

        return call_once
        """,
        REFERENCE_HOOK,
        points_at="without a lock",
    ),
    mistake(
        "run_once",
        "the_flag_set_before_the_set_up",  # the others go on while it still runs
        """
        lock = threading.Lock()
        done = False

        def call_once():
            nonlocal done
            with lock:
                if done:
                    return
                done = True
            try:
                setup()
            except BaseException:
                done = False
                raise

        return call_once
        """,
        REFERENCE_HOOK,
        points_at="must wait for it, not skip it",
    ),
    mistake(
        "run_once",
        "done_before_it_succeeded",
        """
        lock = threading.Lock()
        done = False

        def call_once():
            nonlocal done
            with lock:
                if not done:
                    done = True
                    setup()

        return call_once
        """,
        REFERENCE_HOOK,
        points_at="a set-up that failed is not done",
    ),
    mistake(
        "run_once",
        "a_lock_never_released_after_an_error",  # acquire and release without a finally
        """
        lock = threading.Lock()
        done = False

        def call_once():
            nonlocal done
            lock.acquire()
            if not done:
                setup()
                done = True
            lock.release()

        return call_once
        """,
        REFERENCE_HOOK,
        points_at="still held",
    ),
    mistake(
        "run_once",
        "a_new_run_once_per_request",
        """
        lock = threading.Lock()
        done = False

        def call_once():
            nonlocal done
            with lock:
                if not done:
                    setup()
                    done = True

        return call_once
        """,
        """
        @app.before_request
        def first_request():
            run_once(setup)()
        """,
        points_at="a new run_once per request",
    ),
    mistake(
        "run_once",
        "setup_registered_itself",  # run_once written, then not used
        """
        lock = threading.Lock()
        done = False

        def call_once():
            nonlocal done
            with lock:
                if not done:
                    setup()
                    done = True

        return call_once
        """,
        "app.before_request(setup)",
        points_at="registering setup itself",
    ),
    alternative(
        "run_once",
        "an_event_checked_twice",
        """
        lock = threading.RLock()
        done = threading.Event()

        def call_once():
            if done.is_set():
                return
            with lock:
                if not done.is_set():
                    setup()
                    done.set()

        return call_once
        """,
        """
        once = run_once(setup)

        @app.before_request
        def set_up_first():
            once()
        """,
    ),
]
