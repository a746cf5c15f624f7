"""Put an exercise, or a whole lesson, back to its stubs, keeping a backup of the learner's files.

An exercise is found in the learner's file by its fences ("# ---- your code: ID ----" ...
"# ---- end: ID ----"); only what lies between them is replaced, so the learner's other exercises
stay as they are.
"""

from __future__ import annotations

from pathlib import Path

from dojo import course, generate, paths
from dojo.kit import display_path


class ResetRefused(Exception):
    """The exercise cannot be found in the learner's file; nothing was changed."""


def plan_exercise(exercise: course.Exercise) -> dict[Path, str]:
    """The new text of each file the reset changes (empty when the exercise is already a stub)."""
    lesson = course.lesson(exercise.lesson)
    changes: dict[Path, str] = {}
    for module in lesson.modules:
        path = paths.KATA / f"{module}.py"
        pristine = generate.kata_text(module)
        stubs = [r for r in generate.find_kata_regions(pristine) if r.exercise == exercise.id]
        if not stubs:
            continue
        if not path.exists():
            changes[path] = pristine
            continue
        current = path.read_text(encoding="utf-8")
        found = [r for r in generate.find_kata_regions(current) if r.exercise == exercise.id]
        if len(found) != len(stubs):
            raise ResetRefused(
                f"{display_path(str(path))}: the fences of {exercise.id} ('# ---- your ...: "
                f"{exercise.id} ----' and '# ---- end: {exercise.id} ----') were changed, so its "
                f"code cannot be told from the rest. Reset the whole lesson instead: "
                f"dojo reset {lesson.id}"
            )
        lines, stub_lines = current.splitlines(), pristine.splitlines()
        for mine, stub in reversed(list(zip(found, stubs, strict=True))):
            lines[mine.start + 1 : mine.end] = stub_lines[stub.start + 1 : stub.end]
        text = "\n".join(lines) + "\n"
        if text != current:
            changes[path] = text
    return changes


def plan_lesson(lesson: course.Lesson) -> dict[Path, str]:
    """The new text of each file of the lesson that is not as the stubs have it."""
    return generate.differing_files(lesson)


def apply(changes: dict[Path, str]) -> list[Path]:
    """Back up every existing file, then write; returns the backups."""
    backups = [generate.backup(path) for path in changes if path.exists()]
    for path, text in changes.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return backups
