"""Guards against a learner's accidents that would otherwise hang or muddle the run.

- An endless loop: every spec has a time limit; past it the spec is stopped where the code is,
  and the message names the line of the learner's file that was running.
- A thread left running: a thread the learner's code started during a spec and did not finish
  fails that spec, naming the function it runs.
- A view that returns no valid response: Flask's TypeError is reported with the view's line.
"""

from __future__ import annotations

import _thread
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from dojo.kit import KataError, display_path


class SpecTimedOut(KataError):
    """The spec ran past its time limit."""


class ThreadLeftRunning(KataError):
    """A thread started by the learner's code was still running after the spec."""


def _inside(filename: str, folder: Path) -> bool:
    try:
        return Path(filename).resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError):
        return False


def learner_line(frame: FrameType | None, folder: Path) -> str | None:
    """'kata/x.py:12 (in view)' for the innermost frame of the learner's files, if any."""
    while frame is not None:
        if _inside(frame.f_code.co_filename, folder):
            where = f"{display_path(frame.f_code.co_filename)}:{frame.f_lineno}"
            return f"{where} (in {frame.f_code.co_name})"
        frame = frame.f_back
    return None


def _timeout_message(frame: FrameType | None, folder: Path, seconds: float) -> str:
    where = learner_line(frame, folder)
    if where is None:
        return (
            f"still running after {seconds:g} s, so the spec was stopped; no line of "
            f"{display_path(str(folder))}/ was running: is something waiting forever?"
        )
    return f"{where}: still running after {seconds:g} s, so the spec was stopped: an endless loop?"


@contextmanager
def time_limit(seconds: float, folder: Path) -> Iterator[None]:
    """Stop the code inside after `seconds` with SpecTimedOut, naming the learner's line."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    if hasattr(signal, "setitimer"):
        # a real signal: it also interrupts a blocking call, and it runs in the looping thread

        def on_alarm(number, frame):
            raise SpecTimedOut(_timeout_message(frame, folder, seconds))

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    # Windows: no alarm signal; a watchdog thread interrupts the main thread instead
    main = threading.main_thread()
    done = threading.Event()
    fired = []

    def watchdog():
        if not done.wait(seconds):
            fired.append(_timeout_message(sys._current_frames().get(main.ident), folder, seconds))
            _thread.interrupt_main()

    watcher = threading.Thread(target=watchdog, name="dojo-time-limit", daemon=True)
    watcher.start()
    try:
        yield
    except KeyboardInterrupt:
        if fired:
            raise SpecTimedOut(fired[0]) from None
        raise
    finally:
        done.set()
        watcher.join()


def threads_now() -> set[threading.Thread]:
    return set(threading.enumerate())


def check_threads_finished(before: set[threading.Thread], folder: Path, grace: float = 2.0) -> None:
    """Fail if a thread that runs the learner's code, started since `before`, is still running."""
    finish_by = time.monotonic() + grace
    theirs = []
    for thread in threads_now() - before:
        target = getattr(thread, "_target", None)
        code = getattr(target, "__code__", None)
        if code is not None and _inside(code.co_filename, folder):
            thread.join(timeout=max(0.0, finish_by - time.monotonic()))
            if thread.is_alive():
                theirs.append(
                    f"{display_path(code.co_filename)}:{code.co_firstlineno} ({code.co_name})"
                )
    if theirs:
        raise ThreadLeftRunning(
            f"{theirs[0]}: a thread running this function was still alive {grace:g} s after the "
            "spec; join the threads you start (thread.join()), and make sure they can end"
            + (f" (and {len(theirs) - 1} more)" if len(theirs) > 1 else "")
        )


_NO_RESPONSE = re.compile(
    r"The view function for '(?P<endpoint>[^']+)' did not return a valid response"
)


def explain_bad_return(error: BaseException, folder: Path) -> str | None:
    """For Flask's 'did not return a valid response', the view's line in the learner's file."""
    match = _NO_RESPONSE.search(str(error)) if isinstance(error, TypeError) else None
    if match is None:
        return None
    name = match["endpoint"].rsplit(".", 1)[-1]
    for path in sorted(folder.glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.match(rf"\s*(async\s+)?def {re.escape(name)}\(", line):
                first = str(error).splitlines()[0]
                return f"{display_path(str(path))}:{number} (in {name}): TypeError: {first}"
    return None
