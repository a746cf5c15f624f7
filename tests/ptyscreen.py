"""A program's terminal, read until an expected text shows up (Unix pseudo-terminals)."""

from __future__ import annotations

import os
import select
import subprocess
import time


class Screen:
    """What a process writes to its terminal, read until an expected text shows up."""

    def __init__(self, command: list[str], cwd, env) -> None:
        import pty

        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave
        )
        os.close(slave)
        self.text = ""

    def wait_for(self, expected: str, timeout: float = 60, since: int = 0) -> str:
        """Read until `expected` shows in what was written after position `since`."""
        deadline = time.monotonic() + timeout
        while expected not in self.text[since:]:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.process.poll() is not None and not self._ready(0):
                raise AssertionError(f"{expected!r} never showed; the screen was:\n{self.text}")
            if self._ready(min(remaining, 0.5)):
                try:
                    self.text += os.read(self.master, 65536).decode(errors="replace")
                except OSError:  # the process closed its terminal
                    pass
        return self.text

    def _ready(self, timeout: float) -> bool:
        return bool(select.select([self.master], [], [], timeout)[0])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        os.close(self.master)
