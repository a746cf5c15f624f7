"""Other answers to the session lesson: mistakes a learner might make, and right answers too."""

from tests.variants import alternative, mistake

# the reference cart app, with the places a variant changes left as {fields}
CART = """
app = Flask(__name__)
app.secret_key = secret_key

@app.post("/cart/<item>")
def add(item: str):
    cart = session.setdefault("cart", {{}})
    cart[item] = cart.get(item, 0) + 1
    {mark_added}
    return {{"cart": cart}}

@app.delete("/cart/<item>")
def remove(item: str):
    cart = session.get("cart", {{}})
    {check}
    cart[item] -= 1
    {empty}
    {mark_removed}
    return {{"cart": cart}}

@app.get("/cart")
def show():
    return {{"cart": session.get("cart", {{}})}}

return app
"""
MARK = "session.modified = True"
CHECK = "if item not in cart:\n        abort(404)"
EMPTY = "if not cart[item]:\n        del cart[item]"


def cart(mark_added=MARK, check=CHECK, empty=EMPTY, mark_removed=MARK) -> str:
    return CART.format(mark_added=mark_added, check=check, empty=empty, mark_removed=mark_removed)


# the reference reader, with the decoding of the payload left as {decode}
READER = """
compressed = value.startswith(".")
payload = value.lstrip(".").split(".")[0]
{decode}
return TaggedJSONSerializer().loads(data.decode("utf-8"))
"""
PADDED = 'data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))'
UNPADDED = (
    "data = base64.urlsafe_b64decode(payload)\nif compressed:\n    data = zlib.decompress(data)"
)

VARIANTS = [
    # keyless_session
    mistake(
        "keyless_session",
        "reading_raises_too",
        """
        WITHOUT_A_KEY = {"reading": RuntimeError, "writing": RuntimeError, "fix": "secret_key"}
        """,
        points_at="WITHOUT_A_KEY['reading']",
    ),
    mistake(
        "keyless_session",
        "writing_is_silently_lost",
        """
        WITHOUT_A_KEY = {"reading": None, "writing": None, "fix": "secret_key"}
        """,
        points_at="WITHOUT_A_KEY['writing']",
    ),
    mistake(
        "keyless_session",
        "the_config_key_for_the_attribute",
        """
        WITHOUT_A_KEY = {"reading": None, "writing": RuntimeError, "fix": "SECRET_KEY"}
        """,
        points_at="WITHOUT_A_KEY['fix']",
    ),
    alternative(
        "keyless_session",
        "built_with_dict",
        """
        WITHOUT_A_KEY = dict(reading={}.get("user"), writing=RuntimeError, fix="secret" + "_key")
        """,
    ),
    # tampered_cookie
    mistake(
        "tampered_cookie",
        "the_edit_is_believed",  # "signed" read as "checked only when the app feels like it"
        changes=[
            (
                '"payload_edited": {},',
                '"payload_edited": {"user": "grace", "role": "admin"},',
            ),
        ],
        points_at="TAMPERED['payload_edited']",
    ),
    mistake(
        "tampered_cookie",
        "a_forgery_is_an_error",
        changes=[
            (
                "TAMPERED_STATUS = 200",
                "TAMPERED_STATUS = 400",
            ),
        ],
        points_at="TAMPERED_STATUS",
    ),
    mistake(
        "tampered_cookie",
        "the_signature_binds_the_client",
        changes=[
            (
                '"copied_to_another_client": {"user": "grace", "role": "reader"},',
                '"copied_to_another_client": {},',
            ),
        ],
        points_at="TAMPERED['copied_to_another_client']",
    ),
    mistake(
        "tampered_cookie",
        "any_flask_key_will_do",
        changes=[
            (
                '"signed_with_another_key": {},',
                '"signed_with_another_key": {"user": "grace", "role": "reader"},',
            ),
        ],
        points_at="TAMPERED['signed_with_another_key']",
    ),
    alternative(
        "tampered_cookie",
        "named_sessions",
        """
        FORGED_SESSION = {}
        GRACES_SESSION = dict(user="grace", role="reader")
        TAMPERED = dict(
            payload_edited=FORGED_SESSION,
            signed_with_another_key=FORGED_SESSION,
            copied_to_another_client=GRACES_SESSION,
        )
        TAMPERED_STATUS = 404 - 204
        """,
    ),
    # cookie_payload
    mistake(
        "cookie_payload",
        "no_padding",
        READER.format(decode=UNPADDED),
        points_at="Incorrect padding",
    ),
    mistake(
        "cookie_payload",
        "skips_the_dot_but_not_the_compression",
        READER.format(decode=PADDED),
        points_at="zlib-compressed",
    ),
    mistake(
        "cookie_payload",
        "plain_json",  # the JSON inside is Flask's tagged JSON
        """
        import json

        compressed = value.startswith(".")
        payload = value.lstrip(".").split(".")[0]
        data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        if compressed:
            data = zlib.decompress(data)
        return json.loads(data)
        """,
        points_at="TaggedJSONSerializer",
    ),
    mistake(
        "cookie_payload",
        "needs_the_key",  # the cookie taken to be sealed: read it the way the app does, with a key
        """
        from itsdangerous import URLSafeTimedSerializer

        reader = URLSafeTimedSerializer("dev", salt="cookie-session", serializer=TaggedJSONSerializer())
        return reader.loads(value)
        """,
        points_at="the key is needed to write a cookie, never to read one",
    ),
    alternative(
        "cookie_payload",
        "itsdangerous_base64_and_flasks_serializer",
        """
        from flask.sessions import session_json_serializer
        from itsdangerous.encoding import base64_decode

        payload = value.rsplit(".", 2)[0]  # the last two parts: timestamp and signature
        data = base64_decode(payload.removeprefix("."))
        if payload.startswith("."):
            data = zlib.decompress(data)
        return session_json_serializer.loads(data)
        """,
    ),
    # nested_cart
    mistake(
        "nested_cart",
        "never_marks_it_modified",
        cart(mark_added="pass", mark_removed="pass"),
        points_at="the session only notices its own keys being set or deleted",
    ),
    mistake(
        "nested_cart",
        "marks_only_what_is_added",
        cart(mark_removed="pass"),
        points_at="but the next GET /cart found",
    ),
    mistake(
        "nested_cart",
        "an_empty_count_stays",
        cart(empty="pass"),
        points_at="a count that reaches 0 leaves the cart",
    ),
    mistake(
        "nested_cart",
        "no_404",
        cart(check="pass"),
        points_at="no pear is left in the cart: it must answer 404",
    ),
    mistake(
        "nested_cart",
        "one_session_key_per_item",  # no nested dict, no problem - and no cart either
        """
        app = Flask(__name__)
        app.secret_key = secret_key

        @app.post("/cart/<item>")
        def add(item):
            session[item] = session.get(item, 0) + 1
            return {"cart": dict(session)}

        @app.delete("/cart/<item>")
        def remove(item):
            if item not in session:
                abort(404)
            session[item] -= 1
            if not session[item]:
                del session[item]
            return {"cart": dict(session)}

        @app.get("/cart")
        def show():
            return {"cart": dict(session)}

        return app
        """,
        points_at="one dict under session['cart']",
    ),
    alternative(
        "nested_cart",
        "a_new_dict_every_time",
        """
        app = Flask(__name__)
        app.config["SECRET_KEY"] = secret_key

        @app.post("/cart/<item>")
        def add(item):
            cart = dict(session.get("cart", {}))
            cart[item] = cart.get(item, 0) + 1
            session["cart"] = cart  # a key of the session set: noticed
            return {"cart": cart}

        @app.delete("/cart/<item>")
        def remove(item):
            cart = dict(session.get("cart", {}))
            if item not in cart:
                return {"error": f"no {item} in the cart"}, 404
            cart[item] -= 1
            session["cart"] = {name: count for name, count in cart.items() if count > 0}
            return {"cart": session["cart"]}

        @app.get("/cart")
        def show():
            return {"cart": session.get("cart") or {}}

        return app
        """,
    ),
    # tagged_round_trip
    mistake(
        "tagged_round_trip",
        "everything_comes_back",
        "return value",
        points_at="it comes back aware, in UTC",
    ),
    mistake(
        "tagged_round_trip",
        "json_makes_tuples_lists",
        changes=[
            (
                "return type(value)(as_the_session_returns(item) for item in value)",
                "return [as_the_session_returns(item) for item in value]",
            ),
            (
                "# an HTTP date: seconds only, in UTC; a naive datetime is taken to be UTC already",
                "",
            ),
        ],
        points_at="a tuple comes back as a tuple",
    ),
    mistake(
        "tagged_round_trip",
        "keeps_the_microseconds",
        changes=[
            (
                "# an HTTP date: seconds only, in UTC; a naive datetime is taken to be UTC already",
                "",
            ),
            (
                "return value.astimezone(timezone.utc).replace(microsecond=0)",
                "return value.astimezone(timezone.utc)",
            ),
        ],
        points_at="it comes back in whole seconds",
    ),
    mistake(
        "tagged_round_trip",
        "naive_stays_naive",
        """
        if isinstance(value, dict):
            return {key: as_the_session_returns(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(as_the_session_returns(item) for item in value)
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = value.astimezone(timezone.utc)
            return value.replace(microsecond=0)
        return value
        """,
        points_at="it comes back aware, in UTC (a naive one is taken to be UTC)",
    ),
    mistake(
        "tagged_round_trip",
        "keeps_its_time_zone",
        """
        if isinstance(value, dict):
            return {key: as_the_session_returns(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(as_the_session_returns(item) for item in value)
        if isinstance(value, datetime):
            return value.replace(tzinfo=value.tzinfo or timezone.utc, microsecond=0)
        return value
        """,
        points_at="it comes back in UTC, whatever its time zone was",
    ),
    alternative(
        "tagged_round_trip",
        "the_serializer_itself",
        """
        tags = TaggedJSONSerializer()
        return tags.loads(tags.dumps(value))
        """,
    ),
    alternative(
        "tagged_round_trip",
        "werkzeug_http_dates",
        """
        from werkzeug.http import http_date, parse_date

        match value:
            case dict():
                return {key: as_the_session_returns(item) for key, item in value.items()}
            case tuple():
                return tuple(map(as_the_session_returns, value))
            case list():
                return list(map(as_the_session_returns, value))
            case datetime():
                return parse_date(http_date(value))
            case _:
                return value
        """,
    ),
]
