"""Specs of the lesson `request`: the request object, read as if it were a global (C1, C8).

The predictions are compared with what the installed Flask does during the run; the echo views
are fed inputs drawn by hypothesis, and each must come back exactly as the client sent it.
"""

from __future__ import annotations

import json
import urllib.parse

import flask
import pytest
from flask import Flask
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dojo.spec import any_json_value, check_prediction, client_of, expect, expect_equal

exercise = pytest.mark.exercise
claim = pytest.mark.claim
# half the project's default: each example is a full request, and both lessons of this part of
# the course must run in well under two seconds
echo_examples = settings(max_examples=20)


def serve(app: object, claim_id: str = "C8") -> flask.testing.FlaskClient:
    return client_of(app, claim_id)


# why a view may not have answered at all
NOT_ANSWERED = {
    404: "no rule matches the URL: check the rule's path",
    405: "the rule does not accept this method: name every method in "
    "@app.route(..., methods=[...])",
}


def answer_of(response, claim_id: str, what: str) -> dict:
    expect_equal(
        response.status_code,
        200,
        claim_id,
        f"{what} must answer 200",
        why=NOT_ANSWERED.get(response.status_code, ""),
    )
    expect(
        isinstance(response.json, dict),
        claim_id,
        f"{what} must answer with a JSON object",
        got=response.get_data(as_text=True)[:200],
    )
    return response.json


# --- Exercise 1: what_a_view_gets ------------------------------------------------------------


def observe(fact: str) -> object:
    """Make one request on a fresh app and report what Flask did."""
    if fact == "proxy_type":
        return type(flask.request).__name__
    app = Flask(__name__)
    seen: dict[str, object] = {}

    @app.route("/items/<int:item_id>", methods=["GET", "POST"])
    def item(**kwargs):
        seen["view_arguments"] = kwargs
        seen["first_of_repeated"] = flask.request.args.get("tag")
        seen["all_of_repeated"] = flask.request.args.getlist("tag")
        seen["form_of_json_post"] = flask.request.form.to_dict()
        if fact == "missing_arg_status":
            flask.request.args["colour"]
        if fact == "plain_text_as_json":
            flask.request.get_json()
        return ""

    client = app.test_client()
    if fact == "form_of_json_post":
        client.post("/items/7", json={"colour": "teal"})
        return seen[fact]
    if fact == "plain_text_as_json":
        return client.post("/items/7", data="teal", content_type="text/plain").status_code
    response = client.get("/items/7?tag=a&tag=b")
    if fact == "missing_arg_status":
        return response.status_code
    return seen[fact]


@exercise("what_a_view_gets")
@claim("C1")
@pytest.mark.parametrize("fact", ["view_arguments", "proxy_type"])
def test_a_view_is_given_its_url_arguments_and_nothing_else(kata, fact):
    check_prediction(
        kata,
        "REQUEST_FACTS",
        observe(fact),
        "C1",
        f"fact {fact!r}",
        key=fact,
        why="Flask calls a view with the URL's arguments only; `request` is one module-level "
        "object that stands for whichever request is current",
    )


@exercise("what_a_view_gets")
@claim("C8")
@pytest.mark.parametrize(
    "fact",
    [
        "first_of_repeated",
        "all_of_repeated",
        "missing_arg_status",
        "plain_text_as_json",
        "form_of_json_post",
    ],
)
def test_what_request_hands_a_view(kata, fact):
    check_prediction(kata, "REQUEST_FACTS", observe(fact), "C8", f"fact {fact!r}", key=fact)


# --- Exercise 2: echo_url --------------------------------------------------------------------

# any text a client can put in a URL, except what no router accepts in one path segment
printable = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/")
segments = st.text(printable, min_size=1, max_size=8).filter(lambda s: s not in (".", ".."))
query_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=10)
query_pairs = st.lists(st.tuples(query_text, query_text), max_size=5)
methods = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"])


def grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    by_name: dict[str, list[str]] = {}
    for name, value in pairs:
        by_name.setdefault(name, []).append(value)
    return by_name


def url_of(parts: list[str], pairs: list[tuple[str, str]] = ()) -> str:
    path = "/echo/" + "/".join(urllib.parse.quote(part, safe="") for part in parts)
    return f"{path}?{urllib.parse.urlencode(pairs)}" if pairs else path


@exercise("echo_url")
@claim("C1")
@echo_examples
@given(parts=st.lists(segments, min_size=1, max_size=3))
def test_the_url_argument_and_the_path(kata, parts):
    url = url_of(parts)
    answer = answer_of(serve(kata.create_url_echo_app(), "C1").get(url), "C1", f"GET {url}")
    rest = "/".join(parts)
    expect_equal(
        answer.get("rest"),
        rest,
        "C1",
        f"GET {url}: `rest`, the one argument Flask passes to the view",
        why="the <path:rest> converter hands the view the decoded end of the path",
    )
    expect_equal(
        answer.get("path"),
        f"/echo/{rest}",
        "C1",
        f"GET {url}: request.path, read from the global-looking request",
        why="request.path is the decoded path, without the query string",
    )


# a name sent twice: first, so that losing a value fails at once, on a readable example
REPEATED = [("tag", "a"), ("tag", "b")]


@exercise("echo_url")
@claim("C8")
@echo_examples
@example(method="GET", pairs=REPEATED)
@given(method=methods, pairs=query_pairs)
def test_the_method_and_every_query_argument_come_back(kata, method, pairs):
    url = url_of(["x"], pairs)
    client = serve(kata.create_url_echo_app())
    answer = answer_of(client.open(url, method=method), "C8", f"{method} {url}")
    expect_equal(answer.get("method"), method, "C8", f"{method} {url}: the method")
    expect_equal(
        answer.get("args"),
        grouped(pairs),
        "C8",
        f"{method} {url}: the query arguments",
        why="request.args is a MultiDict: .get() gives the first value of a name only; "
        "to_dict(flat=False) or getlist() keep them all",
    )


# --- Exercise 3: echo_body -------------------------------------------------------------------

json_values = any_json_value()


@exercise("echo_body")
@claim("C8")
@echo_examples
@example(pairs=REPEATED)
@given(pairs=query_pairs)
def test_every_form_field_comes_back(kata, pairs):
    client = serve(kata.create_body_echo_app())
    body = urllib.parse.urlencode(pairs)
    response = client.post("/form", data=body, content_type="application/x-www-form-urlencoded")
    answer = answer_of(response, "C8", f"POST /form with {body!r}")
    expect_equal(
        answer.get("form"),
        grouped(pairs),
        "C8",
        f"POST /form with {body!r}: the form fields",
        why="request.form is a MultiDict like request.args, filled from the body",
    )


def misread_json(value: object, body: str, answer: dict) -> str:
    """What the view did to the JSON value, when it did not hand it back."""
    got = answer.get("json")
    if got == body:
        return (
            "the body came back as the text it was sent as: request.get_json() parses the "
            "body into its value"
        )
    if not value and got != value:
        return (
            "a falsy value (null, false, 0, an empty string or list) is a value too: `or` and "
            "`if not` put something else in its place"
        )
    return ""


@exercise("echo_body")
@claim("C8")
@echo_examples
@given(value=json_values)
def test_any_json_value_comes_back(kata, value):
    client = serve(kata.create_body_echo_app())
    # json=None would send no body at all, and null is a JSON value like any other
    body = json.dumps(value)
    response = client.post("/json", data=body, content_type="application/json")
    answer = answer_of(response, "C8", f"POST /json with {body!r}")
    expect(
        "json" in answer and answer["json"] == value,
        "C8",
        f"POST /json with {body!r}: the JSON value",
        expected={"json": value},
        got=answer,
        why=misread_json(value, body, answer)
        or "request.get_json() parses the body when it is declared application/json",
    )


# --- Exercise 4: echo_headers ----------------------------------------------------------------

header_names = st.from_regex(r"x-kata-[a-z]{1,8}", fullmatch=True)
# visible ASCII, spaces inside only: what a header value carries unchanged
header_values = st.from_regex(r"[!-~]([ !-~]{0,12}[!-~])?", fullmatch=True)
cookie_names = st.from_regex(r"[A-Za-z0-9_]{1,10}", fullmatch=True)
cookie_values = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@exercise("echo_headers")
@claim("C8")
@echo_examples
@example(headers={"x-kata-colour": "Teal"})  # first: a wrong answer fails at once, readably
@given(headers=st.dictionaries(header_names, header_values, max_size=4))
def test_every_header_comes_back(kata, headers):
    response = serve(kata.create_header_echo_app()).get("/headers", headers=headers)
    answer = answer_of(response, "C8", "GET /headers")
    got = answer.get("headers")
    expect(isinstance(got, dict), "C8", "`headers` must be an object", got=got)
    expect_equal(
        {name: got.get(name) for name in headers},
        headers,
        "C8",
        f"GET /headers with headers {headers!r}: the headers sent, by lower-case name",
        why="request.headers is case-insensitive; iterate over its items to list them all",
    )


@exercise("echo_headers")
@claim("C8")
@echo_examples
@example(cookies={"flavour": 'say "oat"'})  # first: a value the Cookie header carries quoted
@given(cookies=st.dictionaries(cookie_names, cookie_values, max_size=4))
def test_every_cookie_comes_back(kata, cookies):
    client = serve(kata.create_header_echo_app())
    for name, value in cookies.items():
        client.set_cookie(name, value)
    answer = answer_of(client.get("/headers"), "C8", "GET /headers")
    expect_equal(
        answer.get("cookies"),
        cookies,
        "C8",
        f"GET /headers with cookies {cookies!r}: the cookies",
        why="request.cookies holds the Cookie header's pairs, already unquoted",
    )
