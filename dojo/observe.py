"""What Flask looked like when a spec failed: active contexts, g, the session, the hooks run.

Specs pass these to `dojo.spec.fail(..., flask=...)`; `fail` adds the active contexts and g by
itself whenever a context is active at the moment of failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import flask
import flask.globals

HOOK_LISTS = {
    "before_request": "before_request_funcs",
    "after_request": "after_request_funcs",
    "teardown_request": "teardown_request_funcs",
}


def active_contexts() -> list[str]:
    """The contexts active now, innermost last, in words."""
    described = []
    if flask.has_app_context():
        described.append(f"app context of {flask.current_app.name!r}")
    if flask.has_request_context():
        described.append(
            f"request context of {flask.request.method} {flask.request.full_path.rstrip('?')}"
        )
    return described


def state_now() -> dict[str, object]:
    """The active contexts, and the names g holds, if any context is active."""
    if not flask.has_app_context():
        return {}
    return {"contexts active": active_contexts(), "g holds": sorted(flask.g)}


def session_of(app: flask.Flask, client) -> object:
    """The session a test client carries, decoded with the app's key (or why it cannot be)."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return "(no session cookie)"
    serializer = app.session_interface.get_signing_serializer(app)
    if serializer is None:
        return "(the app has no secret key)"
    try:
        return serializer.loads(cookie.value)
    except Exception as error:  # noqa: BLE001 - a bad cookie is itself the observation
        return f"(a cookie the app cannot read: {type(error).__name__})"


@contextmanager
def hooks_run(app: flask.Flask) -> Iterator[list[str]]:
    """Record every request hook of `app` as it runs: 'before_request:load_user', ..."""
    calls: list[str] = []
    saved = {}

    def recorded(kind: str, function: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            calls.append(f"{kind}:{function.__name__}")
            return function(*args, **kwargs)

        wrapper.__name__ = function.__name__
        return wrapper

    for kind, attribute in HOOK_LISTS.items():
        registry = getattr(app, attribute)
        saved[attribute] = {key: list(functions) for key, functions in registry.items()}
        for key, functions in registry.items():
            registry[key] = [recorded(kind, function) for function in functions]
    try:
        yield calls
    finally:
        for attribute, original in saved.items():
            getattr(app, attribute).update(original)
