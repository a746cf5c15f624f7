"""The module gunicorn loads (exercise gunicorn_entry of the lesson deploy).

`gunicorn manage:app` imports this file, in every worker process, and serves its `app`.
`gunicorn 'manage:create_app()'` calls the factory instead. Both must work:
  create_app()  - returns a new Flask app on every call, whose GET /health answers
                  {"status": "ok", "pid": N}, N being the id of the process that answered
                  (os.getpid(), asked while answering)
  app           - a module-level app made by that factory, for `gunicorn manage:app`
The Procfile beside this file is what a hosting platform runs: it names manage:app.

Run this lesson's specs with:  pytest specs/test_deploy.py
"""

import os

from flask import Flask

from dojo.kit import todo  # noqa: F401 - the generated kata's stubs use it


def create_app() -> Flask:
    # solution: gunicorn_entry
    app = Flask(__name__)

    @app.get("/health")
    def health():
        # asked per request: each gunicorn worker is a process of its own
        return {"status": "ok", "pid": os.getpid()}

    return app
    # end solution


# gunicorn looks this name up right after importing the module
# solution: gunicorn_entry
app = create_app()
# end solution
