"""Specs of the lesson `deploy`: Flask's development server, and gunicorn for real (Y1 to Y6).

The processes these specs start bind 127.0.0.1 only, on a port the OS picks; the specs learn the
port from what the server itself prints, and know a gunicorn worker is ready from a line that a
hook of the specs' own gunicorn config file logs. Every server runs in a process group of its
own and is stopped with that group, so nothing outlives the spec module, whatever happens.
Each exercise's servers are started once per module and shared only by that exercise's specs;
to keep the module quick, they are launched together at its start and boot while it runs.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import importlib.util
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import flask.helpers
import pytest
from flask import Flask
from hypothesis import example, given
from hypothesis import strategies as st

from dojo import course, paths, target
from dojo.kit import NotWrittenYet
from dojo.spec import check_prediction, expect, expect_equal, fail

exercise = pytest.mark.exercise
claim = pytest.mark.claim

LOOPBACK = "127.0.0.1"
START_DEADLINE = 30.0  # seconds; a fail-safe only, readiness comes from the servers' own lines
STOP_DEADLINE = 10.0

unix_only = pytest.mark.skipif(
    os.name == "nt",
    reason="gunicorn runs on Unix only (it forks its workers); these specs start real "
    "processes and stop them by process group, which Windows does not have",
)


def gunicorn_or_skip() -> None:
    pytest.importorskip(
        "gunicorn",
        reason="gunicorn is not installed: pip install -e '.[deploy]' adds the production server",
    )


# --- processes ---------------------------------------------------------------------------------

_LIVE_GROUPS: set[int] = set()


@atexit.register
def _kill_leftovers() -> None:  # pragma: no cover - only runs if a stop was interrupted
    for group in list(_LIVE_GROUPS):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)


def clean_environment(**extra: str) -> dict[str, str]:
    """The specs' environment without the variables that would change what a server does."""
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FLASK_", "GUNICORN_"))
        and name not in {"SECRET_KEY", "PORT", "WEB_CONCURRENCY"}
    }
    return {**keep, "PYTHONUNBUFFERED": "1", **extra}


@dataclass
class Process:
    """A server process in its own process group, both of its streams read line by line."""

    argv: list[str]
    cwd: Path
    env: dict[str, str]
    lines: list[tuple[str, str]] = field(default_factory=list)  # (stream, line)
    changed: threading.Condition = field(default_factory=threading.Condition)
    readers: list[threading.Thread] = field(default_factory=list)
    popen: subprocess.Popen | None = None
    closed_streams: int = 0

    def start(self, stdin: bool = False) -> Process:
        self.popen = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,  # a group of its own: stopping it stops its workers too
        )
        _LIVE_GROUPS.add(self.popen.pid)
        for name, stream in (("stdout", self.popen.stdout), ("stderr", self.popen.stderr)):
            reader = threading.Thread(target=self._read, args=(name, stream), daemon=True)
            reader.start()
            self.readers.append(reader)
        return self

    def _read(self, name: str, stream) -> None:
        for line in stream:
            with self.changed:
                self.lines.append((name, line.rstrip("\n")))
                self.changed.notify_all()
        with self.changed:
            self.closed_streams += 1
            self.changed.notify_all()

    def text(self, stream: str | None = None) -> list[str]:
        with self.changed:
            return [line for name, line in self.lines if stream in (None, name)]

    def wait_for(self, done: Callable[[list[str]], bool]) -> bool:
        """Wait until done(lines) holds or the process closes its streams; False on the latter."""
        deadline = time.monotonic() + START_DEADLINE
        with self.changed:
            while not done([line for _, line in self.lines]):
                left = deadline - time.monotonic()
                if self.closed_streams == 2 or left <= 0:
                    return False
                self.changed.wait(left)
        return True

    def signal(self) -> None:
        """Ask the whole group to stop; returns at once so that several stop together."""
        if self.popen is not None and self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, signal.SIGTERM)

    def reap(self) -> None:
        """Wait for the group to end, kill what is left after the deadline, join the readers."""
        if self.popen is None:
            return
        try:
            self.popen.wait(timeout=STOP_DEADLINE)
        except subprocess.TimeoutExpired:  # pragma: no cover - a server that ignores SIGTERM
            pass
        # the group outlives its leader if a worker lingers: kill whatever is left of it
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()
        for reader in self.readers:
            reader.join(timeout=STOP_DEADLINE)
        _LIVE_GROUPS.discard(self.popen.pid)


def stop_all(processes: list) -> None:
    for process in processes:
        process.signal()
    for process in processes:
        process.reap()


# gunicorn's start-up is mostly importing Python: gunicorn in the master, Flask in each worker. A
# "zygote" process imports both once and forks a fresh gunicorn master for every server the
# specs ask for; each then runs gunicorn's own command-line entry point with the usual
# arguments, in a session of its own, its output sent to a named pipe that the specs read.
ZYGOTE = """
import contextlib, ctypes, json, os, signal, sys, traceback

import flask, gunicorn.app.wsgiapp, gunicorn.arbiter, gunicorn.workers.sync  # imported once

signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the masters it forks are reaped by the system
print("ready", flush=True)
for order in sys.stdin:
    order = json.loads(order)
    pid = os.fork()
    if pid:
        print(pid, flush=True)
        continue
    status = 1
    try:
        os.setsid()
        with contextlib.suppress(AttributeError, OSError):
            # Linux: a master gets SIGTERM when the zygote ends, even if the specs were killed
            ctypes.CDLL(None).prctl(1, signal.SIGTERM)
        log = os.open(order["log"], os.O_WRONLY)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.chdir(order["cwd"])
        os.environ.clear()
        os.environ.update(order["env"])
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        sys.argv = ["gunicorn", *order["args"]]
        gunicorn.app.wsgiapp.WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
        status = 0
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        # what the interpreter prints for an error nobody caught (a worker forked from this
        # master comes back here too, as it would reach the top of `python -m gunicorn`)
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
"""


class Zygote:
    """The process that forks gunicorn masters; it ends when its input is closed."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.process = Process([sys.executable, "-c", ZYGOTE], scratch, clean_environment())
        self.process.start(stdin=True)
        self.forked = 0

    def fork(self, args: list[str], cwd: Path, env: dict[str, str]) -> Forked:
        """Order a gunicorn; returns at once, the zygote reads its orders once it is ready."""
        self.forked += 1
        log = self.scratch / f"gunicorn-{self.forked}.log"
        os.mkfifo(log)
        order = {"log": str(log), "cwd": str(cwd), "env": env, "args": args}
        self.process.popen.stdin.write(json.dumps(order) + "\n")
        self.process.popen.stdin.flush()
        return Forked(log, self, self.forked)

    def pid(self, number: int) -> int:
        """The pid of the number-th fork: the zygote prints "ready", then one pid per order."""
        self.process.wait_for(lambda _: len(self.process.text("stdout")) > number)
        answers = self.process.text("stdout")
        if len(answers) <= number:  # pragma: no cover - Python or gunicorn cannot even start
            raise RuntimeError("the specs' gunicorn zygote failed:\n" + "\n".join(answers))
        _LIVE_GROUPS.add(int(answers[number]))
        return int(answers[number])

    def signal(self) -> None:
        with contextlib.suppress(OSError):
            self.process.popen.stdin.close()

    def reap(self) -> None:
        self.process.reap()


@dataclass
class Forked:
    """A gunicorn master forked by the zygote, in its own session; its output comes through a
    named pipe, which ends once every process of the group has exited."""

    log: Path
    zygote: Zygote
    number: int
    lines: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    ended: bool = False

    def __post_init__(self) -> None:
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    @property
    def pid(self) -> int:
        return self.zygote.pid(self.number)

    def _read(self) -> None:
        with open(self.log, encoding="utf-8", errors="replace") as stream:
            for line in stream:
                with self.changed:
                    self.lines.append(line.rstrip("\n"))
                    self.changed.notify_all()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def text(self) -> list[str]:
        with self.changed:
            return list(self.lines)

    def wait_for(self, done: Callable[[list[str]], bool]) -> bool:
        deadline = time.monotonic() + START_DEADLINE
        with self.changed:
            while not done(self.lines):
                left = deadline - time.monotonic()
                if self.ended or left <= 0:
                    return False
                self.changed.wait(left)
        return True

    def signal(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGTERM)

    def reap(self) -> None:
        self.reader.join(timeout=STOP_DEADLINE)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        if self.reader.is_alive():  # pragma: no cover - the fork never opened its log
            with contextlib.suppress(OSError):
                os.close(os.open(self.log, os.O_WRONLY | os.O_NONBLOCK))
            self.reader.join(timeout=STOP_DEADLINE)
        _LIVE_GROUPS.discard(self.pid)


# --- gunicorn ----------------------------------------------------------------------------------

LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
READY = re.compile(r"dojo: worker (\d+) is ready")
# a worker that could not load the app exits and the master logs it; gunicorn then either halts
# or, when the error was not an Exception (a kata stub raises a BaseException), starts another
WORKER_DIED = re.compile(r"Worker \(pid:\d+\) exited with code|Worker failed to boot")

# the hook runs in a worker once the app is loaded: a line the specs can wait for, no polling
GUNICORN_CONFIG = """\
def post_worker_init(worker):
    worker.log.info("dojo: worker %s is ready", worker.pid)
"""


def gunicorn_args(config: Path, folder: Path, uri: str, *options: str) -> list[str]:
    """The command-line arguments of `gunicorn` for one server of the specs."""
    from gunicorn.config import KNOWN_SETTINGS

    argv = ["--config", str(config), "--chdir", str(folder), "--bind", f"{LOOPBACK}:0", *options]
    # newer gunicorns open a control socket at one fixed path per user; several servers at once
    # would fight over it, and the specs do not use it
    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        argv.append("--no-control-socket")
    return [*argv, uri]


@dataclass
class Gunicorn:
    process: Forked
    uri: str
    folder: Path
    workers: int
    learner_folder: Path  # where the learner's modules are: their frames are the ones to show
    port: int = 0
    ready_pids: list[int] = field(default_factory=list)
    failure: list[str] | None = None

    @property
    def master_pid(self) -> int:
        return self.process.pid

    def wait_ready(self) -> Gunicorn:
        if self.port or self.failure is not None:
            return self

        def settled(lines: list[str]) -> bool:
            ready = sum(1 for line in lines if READY.search(line))
            return ready >= self.workers or any(WORKER_DIED.search(line) for line in lines)

        settled_in_time = self.process.wait_for(settled)
        lines = self.process.text()
        self.ready_pids = [int(m[1]) for line in lines if (m := READY.search(line))]
        ports = [int(m[1]) for line in lines if (m := LISTENING.search(line))]
        if len(self.ready_pids) >= self.workers and ports:
            self.port = ports[0]
        else:
            self.failure = boot_error_lines(lines, self.learner_folder)
            if not settled_in_time and not self.process.ended:  # pragma: no cover - a hang
                self.failure.append(f"(no worker was ready after {START_DEADLINE:g} s)")
            # gunicorn would go on starting workers that die the same way: stop it now
            self.process.signal()
        return self

    def get(self, path: str, headers: dict[str, str] | None = None):
        """One GET on a new connection: (status, headers, body bytes)."""
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


def boot_error_lines(lines: list[str], folder: Path) -> list[str]:
    """What a learner needs from gunicorn's log when no worker came up: the error, and where."""
    stop = next((n for n, line in enumerate(lines) if WORKER_DIED.search(line)), len(lines))
    # gunicorn's own log lines start with a timestamp in brackets; the rest is the worker's error
    output = [line for line in lines[:stop] if not line.startswith("[")]
    if "Traceback (most recent call last):" in output:
        trace = output[len(output) - output[::-1].index("Traceback (most recent call last):") :]
        frames = [n for n, line in enumerate(trace) if line.lstrip().startswith("File ")]
        own = [n for n in frames if str(folder) in trace[n]] or frames[-1:]
        where = trace[own[-1] : own[-1] + 2] if own else []
        errors = [line for line in trace if line and not line.startswith(" ")]
        output = [*where, *errors[-2:]]
    # each worker that failed printed the same error: show it once
    output = list(dict.fromkeys(output))
    return output[-8:] or lines[-8:] or ["(gunicorn printed nothing)"]


class Fleet:
    """The processes of one spec module: each started once, all stopped together at the end.

    At the start of the module the fleet launches, without waiting, the processes of every
    exercise whose specs were selected, so that they boot while other specs run. The specs then
    wait for what they need. Processes are shared only by the specs of one exercise.
    """

    def __init__(self, scratch: Path, folder: Path) -> None:
        self.scratch = scratch
        self.folder = folder  # the target folder: kata/, solutions/ or another one
        self.config = scratch / "dojo_gunicorn_conf.py"
        self.config.write_text(GUNICORN_CONFIG, encoding="utf-8")
        self.processes: list[Process | Forked] = []
        self.zygote: Zygote | None = None
        self.launched: dict[str, object] = {}
        self.observations: dict[str, object] = {}
        self.users = 0  # the selected specs that use the fleet and have not run yet

    def launch(self, key: str, start: Callable[[], object]) -> object:
        if key not in self.launched:
            self.launched[key] = start()
        return self.launched[key]

    def gunicorn(
        self,
        uri: str,
        folder: Path,
        workers: int = 1,
        env: dict[str, str] | None = None,
        pythonpath: Path | None = None,
        preload: bool = False,
    ) -> Gunicorn:
        options = ["--workers", str(workers)] + (["--preload"] if preload else [])
        if pythonpath is not None:
            options += ["--pythonpath", str(pythonpath)]
        if self.zygote is None:
            self.zygote = Zygote(self.scratch)
        args = gunicorn_args(self.config, folder, uri, *options)
        forked = self.zygote.fork(args, self.scratch, clean_environment(**(env or {})))
        self.processes.append(forked)
        return Gunicorn(forked, uri, folder, workers, self.folder)

    def run(self, argv: list[str], cwd: Path, env: dict[str, str]) -> Process:
        process = Process(argv, cwd, env)
        self.processes.append(process.start())
        return process

    def everything(self) -> list:
        return [*self.processes, *([self.zygote] if self.zygote else [])]

    def release(self) -> None:
        """One spec that used the fleet is over; after the last, ask every process to stop."""
        self.users -= 1
        if self.users == 0:
            for process in self.everything():
                process.signal()  # they stop while the remaining specs run

    def stop(self) -> None:
        stop_all(self.everything())


def gunicorn_is_installed() -> bool:
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def fleet(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Fleet]:
    folder = target.resolve(request.config.getoption("target")).resolve()
    fleet = Fleet(tmp_path_factory.mktemp("deploy"), folder)
    try:
        if os.name != "nt":
            here = [item for item in request.session.items if item.path == request.path]
            selected = {mark.args[0] for item in here for mark in item.iter_markers("exercise")}
            fleet.users = sum(1 for item in here if "fleet" in item.fixturenames)
            for exercise_id, start in LAUNCHERS.items():
                if exercise_id in selected and (
                    exercise_id in NO_GUNICORN or gunicorn_is_installed()
                ):
                    start(fleet)
        yield fleet
    finally:
        fleet.stop()


@pytest.fixture(autouse=True)
def _release_the_fleet(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "fleet" in request.fixturenames:
        request.getfixturevalue("fleet").release()


def target_folder(kata) -> Path:
    """The folder of the lesson module: manage.py and the Procfile sit beside it."""
    return Path(kata.file).resolve().parent


# how a kata stub says it is not written yet, as gunicorn's worker printed it
STUB_IN_LOG = re.compile(r"NotWrittenYet: not written yet: (?P<file>.+?\.py):(?P<rest>.*)$")


def booted(server: Gunicorn, claim_id: str) -> Gunicorn:
    if server.failure is None:
        return server
    stub = next((m for line in server.failure if (m := STUB_IN_LOG.search(line))), None)
    if stub is not None:
        # the worker ran in another folder: name the file as the learner would
        file = target.display_path(str(server.folder / stub["file"]))
        raise NotWrittenYet(
            f"not written yet: {file}:{stub['rest']}\n"
            f"  {claim_id}: gunicorn could not boot {server.uri!r}: its worker stopped on that "
            "stub while loading the app; gunicorn's lines:\n    " + "\n    ".join(server.failure)
        )
    fail(
        claim_id,
        f"gunicorn could not boot {server.uri!r} (from the folder "
        f"{target.display_path(str(server.folder))}): its worker died while loading the app",
        got=server.failure,
        why="each worker imports the module named before the colon and looks up what the "
        "colon names; while that fails, no worker can answer a single request",
    )


_MODULE_TARGETS: dict[Path, target.Target] = {}


def load_beside(kata, module: str):
    """Import a module of the target folder in this process, the way the kata is imported."""
    folder = target_folder(kata)
    loader = _MODULE_TARGETS.setdefault(folder, target.Target(folder))
    return loader.load(module)


# --- Exercise 1: dev_server_warning ------------------------------------------------------------

DEV_APP = "from flask import Flask\n\napp = Flask(__name__)\n"


def launch_flask_runs(fleet: Fleet) -> dict[str, Process]:
    """`flask run` without and with --debug, both at once, on a tiny app of the specs' own."""

    def start() -> dict[str, Process]:
        folder = fleet.scratch / "flask_run"
        folder.mkdir()
        (folder / "dev_app.py").write_text(DEV_APP, encoding="utf-8")
        base = [sys.executable, "-m", "flask", "--app", "dev_app", "run"]
        base += ["--host", LOOPBACK, "--port", "0", "--no-reload"]
        return {
            "plain": fleet.run(base, folder, clean_environment()),
            "debug": fleet.run([*base, "--debug"], folder, clean_environment()),
        }

    return fleet.launch("dev_server_warning", start)


def flask_run(fleet: Fleet) -> dict[str, dict[str, list[str]]]:
    """What each `flask run` printed on each stream, up to the moment it served."""
    if "flask run" not in fleet.observations:
        runs = launch_flask_runs(fleet)
        for process in runs.values():
            # Werkzeug's last start-up line tells how to quit: by then all of it is printed
            process.wait_for(lambda lines: any("CTRL+C" in line for line in lines))
            process.signal()
        for process in runs.values():
            process.reap()
        fleet.observations["flask run"] = {
            label: {name: process.text(name) for name in ("stdout", "stderr")}
            for label, process in runs.items()
        }
    return fleet.observations["flask run"]


def streams_with(output: dict[str, list[str]], words: str) -> list[str]:
    return sorted(name for name, lines in output.items() if any(words in ln for ln in lines))


@exercise("dev_server_warning")
@claim("Y1")
@unix_only
@pytest.mark.parametrize(
    ("mode", "command", "key"),
    [("plain", "flask run", "warns"), ("debug", "flask run --debug", "warns_in_debug_mode")],
    ids=["plain", "debug"],
)
def test_flask_run_warns_that_it_is_a_development_server(kata, fleet, mode, command, key):
    output = flask_run(fleet)[mode]
    check_prediction(
        kata,
        "FLASK_RUN",
        bool(streams_with(output, "development server")),
        "Y1",
        f"whether `{command}` warns that it is a development server",
        key=key,
        why=f"`{command}` printed: {[*output['stdout'], *output['stderr']]}",
    )


@exercise("dev_server_warning")
@claim("Y1")
@unix_only
def test_the_warning_goes_to_its_own_stream(kata, fleet):
    streams = streams_with(flask_run(fleet)["plain"], "development server")
    expect(len(streams) == 1, "Y1", "the warning must appear on one stream", got=streams)
    check_prediction(
        kata,
        "FLASK_RUN",
        streams[0],
        "Y1",
        "the stream that carries the development-server warning",
        key="warning_stream",
        why="a process manager or platform keeps the two streams apart, often in two logs",
    )


@exercise("dev_server_warning")
@claim("Y1")
@unix_only
def test_the_banner_goes_to_the_other_stream(kata, fleet):
    streams = streams_with(flask_run(fleet)["plain"], "Serving Flask app")
    expect(len(streams) == 1, "Y1", "the banner must appear on one stream", got=streams)
    check_prediction(
        kata,
        "FLASK_RUN",
        streams[0],
        "Y1",
        "the stream that carries the ' * Serving Flask app' banner",
        key="banner_stream",
    )


# --- Exercise 2: gunicorn_entry ----------------------------------------------------------------


def launch_manage_servers(fleet: Fleet) -> dict[str, Gunicorn]:
    folder = fleet.folder
    return fleet.launch(
        "gunicorn_entry",
        lambda: {
            # --preload: the master imports manage.py once and forks its workers from it, as
            # many deployments do; what was read at import time is then the master's
            "app": fleet.gunicorn("manage:app", folder, workers=2, preload=True),
            "factory": fleet.gunicorn("manage:create_app()", folder),
        },
    )


def manage_server(kata, fleet: Fleet, form: str) -> Gunicorn:
    gunicorn_or_skip()
    expect_equal(target_folder(kata), fleet.folder, "Y2", "the specs' target folder")
    return launch_manage_servers(fleet)[form].wait_ready()


def health_of(server: Gunicorn, claim_id: str) -> dict:
    status, _, body = server.get("/health")
    expect_equal(
        status, 200, claim_id, f"GET /health under gunicorn {server.uri!r} must answer 200"
    )
    try:
        answer = json.loads(body)
    except ValueError:
        fail(claim_id, "GET /health must answer JSON", got=body[:200])
    expect(isinstance(answer, dict), claim_id, "GET /health must answer a JSON object", got=answer)
    return answer


@exercise("gunicorn_entry")
@claim("Y4")
def test_manage_defines_a_factory_and_an_app(kata):
    manage = load_beside(kata, "manage")
    app = getattr(manage, "app", "(no name app in manage.py)")
    expect(
        isinstance(app, Flask),
        "Y4",
        "manage.app must be a Flask app",
        got=app,
        why="`gunicorn manage:app` imports manage.py, then looks up the name app in it",
    )
    expect(
        callable(getattr(manage, "create_app", None)),
        "Y4",
        "manage.py must define the factory create_app()",
    )
    made = [manage.create_app(), manage.create_app()]
    expect(
        all(isinstance(one, Flask) for one in made),
        "Y4",
        "manage.create_app() must return a Flask app",
        got=made[0],
    )
    expect(
        made[0] is not made[1] and manage.app not in made,
        "Y4",
        "manage.create_app() must make a new app on every call",
        why="a factory lets each test, and each `gunicorn 'manage:create_app()'`, have its own app",
    )
    for one in [app, *made]:
        response = one.test_client().get("/health")
        expect_equal(response.status_code, 200, "Y4", "GET /health must answer 200")
        expect_equal(
            response.get_json(),
            {"status": "ok", "pid": os.getpid()},
            "Y4",
            "GET /health must answer the status and the id of the process that answers",
        )


@exercise("gunicorn_entry")
@claim("Y2")
@unix_only
def test_gunicorn_serves_manage_app_from_its_workers(kata, fleet):
    server = booted(manage_server(kata, fleet, "app"), "Y2")
    answers = [health_of(server, "Y2") for _ in range(6)]
    expect_equal(
        [answer.get("status") for answer in answers],
        ["ok"] * 6,
        "Y2",
        "every GET /health through gunicorn must answer status ok",
    )
    pids = {answer.get("pid") for answer in answers}
    expect(
        pids <= set(server.ready_pids),
        "Y2",
        "the pid in each answer must be the pid of one of gunicorn's workers",
        expected=f"some of {sorted(server.ready_pids)} (the workers gunicorn started)",
        got=sorted(pids, key=str),
        why=f"gunicorn's master ({server.master_pid}) only watches its workers; a worker, a "
        "process of its own, runs the app. Was the pid read at import time, or faked? This "
        "gunicorn runs with --preload: its master imported manage.py and made the app before "
        "forking the workers, so anything read then is the master's",
    )


@exercise("gunicorn_entry")
@claim("Y4")
@unix_only
def test_gunicorn_calls_the_factory_when_asked(kata, fleet):
    server = booted(manage_server(kata, fleet, "factory"), "Y4")
    answer = health_of(server, "Y4")
    expect_equal(
        answer,
        {"status": "ok", "pid": server.ready_pids[0]},
        "Y4",
        "gunicorn 'manage:create_app()' must serve the factory's app from its one worker",
    )


def procfile_processes(folder: Path) -> dict[str, str]:
    """The process types a Procfile declares: `name: command` on each line."""
    procfile = folder / "Procfile"
    expect(
        procfile.is_file(),
        "Y5",
        f"{target.display_path(str(procfile))} is missing",
        why="a platform such as Heroku reads the Procfile beside the code to know what to run; "
        "`dojo reset deploy` brings it back",
    )
    processes = {}
    for line in procfile.read_text(encoding="utf-8").splitlines():
        name, colon, command = line.partition(":")
        if colon and name.strip() and not name.lstrip().startswith("#"):
            processes[name.strip()] = command.strip()
    return processes


@exercise("gunicorn_entry")
@claim("Y5")
def test_the_procfile_web_process_is_gunicorn_serving_manage_app(kata):
    folder = target_folder(kata)
    web = procfile_processes(folder).get("web", "")
    words = shlex.split(web)
    expect(
        words[:1] == ["gunicorn"] and len(words) > 1,
        "Y5",
        f"{target.display_path(str(folder / 'Procfile'))} must declare `web: gunicorn ...`",
        got=web,
    )
    expect(
        not {"-b", "--bind"} & set(words) and not any(w.startswith("--bind=") for w in words),
        "Y5",
        "the web process must not choose its own address",
        got=web,
        why="the platform says which port to listen on through PORT, and gunicorn reads it",
    )
    module, _, name = words[-1].partition(":")
    app = getattr(load_beside(kata, module), name or "application", f"(no name {name} there)")
    expect(
        isinstance(app, Flask),
        "Y5",
        f"the web process serves {words[-1]!r}: it must name the Flask app of {module}.py",
        got=app,
    )


# --- Exercise 3: app_uri -----------------------------------------------------------------------

PROBE_MODULE = "dojo_probe_apps"
PROBE_SOURCE = '''\
"""Apps for the specs of exercise app_uri, each recording how it was made."""


class Made:
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs

    def __call__(self, environ, start_response):
        start_response("200 OK", [])
        return [b"made"]

    def __eq__(self, other):
        return isinstance(other, Made) and (self.args, self.kwargs) == (other.args, other.kwargs)

    def __repr__(self):
        return f"Made(args={self.args!r}, kwargs={self.kwargs!r})"


application = Made("the default name")
app = Made("app")


def make(*args, **kwargs):
    return Made(*args, **kwargs)


def make_two(first, second="second"):
    return Made(first, second)


def make_nothing():
    return None


def broken():
    raise LookupError("a factory that fails")


nothing = None
number = 42
'''

literals = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner),
    max_leaves=4,
)
keyword_names = st.sampled_from(["first", "second", "label", "size"])


@st.composite
def calls(draw) -> str:
    factory = draw(st.sampled_from(["make", "make_two", "make_nothing", "broken", "missing"]))
    args = draw(st.lists(literals, max_size=2))
    kwargs = draw(st.dictionaries(keyword_names, literals, max_size=2))
    written = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    if draw(st.booleans()):
        # not literals: gunicorn must refuse them
        written.append(draw(st.sampled_from(["os.sep", "[x for x in 'ab']", "*[1]", "**{}"])))
    return f"{factory}({', '.join(written)})"


objects = st.sampled_from(
    [
        "app",
        "application",
        "make",
        "missing",
        "nothing",
        "number",
        "",
        "app.attribute",
        "app[0]",
        "1 + 1",
        "make()()",
        "(make)()",
        "app app",
    ]
)
uris = st.one_of(
    st.just(PROBE_MODULE),
    st.builds(lambda obj: f"{PROBE_MODULE}:{obj}", objects | calls()),
    st.sampled_from(["no_such_module_here:app", f"{PROBE_MODULE}.py:app", ":app"]),
)


@pytest.fixture(scope="module")
def probe_apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    folder = tmp_path_factory.mktemp("app_uri")
    (folder / f"{PROBE_MODULE}.py").write_text(PROBE_SOURCE, encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(PROBE_MODULE, None)


def outcome(load: Callable[[str], object], uri: str) -> tuple[tuple[str, object], str]:
    """("app", what was loaded) or ("refused", None); and the refusal's error, as text."""
    try:
        return ("app", load(uri)), ""
    except Exception as error:  # noqa: BLE001 - any exception is a refusal, as for gunicorn
        return ("refused", None), f"{type(error).__name__}: {error}"


@exercise("app_uri")
@claim("Y4")
@unix_only
@given(uri=uris)
# arguments that Python would evaluate but gunicorn refuses: an answer that evals the text
# accepts them, and the random ones find such an argument only now and then
@example(uri=f"{PROBE_MODULE}:make([x for x in 'ab'])")
@example(uri=f"{PROBE_MODULE}:make_two(*['first'])")
def test_load_app_reads_the_argument_as_gunicorn_does(kata, probe_apps, uri):
    gunicorn_or_skip()
    from gunicorn.util import import_app

    expected, refusal = outcome(import_app, uri)
    got, error = outcome(kata.load_app, uri)
    if got != expected:
        # the refusal that was not made, or the one that should not have been, in its own words
        said = f"; gunicorn refused it: {refusal}" if refusal else ""
        said += f"; load_app raised {error}" if error else ""
        fail(
            "Y4",
            f"load_app({uri!r}) must do what gunicorn does with the same argument",
            expected=expected,
            got=got,
            why="the answer was observed with gunicorn.util.import_app during this run; "
            "('refused', None) means an exception was raised" + said,
        )


@exercise("app_uri")
@claim("Y4")
@unix_only
def test_load_app_gives_the_very_object_the_module_holds(kata, probe_apps):
    gunicorn_or_skip()
    from gunicorn.util import import_app

    for uri in (f"{PROBE_MODULE}:app", PROBE_MODULE):
        expect(
            kata.load_app(uri) is import_app(uri),
            "Y4",
            f"load_app({uri!r}) must return the module's own object, not a copy",
        )


# --- Exercise 4: gunicorn_defaults -------------------------------------------------------------


def gunicorn_defaults(environment: dict[str, str]) -> dict[str, object]:
    """gunicorn's defaults as its own config module computes them under `environment`.

    gunicorn reads PORT and WEB_CONCURRENCY when its config module is imported, so the specs run
    a fresh copy of the installed module's code under the environment, leaving gunicorn's own
    module as it was.
    """
    import gunicorn.config

    spec = importlib.util.spec_from_file_location("dojo_gunicorn_config", gunicorn.config.__file__)
    fresh = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, clean_environment(**environment), clear=True):
        spec.loader.exec_module(fresh)
    config = fresh.Config()
    return {"bind": config.bind, "workers": config.workers, "worker_class": config.worker_class_str}


def extras_that_install(package: str) -> list[str]:
    """The optional-dependency groups of this project's pyproject.toml that require `package`."""
    extras = course.read_toml(paths.ROOT / "pyproject.toml")["project"]["optional-dependencies"]
    return sorted(
        extra
        for extra, requirements in extras.items()
        if any(re.match(r"[A-Za-z0-9._-]+", r)[0].lower() == package for r in requirements)
    )


@exercise("gunicorn_defaults")
@claim("Y3")
def test_the_extra_that_installs_gunicorn(kata):
    extras = extras_that_install("gunicorn")
    expect(len(extras) == 1, "Y3", "one extra of pyproject.toml must bring gunicorn", got=extras)
    check_prediction(
        kata,
        "GUNICORN_EXTRA",
        extras[0],
        "Y3",
        "the optional-dependency group of pyproject.toml that installs gunicorn",
        why="read from [project.optional-dependencies] of pyproject.toml during this run",
    )


@exercise("gunicorn_defaults")
@claim("Y5")
@unix_only
@pytest.mark.parametrize(
    ("entry", "where", "setting"),
    [
        ("bind", "plain", "bind"),
        ("bind_when_PORT_is_5000", "platform", "bind"),
        ("workers", "plain", "workers"),
        ("workers_when_WEB_CONCURRENCY_is_3", "platform", "workers"),
        ("worker_class", "plain", "worker_class"),
    ],
)
def test_what_gunicorn_does_when_no_option_says(kata, entry, where, setting):
    gunicorn_or_skip()
    platform = {"PORT": "5000", "WEB_CONCURRENCY": "3"} if where == "platform" else {}
    value = gunicorn_defaults(platform)[setting]
    # gunicorn keeps a list of addresses to bind; with no option there is exactly one
    truth = value[0] if setting == "bind" and len(value) == 1 else value
    check_prediction(
        kata,
        "GUNICORN_DEFAULTS",
        truth,
        "Y5",
        f"gunicorn's {setting} when no option sets it",
        key=entry,
        why="asked of the installed gunicorn (gunicorn.config.Config), with "
        + (
            "PORT=5000 and WEB_CONCURRENCY=3 set"
            if where == "platform"
            else "neither PORT nor WEB_CONCURRENCY set"
        ),
    )


# --- Exercise 5: one_key_for_all ---------------------------------------------------------------

SESSION_APP = """\
import os
import secrets

from flask import Flask, session

app = Flask(__name__)
# the key given by the environment, or else one drawn for this process alone
app.secret_key = os.environ.get("SECRET_KEY") or secrets.token_hex(32)


@app.get("/visit")
def visit():
    session["visits"] = session.get("visits", 0) + 1
    return {"visits": session["visits"], "pid": os.getpid()}
"""


def launch_session_servers(fleet: Fleet) -> dict[str, Gunicorn]:
    def start() -> dict[str, Gunicorn]:
        folder = fleet.scratch / "session_app"
        folder.mkdir()
        (folder / "session_app.py").write_text(SESSION_APP, encoding="utf-8")
        shared = {"SECRET_KEY": "one key, from the environment"}
        return {
            "random_first": fleet.gunicorn("session_app:app", folder),
            "random_second": fleet.gunicorn("session_app:app", folder),
            "shared_first": fleet.gunicorn("session_app:app", folder, env=shared),
            "shared_second": fleet.gunicorn("session_app:app", folder, env=shared),
        }

    return fleet.launch("one_key_for_all", start)


def session_servers(fleet: Fleet) -> dict[str, Gunicorn]:
    gunicorn_or_skip()
    servers = launch_session_servers(fleet)
    return {name: booted(server.wait_ready(), "Y6") for name, server in servers.items()}


def second_visit(first: Gunicorn, second: Gunicorn) -> int:
    """Visit `first`, then take its session cookie to `second`: the count the second sees."""
    status, headers, body = first.get("/visit")
    expect_equal(status, 200, "Y6", "the session app must answer its first visit")
    cookie = headers.get("Set-Cookie", "").split(";", 1)[0]
    expect(cookie.startswith("session="), "Y6", "the first visit must set a session cookie")
    status, _, body = second.get("/visit", headers={"Cookie": cookie})
    expect_equal(status, 200, "Y6", "the session app must answer the second visit")
    return json.loads(body)["visits"]


@exercise("one_key_for_all")
@claim("Y6")
@unix_only
@pytest.mark.parametrize(
    ("entry", "first", "second"),
    [
        ("same_process_random_key", "random_first", "random_first"),
        ("other_process_random_key", "random_first", "random_second"),
        ("other_process_shared_key", "shared_first", "shared_second"),
    ],
)
def test_a_session_cookie_taken_to_a_process(kata, fleet, entry, first, second):
    servers = session_servers(fleet)
    visits = second_visit(servers[first], servers[second])
    check_prediction(
        kata,
        "SESSION_KEPT",
        visits == 2,
        "Y6",
        f"whether the visit count survives ({entry.replace('_', ' ')})",
        key=entry,
        why=f"observed with real gunicorn processes: the second visit counted {visits}; a lost "
        "session starts again at 1",
    )


# --- Exercise 6: config_from_env ---------------------------------------------------------------


@contextlib.contextmanager
def environment(**variables: str) -> Iterator[None]:
    """os.environ as a platform would set it: only the given variables of the kind we read."""
    with mock.patch.dict(os.environ, clean_environment(**variables), clear=True):
        yield


def make_production_app(kata, **variables: str) -> Flask:
    with environment(**variables):
        app = kata.create_app()
    expect(isinstance(app, Flask), "Y5", "create_app() must return a Flask app", got=app)
    return app


setting_names = st.from_regex(r"[A-Z][A-Z0-9]{0,9}", fullmatch=True).filter(
    lambda name: name not in {"DEBUG", "SECRET_KEY"}
)
setting_values = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.sampled_from(["true", "false", "null", "[1, 2]", '{"a": 1}', '"quoted"', "1.5"]),
    st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=12),
)
secret_keys = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=24)


def decoded(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text


PRODUCTION_PROBE = """\
from flask import abort, current_app, jsonify

from deploy import create_app

app = create_app()


# routes added by the specs, to look inside the learner's app from outside the process
@app.get("/__probe/setting/<name>")
def setting(name):
    if name not in current_app.config:
        abort(404)
    return jsonify(current_app.config[name])


@app.get("/__probe/debug")
def debug():
    return jsonify(bool(current_app.debug))


@app.get("/__probe/crash")
def crash():
    raise LookupError("a secret only a debugger would show: 7f3c")
"""


def launch_production_server(fleet: Fleet) -> Gunicorn:
    def start() -> Gunicorn:
        probe = fleet.scratch / "production_probe"
        probe.mkdir()
        (probe / "production_probe.py").write_text(PRODUCTION_PROBE, encoding="utf-8")
        # an operator's slip included: debug asked for in production
        env = {"SECRET_KEY": "shared", "FLASK_GREETING": '"hello"', "FLASK_DEBUG": "1"}
        return fleet.gunicorn("production_probe:app", probe, env=env, pythonpath=fleet.folder)

    return fleet.launch("config_from_env", start)


def production_server(kata, fleet: Fleet) -> Gunicorn:
    gunicorn_or_skip()
    expect_equal(target_folder(kata), fleet.folder, "Y5", "the specs' target folder")
    return booted(launch_production_server(fleet).wait_ready(), "Y5")


@exercise("config_from_env")
@claim("Y5")
@unix_only
def test_under_gunicorn_the_settings_arrive(kata, fleet):
    server = production_server(kata, fleet)
    answers = {}
    for path in ("setting/GREETING", "setting/SECRET_KEY", "debug"):
        status, _, body = server.get(f"/__probe/{path}")
        answers[path] = json.loads(body) if status == 200 else f"HTTP {status}"
    expect_equal(
        answers,
        {"setting/GREETING": "hello", "setting/SECRET_KEY": "shared", "debug": False},
        "Y5",
        "settings seen by the app that gunicorn serves, with FLASK_GREETING='\"hello\"', "
        "FLASK_DEBUG=1 and SECRET_KEY=shared in gunicorn's environment",
        why="gunicorn passes its environment on to the workers, where create_app() reads it",
    )


@exercise("config_from_env")
@claim("Y5")
@unix_only
def test_under_gunicorn_no_debugger_answers(kata, fleet):
    server = production_server(kata, fleet)
    status, _, body = server.get("/__probe/crash")
    expect_equal(status, 500, "Y5", "a view that raises must be answered with 500")
    leaked = [word for word in (b"7f3c", b"Traceback", b"__debugger__") if word in body]
    expect(
        not leaked,
        "Y5",
        "the 500 page must not show the error, the traceback or the debugger",
        got=body[:300],
        why="the Werkzeug debugger shows the traceback and runs code typed into the page",
    )
    status, _, body = server.get("/?__debugger__=yes&cmd=resource&f=debugger.js")
    expect_equal(
        status,
        404,
        "Y5",
        "the debugger's own URL (?__debugger__=yes) must find nothing",
        why="a 200 here means werkzeug.debug.DebuggedApplication wraps the app in production",
    )


@exercise("config_from_env")
@claim("Y5")
@given(settings=st.dictionaries(setting_names, setting_values, max_size=4), key=secret_keys)
def test_settings_and_key_come_from_the_environment(kata, settings, key):
    variables = {f"FLASK_{name}": value for name, value in settings.items()}
    app = make_production_app(kata, SECRET_KEY=key, **variables)
    expect_equal(
        app.secret_key,
        key,
        "Y5",
        "app.secret_key must be SECRET_KEY exactly as the environment holds it",
        why="a key is a string of characters, never decoded: '123' stays the string '123'",
    )
    got = {name: app.config.get(name, "(missing)") for name in settings}
    expect_equal(
        got,
        {name: decoded(value) for name, value in settings.items()},
        "Y5",
        f"the settings made from {variables!r}",
        why="FLASK_NAME becomes the setting NAME, its value decoded as JSON when it parses",
    )


@exercise("config_from_env")
@claim("Y5")
@pytest.mark.parametrize("variables", [{}, {"SECRET_KEY": ""}])
def test_no_secret_key_no_app(kata, variables):
    try:
        make_production_app(kata, **variables)
    except RuntimeError:
        return
    fail(
        "Y5",
        f"create_app() with {variables or 'no SECRET_KEY'} must raise RuntimeError",
        why="a production app that invents its own key signs cookies no other process can read",
    )


debug_values = st.sampled_from(["1", "0", "true", "false", "True", "yes", "no", "on", "2", ""])


@exercise("config_from_env")
@claim("Y5")
@given(value=debug_values | st.text(st.characters(min_codepoint=33, max_codepoint=126)))
def test_debug_stays_off_whatever_the_environment_says(kata, value):
    with environment(FLASK_DEBUG=value):
        flask_would_debug = flask.helpers.get_debug_flag()
    app = make_production_app(kata, SECRET_KEY="spec", FLASK_DEBUG=value)
    expect(
        not app.debug,
        "Y5",
        f"with FLASK_DEBUG={value!r}, app.debug must be off",
        got=app.debug,
        why=f"on its own, Flask would {'' if flask_would_debug else 'not '}turn debug on for "
        "this value; in production debug stays off, as the debugger runs code sent to it",
    )


# what the fleet launches at the start of the module, for each exercise whose specs will run
LAUNCHERS: dict[str, Callable[[Fleet], object]] = {
    "dev_server_warning": launch_flask_runs,
    "gunicorn_entry": launch_manage_servers,
    "config_from_env": launch_production_server,
    "one_key_for_all": launch_session_servers,
}
NO_GUNICORN = {"dev_server_warning"}
