"""Write kata/ from solutions/: the one place a lesson's code is written.

In a solution module, what the learner writes is fenced by comment markers:

    # solution: EXERCISE          code the learner writes; the kata gets `todo("EXERCISE")`
    ...
    # end solution

    # answer: EXERCISE            a prediction; each `NAME = value` becomes `NAME = UNANSWERED`,
    NAME = value                  a dict literal keeps its keys so the learner sees the shape
    # end answer

Everything outside the markers is copied as it is, so the kata keeps the docstrings, the imports
and the comments that explain each exercise. In the kata each region is fenced again, in words a
learner reads ("your code", "your prediction"), so that one exercise can be reset on its own.
"""

from __future__ import annotations

import ast
import re
import shutil
import textwrap
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dojo import paths
from dojo.course import Lesson

_OPEN = re.compile(r"^(?P<indent>[ \t]*)# (?P<kind>solution|answer): (?P<exercise>[a-z0-9_]+)\s*$")
_CLOSE = re.compile(r"^[ \t]*# end (?P<kind>solution|answer)\s*$")

_KATA_OPEN = re.compile(
    r"^(?P<indent>[ \t]*)# ---- your (?P<kind>code|prediction): (?P<exercise>[a-z0-9_]+) ----\s*$"
)
_KATA_CLOSE = re.compile(r"^[ \t]*# ---- end: (?P<exercise>[a-z0-9_]+) ----\s*$")
_KATA_KIND = {"solution": "code", "answer": "prediction"}

HEADER = (
    "# Your file: write between the '# ---- your ...' lines, replacing todo(...) and UNANSWERED.\n"
    "# `dojo reset <exercise>` restores one exercise's stub; your file is backed up first.\n"
)


class GenerationError(ValueError):
    """A solution module whose markers cannot be turned into a kata module."""


@dataclass(frozen=True)
class Region:
    kind: str  # "solution" or "answer"
    exercise: str
    indent: str
    start: int  # index of the opening marker line
    end: int  # index of the closing marker line


def find_regions(text: str, filename: str = "<solution>") -> list[Region]:
    regions: list[Region] = []
    opened: tuple[int, re.Match[str]] | None = None
    for number, line in enumerate(text.splitlines()):
        opening, closing = _OPEN.match(line), _CLOSE.match(line)
        if opening:
            if opened is not None:
                raise GenerationError(f"{filename}:{number + 1}: a region opens inside another")
            opened = (number, opening)
        elif closing:
            if opened is None:
                raise GenerationError(f"{filename}:{number + 1}: '# end' with no region open")
            start, match = opened
            if closing["kind"] != match["kind"]:
                raise GenerationError(
                    f"{filename}:{number + 1}: '# end {closing['kind']}' closes a "
                    f"'{match['kind']}' region opened on line {start + 1}"
                )
            regions.append(Region(match["kind"], match["exercise"], match["indent"], start, number))
            opened = None
    if opened is not None:
        raise GenerationError(f"{filename}:{opened[0] + 1}: region never closed")
    return regions


def _unanswered(value: ast.expr) -> str:
    if isinstance(value, ast.Dict) and all(key is not None for key in value.keys):
        keys = "".join(f"    {ast.unparse(key)}: UNANSWERED,\n" for key in value.keys)
        return "{\n" + keys + "}"
    return "UNANSWERED"


def _answer_stub(body: list[str], indent: str, filename: str, line: int) -> list[str]:
    source = "\n".join(row[len(indent) :] if row.startswith(indent) else row for row in body)
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise GenerationError(f"{filename}:{line}: answer region does not parse: {error}") from None
    stub: list[str] = []
    for statement in tree.body:
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
            raise GenerationError(f"{filename}:{line}: an answer region holds only `NAME = value`")
        target = ast.unparse(statement.targets[0])
        stub.extend(
            f"{indent}{row}" for row in f"{target} = {_unanswered(statement.value)}".split("\n")
        )
    if not stub:
        raise GenerationError(f"{filename}:{line}: empty answer region")
    return stub


def _indented(code: str, indent: str) -> list[str]:
    return [
        f"{indent}{line}" if line.strip() else ""
        for line in textwrap.dedent(code).strip("\n").splitlines()
    ]


def render(
    text: str,
    solved: frozenset[str] = frozenset(),
    filename: str = "<solution>",
    written: Mapping[str, Iterator[str]] | None = None,
) -> str:
    """The kata module for a solution text, with the exercises in `solved` left solved.

    `written` gives, for some exercises, what a learner might write instead: one piece of code
    per region of the exercise, taken in order (the project's own tests try wrong answers and
    other right answers this way).
    """
    lines = text.splitlines()
    out: list[str] = []
    cursor = 0
    for region in find_regions(text, filename):
        out.extend(lines[cursor : region.start])
        body = lines[region.start + 1 : region.end]
        out.append(f"{region.indent}# ---- your {_KATA_KIND[region.kind]}: {region.exercise} ----")
        if written is not None and region.exercise in written:
            out.extend(_indented(next(written[region.exercise]), region.indent))
        elif region.exercise in solved:
            out.extend(body)
        elif region.kind == "solution":
            out.append(f'{region.indent}todo("{region.exercise}")')
        else:
            out.extend(_answer_stub(body, region.indent, filename, region.start + 1))
        out.append(f"{region.indent}# ---- end: {region.exercise} ----")
        cursor = region.end + 1
    out.extend(lines[cursor:])
    return "\n".join(out) + "\n"


def find_kata_regions(text: str) -> list[Region]:
    """The fenced regions of a kata file as it is now; a fence the learner broke is left out."""
    regions: list[Region] = []
    opened: tuple[int, re.Match[str]] | None = None
    for number, line in enumerate(text.splitlines()):
        opening, closing = _KATA_OPEN.match(line), _KATA_CLOSE.match(line)
        if opening:
            opened = (number, opening)
        elif closing and opened is not None and closing["exercise"] == opened[1]["exercise"]:
            start, match = opened
            regions.append(Region(match["kind"], match["exercise"], match["indent"], start, number))
            opened = None
    return regions


def kata_text(
    lesson_module: str,
    solved: frozenset[str] = frozenset(),
    written: Mapping[str, Iterator[str]] | None = None,
) -> str:
    source = paths.SOLUTIONS / f"{lesson_module}.py"
    body = render(source.read_text(encoding="utf-8"), solved, f"solutions/{source.name}", written)
    return HEADER.format(lesson=lesson_module) + body


def backup(path: Path) -> Path:
    """Copy a learner's file aside before anything overwrites it; returns the copy."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = paths.BACKUPS / f"{path.stem}.{stamp}{path.suffix}"
    counter = 1
    while target.exists():
        target = paths.BACKUPS / f"{path.stem}.{stamp}-{counter}{path.suffix}"
        counter += 1
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)
    return target


def lesson_texts(
    lesson: Lesson,
    solved: frozenset[str] = frozenset(),
    written: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, str]:
    """Every file of a lesson's kata by its path under kata/: generated modules, copied files."""
    pieces = {exercise: iter(codes) for exercise, codes in (written or {}).items()}
    texts = {f"{module}.py": kata_text(module, solved, pieces) for module in lesson.modules}
    for name in lesson.files:
        texts[name] = (paths.SOLUTIONS / name).read_text(encoding="utf-8")
    return texts


def write_files(folder: Path, texts: dict[str, str], keep_backup: bool) -> list[Path]:
    """Write the texts under folder; a differing file is backed up first when keep_backup is set."""
    backups = []
    for name, text in texts.items():
        path = folder / name
        if path.exists():
            if path.read_text(encoding="utf-8") == text:
                continue
            if keep_backup:
                backups.append(backup(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return backups


def write_kata(lesson: Lesson) -> list[Path]:
    """Write the lesson's files into kata/ afresh; returns the backups made of differing files."""
    return write_files(paths.KATA, lesson_texts(lesson), keep_backup=True)


def differing_files(lesson: Lesson) -> dict[Path, str]:
    """The lesson's files in kata/ that differ from the generator's output, with that output."""
    differing = {}
    for name, text in lesson_texts(lesson).items():
        path = paths.KATA / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            differing[path] = text
    return differing


def stale_files(lessons: Iterable[Lesson]) -> list[str]:
    """The files of kata/ that differ from what the generator writes for these lessons."""
    return [
        f"kata/{path.relative_to(paths.KATA).as_posix()}"
        for lesson in lessons
        for path in differing_files(lesson)
    ]
