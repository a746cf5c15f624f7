"""`dojo watch`: run the current exercise's specs each time a file of kata/ is saved, and move on
to the next exercise when they all pass.

Files are watched with watchdog: the operating system's own notifications where they work, and a
polling observer where they do not (network and shared folders; WSL on a Windows drive is the
known case, detected below). Specs run inside this process, so a save is answered in a fraction
of a second once Flask is imported; the plugin loads the lesson modules afresh for each run.
"""

from __future__ import annotations

import os
import platform
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from dojo import course, paths, runs
from dojo.progress import PASS, SpecResult

POLL_INTERVAL = 0.25  # seconds: keeps the answer to a save under a second when polling
QUIET_PERIOD = 0.1  # editors save in several steps (temporary file, rename): wait for the last


def needs_polling(folder: Path) -> bool:
    """True where file notifications do not arrive: a Windows drive seen from WSL."""
    release = platform.uname().release.lower()
    return "microsoft" in release and str(folder.resolve()).startswith("/mnt/")


def _all_passed(results: list[SpecResult]) -> bool:
    return bool(results) and all(r.status == PASS for r in results)


class _Saved(FileSystemEventHandler):
    def __init__(self, signal: threading.Event) -> None:
        self.signal = signal

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        name = os.fsdecode(event.dest_path or event.src_path)
        if "__pycache__" not in name and not name.endswith((".pyc", "~", ".swp")):
            self.signal.set()


class Watch:
    """The loop behind `dojo watch`, with its output and its clock passed in for testing."""

    def __init__(
        self, echo: Callable[[str], None], poll: bool = False, target: str = "kata"
    ) -> None:
        self.echo = echo
        self.target = target
        self.saved = threading.Event()
        self.stopped = threading.Event()
        self.polling = poll or needs_polling(paths.KATA)
        self.observer = PollingObserver(timeout=POLL_INTERVAL) if self.polling else Observer()
        self.observer.schedule(_Saved(self.saved), str(paths.KATA), recursive=True)
        self.done: dict[str, bool] = {}

    def _first_undone(self) -> course.Exercise | None:
        return next((e for e in course.exercises() if not self.done.get(e.id)), None)

    def _run(self, exercise: course.Exercise) -> list[SpecResult]:
        lesson = course.lesson(exercise.lesson)
        results = runs.run_in_process(str(lesson.spec_file), "-k", exercise.id, target=self.target)
        own = [r for r in results if r.exercise == exercise.id]
        self.done[exercise.id] = _all_passed(own)
        return own

    def _show(self, exercise: course.Exercise, results: list[SpecResult]) -> None:
        lesson = course.lesson(exercise.lesson)
        passed = sum(r.status == PASS for r in results)
        self.echo(
            f"\n== {lesson.id}, exercise {exercise.number} of {len(lesson.exercises)}: "
            f"{exercise.id} ({exercise.kind}) - {exercise.title}"
        )
        for result in results:
            mark = "x" if result.status == PASS else " "
            name = result.name.split("::", 1)[-1]
            first = result.message.splitlines()[0] if result.message else ""
            self.echo(f"  [{mark}] {name}" + (f"\n        {first}" if first else ""))
        self.echo(f"{passed} of {len(results)} specs pass.")

    def start(self) -> None:
        self.echo("Checking every exercise once...")
        results = runs.run_in_process(target=self.target)
        for exercise in course.exercises():
            own = [r for r in results if r.exercise == exercise.id]
            self.done[exercise.id] = _all_passed(own)
        self.observer.start()

    def step(self) -> bool:
        """Run and show the current exercise, moving past finished ones; False once all are done."""
        exercise = self._first_undone()
        while exercise is not None:
            results = self._run(exercise)
            self._show(exercise, results)
            if not self.done[exercise.id]:
                how = "polling" if self.polling else "watching"
                self.echo(
                    f"Save a file in kata/ to run again ({how}). Hint: dojo hint {exercise.id}. "
                    "Ctrl-C stops."
                )
                return True
            following = self._first_undone()
            if following is not None:
                self.echo(f"{exercise.id} is done. On to {following.id}.")
            exercise = following
        self.echo("Every exercise is done. Well played.")
        return False

    def wait_for_save(self) -> bool:
        """Block until a file of kata/ is saved (True) or the watch is stopped (False)."""
        while not self.saved.wait(timeout=0.5):
            if self.stopped.is_set():
                return False
        while self.saved.wait(timeout=QUIET_PERIOD):
            self.saved.clear()
        return not self.stopped.is_set()

    def run(self) -> None:
        self.start()
        try:
            while self.step():
                if not self.wait_for_save():
                    return
        finally:
            self.observer.stop()
            self.observer.join(timeout=5)
