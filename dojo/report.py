"""A learner's run as data an instructor can collect: a JSON file and one line for the room."""

from __future__ import annotations

import getpass
import platform

from dojo import course, integrity, progress, runs


def build(run: runs.Run, learner: str = "") -> dict:
    """The run's results (Exercism's results.json field names) with progress and the specs check."""
    summary = progress.summarize(run.results, run.payload["target"])
    upcoming = summary.next_exercise()
    report = dict(run.payload)
    report["learner"] = learner or default_learner()
    report["lessons"] = {
        lp.lesson.id: {"done": lp.done, "total": len(lp.exercises), "built": lp.lesson.built}
        for lp in summary.lessons
    }
    report["next"] = upcoming.exercise.id if upcoming else None
    report["specs_edited"] = integrity.edited_specs()
    report["checked_on"] = course.checked_on()
    if report["specs_edited"]:
        report["message"] = "specs/ was edited: this run says nothing certain about the kata"
    return report


def default_learner() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name on some containers
        user = "learner"
    return f"{user}@{platform.node() or 'here'}"


def room_line(report: dict) -> str:
    """One line per learner for the room: who, how far, where now, and whether specs hold."""
    lessons = " ".join(
        f"{lesson}:{entry['done']}/{entry['total']}"
        for lesson, entry in report["lessons"].items()
        if entry["built"]
    )
    where = f"next={report['next']}" if report["next"] else "all done"
    edited = report["specs_edited"]
    specs = "specs=unmodified" if not edited else f"specs=EDITED({len(edited)})"
    return f"{report['learner']} {report['done']}/{report['total']} {where} {lessons} {specs}"
