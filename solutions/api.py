"""Lesson: a JSON API that survives bad input (claim A1, beyond the notes).

The notes' section on APIs stops after its first sentence; this lesson goes on from there. An API
speaks JSON both ways, errors included, and whatever a client sends - a broken body, the wrong
content type, a method nobody expected - it answers with a 4xx that says what was wrong, never
with a 500, and it changes nothing it was asked to change by a request it refused.

Run this lesson's specs with:  pytest specs/test_api.py
"""

import itertools
import json
from typing import Any

from flask import Flask, abort, request, url_for
from werkzeug.exceptions import BadRequest, HTTPException, UnsupportedMediaType

from dojo.kit import UNANSWERED, todo  # noqa: F401 - the generated kata's stubs use them

# ---------------------------------------------------------------------------------------------
# Exercise 1 - flask_json_defaults (predict)
# Before writing any error handling, see what Flask answers on its own. A bare app has one view:
#
#     @app.post("/echo")
#     def echo():
#         return {"body": request.get_json()}
#
# Give the status code Flask answers with in each case:
#   not_declared_json - POST /echo with a JSON text, but declared as text/plain
#   malformed_json    - POST /echo declared application/json, with the body  {"title":
#   empty_body        - POST /echo declared application/json, with no body at all
#   json_null         - POST /echo declared application/json, with the body  null
#   deeply_nested     - POST /echo declared application/json, with 100000 "[" in a row
#   wrong_method      - GET /echo
#   unknown_url       - POST /nowhere
# And ERROR_MIMETYPE: the mimetype of the answers Flask gives for its errors.

# answer: flask_json_defaults
FLASK_ANSWERS = {
    "not_declared_json": 415,
    "malformed_json": 400,
    "empty_body": 400,
    "json_null": 200,
    "deeply_nested": 500,
    "wrong_method": 405,
    "unknown_url": 404,
}
ERROR_MIMETYPE = "text/html"
# end answer


# ---------------------------------------------------------------------------------------------
# Exercise 2 - json_body_rules (build)
# Rebuild the rule behind request.get_json(): given a request's Content-Type header (or None when
# it has none) and its body, return the JSON value the body holds, or raise the error Flask
# raises - werkzeug.exceptions.UnsupportedMediaType when the body is not declared as JSON,
# werkzeug.exceptions.BadRequest when it is declared JSON but does not parse.


def read_json(content_type: str | None, body: bytes) -> Any:
    """The JSON value of a request body, decided exactly as request.get_json() decides."""
    # solution: json_body_rules
    mimetype = (content_type or "").split(";")[0].strip().lower()
    if not (
        mimetype == "application/json"
        or (mimetype.startswith("application/") and mimetype.endswith("+json"))
    ):
        raise UnsupportedMediaType("the body is not declared as JSON")
    try:
        # json.loads takes bytes and finds out their encoding itself, as Flask lets it do
        return json.loads(body)
    except ValueError as error:  # UnicodeDecodeError is a ValueError too
        raise BadRequest(f"the body is not valid JSON: {error}") from None
    # end solution


# ---------------------------------------------------------------------------------------------
# Exercise 3 - notes_api (use)
# A notes resource. A note is {"id": int, "title": str, "body": str}; ids start at 1 and are
# never reused. Every app made by the factory keeps its own notes (no module globals).
#   POST   /notes       create from {"title": str, "body": str}; 201, the note, and a
#                       Location header with the note's URL
#   GET    /notes       {"notes": [every note, in id order]}
#   GET    /notes/<id>  the note
#   PUT    /notes/<id>  replace title and body, same body as POST; 200 and the note
#   DELETE /notes/<id>  204 with no body
# A body must be a JSON object with exactly the fields "title" and "body", both strings.
# Every error is answered with JSON: {"status": the status code, "error": a message}, and
# keeps the headers Flask gives it (a 405 says which methods are allowed).
#   400 - a body that does not parse, is not an object, lacks a field, has another field, or
#         has a field of the wrong type
#   404 - no such note, or no such URL
#   405 - a method the URL does not take
#   415 - a body not declared as JSON
# Whatever arrives, the answer is never a 500, and a refused request changes no note.


def create_notes_app() -> Flask:
    # solution: notes_api
    app = Flask(__name__)
    notes: dict[int, dict[str, Any]] = {}  # lives as long as this app, and is this app's alone
    new_ids = itertools.count(1)

    @app.errorhandler(HTTPException)
    def as_json(error: HTTPException):
        # Flask's own response keeps the headers that belong to the error, such as Allow
        response = error.get_response()
        response.set_data(json.dumps({"status": error.code, "error": error.description}))
        response.mimetype = "application/json"
        return response

    def fields_from_body() -> dict[str, str]:
        try:
            body = request.get_json()
        except RecursionError:
            # json.loads gives up on deep nesting with a RecursionError, not a ValueError
            abort(400, description="the JSON body is nested too deeply")
        if (
            not isinstance(body, dict)
            or set(body) != {"title", "body"}
            or not all(isinstance(value, str) for value in body.values())
        ):
            abort(400, description='send a JSON object with exactly "title" and "body", strings')
        return body

    def find(note_id: int) -> dict[str, Any]:
        if note_id not in notes:
            abort(404, description=f"there is no note {note_id}")
        return notes[note_id]

    @app.post("/notes")
    def create():
        note = {"id": next(new_ids), **fields_from_body()}
        notes[note["id"]] = note
        return note, 201, {"Location": url_for("read", note_id=note["id"])}

    @app.get("/notes")
    def list_notes():
        return {"notes": [notes[note_id] for note_id in sorted(notes)]}

    @app.get("/notes/<int:note_id>")
    def read(note_id: int):
        return find(note_id)

    @app.put("/notes/<int:note_id>")
    def update(note_id: int):
        note = find(note_id)
        note.update(fields_from_body())  # only reached once the body was accepted
        return note

    @app.delete("/notes/<int:note_id>")
    def delete(note_id: int):
        del notes[find(note_id)["id"]]
        return "", 204

    return app
    # end solution
