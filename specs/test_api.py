"""Specs of the lesson `api`: a JSON API that survives bad input (claim A1, beyond the notes).

What Flask does by itself is observed during the run; the notes app is driven only through HTTP,
so any way of keeping the notes passes, as long as each app keeps its own.
"""

from __future__ import annotations

import json
import string
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, request
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException

from dojo.spec import check_prediction, client_of, expect, expect_equal, fail

exercise = pytest.mark.exercise
claim = pytest.mark.claim

# each example builds a notes app (its URL rules are compiled anew) and makes a few requests:
# fewer examples keep the lesson quick, and the specs without hypothesis pin the telling cases
SMALL = 15

DEEP = b"[" * 100_000  # deeper than any recursion limit, so json.loads gives up


# --- Exercise 1: flask_json_defaults ---------------------------------------------------------


def echo_app() -> Flask:
    app = Flask("flask_json_defaults_probe")
    # not testing: an exception must become the 500 that a client would get
    app.logger.disabled = True  # the 500 is observed on purpose; its traceback would be noise

    @app.post("/echo")
    def echo():
        return {"body": request.get_json()}

    return app


DEFAULT_CASES = {
    "not_declared_json": (
        "POST",
        "/echo",
        {"data": '{"title": "x"}', "content_type": "text/plain"},
    ),
    "malformed_json": ("POST", "/echo", {"data": '{"title":', "content_type": "application/json"}),
    "empty_body": ("POST", "/echo", {"data": b"", "content_type": "application/json"}),
    "json_null": ("POST", "/echo", {"data": "null", "content_type": "application/json"}),
    "deeply_nested": ("POST", "/echo", {"data": DEEP, "content_type": "application/json"}),
    "wrong_method": ("GET", "/echo", {}),
    "unknown_url": ("POST", "/nowhere", {}),
}

DEFAULT_WHY = {
    "not_declared_json": "get_json() refuses a body whose Content-Type is not JSON, whatever the "
    "body holds: Unsupported Media Type",
    "malformed_json": "a body declared as JSON that does not parse is the client's mistake",
    "empty_body": "an empty body is not a JSON text either",
    "json_null": "null is valid JSON: get_json() returns None and the view carries on",
    "deeply_nested": "json.loads raises RecursionError, which is not a ValueError: get_json() lets "
    "it through, and Flask answers an unhandled exception as a server error",
    "wrong_method": "the URL exists, the method does not",
    "unknown_url": "no rule of the URL map matches",
}


@exercise("flask_json_defaults")
@claim("A1")
@pytest.mark.parametrize("case", list(DEFAULT_CASES))
def test_what_flask_answers_by_itself(kata, case):
    method, url, body = DEFAULT_CASES[case]
    status = echo_app().test_client().open(url, method=method, **body).status_code
    check_prediction(
        kata,
        "FLASK_ANSWERS",
        status,
        "A1",
        f"the status Flask answers with, case {case!r}",
        key=case,
        why=DEFAULT_WHY[case],
    )


@exercise("flask_json_defaults")
@claim("A1")
def test_the_mimetype_of_flasks_own_errors(kata):
    mimetype = echo_app().test_client().get("/echo").mimetype
    check_prediction(
        kata,
        "ERROR_MIMETYPE",
        mimetype,
        "A1",
        "the mimetype of an error answer that Flask makes by itself",
        why="Flask's own error answers are small HTML pages: a JSON client has to be given JSON "
        "errors on purpose",
    )


# --- Exercise 2: json_body_rules -------------------------------------------------------------


def outcome(read) -> tuple[str, Any]:
    """("json", the value as canonical JSON text) or ("error", the HTTP status) or what else."""
    try:
        value = read()
    except HTTPException as error:
        return ("error", error.code)
    except Exception as error:  # noqa: BLE001 - a learner's stray exception is an outcome too
        return ("raised", f"{type(error).__name__}: {error}")
    # json.dumps tells 1 from 1.0 and True, which == does not
    return ("json", json.dumps(value, sort_keys=True))


@pytest.fixture
def probe() -> Flask:
    """An app for Flask's own verdicts; one per spec is enough, since it keeps nothing."""
    return Flask("json_body_rules_probe")


def flasks_outcome(app: Flask, content_type: str | None, body: bytes) -> tuple[str, Any]:
    with app.test_request_context(method="POST", data=body, content_type=content_type):
        return outcome(request.get_json)


def check_read_json(kata, probe: Flask, content_type: str | None, body: bytes) -> None:
    expected = flasks_outcome(probe, content_type, body)
    got = outcome(lambda: kata.read_json(content_type, body))
    encoding = json.detect_encoding(body)
    expect_equal(
        got,
        expected,
        "A1",
        f"read_json({content_type!r}, {body!r}): (what it gives, the value or the status)",
        why="the expected outcome is what request.get_json() did with the same request in this "
        "run: Unsupported Media Type unless the mimetype is application/json or "
        "application/*+json, then Bad Request unless the body parses"
        + (
            f"; these bytes look like {encoding.upper()}, not UTF-8: json.loads(bytes) works "
            "the encoding out by itself"
            if not encoding.startswith("utf-8")
            else ""
        ),
    )


mimetypes = st.sampled_from(
    [
        "application/json",
        "application/problem+json",
        "application/+json",
        "application/json-seq",
        "application/x-json",
        "text/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "",
    ]
).flatmap(lambda mimetype: st.sampled_from([mimetype, mimetype.upper(), mimetype.title()]))
content_types = st.none() | st.builds(
    lambda mimetype, spaces, params: mimetype + spaces + params,
    mimetypes,
    st.sampled_from(["", " "]),
    st.sampled_from(["", "; charset=utf-8", ";charset=latin-1", "; q=1"]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=5,
)
bodies = (
    st.builds(
        lambda value, encoding: json.dumps(value).encode(encoding),
        json_values,
        st.sampled_from(["utf-8", "utf-16", "utf-32"]),
    )
    | st.sampled_from([b"", b"{", b"[1,]", b"nul", b"{'a': 1}", b"\xff\xfe\x00"])
    | st.binary(max_size=6)
)


@exercise("json_body_rules")
@claim("A1")
@given(content_type=content_types, body=bodies)
def test_read_json_decides_as_flask_does(kata, probe, content_type, body):
    check_read_json(kata, probe, content_type, body)


@exercise("json_body_rules")
@claim("A1")
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"title": "x"}'),
        ("text/plain", b'{"title": "x"}'),
        (None, b"[1, 2]"),
        ("application/json", b""),
        ("application/json", b"null"),
        ("application/problem+json", b"[1]"),
        ("Application/JSON; charset=utf-8", '"\u00e9t\u00e9"'.encode("utf-16")),
    ],
    ids=["json", "text-plain", "no-type", "empty", "null", "plus-json", "utf-16"],
)
def test_read_json_on_telling_cases(kata, probe, content_type, body):
    check_read_json(kata, probe, content_type, body)


# --- Exercise 3: notes_api -------------------------------------------------------------------


def serve(app: object):
    # not testing: an exception in a view becomes the 500 that a client would get
    return client_of(app, "A1", testing=False)


def send_json(client, method: str, url: str, value: object):
    # json=None would send no body at all; a null must be sent as text
    return client.open(url, method=method, data=json.dumps(value), content_type="application/json")


def all_notes(client) -> object:
    response = client.get("/notes")
    expect_equal(response.status_code, 200, "A1", "GET /notes must answer 200")
    return response.get_json(silent=True)


def check_json_error(response, status: int, what: str) -> None:
    expect_equal(response.status_code, status, "A1", f"{what}: the status")
    expect(
        response.is_json,
        "A1",
        f"{what}: an error must be answered with JSON",
        expected="application/json",
        got=f"{response.mimetype}: {response.get_data(as_text=True)[:120]}",
    )
    body = response.get_json(silent=True)
    expect(
        isinstance(body, dict)
        and set(body) == {"status", "error"}
        and body["status"] == status
        and isinstance(body["error"], str)
        and body["error"] != "",
        "A1",
        f'{what}: the error body must be {{"status": {status}, "error": "<a message>"}}',
        got=body,
    )


note_fields = st.fixed_dictionaries({"title": st.text(max_size=6), "body": st.text(max_size=6)})


@exercise("notes_api")
@claim("A1")
def test_each_app_keeps_its_own_notes(kata):
    first, second = serve(kata.create_notes_app()), serve(kata.create_notes_app())
    send_json(first, "POST", "/notes", {"title": "first", "body": "app"})
    expect_equal(
        all_notes(second),
        {"notes": []},
        "A1",
        "GET /notes on a second app, after a POST to the first",
        why="keep the notes in the factory (a closure, or app.extensions), not in a module global",
    )


@exercise("notes_api")
@claim("A1")
def test_a_new_note_is_201_with_its_location(kata):
    client = serve(kata.create_notes_app())
    for number, fields in enumerate(
        [{"title": "one", "body": ""}, {"title": "", "body": "two"}], 1
    ):
        response = send_json(client, "POST", "/notes", fields)
        expected = {"id": number, **fields}
        expect_equal(response.status_code, 201, "A1", f"POST /notes of {fields!r}: the status")
        got = response.get_json(silent=True)
        expect_equal(
            got,
            expected,
            "A1",
            f"POST /notes of {fields!r} to a new app: the body",
            why="every new app starts at id 1: a counter kept outside the factory goes on "
            "from the ids an earlier app gave out"
            if isinstance(got, dict) and got.get("id") != number
            else "",
        )
        location = response.headers.get("Location")
        expect(location is not None, "A1", "a 201 must say where the new note is: Location")
        found = client.get(urlsplit(location).path)
        expect_equal(
            (found.status_code, found.get_json(silent=True)),
            (200, expected),
            "A1",
            f"GET {location} (the Location of the new note)",
        )


def summary(response) -> tuple[int, object]:
    """(status, body), with an error body in the agreed shape written as "a JSON error"."""
    body = response.get_json(silent=True) if response.data else None
    if isinstance(body, dict) and response.status_code >= 400:
        if set(body) == {"status", "error"} and body["status"] == response.status_code:
            body = "a JSON error"
    elif response.status_code >= 400 and not response.is_json:
        body = f"not JSON but {response.mimetype or 'no mimetype'}"
    return response.status_code, body


@exercise("notes_api")
@claim("A1")
def test_a_note_from_creation_to_deletion(kata):
    client = serve(kata.create_notes_app())
    first = {"title": "draft", "body": ""}
    changed = {"title": "final", "body": "done"}
    seen = [
        ("POST /notes", send_json(client, "POST", "/notes", first)),
        ("PUT /notes/1", send_json(client, "PUT", "/notes/1", changed)),
        ("GET /notes/1", client.get("/notes/1")),
        ("DELETE /notes/1", client.delete("/notes/1")),
        ("GET /notes/1", client.get("/notes/1")),
        ("DELETE /notes/1", client.delete("/notes/1")),
        ("POST /notes", send_json(client, "POST", "/notes", first)),
    ]
    got = [(what, *summary(response)) for what, response in seen]
    expect_equal(
        got,
        [
            ("POST /notes", 201, {"id": 1, **first}),
            ("PUT /notes/1", 200, {"id": 1, **changed}),
            ("GET /notes/1", 200, {"id": 1, **changed}),
            ("DELETE /notes/1", 204, None),
            ("GET /notes/1", 404, "a JSON error"),
            ("DELETE /notes/1", 404, "a JSON error"),
            ("POST /notes", 201, {"id": 2, **first}),
        ],
        "A1",
        "(request, status, body) for one note's whole life",
        why="PUT replaces, DELETE answers 204 with no body, a deleted note is 404 from then on, "
        "and its id is not given out again",
    )


steps = st.lists(
    st.tuples(st.sampled_from(["POST", "GET", "PUT", "DELETE"]), st.integers(1, 3), note_fields),
    max_size=6,
)


@exercise("notes_api")
@claim("A1")
@settings(max_examples=SMALL)
@given(steps=steps)
def test_the_notes_follow_every_change(kata, steps):
    client = serve(kata.create_notes_app())
    model: dict[int, dict] = {}
    next_id = 1
    for method, note_id, fields in steps:
        if method == "POST":
            what = f"POST /notes of {fields!r}"
            response = send_json(client, method, "/notes", fields)
            model[next_id] = {"id": next_id, **fields}
            expected = (201, model[next_id])
            where = urlsplit(response.headers.get("Location", "")).path
            expect_equal(where, f"/notes/{next_id}", "A1", f"{what}: the Location's path")
            next_id += 1
        else:
            what = f"{method} /notes/{note_id}" + (f" of {fields!r}" if method == "PUT" else "")
            response = send_json(client, method, f"/notes/{note_id}", fields)
            if note_id not in model:
                check_json_error(response, 404, f"{what}, a note that does not exist")
                continue
            if method == "PUT":
                model[note_id] = {"id": note_id, **fields}
            expected = (200, model[note_id])
            if method == "DELETE":
                del model[note_id]
                expected = (204, None)
        got = (response.status_code, response.get_json(silent=True) if response.data else None)
        expect_equal(got, expected, "A1", f"{what} after {list(model)}: (status, body)")
    expect_equal(
        all_notes(client),
        {"notes": [model[note_id] for note_id in sorted(model)]},
        "A1",
        f"GET /notes after {steps}",
        why="ids start at 1, are given in order and never reused",
    )


ERROR_CASES = {
    "no such note": ("GET", "/notes/7", {}, 404),
    "no such URL": ("GET", "/nowhere", {}, 404),
    "a method the URL does not take": ("PATCH", "/notes", {}, 405),
    "a body not declared as JSON": (
        "POST",
        "/notes",
        {"data": '{"title": "t", "body": "b"}', "content_type": "text/plain"},
        415,
    ),
    "a body that does not parse": (
        "POST",
        "/notes",
        {"data": '{"title": "t",', "content_type": "application/json"},
        400,
    ),
}


@exercise("notes_api")
@claim("A1")
@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_every_error_is_json(kata, case):
    method, url, body, status = ERROR_CASES[case]
    response = serve(kata.create_notes_app()).open(url, method=method, **body)
    check_json_error(response, status, f"{method} {url}, {case}")


@exercise("notes_api")
@claim("A1")
def test_a_405_still_says_what_is_allowed(kata):
    response = serve(kata.create_notes_app()).open("/notes/1", method="PATCH")
    check_json_error(response, 405, "PATCH /notes/1")
    allowed = {method.strip() for method in response.headers.get("Allow", "").split(",")}
    expect(
        {"GET", "PUT", "DELETE"} <= allowed,
        "A1",
        "a 405 must keep its Allow header, listing the methods the URL takes",
        got=response.headers.get("Allow"),
        why="build the JSON answer on the response the HTTPException gives you "
        "(error.get_response()) so that its headers stay",
    )


JSON_KINDS = {type(None): "null", bool: "a boolean", int: "a number", float: "a number"}
JSON_KINDS |= {list: "a list", dict: "an object"}


def what_is_wrong(text: str) -> str:
    """What keeps a body from being a note, in the words of TELLING_BODIES."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return "not JSON"
    if not isinstance(value, dict):
        return f"{JSON_KINDS[type(value)]}, not an object"
    if set(value) - {"title", "body"}:
        return f"a field too many: {sorted(set(value) - {'title', 'body'})}"
    if {"title", "body"} - set(value):
        return f"a field missing: {sorted({'title', 'body'} - set(value))}"
    field = next(name for name in ("title", "body") if not isinstance(value[name], str))
    return f"{JSON_KINDS[type(value[field])]} for a string: {field!r}"


def not_a_note(value: object) -> bool:
    return not (
        isinstance(value, dict)
        and set(value) == {"title", "body"}
        and all(isinstance(field, str) for field in value.values())
    )


wrong_bodies = (
    json_values.filter(not_a_note)
    | st.fixed_dictionaries({"title": st.text(max_size=3)})
    | st.fixed_dictionaries({"title": json_values, "body": json_values}).filter(not_a_note)
    | st.fixed_dictionaries({"title": st.text(max_size=3), "body": st.text(max_size=3)}).map(
        lambda note: {**note, "author": "ada"}
    )
).map(json.dumps) | st.sampled_from(["", "{", '{"title": "t" "body": "b"}', "[1,]"])


@exercise("notes_api")
@claim("A1")
@settings(max_examples=SMALL)
@given(method=st.sampled_from(["POST", "PUT"]), text=wrong_bodies)
def test_a_wrong_body_is_400_and_changes_nothing(kata, method, text):
    client = serve(kata.create_notes_app())
    send_json(client, "POST", "/notes", {"title": "kept", "body": "as it was"})
    before = all_notes(client)
    url = "/notes" if method == "POST" else "/notes/1"
    response = client.open(url, method=method, data=text, content_type="application/json")
    check_json_error(
        response, 400, f"{method} {url} with the body {text!r} ({what_is_wrong(text)})"
    )
    expect_equal(all_notes(client), before, "A1", f"the notes after the refused {method}")


TELLING_BODIES = {
    "a field missing": {"title": "t"},
    "a field too many": {"title": "t", "body": "b", "author": "ada"},
    "a number for a string": {"title": 1, "body": "b"},
    "null for a string": {"title": "t", "body": None},
    "a list, not an object": ["t", "b"],
    "null": None,
}


@exercise("notes_api")
@claim("A1")
@pytest.mark.parametrize("case", list(TELLING_BODIES))
def test_each_kind_of_wrong_body_is_400(kata, case):
    client = serve(kata.create_notes_app())
    send_json(client, "POST", "/notes", {"title": "kept", "body": "as it was"})
    before = all_notes(client)
    for method, url in [("POST", "/notes"), ("PUT", "/notes/1")]:
        response = send_json(client, method, url, TELLING_BODIES[case])
        check_json_error(response, 400, f"{method} {url} with {case}: {TELLING_BODIES[case]!r}")
        expect_equal(all_notes(client), before, "A1", f"the notes after the refused {method}")


@exercise("notes_api")
@claim("A1")
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_deeply_nested_body_is_400_not_500(kata, method):
    client = serve(kata.create_notes_app())
    send_json(client, "POST", "/notes", {"title": "kept", "body": "as it was"})
    before = all_notes(client)
    url = "/notes" if method == "POST" else "/notes/1"
    response = client.open(url, method=method, data=DEEP, content_type="application/json")
    if response.status_code >= 500:
        fail(
            "A1",
            f'{method} {url} with a body of 100000 "[": a client\'s body made the app fail',
            expected=400,
            got=response.status_code,
            why="json.loads raises RecursionError on deep nesting, which get_json() does not "
            "turn into a 400: catch it where you read the body",
        )
    check_json_error(response, 400, f'{method} {url} with a body of 100000 "["')
    expect_equal(all_notes(client), before, "A1", f"the notes after the refused {method}")


header_text = st.text(
    alphabet=string.ascii_letters + string.digits + string.punctuation + " ", max_size=24
)
fuzz_requests = st.fixed_dictionaries(
    {
        "method": st.sampled_from(
            ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"]
        )
        | st.from_regex(r"[A-Z]{1,10}", fullmatch=True),
        "path": st.sampled_from(
            ["/notes", "/notes/1", "/notes/2", "/notes/0", "/notes/-1", "/notes/x", "/notes/1/"]
            + ["/notes//1", "/", "/notes/1/extra", "/notes/99999999999999999999"]
        ),
        "content_type": st.none()
        | st.sampled_from(["application/json", "text/plain", "application/merge-patch+json"])
        | header_text,
        "data": bodies | note_fields.map(lambda note: json.dumps(note).encode()),
        "headers": st.dictionaries(
            st.sampled_from(["Accept", "Authorization", "Cookie", "Origin", "If-Match", "Range"]),
            header_text,
            max_size=2,
        ),
    }
)


@exercise("notes_api")
@claim("A1")
@settings(max_examples=SMALL)
@given(sent=fuzz_requests)
def test_whatever_arrives_no_500_and_a_refusal_changes_nothing(kata, sent):
    client = serve(kata.create_notes_app())
    send_json(client, "POST", "/notes", {"title": "kept", "body": "as it was"})
    before = all_notes(client)
    response = client.open(sent["path"], **{key: sent[key] for key in sent if key != "path"})
    what = f"the request {sent!r}"
    expect(
        response.status_code < 500,
        "A1",
        f"{what} must not make the app fail",
        expected="a status below 500",
        got=response.status_code,
    )
    if response.status_code >= 400:
        if sent["method"] != "HEAD":  # a HEAD answer has no body to be JSON
            check_json_error(response, response.status_code, what)
        expect_equal(all_notes(client), before, "A1", f"the notes after refusing {what}")
