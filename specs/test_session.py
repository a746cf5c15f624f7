"""Specs of the lesson `session`: the session is a signed cookie (claim C9 in depth).

Every prediction is compared with what the installed Flask does during the run. Cookies are made
and read by real apps; the secret keys are the specs' own and never reach the learner's code.
"""

from __future__ import annotations

import base64
import traceback
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import flask
import pytest
from flask import Flask, session
from flask.json.tag import TaggedJSONSerializer
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from dojo import observe
from dojo.kit import display_path
from dojo.spec import check_prediction, client_of, expect, expect_equal, fail

exercise = pytest.mark.exercise
claim = pytest.mark.claim

# each example makes cookies and requests: fewer examples keep the lesson quick, and the specs
# without hypothesis pin the telling cases
SMALL = 20
LEARNERS_APP = 15  # an example that builds the learner's app costs more

tags = TaggedJSONSerializer()


def serve(app: object) -> flask.testing.FlaskClient:
    return client_of(app, "C9")


def typed(value: Any) -> Any:
    """The value with its types spelled out: Markup equals str and True equals 1, so == is not
    enough to tell what came back."""
    if isinstance(value, dict):
        return ("dict", sorted((key, typed(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [typed(item) for item in value])
    if isinstance(value, datetime):
        return ("datetime", value.isoformat())
    return (type(value).__name__, value)


def came_through(kata, error: BaseException) -> str:
    """The line of the learner's file that an exception came through (else its last line)."""
    frames = traceback.extract_tb(error.__traceback__)
    theirs = [f for f in frames if display_path(f.filename) == kata.file] or frames
    return f"it came through {display_path(theirs[-1].filename)}:{theirs[-1].lineno}"


def call(kata, what: str, name: str, *args, hint: str = "") -> Any:
    """Call the learner's function; an exception it raises fails the spec, naming the line of
    the learner's file it came through (and the hint, if the spec knows a likely cause)."""
    function = getattr(kata, name)  # outside the try: a missing name has its own message
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 - any exception of the learner's code is reported
        where = came_through(kata, error)
        fail(
            "C9",
            f"{what} raised {type(error).__name__}: {error}",
            why=f"{where}; {hint}" if hint else where,
        )


def session_cookie(app: Flask, data: dict) -> str:
    """The session cookie that `app` writes for a session holding `data`."""
    client = app.test_client()
    with client.session_transaction() as stored:
        stored.update(data)
    return client.get_cookie("session").value


def as_the_app_reads(app: Flask, cookie: str) -> dict:
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        return dict(app.session_interface.open_session(app, flask.request))


def with_payload(cookie: str, data: dict) -> str:
    """The cookie with its payload replaced, keeping its timestamp and signature."""
    payload = base64.urlsafe_b64encode(tags.dumps(data).encode()).decode().rstrip("=")
    return ".".join([payload, *cookie.split(".")[-2:]])


# --- Exercise 1: keyless_session -------------------------------------------------------------


def keyless_app() -> Flask:
    app = Flask(__name__)
    app.testing = True

    @app.get("/read")
    def read():
        return {"user": session.get("user")}

    @app.get("/write")
    def write():
        session["user"] = "ada"
        return ""

    return app


@exercise("keyless_session")
@claim("C9")
def test_reading_a_session_without_a_key(kata):
    seen = keyless_app().test_client().get("/read").json["user"]
    check_prediction(
        kata,
        "WITHOUT_A_KEY",
        seen,
        "C9",
        'what session.get("user") gives in a view of an app with no secret key',
        key="reading",
        why="with no key there is nothing to sign with, so the view gets a stand-in session "
        "that can be read and is empty",
    )


def write_without_a_key(app: Flask) -> tuple[type | None, str]:
    """(the exception class, its message) when a view writes to the session; None if it works."""
    try:
        app.test_client().get("/write")
    except Exception as error:  # noqa: BLE001 - the exception is what is observed
        return type(error), str(error)
    return None, "nothing was raised"


@exercise("keyless_session")
@claim("C9")
def test_writing_a_session_without_a_key(kata):
    raised, message = write_without_a_key(keyless_app())
    check_prediction(
        kata,
        "WITHOUT_A_KEY",
        raised,
        "C9",
        "what writing to the session raises in an app with no secret key",
        key="writing",
        why=f"Flask's own message, from this run: {message!r}",
    )


@exercise("keyless_session")
@claim("C9")
def test_the_message_says_what_to_set(kata):
    fix = kata.prediction("WITHOUT_A_KEY", "fix")
    _, message = write_without_a_key(keyless_app())
    expect(
        isinstance(fix, str) and fix in message,
        "C9",
        f"{kata.file}:WITHOUT_A_KEY['fix'] must be a name that Flask's message, from this run, "
        "tells you to set",
        expected=f"a word of {message!r}",
        got=fix,
    )
    app = keyless_app()
    expect(hasattr(app, fix), "C9", f"a Flask app has no attribute {fix!r}", got=fix)
    setattr(app, fix, "a key at last")
    raised, message = write_without_a_key(app)
    expect(
        raised is None,
        "C9",
        f"after setting app.{fix}, writing to the session must work",
        got=f"{raised.__name__ if raised else None}: {message}",
        why="the fix is the app attribute that holds the key the cookie is signed with",
    )


# --- Exercise 2: tampered_cookie -------------------------------------------------------------

GRACE = {"user": "grace", "role": "reader"}


def whoami_app(secret_key: str) -> Flask:
    app = Flask(__name__)
    app.secret_key = secret_key
    app.testing = True

    @app.get("/whoami")
    def whoami():
        return dict(session)

    return app


def answer_to(app: Flask, cookie: str):
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get("/whoami")


def observe_tampering(case: str):
    app = whoami_app("the shop's key")
    genuine = session_cookie(app, GRACE)
    if case == "payload_edited":
        cookie = with_payload(genuine, {**GRACE, "role": "admin"})
    elif case == "signed_with_another_key":
        cookie = session_cookie(whoami_app("another key"), GRACE)
    else:  # copied_to_another_client
        cookie = genuine
    return answer_to(app, cookie)


TAMPERING_WHY = {
    "payload_edited": "the signature covers the exact payload; Flask finds it does not match and "
    "starts the request with an empty session, without any error",
    "signed_with_another_key": "a signature made with another key does not verify with this one: "
    "to Flask it is the same as a forged cookie",
    "copied_to_another_client": "the cookie is genuine: a signature says who wrote it, not who "
    "sends it, so whoever holds the cookie holds the session",
}


@exercise("tampered_cookie")
@claim("C9")
@pytest.mark.parametrize("case", list(TAMPERING_WHY))
def test_the_session_a_view_sees(kata, case):
    check_prediction(
        kata,
        "TAMPERED",
        observe_tampering(case).json,
        "C9",
        f"the session the view sees, case {case!r}",
        key=case,
        why=TAMPERING_WHY[case],
    )


@exercise("tampered_cookie")
@claim("C9")
def test_the_status_after_an_edited_payload(kata):
    check_prediction(
        kata,
        "TAMPERED_STATUS",
        observe_tampering("payload_edited").status_code,
        "C9",
        "the status code of the answer when the payload was edited",
        why="a bad signature is not an error to Flask: the request simply has no session",
    )


json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
small_sessions = st.dictionaries(st.text(max_size=6), json_scalars, min_size=1, max_size=3)


@pytest.fixture
def shop() -> Flask:
    """One app for all the examples of a spec: it keeps nothing, the sessions are in cookies."""
    return whoami_app("the shop's key")


@exercise("tampered_cookie")
@claim("C9")
@settings(max_examples=SMALL)
@given(forged=small_sessions.filter(lambda data: data != GRACE))
def test_any_edited_payload_is_thrown_away(kata, shop, forged):
    app = shop
    cookie = with_payload(session_cookie(app, GRACE), forged)
    check_prediction(
        kata,
        "TAMPERED",
        answer_to(app, cookie).json,
        "C9",
        f"the session the view sees when the payload was replaced by {forged!r}",
        key="payload_edited",
        why=TAMPERING_WHY["payload_edited"],
    )


# --- Exercise 3: cookie_payload --------------------------------------------------------------

cookie_values = st.recursive(
    json_scalars | st.binary(max_size=6) | st.uuids(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


COMPRESSED_WHY = (
    "a cookie that starts with a dot holds a zlib-compressed payload: drop the dot, and "
    "decompress after the base64 decoding"
)
TAGS_WHY = (
    "a dict like {' t': [...]} or {' b': '...'} is one of Flask's tags: read the JSON with "
    "TaggedJSONSerializer().loads, which turns tuples, bytes, UUIDs and the rest back into "
    "themselves"
)
ENCODED_WHY = (
    "the payload is only encoded, not encrypted: the key is needed to write a cookie, never to "
    "read one"
)


def holds_a_tag(value: Any) -> bool:
    """Whether the value holds a dict that looks like one of Flask's tags ({" t": [...]})."""
    if isinstance(value, dict):
        tagged = len(value) == 1 and next(iter(value)) in tags.tags
        return tagged or any(holds_a_tag(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(holds_a_tag(item) for item in value)
    return False


def check_cookie_read(kata, app: Flask, cookie: str, what: str) -> None:
    compressed = COMPRESSED_WHY if cookie.startswith(".") else ""
    hint = compressed or ENCODED_WHY
    got = call(kata, f"read_session_cookie({cookie!r})", "read_session_cookie", cookie, hint=hint)
    expected = as_the_app_reads(app, cookie)
    if typed(got) != typed(expected):
        untagged = holds_a_tag(got) and not holds_a_tag(expected)
        fail(
            "C9",
            what,
            expected=typed(expected),
            got=typed(got),
            why=TAGS_WHY if untagged else compressed or ENCODED_WHY,
        )


@exercise("cookie_payload")
@claim("C9")
@settings(max_examples=SMALL)
@given(
    secret_key=st.text(min_size=1, max_size=12),
    data=st.dictionaries(st.text(max_size=6), cookie_values, min_size=1, max_size=3),
)
def test_the_cookie_is_readable_without_the_key(kata, shop, secret_key, data):
    app = shop
    app.secret_key = secret_key  # a key of the spec's, drawn anew; the learner never sees it
    cookie = session_cookie(app, data)
    what = f"read_session_cookie({cookie!r}): the session it carries, with every type kept"
    check_cookie_read(kata, app, cookie, what)


@exercise("cookie_payload")
@claim("C9")
@pytest.mark.parametrize(
    "data",
    [
        {"user": "grace", "seen": ("news", b"\x00")},
        {"notes": "to do, " * 40, "done": ("shopping", b"receipt")},
    ],
    ids=["short", "long-enough-to-compress"],
)
def test_a_cookie_short_or_compressed_is_readable(kata, shop, data):
    cookie = session_cookie(shop, data)
    what = f"read_session_cookie of a cookie that starts with {cookie[:1]!r}"
    check_cookie_read(kata, shop, cookie, what)


# --- Exercise 4: nested_cart -----------------------------------------------------------------

ITEMS = ("apple", "pear")  # few items, so that steps meet the same one often


def stored_cart(client) -> object:
    """What the session itself holds, as the app reads it from the client's cookie."""
    with client.session_transaction() as stored:
        return dict(stored)


@exercise("nested_cart")
@claim("C9")
def test_the_same_item_added_twice_is_counted_twice(kata):
    app = kata.create_cart_app("the shop's key")
    client = serve(app)
    client.post("/cart/apple")
    client.post("/cart/apple")
    expect_equal(
        client.get("/cart").get_json(silent=True),
        {"cart": {"apple": 2}},
        "C9",
        "GET /cart after POST /cart/apple twice",
        why="the second POST changed a value inside session['cart'], and the session only "
        "notices its own keys being set or deleted: mark it with session.modified = True",
        flask={"session in the cookie": observe.session_of(app, client)},
    )


@exercise("nested_cart")
@claim("C9")
def test_taking_items_away_one_at_a_time(kata):
    app = kata.create_cart_app("the shop's key")
    client = serve(app)
    for _ in range(2):
        client.post("/cart/pear")
    seen, answered = [], []
    for number in range(1, 4):
        try:
            response = client.delete("/cart/pear")
        except Exception as error:  # noqa: BLE001 - any exception of the learner's view is reported
            left = "no pear is left in the cart: it must answer 404" if number == 3 else ""
            fail(
                "C9",
                f"DELETE /cart/pear number {number}, after adding two pears, raised "
                f"{type(error).__name__}: {error}",
                why="; ".join(filter(None, [came_through(kata, error), left])),
            )
        answered.append(response.get_json(silent=True))
        seen.append((response.status_code, client.get("/cart").get_json(silent=True)))
    lost = [
        (number, said, saved)
        for number, ((status, saved), said) in enumerate(zip(seen, answered, strict=True), 1)
        if status == 200 and said != saved
    ]
    why = (
        "each DELETE changes the cart in place; a count that reaches 0 leaves the cart, and then "
        "there is nothing left to take away"
    )
    if lost:
        number, said, saved = lost[0]
        why = (
            f"DELETE number {number} answered {said} but the next GET /cart found {saved}: the "
            "change was made inside session['cart'], and the session only notices its own keys "
            "being set or deleted - mark it with session.modified = True"
        )
    expect_equal(
        seen,
        [(200, {"cart": {"pear": 1}}), (200, {"cart": {}}), (404, {"cart": {}})],
        "C9",
        "(status of DELETE /cart/pear, then GET /cart), three times after adding two pears",
        why=why,
        flask={"session in the cookie": observe.session_of(app, client)},
    )


@exercise("nested_cart")
@claim("C9")
@settings(max_examples=LEARNERS_APP)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["POST", "DELETE"]), st.sampled_from(ITEMS)), max_size=6
    )
)
def test_every_change_is_still_there_next_request(kata, steps):
    app = kata.create_cart_app("the shop's key")
    client = serve(app)
    cart: dict[str, int] = {}
    for number, (method, item) in enumerate(steps, 1):
        response = client.open(f"/cart/{item}", method=method)
        if method == "DELETE" and item not in cart:
            expect_equal(
                response.status_code, 404, "C9", f"step {number}: DELETE of {item!r}, not in cart"
            )
            continue
        cart[item] = cart.get(item, 0) + (1 if method == "POST" else -1)
        cart = {name: count for name, count in cart.items() if count}
        expect_equal(
            response.get_json(silent=True),
            {"cart": cart},
            "C9",
            f"step {number} of {steps}: the answer to {method} /cart/{item}",
        )
    expect_equal(
        client.get("/cart").get_json(silent=True),
        {"cart": cart},
        "C9",
        f"GET /cart after {steps}",
        why="a change made inside session['cart'] is saved only if the session is marked modified",
        flask={"session in the cookie": observe.session_of(app, client)},
    )
    stored = stored_cart(client)
    expect_equal(
        stored.get("cart", {}) if not cart else stored,
        {"cart": cart} if cart else {},
        "C9",
        "the session itself: the whole cart is one dict under session['cart'], nothing else",
    )


# --- Exercise 5: tagged_round_trip -----------------------------------------------------------

offsets = st.integers(-23 * 60, 23 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
# years below 100 are left out: the date parser takes them for two-digit years and moves them into
# 1969-2068; a day's margin at each end keeps every time zone within datetime's range
datetimes = st.datetimes(
    min_value=datetime(100, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.none() | offsets,
)
session_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
    | st.binary(max_size=6)
    | st.uuids()
    | st.text(max_size=6).map(Markup)
    | datetimes,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


def round_trip(app: Flask, value: object) -> object:
    """Keep the value in a real session, then read it back as the next request would."""
    client = app.test_client()
    with client.session_transaction() as stored:
        stored["kept"] = value
    with client.session_transaction() as stored:
        return stored["kept"]


def first_difference(got: Any, expected: Any, where: str) -> tuple[str, Any, Any] | None:
    """(where, got, expected) at the innermost place where the two differ, value or type."""
    if typed(got) == typed(expected):
        return None
    if isinstance(expected, dict) and isinstance(got, dict) and got.keys() == expected.keys():
        for key in expected:
            found = first_difference(got[key], expected[key], f"{where}[{key!r}]")
            if found:
                return found
    same_shape = type(got) is type(expected) and isinstance(expected, (list, tuple))
    if same_shape and len(got) == len(expected):
        for index, (mine, theirs) in enumerate(zip(got, expected, strict=True)):
            found = first_difference(mine, theirs, f"{where}[{index}]")
            if found:
                return found
    return where, got, expected


HTTP_DATE = "a datetime is kept as an HTTP date, with whole seconds and always in GMT"
TAGGED_WHY = {
    tuple: "a tuple comes back as a tuple: Flask tags it (' t') so that it is not read back as "
    "a list",
    list: "a list comes back as a list",
    bytes: "bytes are tagged (' b', base64) and come back as bytes",
    uuid.UUID: "a UUID is tagged (' u') and comes back as a UUID",
    Markup: "Markup is tagged (' m') and comes back as Markup, not as a plain str",
}


def round_trip_why(got: Any, expected: Any) -> str:
    """Why the value comes back as `expected`, told from how `got` differs from it."""
    if isinstance(expected, datetime):
        if not isinstance(got, datetime):
            return f"{HTTP_DATE}, and comes back as a datetime, aware, in UTC"
        if got.tzinfo is None:
            return f"{HTTP_DATE}: it comes back aware, in UTC (a naive one is taken to be UTC)"
        if got.utcoffset():
            return f"{HTTP_DATE}: it comes back in UTC, whatever its time zone was"
        if got.microsecond:
            return f"{HTTP_DATE}: it comes back in whole seconds, the microseconds are lost"
        return f"{HTTP_DATE}: it comes back aware, in UTC"
    for kind, why in TAGGED_WHY.items():
        if type(expected) is kind:
            return why
    return "the expected value was read back from a real session during this run; types count"


def check_round_trip(kata, app: Flask, value: object) -> None:
    live = round_trip(app, value)
    got = call(kata, f"as_the_session_returns({value!r})", "as_the_session_returns", value)
    found = first_difference(got, live, "")
    if found is not None:
        where, mine, theirs = found
        fail(
            "C9",
            f"as_the_session_returns({value!r})" + (f", at {where}" if where else ""),
            expected=live,
            got=got,
            why=round_trip_why(mine, theirs),
        )


@exercise("tagged_round_trip")
@claim("C9")
@settings(max_examples=SMALL)
@given(value=session_values)
def test_what_comes_back_from_the_session(kata, shop, value):
    check_round_trip(kata, shop, value)


@exercise("tagged_round_trip")
@claim("C9")
@settings(max_examples=SMALL)
@given(value=datetimes)
def test_what_comes_back_of_a_datetime(kata, shop, value):
    check_round_trip(kata, shop, value)


@exercise("tagged_round_trip")
@claim("C9")
@pytest.mark.parametrize(
    "value",
    [
        (1, "two", (3.0,)),
        b"\x00\xff",
        uuid.UUID(int=7),
        Markup("<em>kept</em>"),
        {" t": ["a dict whose only key looks like a tag"]},
        datetime(2024, 2, 29, 23, 59, 59, 999_999),
        datetime(2024, 2, 29, 23, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=5.5))),
    ],
    ids=["tuple", "bytes", "uuid", "markup", "tag-like-key", "naive-datetime", "aware-datetime"],
)
def test_each_tagged_type_comes_back_as_itself(kata, shop, value):
    check_round_trip(kata, shop, value)
