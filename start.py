#!/usr/bin/env python3
"""Set the kata up in .venv and start it. Needs nothing but Python 3.10 or newer.

    python3 start.py          install, then show the lessons, your progress and the next exercise
    python3 start.py --test   install the project's own tools too, then run the project's own tests

Words after the first form go to the `dojo` command: `python3 start.py hint which_context`.
Installing happens once, and again only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_installed(extras: str) -> Path:
    python = venv_python()
    if not python.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    fingerprint = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + extras.encode()
    ).hexdigest()
    stamp = VENV / f".installed-{extras or 'base'}"
    if not stamp.exists() or stamp.read_text() != fingerprint:
        print("Installing the kata and what it needs (once) ...", flush=True)
        spec = f"{ROOT}[{extras}]" if extras else str(ROOT)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-e",
                spec,
            ],
            check=True,
        )
        stamp.write_text(fingerprint)
    return python


def main(arguments: list[str]) -> int:
    if sys.version_info < (3, 10):  # noqa: UP036 - this file runs under whatever Python is there
        print(f"The kata needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
        return 2
    os.chdir(ROOT)
    if arguments[:1] == ["--test"]:
        python = ensure_installed("dev,deploy,mutation")
        return subprocess.run([str(python), "-m", "pytest", "tests", *arguments[1:]]).returncode
    python = ensure_installed("")
    code = subprocess.run([str(python), "-m", "dojo", *arguments]).returncode
    activate = r".venv\Scripts\activate" if os.name == "nt" else "source .venv/bin/activate"
    print(f"\nTo work: {activate}   then   pytest specs/   (or: dojo hint <exercise>)")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
