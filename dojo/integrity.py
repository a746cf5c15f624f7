"""Has specs/ been edited? A manifest of checksums, written with kata/ by `dojo generate`.

Not a lock: a learner can edit the manifest too. It is there so that a learner who edits a spec to
make it pass is told that the run no longer says anything about their code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dojo import paths

MANIFEST_NAME = "SHA256SUMS"


def _manifest() -> Path:
    return paths.SPECS / MANIFEST_NAME


def spec_files() -> list[Path]:
    return sorted(
        path
        for path in paths.SPECS.rglob("*")
        if path.is_file() and path.suffix in (".py", ".toml") and "__pycache__" not in path.parts
    )


def digest(path: Path) -> str:
    # line endings normalised: a checkout on Windows must not look edited
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def manifest_text() -> str:
    return "".join(f"{digest(p)}  {p.relative_to(paths.SPECS).as_posix()}\n" for p in spec_files())


def write_manifest() -> None:
    _manifest().write_text(manifest_text(), encoding="utf-8", newline="\n")


def edited_specs() -> list[str]:
    """specs/ files that differ from the manifest: changed, added or missing."""
    if not _manifest().exists():
        return [f"specs/{MANIFEST_NAME} (missing)"]
    recorded = {}
    for line in _manifest().read_text(encoding="utf-8").splitlines():
        checksum, _, name = line.partition("  ")
        recorded[name] = checksum
    current = {p.relative_to(paths.SPECS).as_posix(): digest(p) for p in spec_files()}
    names = sorted(set(recorded) | set(current))
    return [f"specs/{name}" for name in names if recorded.get(name) != current.get(name)]
