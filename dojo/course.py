"""The course: lessons in order, their exercises and hints, and the catalogue of the notes' claims.

All of it is data in specs/: course.toml (the lesson plan), lessons/<lesson>.toml (a built lesson's
exercises and hints) and claims.toml (every claim of the notes with its verdict).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from dojo import paths

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

KINDS = ("predict", "use", "build")
VERDICTS = ("holds", "erratum", "untestable")


class CourseError(ValueError):
    """The course's data files contradict each other or themselves."""


@dataclass(frozen=True)
class Exercise:
    id: str
    lesson: str
    number: int  # position in its lesson, from 1
    kind: str
    title: str
    task: str
    hints: tuple[str, ...]


@dataclass(frozen=True)
class Lesson:
    id: str
    number: int  # position in the course, from 1
    title: str
    minutes: int
    built: bool
    module: str = ""  # kata/<module>.py, what the specs see as `kata`
    intro: str = ""
    exercises: tuple[Exercise, ...] = field(default=())
    extra_modules: tuple[str, ...] = ()  # more generated modules, e.g. a manage.py for gunicorn
    files: tuple[str, ...] = ()  # copied from solutions/ as they are, e.g. templates

    @property
    def spec_file(self) -> Path:
        return paths.SPECS / f"test_{self.id}.py"

    @property
    def modules(self) -> tuple[str, ...]:
        return (self.module, *self.extra_modules) if self.built else ()


@dataclass(frozen=True)
class Claim:
    id: str
    says: str  # the notes' claim, in the project's words
    verdict: str
    truth: str  # what the installed Flask does
    lessons: tuple[str, ...]
    reason: str = ""  # why a claim cannot be tested
    beyond: bool = False  # taught although the notes never say it


def read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _lesson(number: int, plan: dict) -> Lesson:
    lesson_id = plan["id"]
    detail_path = paths.LESSONS / f"{lesson_id}.toml"
    if not detail_path.exists():
        return Lesson(lesson_id, number, plan["title"], plan["minutes"], built=False)
    detail = read_toml(detail_path)
    exercises = []
    for position, entry in enumerate(detail.get("exercise", []), start=1):
        if entry["kind"] not in KINDS:
            raise CourseError(f"{detail_path.name}: exercise {entry['id']}: unknown kind")
        exercises.append(
            Exercise(
                id=entry["id"],
                lesson=lesson_id,
                number=position,
                kind=entry["kind"],
                title=entry["title"],
                task=entry["task"].strip(),
                hints=tuple(hint.strip() for hint in entry.get("hints", [])),
            )
        )
    return Lesson(
        lesson_id,
        number,
        plan["title"],
        plan["minutes"],
        built=True,
        module=detail.get("module", lesson_id),
        intro=detail.get("intro", "").strip(),
        exercises=tuple(exercises),
        extra_modules=tuple(detail.get("extra_modules", [])),
        files=tuple(detail.get("files", [])),
    )


@cache
def lessons() -> tuple[Lesson, ...]:
    plan = read_toml(paths.SPECS / "course.toml")
    course = tuple(_lesson(number, entry) for number, entry in enumerate(plan["lesson"], 1))
    seen: dict[str, str] = {}
    for lesson in course:
        for exercise in lesson.exercises:
            if exercise.id in seen:
                raise CourseError(
                    f"exercise id {exercise.id!r} is used by lessons {seen[exercise.id]!r} "
                    f"and {lesson.id!r}; ids must be unique across the course"
                )
            seen[exercise.id] = lesson.id
    return course


def built_lessons() -> tuple[Lesson, ...]:
    return tuple(lesson for lesson in lessons() if lesson.built)


def lesson(lesson_id: str) -> Lesson:
    for candidate in lessons():
        if candidate.id == lesson_id:
            return candidate
    raise KeyError(lesson_id)


def exercises() -> tuple[Exercise, ...]:
    return tuple(exercise for lesson in lessons() for exercise in lesson.exercises)


def exercise(exercise_id: str) -> Exercise:
    for candidate in exercises():
        if candidate.id == exercise_id:
            return candidate
    raise KeyError(exercise_id)


@cache
def checked_on() -> str:
    return read_toml(paths.CLAIMS)["checked_on"]


@cache
def claims() -> dict[str, Claim]:
    catalogue: dict[str, Claim] = {}
    for entry in read_toml(paths.CLAIMS)["claim"]:
        if entry["verdict"] not in VERDICTS:
            raise CourseError(f"claim {entry['id']}: unknown verdict {entry['verdict']!r}")
        if entry["verdict"] == "untestable" and not entry.get("reason"):
            raise CourseError(f"claim {entry['id']}: an untestable claim must say why")
        catalogue[entry["id"]] = Claim(
            id=entry["id"],
            says=entry["says"].strip(),
            verdict=entry["verdict"],
            truth=entry.get("truth", "").strip(),
            lessons=tuple(entry.get("lessons", [])),
            reason=entry.get("reason", "").strip(),
            beyond=entry.get("beyond", False),
        )
    return catalogue


def lesson_for_spec_file(path: Path) -> str | None:
    """The lesson a spec module belongs to: specs/test_<lesson>.py."""
    if path.parent != paths.SPECS or not path.name.startswith("test_") or path.suffix != ".py":
        return None
    return path.stem[len("test_") :]
