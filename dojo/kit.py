"""What a learner's file uses: the stub that says "not written yet" and the unanswered sentinel.

Kept free of pytest and Flask so that a kata module imports it cheaply and anywhere.
"""

from __future__ import annotations

import os
import sys


class KataError(BaseException):
    """Something in the learner's file that no input can get past (a stub, a missing answer).

    A BaseException on purpose: hypothesis then stops at the first example instead of shrinking
    inputs that have nothing to do with it, and a learner's `except Exception` cannot hide it.
    """


class NotWrittenYet(KataError):
    """Raised by a stub the learner has not replaced yet."""


class _Unanswered:
    """The value of a prediction the learner has not made yet."""

    _instance: _Unanswered | None = None

    def __new__(cls) -> _Unanswered:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNANSWERED"

    def __bool__(self) -> bool:
        # an unanswered prediction must never pass for a falsy answer such as False or None
        raise TypeError("UNANSWERED has no truth value: replace it with your prediction")

    def __reduce__(self) -> str:
        return "UNANSWERED"


UNANSWERED = _Unanswered()


def is_unanswered(value: object) -> bool:
    """True if the value is UNANSWERED or holds it anywhere inside (dict, list, tuple, set)."""
    if value is UNANSWERED:
        return True
    if isinstance(value, dict):
        return any(is_unanswered(k) or is_unanswered(v) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(is_unanswered(item) for item in value)
    return False


def display_path(path: str) -> str:
    """A file's path as a learner would type it: relative to the working folder if inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


def todo(exercise: str = "") -> None:
    """Stand in for code the learner writes; raises NotWrittenYet naming the file and function."""
    caller = sys._getframe(1)
    where = f"{display_path(caller.f_code.co_filename)}:{caller.f_code.co_name}"
    message = f"not written yet: {where}"
    if exercise:
        message += f" (exercise {exercise}; stuck? dojo hint {exercise})"
    raise NotWrittenYet(message)
