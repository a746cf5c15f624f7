"""Werkzeug's development server against gunicorn, serving the same Flask app (claim Y1).

    python bench/servers.py [--duration S] [--rounds N] [--concurrency N] [--png P] [--json P]

Starts three servers on 127.0.0.1 (each on a port the OS picks, read from the server's own log):
  dev       `flask run` - Werkzeug's development server, a new thread for every request
  sync      gunicorn, 4 sync worker processes (one request at a time each)
  gthread   gunicorn, 2 worker processes of 8 threads each
and drives two endpoints of bench/deploy_app.py with a load generator that runs in a separate
process: /fast (answers at once) and /io (waits 20 ms, as if on a database). The generator keeps
N requests in flight for the given time, one new connection per request; the three servers take
turns, round after round. It prints requests per second (the median of the rounds, and their
lowest and highest), the median and 99th-percentile latency and the errors, and saves the table
as JSON and, when matplotlib is installed, as a PNG chart (both in bench/out/ unless told
otherwise). The whole run stays under 2 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOOPBACK = "127.0.0.1"
START_DEADLINE = 30.0
ENDPOINTS = ("/fast", "/io")

# gunicorn logs this from each worker once the app is loaded: the bench waits for it
GUNICORN_CONFIG = """\
def post_worker_init(worker):
    worker.log.info("bench: worker %s is ready", worker.pid)
"""


@dataclass
class Server:
    name: str
    what: str
    argv: list[str]
    port_line: re.Pattern
    ready_lines: int  # how many "ready" lines to wait for; 0: the port line is enough


def servers(config: Path) -> list[Server]:
    gunicorn = [sys.executable, "-m", "gunicorn", "--config", str(config), "--chdir", str(HERE)]
    gunicorn += ["--bind", f"{LOOPBACK}:0"]
    from gunicorn.config import KNOWN_SETTINGS

    # newer gunicorns open a control socket at one path per user; the bench has no use for it
    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        gunicorn.append("--no-control-socket")
    listening = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
    return [
        Server(
            "dev",
            "flask run (Werkzeug, thread per request)",
            [sys.executable, "-m", "flask", "--app", "deploy_app", "run"]
            + ["--host", LOOPBACK, "--port", "0", "--no-reload"],
            re.compile(r"Running on http://127\.0\.0\.1:(\d+)"),
            0,
        ),
        Server(
            "sync",
            "gunicorn, 4 sync workers",
            [*gunicorn, "--workers", "4", "deploy_app:app"],
            listening,
            4,
        ),
        Server(
            "gthread",
            "gunicorn, 2 gthread workers x 8 threads",
            [*gunicorn, "--workers", "2", "--worker-class", "gthread", "--threads", "8"]
            + ["deploy_app:app"],
            listening,
            2,
        ),
    ]


@contextlib.contextmanager
def running(server: Server) -> Iterator[int]:
    """Start a server in a process group of its own, yield its port, always stop the group."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "GUNICORN"))}
    process = subprocess.Popen(
        server.argv,
        cwd=HERE,
        env={**environment, "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    changed = threading.Condition()
    started = threading.Event()

    def read() -> None:
        # the pipe is read to the end so the server never blocks on it; once started, the
        # lines (the dev server logs every request) are dropped
        for line in process.stderr:
            if started.is_set():
                continue
            with changed:
                lines.append(line)
                changed.notify_all()
        with changed:
            lines.append("")  # end of output
            changed.notify_all()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + START_DEADLINE
        with changed:
            while True:
                ports = [int(m[1]) for line in lines if (m := server.port_line.search(line))]
                ready = sum("is ready" in line for line in lines)
                if ports and ready >= server.ready_lines:
                    break
                left = deadline - time.monotonic()
                if "" in lines or left <= 0:
                    raise RuntimeError(f"{server.name} did not start:\n{''.join(lines[-20:])}")
                changed.wait(left)
        started.set()
        yield ports[0]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            reader.join(timeout=10)


# --- the load generator: runs in a process of its own ----------------------------------------


async def one_request(port: int, path: str) -> int:
    reader, writer = await asyncio.open_connection(LOOPBACK, port)
    try:
        request = f"GET {path} HTTP/1.1\r\nHost: {LOOPBACK}\r\nConnection: close\r\n\r\n"
        writer.write(request.encode())
        answer = await reader.read()  # the server closes the connection after the answer
    finally:
        writer.close()
    return int(answer.split(b" ", 2)[1])


async def load(port: int, path: str, duration: float, concurrency: int) -> dict:
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + duration

    async def client() -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(one_request(port, path), timeout=10)
            except (OSError, asyncio.TimeoutError, IndexError, ValueError):
                status = 0
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "median_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan"),
    }


def load_in_a_process(port: int, path: str, duration: float, concurrency: int) -> dict:
    command = [sys.executable, __file__, "--load", str(port), path, str(duration), str(concurrency)]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 60, check=True
    )
    return json.loads(done.stdout)


# --- the table and the chart -----------------------------------------------------------------


@dataclass
class Cell:
    """One server and one endpoint: the median of its rounds, and the spread of req/s."""

    server: str
    endpoint: str
    rps: float
    rps_low: float
    rps_high: float
    median_ms: float
    p99_ms: float
    errors: int
    requests: int


def summarize(server: str, endpoint: str, rounds: list[dict]) -> Cell:
    def middle(key: str) -> float:
        return statistics.median(r[key] for r in rounds)

    return Cell(
        server,
        endpoint,
        rps=middle("rps"),
        rps_low=min(r["rps"] for r in rounds),
        rps_high=max(r["rps"] for r in rounds),
        median_ms=middle("median_ms"),
        p99_ms=middle("p99_ms"),
        errors=sum(r["errors"] for r in rounds),
        requests=sum(r["requests"] for r in rounds),
    )


def table(cells: list[Cell]) -> str:
    rows = [
        f"{'server':<9}{'endpoint':<10}{'req/s':>8}{'(low-high)':>14}{'median ms':>11}"
        f"{'p99 ms':>9}{'errors':>8}"
    ]
    for c in cells:
        spread = f"({c.rps_low:.0f}-{c.rps_high:.0f})"
        rows.append(
            f"{c.server:<9}{c.endpoint:<10}{c.rps:>8.0f}{spread:>14}{c.median_ms:>11.1f}"
            f"{c.p99_ms:>9.1f}{c.errors:>8}"
        )
    return "\n".join(rows)


def chart(cells: list[Cell], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    names = list(dict.fromkeys(c.server for c in cells))
    figure, axes = plt.subplots(1, 2, figsize=(10, 4))
    for axis, field, label in (
        (axes[0], "rps", "requests per second"),
        (axes[1], "p99_ms", "p99 ms"),
    ):
        for offset, endpoint in enumerate(ENDPOINTS):
            values = [
                getattr(c, field)
                for n in names
                for c in cells
                if (c.server, c.endpoint) == (n, endpoint)
            ]
            axis.bar(
                [i + 0.4 * offset for i in range(len(names))], values, width=0.4, label=endpoint
            )
        axis.set_xticks([i + 0.2 for i in range(len(names))], names)
        axis.set_title(label)
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=2.0, help="seconds of load per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per server and endpoint")
    parser.add_argument("--concurrency", type=int, default=32, help="requests kept in flight")
    parser.add_argument("--png", type=Path, default=HERE / "out" / "servers.png")
    parser.add_argument("--json", type=Path, default=HERE / "out" / "servers.json")
    parser.add_argument(
        "--load", nargs=4, metavar=("PORT", "PATH", "SECONDS", "N"), help=argparse.SUPPRESS
    )
    arguments = parser.parse_args()
    if arguments.load:
        port, path, seconds, concurrency = arguments.load
        print(json.dumps(asyncio.run(load(int(port), path, float(seconds), int(concurrency)))))
        return 0

    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    started = time.perf_counter()
    rounds: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-servers-") as scratch:
        config = Path(scratch) / "gunicorn_conf.py"
        config.write_text(GUNICORN_CONFIG, encoding="utf-8")
        chosen = servers(config)
        with contextlib.ExitStack() as stack:
            # all three run at once, idle but for the one under load: the rounds take turns, so
            # that a change in the machine's other load falls on every server alike
            ports = {server.name: stack.enter_context(running(server)) for server in chosen}
            for number in range(1, arguments.rounds + 1):
                for endpoint in ENDPOINTS:
                    for server in chosen:
                        port = ports[server.name]
                        load_in_a_process(port, endpoint, 0.3, arguments.concurrency)  # warm up
                        result = load_in_a_process(
                            port, endpoint, arguments.duration, arguments.concurrency
                        )
                        rounds.setdefault((server.name, endpoint), []).append(result)
                        print(
                            f"  round {number}  {server.what:<42} {endpoint:<6} "
                            f"{result['rps']:>7.0f} req/s",
                            flush=True,
                        )
    cells = [summarize(name, endpoint, rounds[name, endpoint]) for name, endpoint in rounds]
    cells.sort(key=lambda c: ([s.name for s in chosen].index(c.server), c.endpoint))
    print()
    print(table(cells))
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps([asdict(c) for c in cells], indent=2), encoding="utf-8")
    print(f"\ntable saved as {arguments.json}")
    arguments.png.parent.mkdir(parents=True, exist_ok=True)
    if chart(cells, arguments.png):
        print(f"chart saved as {arguments.png}")
    else:
        print("no chart: matplotlib is not installed (pip install matplotlib)")
    print(
        f"{arguments.rounds} rounds of {arguments.duration:g} s per cell (the table gives their "
        f"median), concurrency {arguments.concurrency}, {os.cpu_count()} CPUs, "
        f"load average before the run {load_before}, whole run "
        f"{time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
