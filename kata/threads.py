# Your file: write between the '# ---- your ...' lines, replacing todo(...) and UNANSWERED.
# `dojo reset <exercise>` restores one exercise's stub; your file is backed up first.
"""Lesson: threads that must not see each other's request (claims C2, C3, C4 and C11).

On a threaded server many requests are handled at the same moment, and every one of them reads
the same name, `request`. A plain module global could not work there: each thread would see what
the last writer left in it. Flask hands each thread, and each asyncio task, its own value through
`contextvars`, and `request` is a proxy that forwards to the value of the current context. In this
lesson you watch a global fail, rebuild the context-local and the proxy yourself, check the
isolation on a real server, build a server with a pool of threads, and hand a request over to a
thread of your own.

Run this lesson's specs with:  pytest specs/test_threads.py
"""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from typing import Any

from flask import Flask, copy_current_request_context, current_app, request
from werkzeug.serving import BaseWSGIServer

from dojo.kit import UNANSWERED, todo  # noqa: F401 - the generated kata's stubs use them
from dojo.servers import QuietHandler

# the longest a thread of this module waits for another: a bug fails, it never hangs
WAIT_SECONDS = 5

# ---------------------------------------------------------------------------------------------
# Exercise 1 - global_race (predict)
# A view is served by Werkzeug's threaded server. 8 clients call it at once, each with its own
# name. The view stores the name, waits until all 8 requests have stored theirs, then answers
# with the name it reads back. The specs try three places to store it:
#   module_global   - a plain variable of the module (`global NAME; NAME = ...`)
#   threading_local - an attribute of a threading.local() object
#   flask_request   - nothing stored: the view reads request.args["name"] again
# For each place: how many of the 8 clients get their own name back? (an int from 0 to 8)

# ---- your prediction: global_race ----
OWN_NAME_BACK = {
    'module_global': UNANSWERED,
    'threading_local': UNANSWERED,
    'flask_request': UNANSWERED,
}
# ---- end: global_race ----


# ---------------------------------------------------------------------------------------------
# Exercise 2 - context_local (build)
# Rebuild the idea behind werkzeug.local.Local: an object whose attributes hold one value per
# thread *and* per asyncio task. Its promises:
#   - what a thread or task sets, it reads back; no other thread or task sees it
#   - a task starts with the values of the code that created it, and what it sets afterwards
#     does not change them for that code
#   - a name that is not set raises AttributeError naming it (so hasattr and getattr(x, n, d)
#     work); deleting a name that is not set raises AttributeError too
#   - release() forgets every value of the current thread or task, and no one else's
#   - two ContextLocal objects never share a value


class ContextLocal:
    """Attributes whose values belong to the current thread or asyncio task."""

    def __init__(self) -> None:
        # ---- your code: context_local ----
        todo("context_local")
        # ---- end: context_local ----

    def __getattr__(self, name: str) -> Any:
        # ---- your code: context_local ----
        todo("context_local")
        # ---- end: context_local ----

    def __setattr__(self, name: str, value: Any) -> None:
        # ---- your code: context_local ----
        todo("context_local")
        # ---- end: context_local ----

    def __delattr__(self, name: str) -> None:
        # ---- your code: context_local ----
        todo("context_local")
        # ---- end: context_local ----

    def release(self) -> None:
        """Forget every value of the current thread or task."""
        # ---- your code: context_local ----
        todo("context_local")
        # ---- end: context_local ----


# ---------------------------------------------------------------------------------------------
# Exercise 3 - proxy (build)
# Rebuild the idea behind werkzeug.local.LocalProxy, which is what flask.request is: an object
# that looks up the current object each time it is used - `lookup()` returns it - and forwards to
# it: attributes, items (proxy[key]), calls (proxy(...)), bool(proxy), proxy == other and
# repr(proxy). _get_current_object() returns the object itself, the way Flask's proxies do.


class ContextProxy:
    """Stands for whatever `lookup()` returns at the moment it is used."""

    def __init__(self, lookup: Callable[[], Any]) -> None:
        # ---- your code: proxy ----
        todo("proxy")
        # ---- end: proxy ----

    def _get_current_object(self) -> Any:
        # ---- your code: proxy ----
        todo("proxy")
        # ---- end: proxy ----

    def __getattr__(self, name: str) -> Any:
        # ---- your code: proxy ----
        todo("proxy")
        # ---- end: proxy ----

    def __getitem__(self, key: Any) -> Any:
        # ---- your code: proxy ----
        todo("proxy")
        # ---- end: proxy ----

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # ---- your code: proxy ----
        todo("proxy")
        # ---- end: proxy ----

    def __bool__(self) -> bool:
        # ---- your code: proxy ----
        todo("proxy")
        # ---- end: proxy ----

    def __eq__(self, other: object) -> bool:
        # ---- your code: proxy ----
        todo("proxy")
        # ---- end: proxy ----

    def __repr__(self) -> str:
        # ---- your code: proxy ----
        todo("proxy")
        # ---- end: proxy ----


# ---------------------------------------------------------------------------------------------
# Exercise 4 - isolated_view (use)
# An app whose GET /whoami?name=... calls wait() - the specs hand in a wait that returns only
# once every client's request is inside the view - and then answers
#   {"name": the name this request was sent with, "client": its X-Client header}
# The specs run it on a real threaded server, with 8 clients at once.


def create_whoami_app(wait: Callable[[], object]) -> Flask:
    # ---- your code: isolated_view ----
    todo("isolated_view")
    # ---- end: isolated_view ----


# ---------------------------------------------------------------------------------------------
# Exercise 5 - thread_per_request (predict)
# The notes say a threaded server keeps a pool of threads. Werkzeug's development server (the
# one behind `flask run`) serves 8 requests one after another:
#   eight_connections      - each request on a new connection: how many different threads ran
#                            the view? (an int)
#   one_kept_alive_client  - one HTTP/1.1 client that asks to keep its connection open for all
#                            8: how many different threads?
# Production servers do keep a pool (gunicorn's gthread worker, waitress). There one thread
# serves request after request. A view looks in three places for a mark, then leaves its own
# mark there. On a pool of one thread, what does the *next* request find in each place: the
# "earlier" request's mark, or None?
#   threading_local - an attribute of a threading.local()
#   context_var     - a ContextVar that the view .set() and never reset
#   flask_g         - flask.g

# ---- your prediction: thread_per_request ----
DEV_SERVER_THREADS = {
    'eight_connections': UNANSWERED,
    'one_kept_alive_client': UNANSWERED,
}
NEXT_REQUEST_FINDS = {
    'threading_local': UNANSWERED,
    'context_var': UNANSWERED,
    'flask_g': UNANSWERED,
}
# ---- end: thread_per_request ----


# ---------------------------------------------------------------------------------------------
# Exercise 6 - thread_pool (build)
# A WSGI server that serves each connection on one of a fixed number of threads, the way
# gunicorn's gthread worker does, instead of starting a thread per connection. Werkzeug's
# BaseWSGIServer does the HTTP; serve_connection below is the work of one pooled thread. Write:
#   __init__       - set the server up (use handler=QuietHandler), and a pool of `workers` threads
#   process_request - called by serve_forever() for every new connection: hand it to the pool
#                     and return at once
#   server_close   - close the server, then wait until every pooled thread has finished


class PooledWSGIServer(BaseWSGIServer):
    # tells the app (environ["wsgi.multithread"]) that requests may run at the same time
    multithread = True

    def __init__(self, host: str, port: int, app: Any, workers: int) -> None:
        # ---- your code: thread_pool ----
        todo("thread_pool")
        # ---- end: thread_pool ----

    def serve_connection(self, connection: Any, client_address: Any) -> None:
        """Run in a pooled thread: serve every request of one connection, then close it."""
        try:
            self.finish_request(connection, client_address)
        finally:
            self.shutdown_request(connection)

    def process_request(self, connection: Any, client_address: Any) -> None:
        # ---- your code: thread_pool ----
        todo("thread_pool")
        # ---- end: thread_pool ----

    def server_close(self) -> None:
        # ---- your code: thread_pool ----
        todo("thread_pool")
        # ---- end: thread_pool ----


# ---------------------------------------------------------------------------------------------
# Exercise 7 - naive_thread (predict)
# A view starts a thread and joins it before answering. In the thread, code touches one thing;
# what happens? Give None if it works, else a pair: (the exception class, the first line of its
# message). Example of the form only: (KeyError, "No such thing.")
#   request                    - the thread reads flask.request.args
#   current_app                - the thread reads flask.current_app.name
#   request_passed_as_argument - the view passes flask.request itself to the thread, which reads
#                                its .args
#   real_request_passed        - the view passes request._get_current_object() instead

# ---- your prediction: naive_thread ----
IN_A_NEW_THREAD = {
    'request': UNANSWERED,
    'current_app': UNANSWERED,
    'request_passed_as_argument': UNANSWERED,
    'real_request_passed': UNANSWERED,
}
# ---- end: naive_thread ----


# ---------------------------------------------------------------------------------------------
# Exercise 8 - hand_over (use)
# An app whose views each run a job in a new thread, wait for it, and answer {"result": what
# the job returned}. The two jobs come from the specs:
#   GET /copied  - needs_context() takes no arguments and reads flask.request and
#                  flask.current_app itself: the thread must run it inside the view's context
#   GET /handed  - needs_objects(app, request) must be given the real app and request objects,
#                  not the proxies (a proxy means nothing in another thread)
# Wait for the thread (at most WAIT_SECONDS) before answering: the request is closed after.


def create_handover_app(
    needs_context: Callable[[], Any], needs_objects: Callable[[Any, Any], Any]
) -> Flask:
    # ---- your code: hand_over ----
    todo("hand_over")
    # ---- end: hand_over ----
