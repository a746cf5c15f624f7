"""Progress from a run's spec results: exercises done per lesson, and the next one to do.

Shared by the summary printed after `pytest specs/` and by the `dojo` command, so both always agree.
Output is plain ASCII: learners' consoles (Windows' among them) cannot all print box characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from dojo import course

PASS, FAIL, ERROR, SKIP = "pass", "fail", "error", "skip"


@dataclass(frozen=True)
class SpecResult:
    name: str  # pytest node id
    lesson: str
    exercise: str
    claims: tuple[str, ...]
    status: str  # pass, fail, error or skip
    message: str = ""

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "lesson": self.lesson,
            "exercise": self.exercise,
            "claims": list(self.claims),
            "status": self.status,
            "message": self.message,
        }

    @classmethod
    def from_json(cls, data: dict) -> SpecResult:
        return cls(
            name=data["name"],
            lesson=data["lesson"],
            exercise=data["exercise"],
            claims=tuple(data["claims"]),
            status=data["status"],
            message=data.get("message", ""),
        )


@dataclass
class ExerciseProgress:
    exercise: course.Exercise
    results: list[SpecResult] = field(default_factory=list)
    not_run: int = 0  # specs collected but deselected

    @property
    def ran(self) -> bool:
        return bool(self.results) and self.not_run == 0

    @property
    def done(self) -> bool:
        return self.ran and all(result.status in (PASS, SKIP) for result in self.results)

    @property
    def first_failure(self) -> SpecResult | None:
        return next((r for r in self.results if r.status in (FAIL, ERROR)), None)


@dataclass
class LessonProgress:
    lesson: course.Lesson
    exercises: list[ExerciseProgress]

    @property
    def done(self) -> int:
        return sum(1 for exercise in self.exercises if exercise.done)

    @property
    def import_failure(self) -> str | None:
        """The lesson module's import error, if every spec failed on it."""
        failures = [r for e in self.exercises for r in e.results]
        marker = "does not import, so none of its specs can run"
        if failures and all(marker in r.message for r in failures):
            return failures[0].message.splitlines()[0]
        return None


@dataclass
class Progress:
    lessons: list[LessonProgress]
    target: str

    @property
    def done(self) -> int:
        return sum(lesson.done for lesson in self.lessons)

    @property
    def total(self) -> int:
        return sum(len(lesson.exercises) for lesson in self.lessons)

    def next_exercise(self) -> ExerciseProgress | None:
        for lesson in self.lessons:
            for exercise in lesson.exercises:
                if not exercise.done:
                    return exercise
        return None


def summarize(
    results: Iterable[SpecResult], target: str, deselected: Iterable[str] = ()
) -> Progress:
    by_exercise = {e.id: ExerciseProgress(e) for e in course.exercises()}
    for result in results:
        if result.exercise in by_exercise:
            by_exercise[result.exercise].results.append(result)
    for exercise_id in deselected:
        if exercise_id in by_exercise:
            by_exercise[exercise_id].not_run += 1
    lessons = [
        LessonProgress(lesson, [by_exercise[e.id] for e in lesson.exercises])
        for lesson in course.lessons()
    ]
    return Progress(lessons, target)


def bar(done: int, total: int, width: int = 12) -> str:
    filled = round(width * done / total) if total else 0
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _exercise_line(progress: ExerciseProgress) -> str:
    exercise = progress.exercise
    mark = "x" if progress.done else (" " if progress.ran else "?")
    return f"      [{mark}] {exercise.number}. {exercise.id} ({exercise.kind}): {exercise.title}"


def render(progress: Progress, *, every_exercise: bool = False) -> str:
    """The progress table; every_exercise lists all exercises, not only the current lesson's."""
    upcoming = progress.next_exercise()
    width = max(len(lp.lesson.id) for lp in progress.lessons)
    lines = [f"FlaskNotes Kata: progress on {progress.target}/"]
    for lp in progress.lessons:
        lesson = lp.lesson
        head = f"  {lesson.number}. {lesson.id:<{width}}  {lesson.title}"
        if not lesson.built:
            lines.append(f"{head}  (not built yet)")
            continue
        total = len(lp.exercises)
        lines.append(f"{head}  {bar(lp.done, total)} {lp.done}/{total}")
        broken = lp.import_failure
        if broken:
            lines.append(f"      does not import: {broken}")
        elif every_exercise or (upcoming is not None and upcoming.exercise.lesson == lesson.id):
            lines.extend(_exercise_line(e) for e in lp.exercises)
    lines.append(f"{progress.done} of {progress.total} exercises done.")
    if upcoming is None:
        lines.append("Every exercise is done. Well played.")
        return "\n".join(lines)
    exercise = upcoming.exercise
    lines.append(
        f"Next: {exercise.lesson}, exercise {exercise.number}: {exercise.id} ({exercise.kind}) - "
        f"{exercise.title}"
    )
    failure = upcoming.first_failure
    if failure is not None and failure.message:
        lines.append(f"  {failure.message.splitlines()[0]}")
    lines.append(f"  its specs: pytest specs -k {exercise.id}")
    lines.append(f"  a hint:    dojo hint {exercise.id}")
    return "\n".join(lines)
