"""Mutation testing of solutions/ with Cosmic Ray: how many wrong versions of the reference
answers do the specs reject?

    pip install -e ".[mutation]"
    python tests/mutation_score.py [--lesson ID ...] [--jobs 2] [--floor 0.95] [--report FILE]

Each lesson module (and its extra modules, such as manage.py) is mutated in a copy of the
project of its own, and each mutant is run against that lesson's spec file only, so lessons run
side by side without touching this checkout. The settings shared by every session are in
pyproject.toml under [tool.cosmic-ray].

Every mutant the specs let live must be listed in tests/mutation_survivors.toml, either as
equivalent (with the reason) or as killed by a named spec (which is then checked). The command
fails when the score is under the floor, when a survivor is not listed, or when a listed mutant
no longer exists or is listed as killed but lives.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent  # whose pyproject.toml holds the settings
sys.path.insert(0, str(PROJECT))

from dojo import course, paths  # noqa: E402 - after the checkout is on the path
from dojo.course import read_toml  # noqa: E402

ROOT = paths.ROOT  # the course that is mutated: this checkout, or DOJO_ROOT's
SURVIVORS = ROOT / "tests" / "mutation_survivors.toml"
FLOOR = 0.95  # issue 9: at least 95% of mutants killed
# what a copy of the project needs: the runner, the lessons and their specs
COPIED = ["dojo", "solutions", "specs", "kata", "conftest.py", "pyproject.toml"]
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".dojo")


@dataclass(frozen=True)
class Mutant:
    file: str  # solutions/<module>.py
    line: int
    operator: str
    before: str  # the lines the mutation replaced, stripped and joined
    after: str  # what replaced them ("" when a line was removed)
    outcome: str  # killed, survived, incompetent
    timed_out: bool


def settings() -> dict:
    return read_toml(PROJECT / "pyproject.toml")["tool"]["cosmic-ray"]


def spec_command(spec_file: str) -> str:
    template = settings()["test-command"]
    return template.format(python=shlex.quote(sys.executable), spec_file=spec_file)


def session_config(modules: list[str], spec_file: str) -> dict:
    shared = settings()
    config = {key: value for key, value in shared.items() if key != "test-command"}
    config["module-path"] = modules
    config["test-command"] = spec_command(spec_file)
    return {"cosmic-ray": config}


def copy_project(into: Path) -> None:
    into.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=IGNORED)
        else:
            shutil.copy2(source, into / name)


def cosmic_ray(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cosmic_ray.cli", *arguments],
        cwd=cwd,
        env={**os.environ, "DOJO_ROOT": str(cwd)},
        capture_output=True,
        text=True,
        check=False,
    )


def changed_lines(diff: str) -> tuple[int, str, str]:
    """The first changed line's number in the original, and the removed and added text."""
    removed, added, line = [], [], -1  # -1 until a hunk is seen: no hunk, line 0
    for text in diff.splitlines():
        if text.startswith(("---", "+++")):
            continue
        if text.startswith("@@"):
            if line < 0:
                line = int(text.split()[1].lstrip("-").split(",")[0]) - 1
        elif text.startswith("-"):
            removed.append(text[1:].strip())
        elif text.startswith("+"):
            added.append(text[1:].strip())
        elif text.startswith(" ") and not removed and not added:
            line += 1  # a line of context before the change
    return line + 1, " / ".join(removed), " / ".join(added)


def read_session(session: Path, workdir: Path) -> list[Mutant]:
    from cosmic_ray.work_db import WorkDB, use_db

    mutants = []
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            (mutation,) = item.mutations
            line, before, after = changed_lines(result.diff or "")
            path = Path(mutation.module_path)
            if path.is_absolute():
                path = path.relative_to(workdir)
            mutants.append(
                Mutant(
                    file=path.as_posix(),
                    line=line or mutation.start_pos[0],
                    operator=mutation.operator_name,
                    before=before,
                    after=after,
                    outcome=str(result.test_outcome.value if result.test_outcome else "none"),
                    timed_out=(result.output or "") == "timeout",
                )
            )
    return mutants


def run_lesson(lesson: course.Lesson, workroot: Path) -> tuple[str, list[Mutant], float]:
    """Mutate one lesson's modules in a copy of the project; every mutant against its specs."""
    import toml  # Cosmic Ray's own dependency, for its configuration file

    started = time.perf_counter()
    workdir = workroot / lesson.id
    copy_project(workdir)
    spec_file = f"specs/test_{lesson.id}.py"
    modules = [f"solutions/{module}.py" for module in lesson.modules]
    config = workdir / "cosmic-ray.toml"
    config.write_text(toml.dumps(session_config(modules, spec_file)))
    session = workdir / "session.sqlite"
    # baseline: the specs must pass on the unmutated solutions, or no mutant means anything
    steps = [("baseline", str(config)), ("init", str(config), str(session))]
    for step in [*steps, ("exec", str(config), str(session))]:
        done = cosmic_ray(*step, cwd=workdir)
        if done.returncode != 0:
            raise SystemExit(f"{lesson.id}: cosmic-ray {step[0]} failed:\n{done.stderr[-2000:]}")
    return lesson.id, read_session(session, workdir), time.perf_counter() - started


def read_survivors() -> list[dict]:
    return read_toml(SURVIVORS).get("survivor", []) if SURVIVORS.exists() else []


def matches(entry: dict, mutant: Mutant) -> bool:
    """An entry names a file and the original text; operator and replacement may be globs."""
    return (
        entry["file"] == mutant.file
        and entry["before"] == mutant.before
        and fnmatch.fnmatchcase(mutant.operator, entry["operator"])
        # exact text first: a mutated line often holds [ ], which a glob reads as a set
        and (mutant.after == entry["after"] or fnmatch.fnmatchcase(mutant.after, entry["after"]))
    )


def judge(mutants: list[Mutant], files: set[str]) -> tuple[list[str], list[Mutant]]:
    """Problems with the survivors file, and the living mutants it does not explain."""
    problems, explained = [], set()
    for entry in read_survivors():
        if entry["file"] not in files:
            continue  # a lesson left out of this run
        found = [mutant for mutant in mutants if matches(entry, mutant)]
        lives = [mutant for mutant in found if mutant.outcome != "killed"]
        where = f"{entry['file']}: {entry['operator']}: {entry['before']!r} -> {entry['after']!r}"
        if not found:
            problems.append(f"listed, but no such mutant any more (remove it): {where}")
        elif entry["verdict"] == "killed" and lives:
            problems.append(f"listed as killed by {entry['spec']}, but it lives: {where}")
        elif entry["verdict"] == "equivalent" and not lives:
            problems.append(f"listed as equivalent, but the specs kill it now: {where}")
        explained.update(id(mutant) for mutant in lives)
    unexplained = [
        mutant for mutant in mutants if mutant.outcome != "killed" and id(mutant) not in explained
    ]
    return problems, unexplained


def mutate(lessons: list[course.Lesson], jobs: int, keep: bool) -> list[tuple]:
    """(lesson id, its mutants, seconds) for each lesson, in the order given."""
    workroot = Path(tempfile.mkdtemp(prefix="kata-mutation-"))
    # the lessons with the most code first, so that the last to finish is a short one
    by_size = sorted(lessons, key=lambda lesson: -sum(size_of(m) for m in lesson.modules))
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            runs = {lesson.id: pool.submit(run_lesson, lesson, workroot) for lesson in by_size}
            return [runs[lesson.id].result() for lesson in lessons]
    finally:
        if keep:
            print(f"copies kept in {workroot}")
        else:
            shutil.rmtree(workroot, ignore_errors=True)


def size_of(module: str) -> int:
    return (ROOT / "solutions" / f"{module}.py").stat().st_size


def table_row(name: str, mutants: list[Mutant], seconds: float) -> str:
    killed = sum(mutant.outcome == "killed" for mutant in mutants)
    total = len(mutants)
    score = killed / total if total else 1.0
    return f"{name:<10} {total:>7} {killed:>6} {total - killed:>5} {score:>7.1%} {seconds:>6.0f}s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", action="append", help="only this lesson (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="lessons mutated at once")
    parser.add_argument("--floor", type=float, default=FLOOR, help="the least score that passes")
    parser.add_argument("--report", type=Path, help="write every mutant and its outcome as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the copies; prints where")
    options = parser.parse_args()
    lessons = [course.lesson(lesson_id) for lesson_id in options.lesson or []]
    lessons = lessons or list(course.built_lessons())
    started = time.perf_counter()
    results = mutate(lessons, options.jobs, options.keep)
    mutants = [mutant for _, lesson_mutants, _ in results for mutant in lesson_mutants]
    print(f"{'lesson':<10} {'mutants':>7} {'killed':>6} {'lived':>5} {'score':>7} {'time':>7}")
    for lesson_id, lesson_mutants, seconds in results:
        print(table_row(lesson_id, lesson_mutants, seconds))
    print(table_row("all", mutants, time.perf_counter() - started))
    killed = sum(mutant.outcome == "killed" for mutant in mutants)
    score = killed / len(mutants) if mutants else 1.0
    timeouts = sum(mutant.timed_out for mutant in mutants)
    print(f"killed by the time limit: {timeouts}; the floor: {options.floor:.0%}")
    if options.report:
        options.report.write_text(json.dumps([asdict(mutant) for mutant in mutants], indent=1))
    files = {f"solutions/{module}.py" for lesson in lessons for module in lesson.modules}
    problems, unexplained = judge(mutants, files)
    for problem in problems:
        print(f"survivors file: {problem}")
    for mutant in unexplained:
        print(
            f"unexplained survivor: {mutant.file}:{mutant.line} {mutant.operator}: "
            f"{mutant.before!r} -> {mutant.after!r}"
        )
    if unexplained:
        print(f"list each in {SURVIVORS.name} as equivalent (and why), or kill it with a spec")
    return 0 if score >= options.floor and not problems and not unexplained else 1


if __name__ == "__main__":
    sys.exit(main())
