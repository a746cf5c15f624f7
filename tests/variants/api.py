"""Other answers to the api lesson: mistakes a learner might make, and right answers too."""

import textwrap

from tests.variants import alternative, mistake

# the notes API of the reference, cut in pieces that the mistakes below change one at a time
STORE = """
app = Flask(__name__)
notes = {}
new_ids = itertools.count(1)
"""

JSON_ERRORS = """
@app.errorhandler(HTTPException)
def as_json(error):
    response = error.get_response()
    response.set_data(json.dumps({"status": error.code, "error": error.description}))
    response.mimetype = "application/json"
    return response
"""

READ_BODY = """
def fields_from_body():
    try:
        body = request.get_json()
    except RecursionError:
        abort(400, description="the JSON body is nested too deeply")
    if (
        not isinstance(body, dict)
        or set(body) != {"title", "body"}
        or not all(isinstance(value, str) for value in body.values())
    ):
        abort(400, description="send an object with exactly title and body, both strings")
    return body
"""

VIEWS = """
def find(note_id):
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
def read(note_id):
    return find(note_id)

@app.put("/notes/<int:note_id>")
def update(note_id):
    note = find(note_id)
    note.update(fields_from_body())
    return note

@app.delete("/notes/<int:note_id>")
def delete(note_id):
    del notes[find(note_id)["id"]]
    return "", 204

return app
"""


def notes_app(store=STORE, errors=JSON_ERRORS, read_body=READ_BODY, views=VIEWS) -> str:
    """The reference's factory body, with some of its pieces written otherwise."""
    return "\n".join(textwrap.dedent(piece) for piece in (store, errors, read_body, views))


def views_with(old: str, new: str) -> str:
    assert old in VIEWS, old
    return VIEWS.replace(old, new)


VARIANTS = [
    # flask_json_defaults
    mistake(
        "flask_json_defaults",
        "deep_nesting_is_a_bad_request",  # surely a body that does not parse is the client's fault
        changes=[
            (
                '"deeply_nested": 500,',
                '"deeply_nested": 400,',
            ),
        ],
        points_at="FLASK_ANSWERS['deeply_nested']",
    ),
    mistake(
        "flask_json_defaults",
        "null_is_no_body",  # get_json() gives None, so it must have failed
        changes=[
            (
                '"json_null": 200,',
                '"json_null": 400,',
            ),
        ],
        points_at="FLASK_ANSWERS['json_null']",
    ),
    mistake(
        "flask_json_defaults",
        "any_bad_body_is_400",  # Flask before 2.3 did answer 400 to a body not declared as JSON
        changes=[
            (
                '"not_declared_json": 415,',
                '"not_declared_json": 400,',
            ),
        ],
        points_at="FLASK_ANSWERS['not_declared_json']",
    ),
    mistake(
        "flask_json_defaults",
        "errors_are_json_already",  # the view answers JSON, so its errors must be JSON too
        changes=[
            (
                'ERROR_MIMETYPE = "text/html"',
                'ERROR_MIMETYPE = "application/json"',
            ),
        ],
        points_at="ERROR_MIMETYPE",
    ),
    alternative(
        "flask_json_defaults",
        "http_status_names",
        """
        from http import HTTPStatus

        FLASK_ANSWERS = dict(
            not_declared_json=HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            malformed_json=HTTPStatus.BAD_REQUEST,
            empty_body=HTTPStatus.BAD_REQUEST,
            json_null=HTTPStatus.OK,
            deeply_nested=HTTPStatus.INTERNAL_SERVER_ERROR,
            wrong_method=HTTPStatus.METHOD_NOT_ALLOWED,
            unknown_url=HTTPStatus.NOT_FOUND,
        )
        ERROR_MIMETYPE = "text/" + "html"
        """,
    ),
    # json_body_rules
    mistake(
        "json_body_rules",
        "only_application_json",  # forgets the application/...+json family
        """
        mimetype = (content_type or "").split(";")[0].strip().lower()
        if mimetype != "application/json":
            raise UnsupportedMediaType()
        try:
            return json.loads(body)
        except ValueError:
            raise BadRequest() from None
        """,
        points_at="+json",
    ),
    mistake(
        "json_body_rules",
        "json_anywhere_in_the_type",  # "json" in the type looks like JSON enough
        """
        if "json" not in (content_type or "").lower():
            raise UnsupportedMediaType()
        try:
            return json.loads(body)
        except ValueError:
            raise BadRequest() from None
        """,
        points_at="application/json-seq",
    ),
    mistake(
        "json_body_rules",
        "case_sensitive_mimetype",
        """
        mimetype = (content_type or "").split(";")[0].strip()
        if not (mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))):
            raise UnsupportedMediaType()
        try:
            return json.loads(body)
        except ValueError:
            raise BadRequest() from None
        """,
        points_at="APPLICATION/JSON",
    ),
    mistake(
        "json_body_rules",
        "only_decode_errors_caught",  # json.JSONDecodeError is what the docs name
        """
        mimetype = (content_type or "").split(";")[0].strip().lower()
        if not (mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))):
            raise UnsupportedMediaType()
        try:
            return json.loads(body)
        except json.JSONDecodeError:
            raise BadRequest() from None
        """,
        points_at="UnicodeDecodeError",
    ),
    mistake(
        "json_body_rules",
        "utf8_only",  # decodes the bytes itself, as UTF-8
        """
        mimetype = (content_type or "").split(";")[0].strip().lower()
        if not (mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))):
            raise UnsupportedMediaType()
        try:
            return json.loads(body.decode("utf-8"))
        except ValueError:
            raise BadRequest() from None
        """,
        points_at="UTF-16",
    ),
    alternative(
        "json_body_rules",
        "options_header_regex_and_detect_encoding",
        """
        import re

        from werkzeug.http import parse_options_header

        mimetype, _options = parse_options_header(content_type or "")
        if re.fullmatch(r"application/(.*\\+)?json", mimetype, flags=re.IGNORECASE) is None:
            raise UnsupportedMediaType()
        try:
            text = body.decode(json.detect_encoding(body))
            return json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BadRequest(str(error)) from error
        """,
    ),
    # notes_api
    mistake(
        "notes_api",
        "deep_body_is_a_500",  # trusts get_json() to turn every bad body into a 400
        notes_app(
            read_body="""
            def fields_from_body():
                body = request.get_json()
                if (
                    not isinstance(body, dict)
                    or set(body) != {"title", "body"}
                    or not all(isinstance(value, str) for value in body.values())
                ):
                    abort(400)
                return body
            """
        ),
        points_at="RecursionError",
    ),
    mistake(
        "notes_api",
        "update_applied_field_by_field",  # checks each field as it copies it: half an update stays
        notes_app(
            views=views_with(
                """
    note = find(note_id)
    note.update(fields_from_body())
    return note
""",
                """
    note = find(note_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or set(body) != {"title", "body"}:
        abort(400)
    for field in ("title", "body"):
        if not isinstance(body[field], str):
            abort(400)
        note[field] = body[field]
    return note
""",
            )
        ),
        points_at="after the refused PUT",
    ),
    mistake(
        "notes_api",
        "flasks_html_error_pages",  # aborts everywhere, but never turns the errors into JSON
        notes_app(errors=""),
        points_at="text/html",
    ),
    mistake(
        "notes_api",
        "new_json_answer_drops_allow",  # builds the error answer from scratch
        notes_app(
            errors="""
            @app.errorhandler(HTTPException)
            def as_json(error):
                return {"status": error.code, "error": error.description}, error.code
            """
        ),
        points_at="must keep its Allow header",
    ),
    mistake(
        "notes_api",
        "errors_headers_override_json",  # keeps the error's headers: its Content-Type included
        notes_app(
            errors="""
            @app.errorhandler(HTTPException)
            def as_json(error):
                body = {"status": error.code, "error": error.description}
                return body, error.code, error.get_headers()
            """
        ),
        points_at="text/html",
    ),
    mistake(
        "notes_api",
        "other_fields_accepted",  # checks the two fields it needs, stores whatever came
        notes_app(
            read_body="""
            def fields_from_body():
                try:
                    body = request.get_json()
                except RecursionError:
                    abort(400)
                if not isinstance(body, dict):
                    abort(400)
                if not isinstance(body.get("title"), str) or not isinstance(body.get("body"), str):
                    abort(400)
                return body
            """
        ),
        points_at="a field too many",
    ),
    mistake(
        "notes_api",
        "any_type_accepted",  # checks the names of the fields, not what they hold
        notes_app(
            read_body="""
            def fields_from_body():
                try:
                    body = request.get_json()
                except RecursionError:
                    abort(400)
                if not isinstance(body, dict) or set(body) != {"title", "body"}:
                    abort(400)
                return body
            """
        ),
        points_at="for a string",
    ),
    mistake(
        "notes_api",
        "no_location_header",
        notes_app(views=views_with(', {"Location": url_for("read", note_id=note["id"])}', "")),
        points_at="Location",
    ),
    mistake(
        "notes_api",
        "module_global_store",  # the notes outlive the app: every app made shares them
        notes_app(
            store="""
            global NOTES, NEW_IDS
            if "NOTES" not in globals():  # as if written at the top of the module
                NOTES, NEW_IDS = {}, itertools.count(1)
            app = Flask(__name__)
            notes, new_ids = NOTES, NEW_IDS
            """
        ),
        points_at="not in a module global",
    ),
    mistake(
        "notes_api",
        "ids_from_a_module_counter",  # each app its own notes, but one counter for all
        notes_app(
            store="""
            global NEW_IDS
            if "NEW_IDS" not in globals():  # as if written at the top of the module
                NEW_IDS = itertools.count(1)
            app = Flask(__name__)
            notes = {}
            new_ids = NEW_IDS
            """
        ),
        points_at="every new app starts at id 1",
    ),
    alternative(
        "notes_api",
        "method_views_in_app_extensions",
        """
        from flask import current_app, jsonify
        from flask.views import MethodView

        app = Flask(__name__)
        app.extensions["notes"] = {"notes": {}, "last_id": 0}

        @app.errorhandler(HTTPException)
        def as_json(error):
            headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
            return jsonify(status=error.code, error=error.description), error.code, headers

        def store():
            return current_app.extensions["notes"]

        def note_fields():
            if not request.is_json:
                abort(415)
            try:
                body = json.loads(request.get_data())
            except (ValueError, RecursionError):
                abort(400, "not a JSON body")
            if type(body) is not dict or sorted(body) != ["body", "title"]:
                abort(400, "title and body, nothing else")
            if not (type(body["title"]) is str and type(body["body"]) is str):
                abort(400, "title and body are strings")
            return {"title": body["title"], "body": body["body"]}

        class NoteList(MethodView):
            def get(self):
                notes = store()["notes"]
                return jsonify(notes=[notes[key] for key in sorted(notes)])

            def post(self):
                fields = note_fields()
                store()["last_id"] += 1
                note = {"id": store()["last_id"], **fields}
                store()["notes"][note["id"]] = note
                response = jsonify(note)
                response.status_code = 201
                response.headers["Location"] = url_for("note", note_id=note["id"], _external=True)
                return response

        class Note(MethodView):
            def get(self, note_id):
                if note_id not in store()["notes"]:
                    abort(404, f"no note {note_id}")
                return store()["notes"][note_id]

            def put(self, note_id):
                if note_id not in store()["notes"]:
                    abort(404, f"no note {note_id}")
                store()["notes"][note_id] = {"id": note_id, **note_fields()}
                return store()["notes"][note_id]

            def delete(self, note_id):
                if store()["notes"].pop(note_id, None) is None:
                    abort(404, f"no note {note_id}")
                return "", 204

        app.add_url_rule("/notes", view_func=NoteList.as_view("notes"))
        app.add_url_rule("/notes/<int:note_id>", view_func=Note.as_view("note"))
        return app
        """,
    ),
]
