"""Answers a learner might write, other than the reference: plausible mistakes the specs must
reject (with a first failure message that points at the mistake) and correct answers written
differently that the specs must accept. One module per lesson: tests/variants/<lesson>.py with a
list VARIANTS. A variant is either written out whole, one piece of code per region of its
exercise (in the order the regions come in the lesson's solution modules, written as if at the
region's own indentation), or given as `changes` to the reference: (old, new) pairs of line
blocks, so that a mistake shows as what it changes. An old block must occur exactly once in the
reference, at any indentation; the new block takes that indentation."""

from __future__ import annotations

import importlib
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dojo import course, paths
from dojo.generate import find_regions

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Variant:
    exercise: str
    name: str
    written: tuple[str, ...]
    points_at: str = ""  # for a mistake: words the first failure message must contain

    @property
    def is_mistake(self) -> bool:
        return bool(self.points_at)

    @property
    def key(self) -> str:
        return f"{self.exercise}:{self.name}"


Changes = Sequence[tuple[str, str]]


def mistake(
    exercise: str, name: str, *written: str, points_at: str, changes: Changes = ()
) -> Variant:
    return Variant(exercise, name, written or edited(exercise, name, changes), points_at)


def alternative(exercise: str, name: str, *written: str, changes: Changes = ()) -> Variant:
    return Variant(exercise, name, written or edited(exercise, name, changes))


def reference(exercise: str) -> list[str]:
    """The reference answer of an exercise: the code of each of its regions, dedented."""
    lesson = course.lesson(course.exercise(exercise).lesson)
    pieces = []
    for module in lesson.modules:
        text = (paths.SOLUTIONS / f"{module}.py").read_text(encoding="utf-8")
        lines = text.splitlines()
        for region in find_regions(text):
            if region.exercise == exercise:
                pieces.append(textwrap.dedent("\n".join(lines[region.start + 1 : region.end])))
    return pieces


def block(text: str) -> list[str]:
    return textwrap.dedent(text).strip("\n").split("\n")


def indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def places(lines: list[str], old: list[str]) -> list[int]:
    """Where the block `old` starts in `lines`, at any indentation."""
    size = len(old)
    return [
        start
        for start in range(len(lines) - size + 1)
        if block("\n".join(lines[start : start + size])) == old
    ]


def edited(exercise: str, name: str, changes: Changes) -> tuple[str, ...]:
    """The reference of the exercise with each (old, new) block replaced."""
    if not changes:
        raise ValueError(f"variant {exercise}:{name} gives neither code nor changes")
    pieces = [piece.split("\n") for piece in reference(exercise)]
    for old_text, new_text in changes:
        old = block(old_text)
        found = [(piece, start) for piece in pieces for start in places(piece, old)]
        if len(found) != 1:
            raise ValueError(
                f"variant {exercise}:{name}: the reference holds {len(found)} copies of "
                f"{old_text.strip()!r}, not one: name more of its lines"
            )
        piece, start = found[0]
        replaced = piece[start : start + len(old)]
        indent = min((indentation(line) for line in replaced if line.strip()), key=len)
        new = [f"{indent}{line}" if line.strip() else "" for line in block(new_text)]
        piece[start : start + len(old)] = new if new_text.strip() else []
    return tuple("\n".join(piece) for piece in pieces)


def lessons_with_variants() -> list[str]:
    return sorted(path.stem for path in FOLDER.glob("*.py") if not path.stem.startswith("_"))


def variants_of(lesson_id: str) -> list[Variant]:
    return list(importlib.import_module(f"tests.variants.{lesson_id}").VARIANTS)
