# Your file: write between the '# ---- your ...' lines, replacing todo(...) and UNANSWERED.
# `dojo reset <exercise>` restores one exercise's stub; your file is backed up first.
"""Lesson: deployment under gunicorn (claims Y1 to Y6).

The notes say two things about deployment: Flask's own server is for development only, and a
production server such as gunicorn runs the app with `gunicorn manage:app`. This lesson checks
both with real processes: `flask run` and gunicorn are started by the specs on 127.0.0.1, asked
real HTTP questions, and stopped again. It then goes past the notes: what a hosting platform
hands the app through the environment, and why several server processes need one secret key.

The module that gunicorn loads is not this file but manage.py, beside it (exercise 2).

Run this lesson's specs with:  pytest specs/test_deploy.py
"""

import ast
import importlib
import os

from flask import Flask

from dojo.kit import UNANSWERED, todo  # noqa: F401 - the generated kata's stubs use them

# ---------------------------------------------------------------------------------------------
# Exercise 1 - dev_server_warning (predict)
# The specs start `flask run` twice on a tiny app, once plainly and once with --debug, and read
# what it prints before it serves. Predict:
#   warns                - does `flask run` say that it is a development server? (True/False)
#   warns_in_debug_mode  - and `flask run --debug`?
#   warning_stream       - which stream carries that warning: "stdout" or "stderr"
#   banner_stream        - which stream carries the " * Serving Flask app ..." banner

# ---- your prediction: dev_server_warning ----
FLASK_RUN = {
    'warns': UNANSWERED,
    'warns_in_debug_mode': UNANSWERED,
    'warning_stream': UNANSWERED,
    'banner_stream': UNANSWERED,
}
# ---- end: dev_server_warning ----


# ---------------------------------------------------------------------------------------------
# Exercise 2 - gunicorn_entry (use)
# This one is written in manage.py, beside this file: read its docstring.


# ---------------------------------------------------------------------------------------------
# Exercise 3 - app_uri (build)
# `gunicorn manage:app` names a module, a colon, then what to take from that module. Rebuild how
# gunicorn reads that argument, as load_app(uri):
#   "module"                 - the module's attribute `application` (gunicorn's default name)
#   "module:name"            - the module's attribute `name`
#   "module:factory(...)"    - call the attribute `factory` with the arguments written there;
#                              only literal values are allowed (numbers, strings, lists, ...),
#                              positional or by keyword
# Import the module with importlib (it is found on sys.path, as gunicorn finds it) and return
# what it names. Whenever gunicorn would refuse the argument - no such module or attribute, text
# after the colon that is neither a plain name nor a call of a plain name, arguments that are
# not literals, a factory that returns None, an object that is not callable - raise an
# exception (any subclass of Exception). The specs ask gunicorn's own loader the same questions.


def load_app(uri: str) -> object:
    # ---- your code: app_uri ----
    todo("app_uri")
    # ---- end: app_uri ----


# ---------------------------------------------------------------------------------------------
# Exercise 4 - gunicorn_defaults (predict)
# A platform such as Heroku starts the web process of the Procfile with nothing but
# `gunicorn manage:app`, and passes everything else in environment variables. The specs ask the
# installed gunicorn for its defaults, and read this project's pyproject.toml.
#   GUNICORN_EXTRA - the optional-dependency group of this project that installs gunicorn:
#                    pip install -e '.[GUNICORN_EXTRA]'
#   GUNICORN_DEFAULTS:
#     bind                    - the address gunicorn binds with no --bind and no PORT variable
#     bind_when_PORT_is_5000  - the same, when the environment holds PORT=5000
#     workers                 - how many worker processes with no --workers option
#     workers_when_WEB_CONCURRENCY_is_3 - the same, when the environment holds WEB_CONCURRENCY=3
#     worker_class            - the kind of worker with no --worker-class ("sync", "gthread", ...)

# ---- your prediction: gunicorn_defaults ----
GUNICORN_EXTRA = UNANSWERED
GUNICORN_DEFAULTS = {
    'bind': UNANSWERED,
    'bind_when_PORT_is_5000': UNANSWERED,
    'workers': UNANSWERED,
    'workers_when_WEB_CONCURRENCY_is_3': UNANSWERED,
    'worker_class': UNANSWERED,
}
# ---- end: gunicorn_defaults ----


# ---------------------------------------------------------------------------------------------
# Exercise 5 - one_key_for_all (predict)
# In production several processes serve one app: gunicorn's workers, or several machines. The
# specs start four gunicorn processes of one small app that stores a visit count in the session.
# Its secret key is SECRET_KEY from the environment when set, else drawn at random in each
# process (secrets.token_hex()). A client makes a visit, then sends its session cookie back.
# Is the count kept (True) or lost (False)?
#   same_process_random_key   - sent back to the same process, keys drawn at random
#   other_process_random_key  - sent to a second process of the same app, keys drawn at random
#   other_process_shared_key  - sent to a second process, both given one SECRET_KEY

# ---- your prediction: one_key_for_all ----
SESSION_KEPT = {
    'same_process_random_key': UNANSWERED,
    'other_process_random_key': UNANSWERED,
    'other_process_shared_key': UNANSWERED,
}
# ---- end: one_key_for_all ----


# ---------------------------------------------------------------------------------------------
# Exercise 6 - config_from_env (use)
# The production app takes everything that differs from one machine to the next from the
# environment (os.environ), read when create_app() is called:
#   SECRET_KEY   - the secret key, used exactly as written. With no SECRET_KEY, or an empty one,
#                  create_app() refuses to make the app: raise RuntimeError. (Why not draw a
#                  random key instead? Exercise 5 showed what that does to sessions.)
#   FLASK_<NAME> - every such variable becomes the setting NAME in app.config; its value is
#                  decoded as JSON when it parses as JSON (FLASK_PAGE_SIZE=20 gives the int 20),
#                  and kept as the string otherwise.
#   debug        - always off in production, whatever the environment says (FLASK_DEBUG=1
#                  included): the Werkzeug debugger runs any Python code sent to it. Never wrap
#                  the app in werkzeug.debug.DebuggedApplication here either.


def create_app() -> Flask:
    # ---- your code: config_from_env ----
    todo("config_from_env")
    # ---- end: config_from_env ----
