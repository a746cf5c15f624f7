"""Where the kata's folders are: the runner works on a checkout in place, not on a copy."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("DOJO_ROOT", Path(__file__).resolve().parent.parent))
KATA = ROOT / "kata"
SOLUTIONS = ROOT / "solutions"
SPECS = ROOT / "specs"
LESSONS = SPECS / "lessons"
CLAIMS = SPECS / "claims.toml"
STATE = ROOT / ".dojo"
BACKUPS = STATE / "backups"
