"""The app that bench/servers.py serves with each server: one quick answer, one that waits.

GET /fast answers a small JSON body straight away. GET /io first waits IO_WAIT seconds, standing
in for a query to a database or a call to another service: the CPU is free while it waits.
"""

from __future__ import annotations

import os
import time

from flask import Flask

IO_WAIT = float(os.environ.get("BENCH_IO_WAIT", "0.02"))

app = Flask(__name__)


@app.get("/fast")
def fast():
    return {"ok": True}


@app.get("/io")
def io():
    time.sleep(IO_WAIT)  # the stand-in for waiting on I/O, not a synchronisation
    return {"ok": True, "waited": IO_WAIT}
