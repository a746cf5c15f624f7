"""A small course of two lessons, built in a temporary folder, to test the runner on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

COURSE = """
[[lesson]]
id = "alpha"
title = "Alpha, the first lesson"
minutes = 10

[[lesson]]
id = "beta"
title = "Beta, the second lesson"
minutes = 10

[[lesson]]
id = "gamma"
title = "Gamma, not built yet"
minutes = 10
"""

CLAIMS = """
checked_on = "the fake course"

[[claim]]
id = "X1"
lessons = ["alpha"]
verdict = "holds"
says = "Doubling doubles."
truth = "It does."

[[claim]]
id = "X2"
lessons = ["beta"]
verdict = "erratum"
says = "Greeting says goodbye."
truth = "It says hello."

[[claim]]
id = "X3"
lessons = ["gamma"]
verdict = "holds"
says = "A claim of a lesson not built yet."
truth = "Pending."

[[claim]]
id = "X4"
lessons = ["alpha"]
verdict = "untestable"
says = "Written by a famous person."
reason = "History is not behaviour."
"""

ALPHA_TOML = """
module = "alpha"

[[exercise]]
id = "a_predict"
kind = "predict"
title = "Predict a number"
task = "Say what 2 + 2 is."
hints = ["Count.", "It is even."]

[[exercise]]
id = "a_use"
kind = "use"
title = "Double a number"
task = "Write double(n)."
hints = ["Multiply."]
"""

BETA_TOML = """
module = "beta"

[[exercise]]
id = "b_build"
kind = "build"
title = "Greet"
task = "Write greet(name)."
hints = ["Use an f-string."]
"""

ALPHA_SOLUTION = '''"""Alpha."""

from dojo.kit import UNANSWERED, todo  # noqa: F401

# answer: a_predict
FOUR = 4
SHAPES = {"square": 4, "triangle": 3}
# end answer


def double(n):
    # solution: a_use
    return n * 2
    # end solution
'''

BETA_SOLUTION = '''"""Beta."""

from dojo.kit import UNANSWERED, todo  # noqa: F401


def greet(name):
    # solution: b_build
    return f"hello {name}"
    # end solution
'''

ALPHA_SPECS = """
import pytest
from dojo.spec import check_prediction, expect_equal


@pytest.mark.exercise("a_predict")
@pytest.mark.claim("X1")
def test_four(kata):
    check_prediction(kata, "FOUR", 2 + 2, "X1", "two and two")


@pytest.mark.exercise("a_predict")
@pytest.mark.claim("X1")
def test_square(kata):
    check_prediction(kata, "SHAPES", 4, "X1", "corners of a square", key="square")


@pytest.mark.exercise("a_use")
@pytest.mark.claim("X1")
@pytest.mark.parametrize("n", [0, 1, 21])
def test_double(kata, n):
    expect_equal(kata.double(n), n + n, "X1", f"double({n})")
"""

BETA_SPECS = """
import pytest
from dojo.spec import expect_equal


@pytest.mark.exercise("b_build")
@pytest.mark.claim("X2")
def test_greet(kata):
    expect_equal(kata.greet("ann"), "hello ann", "X2", "greet('ann')")
"""


@dataclass
class Outcome:
    returncode: int
    output: str
    results: dict

    def status(self, name_part: str) -> set[str]:
        return {t["status"] for t in self.results["tests"] if name_part in t["name"]}

    def messages(self, name_part: str) -> list[str]:
        return [t["message"] for t in self.results["tests"] if name_part in t["name"]]


@dataclass
class FakeCourse:
    root: Path

    def environment(self, **extra: str) -> dict[str, str]:
        environment = {k: v for k, v in os.environ.items() if k != "DOJO_TARGET"}
        environment.update(DOJO_ROOT=str(self.root), **extra)
        environment["PYTHONPATH"] = os.pathsep.join([str(REPO), environment.get("PYTHONPATH", "")])
        return environment

    def run(self, *command: str, **extra_env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *command],
            cwd=self.root,
            env=self.environment(**extra_env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def pytest(self, *args: str, **extra_env: str) -> Outcome:
        results = self.root / "results.json"
        results.unlink(missing_ok=True)
        completed = self.run(
            "-m",
            "pytest",
            *args,
            "-p",
            "no:cacheprovider",
            "--dojo-results",
            str(results),
            **extra_env,
        )
        data = json.loads(results.read_text()) if results.exists() else {"tests": []}
        return Outcome(completed.returncode, completed.stdout + completed.stderr, data)

    def dojo(self, *args: str) -> subprocess.CompletedProcess:
        return self.run("-m", "dojo", *args)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


@pytest.fixture
def fake_course(tmp_path: Path) -> FakeCourse:
    course = FakeCourse(tmp_path)
    course.write("conftest.py", 'pytest_plugins = ["dojo.plugin"]\n')
    course.write("pyproject.toml", '[tool.pytest.ini_options]\ntestpaths = ["specs"]\n')
    course.write("specs/course.toml", COURSE)
    course.write("specs/claims.toml", CLAIMS)
    course.write("specs/lessons/alpha.toml", ALPHA_TOML)
    course.write("specs/lessons/beta.toml", BETA_TOML)
    course.write("specs/test_alpha.py", ALPHA_SPECS)
    course.write("specs/test_beta.py", BETA_SPECS)
    course.write("solutions/alpha.py", ALPHA_SOLUTION)
    course.write("solutions/beta.py", BETA_SOLUTION)
    generated = course.dojo("generate")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    return course
