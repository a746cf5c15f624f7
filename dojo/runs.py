"""Run the specs in a separate process and read back their results.

A separate process because a lesson module, once imported, stays imported: every run that must see
the files as they are now (the command line, the project's own tests) starts afresh.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dojo import generate, paths
from dojo.course import Lesson
from dojo.progress import SpecResult


@dataclass
class Run:
    returncode: int
    output: str
    results: list[SpecResult]
    payload: dict

    def by_status(self, status: str) -> set[str]:
        return {r.name for r in self.results if r.status == status}


def _pytest_arguments(
    spec_args: tuple[str, ...], target: str | Path, results_file: Path
) -> list[str]:
    return [
        *(spec_args or [str(paths.SPECS)]),
        "--target",
        str(target),
        "--dojo-results",
        str(results_file),
        "--no-progress",
        "-q",
        "-p",
        "no:cacheprovider",
    ]


def _read_payload(results_file: Path, output: str) -> dict:
    if not results_file.exists():
        raise RuntimeError(f"the spec run wrote no results:\n{output}")
    return json.loads(results_file.read_text(encoding="utf-8"))


def _results(payload: dict) -> list[SpecResult]:
    return [SpecResult.from_json(entry) for entry in payload["tests"]]


def run_specs(
    *spec_args: str,
    target: str | Path = "kata",
    coverage_file: Path | None = None,
    timeout: float = 600,
) -> Run:
    """pytest on the given spec paths (default: all of specs/) against a target, in a subprocess."""
    with tempfile.TemporaryDirectory(prefix="dojo-run-") as scratch:
        results_file = Path(scratch) / "results.json"
        command = [sys.executable, "-m"]
        if coverage_file is not None:
            command += ["coverage", "run", f"--data-file={coverage_file}", "-m"]
        command += ["pytest", *_pytest_arguments(spec_args, target, results_file)]
        environment = {**os.environ, "DOJO_ROOT": str(paths.ROOT)}
        environment.pop("DOJO_TARGET", None)
        completed = subprocess.run(
            command,
            cwd=paths.ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = completed.stdout + completed.stderr
        payload = _read_payload(results_file, f"(exit {completed.returncode})\n{output}")
    return Run(completed.returncode, output, _results(payload), payload)


def run_in_process(*spec_args: str, target: str | Path = "kata") -> list[SpecResult]:
    """pytest in this process, its output swallowed: a fraction of a second once Flask is imported.

    The plugin loads lesson modules afresh for every session, so a saved file is always seen.
    """
    import pytest

    with tempfile.TemporaryDirectory(prefix="dojo-run-") as scratch:
        results_file = Path(scratch) / "results.json"
        swallowed = io.StringIO()
        with contextlib.redirect_stdout(swallowed), contextlib.redirect_stderr(swallowed):
            pytest.main(_pytest_arguments(spec_args, target, results_file))
        return _results(_read_payload(results_file, swallowed.getvalue()))


def write_target(
    folder: Path,
    lesson: Lesson,
    solved: frozenset[str] = frozenset(),
    written: dict[str, list[str]] | None = None,
) -> Path:
    """A target folder holding a lesson's kata with the given exercises solved, and the code in
    `written` (one piece per region) standing in for the solution of those exercises."""
    generate.write_files(folder, generate.lesson_texts(lesson, solved, written), keep_backup=False)
    return folder
