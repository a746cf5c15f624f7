# Your file: write between the '# ---- your ...' lines, replacing todo(...) and UNANSWERED.
# `dojo reset <exercise>` restores one exercise's stub; your file is backed up first.
"""Lesson: the session, a signed cookie (claim C9 in depth).

The notes call `session` a dict that the app remembers between requests. Flask keeps no such dict
on the server: the whole session travels to the client in a cookie, signed with the app's secret
key, and comes back with the next request. That one design choice explains everything in this
lesson: why the key is required, what happens to a forged cookie, why anyone can read the cookie,
why some changes are never saved, and which Python values survive the trip.

Run this lesson's specs with:  pytest specs/test_session.py
"""

import base64
import zlib
from datetime import datetime, timezone
from typing import Any

from flask import Flask, abort, session
from flask.json.tag import TaggedJSONSerializer

from dojo.kit import UNANSWERED, todo  # noqa: F401 - the generated kata's stubs use them

# ---------------------------------------------------------------------------------------------
# Exercise 1 - keyless_session (predict)
# An app with no secret key at all. One view only reads the session, another writes to it.
#   reading - what `session.get("user")` gives in the view that only reads
#   writing - the exception class raised by `session["user"] = "ada"` in the other view
#   fix     - the name of the app attribute that the exception's message tells you to set

# ---- your prediction: keyless_session ----
WITHOUT_A_KEY = {
    'reading': UNANSWERED,
    'writing': UNANSWERED,
    'fix': UNANSWERED,
}
# ---- end: keyless_session ----


# ---------------------------------------------------------------------------------------------
# Exercise 2 - tampered_cookie (predict)
# A client logs in to an app and its session becomes {"user": "grace", "role": "reader"}. Then a
# view that answers with the whole session receives, in turn, the cookies below. Say, for each,
# the session that the view sees (a dict):
#   payload_edited            - the client decoded the cookie, changed "reader" to "admin" and
#                               put it back, keeping the original signature
#   signed_with_another_key   - the same session, signed by an app with a different secret key
#   copied_to_another_client  - the untouched cookie, sent by a second client that copied it
# And TAMPERED_STATUS: the status code of the answer when the payload was edited.

# ---- your prediction: tampered_cookie ----
TAMPERED = {
    'payload_edited': UNANSWERED,
    'signed_with_another_key': UNANSWERED,
    'copied_to_another_client': UNANSWERED,
}
TAMPERED_STATUS = UNANSWERED
# ---- end: tampered_cookie ----


# ---------------------------------------------------------------------------------------------
# Exercise 3 - cookie_payload (build)
# The session cookie is signed, not encrypted. Prove it: given the value of a session cookie, and
# no secret key, give back the session it carries, as the app itself would read it (a dict).
# The cookie is in three parts joined by dots: payload, timestamp, signature. The payload is
# URL-safe base64 without padding; a leading dot means it was zlib-compressed first. Inside is
# Flask's "tagged JSON", which flask.json.tag.TaggedJSONSerializer reads back.


def read_session_cookie(value: str) -> dict[str, Any]:
    """The session that a session cookie carries, read without the secret key."""
    # ---- your code: cookie_payload ----
    todo("cookie_payload")
    # ---- end: cookie_payload ----


# ---------------------------------------------------------------------------------------------
# Exercise 4 - nested_cart (use)
# A shop whose cart lives in the session as ONE nested dict: session["cart"] = {item: count}.
#   POST   /cart/<item>  add one of item; answer {"cart": the whole cart}
#   DELETE /cart/<item>  take one away (an item whose count reaches 0 leaves the cart);
#                        404 if the item is not in the cart
#   GET    /cart         answer {"cart": the whole cart}, {} when nothing was added
# Every change must still be there on the next request. Flask notices when a key of the session
# itself is set or deleted; it does not notice a change made inside a value the session holds.


def create_cart_app(secret_key: str) -> Flask:
    # ---- your code: nested_cart ----
    todo("nested_cart")
    # ---- end: nested_cart ----


# ---------------------------------------------------------------------------------------------
# Exercise 5 - tagged_round_trip (build)
# Plain JSON knows no tuple, bytes, UUID, datetime or Markup; Flask's session tags them so that
# they come back as what they were. Nearly: find out on the installed Flask what becomes of a
# datetime on the way (naive or aware, which time zone, how fine a precision).
# Write as_the_session_returns(value): for a value kept in the session, the value that the next
# request reads back. Values are None, bool, int, float, str, bytes, UUID, Markup, datetime, and
# lists, tuples and dicts (str keys) of these, nested at any depth.


def as_the_session_returns(value: Any) -> Any:
    """What the next request reads back after `value` was kept in the session."""
    # ---- your code: tagged_round_trip ----
    todo("tagged_round_trip")
    # ---- end: tagged_round_trip ----
