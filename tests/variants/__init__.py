"""Answers a learner might write, other than the reference: plausible mistakes the specs must
reject (with a first failure message that points at the mistake) and correct answers written
differently that the specs must accept. One module per lesson: tests/variants/<lesson>.py with a
list VARIANTS. Each variant gives one piece of code per region of its exercise, in the order the
regions come in the lesson's solution modules; the code is written as if at the region's own
indentation (it is dedented, then indented to the region's)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

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


def mistake(exercise: str, name: str, *written: str, points_at: str) -> Variant:
    return Variant(exercise, name, written, points_at)


def alternative(exercise: str, name: str, *written: str) -> Variant:
    return Variant(exercise, name, written)


def lessons_with_variants() -> list[str]:
    return sorted(path.stem for path in FOLDER.glob("*.py") if not path.stem.startswith("_"))


def variants_of(lesson_id: str) -> list[Variant]:
    return list(importlib.import_module(f"tests.variants.{lesson_id}").VARIANTS)
