"""Helpers for writing specs whose failures teach: what was expected, what happened, which claim."""

from __future__ import annotations

import pprint
from collections.abc import Mapping
from typing import Any, NoReturn

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import strategies as st

from dojo import course, observe

_NOTHING = object()


def _show(value: Any) -> str:
    text = pprint.pformat(value, width=88, sort_dicts=True)
    return text.replace("\n", "\n            ")


def claim_line(claim_id: str) -> str:
    claim = course.claims()[claim_id]
    first_sentence = (claim.truth or claim.says).replace("\n", " ").split(". ")[0].rstrip(".")
    return f"  claim {claim_id} ({claim.verdict}): {first_sentence}."


def fail(
    claim: str,
    what: str,
    *,
    expected: Any = _NOTHING,
    got: Any = _NOTHING,
    why: str = "",
    flask: Mapping[str, Any] | None = None,
) -> NoReturn:
    """Fail the spec with a message a learner can act on; no traceback.

    `flask` holds what Flask looked like (see dojo.observe); the active contexts and g are added
    by themselves when a context is active at the moment of failure.
    """
    lines = [f"{claim}: {what}"]
    if expected is not _NOTHING:
        lines.append(f"  expected:  {_show(expected)}")
    if got is not _NOTHING:
        lines.append(f"  got:       {_show(got)}")
    if why:
        lines.append(f"  why: {why}")
    seen = {**(flask or {}), **observe.state_now()}
    if seen:
        lines.append("  Flask at that moment:")
        lines.extend(f"    {name}: {_show(value)}" for name, value in seen.items())
    lines.append(claim_line(claim))
    pytest.fail("\n".join(lines), pytrace=False)


def expect(condition: bool, claim: str, what: str, **details: Any) -> None:
    if not condition:
        fail(claim, what, **details)


def expect_equal(
    got: Any,
    expected: Any,
    claim: str,
    what: str,
    why: str = "",
    flask: Mapping[str, Any] | None = None,
) -> None:
    if got != expected:
        fail(claim, what, expected=expected, got=got, why=why, flask=flask)


def check_prediction(
    kata: Any, name: str, truth: Any, claim: str, what: str, *, key: object = None, why: str = ""
) -> None:
    """Compare the learner's prediction (or one entry of it) with what Flask did during this run."""
    predicted = kata.prediction(name, key)
    if predicted != truth:
        label = name if key is None else f"{name}[{key!r}]"
        fail(
            claim,
            f"{kata.file}:{label}: {what}",
            expected=truth,
            got=predicted,
            why=why or "the expected value was observed on the installed Flask during this run",
        )


def client_of(app: object, claim: str, *, testing: bool = True) -> FlaskClient:
    """A test client for the learner's app, once it is known to be a Flask app.

    testing=True lets an error in the learner's code reach the spec, with its own message,
    instead of becoming a bare 500; testing=False keeps the 500 a real client would get.
    """
    expect(isinstance(app, Flask), claim, "the factory must return a Flask app", got=app)
    app.testing = testing
    return app.test_client()


def any_json_value(keys: st.SearchStrategy[str] | None = None) -> st.SearchStrategy:
    """Any value that survives a JSON round trip exactly: no NaN or infinity, and integers no
    larger than a double holds (a browser's JSON would round them)."""
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**53), 2**53)
        | st.text(max_size=20)
        | st.floats(allow_nan=False, allow_infinity=False),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(keys if keys is not None else st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=8,
    )
