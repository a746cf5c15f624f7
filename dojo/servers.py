"""Real servers for specs: Werkzeug's threaded server on a free loopback port, always stopped.

A learner's stub raises KataError (a BaseException) which would otherwise kill a server thread and
leave the client with a reset connection. The wrapper below answers 500 instead and raises the
same error again in the spec's thread when the server stops, so the learner sees the one-line
"not written yet" message.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from werkzeug.serving import BaseWSGIServer, ThreadedWSGIServer, WSGIRequestHandler

from dojo.kit import KataError

LOOPBACK = "127.0.0.1"


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without the access log: a spec's output is its verdict only."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@dataclass
class _KataErrorCatcher:
    app: object
    caught: list[BaseException] = field(default_factory=list)

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        except KataError as error:
            self.caught.append(error)
            start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "text/plain")])
            return [str(error).encode()]


@dataclass
class RunningServer:
    server: BaseWSGIServer
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def get(self, path: str, headers: dict[str, str] | None = None, timeout: float = 10):
        """One GET over a new connection: (status, headers, body bytes)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


class ServerDidNotStop(KataError):
    """A request was still being handled long after the spec was done with the server."""


class _ThreadedServer(ThreadedWSGIServer):
    """Werkzeug's threaded server, keeping every handler thread so that it can be joined.

    The handlers are daemons: one the learner's code leaves stuck cannot keep the run alive.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.handlers: list[threading.Thread] = []

    def process_request(self, request, client_address) -> None:
        handler = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), daemon=True
        )
        self.handlers.append(handler)
        handler.start()


def _stop(server: BaseWSGIServer, serving: threading.Thread, deadline: float) -> int:
    """Stop serving and wait, at most `deadline` seconds, for what is still running.

    Returns how many threads are still running then: the learner's code in them is stuck (an
    endless loop, a lock or an event nobody releases). shutdown() itself waits for the serving
    loop, which a stuck view blocks on a single-threaded server, so it runs in a thread too.
    """
    finish_by = time.monotonic() + deadline
    stopper = threading.Thread(target=server.shutdown, name="dojo-server-stop", daemon=True)
    stopper.start()
    stopper.join(timeout=deadline)
    serving.join(timeout=max(0.0, finish_by - time.monotonic()))
    server.server_close()
    handlers = getattr(server, "handlers", [])
    for handler in handlers:
        handler.join(timeout=max(0.0, finish_by - time.monotonic()))
    return sum(thread.is_alive() for thread in [serving, *handlers])


@contextmanager
def running_server(
    app, *, threaded: bool = True, deadline: float = 10.0
) -> Iterator[RunningServer]:
    """Serve a WSGI app on 127.0.0.1 and a port the OS picks; stop and join on the way out.

    A request still running `deadline` seconds after the spec is done with the server fails
    the spec, instead of hanging the whole run.
    """
    catcher = _KataErrorCatcher(app)
    server_class = _ThreadedServer if threaded else BaseWSGIServer
    server = server_class(LOOPBACK, 0, catcher, QuietHandler)
    # a short poll: shutdown() waits for the serving loop's next look, 0.5 s by default
    serving = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, name="dojo-server", daemon=True
    )
    serving.start()
    try:
        yield RunningServer(server, LOOPBACK, server.socket.getsockname()[1])
    finally:
        stuck = _stop(server, serving, deadline)
    if catcher.caught:
        raise catcher.caught[0]
    if stuck:
        raise ServerDidNotStop(
            f"{stuck} thread(s) of the server still running {deadline:.0f} s after the spec was "
            "done with it: is a view stuck in an endless loop, or waiting on a lock or an event "
            "that nobody releases?"
        )
