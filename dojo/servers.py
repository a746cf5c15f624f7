"""Real servers for specs: Werkzeug's threaded server on a free loopback port, always stopped.

A learner's stub raises KataError (a BaseException) which would otherwise kill a server thread and
leave the client with a reset connection. The wrapper below answers 500 instead and raises the
same error again in the spec's thread when the server stops, so the learner sees the one-line
"not written yet" message.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

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


@contextmanager
def running_server(app, *, threaded: bool = True) -> Iterator[RunningServer]:
    """Serve a WSGI app on 127.0.0.1 and a port the OS picks; stop and join on the way out."""
    catcher = _KataErrorCatcher(app)
    server = make_server(LOOPBACK, 0, catcher, threaded=threaded, request_handler=QuietHandler)
    # the handler threads of a threaded server finish before server_close() returns
    server.daemon_threads = False
    server.block_on_close = True
    # a short poll: shutdown() waits for the serving loop's next look, 0.5 s by default
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, name="dojo-server", daemon=True
    )
    thread.start()
    try:
        yield RunningServer(server, LOOPBACK, server.socket.getsockname()[1])
    finally:
        server.shutdown()
        thread.join(timeout=30)
        server.server_close()
    if catcher.caught:
        raise catcher.caught[0]
