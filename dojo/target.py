"""Which lesson modules the specs run against, and how a broken one is reported.

The target is `kata` (the learner's files, the default), `solutions` (the reference answers) or any
folder that holds lesson modules (the project's own tests use that). Modules are loaded from their
file, so a lesson that fails to import fails only its own specs.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
import zlib
from pathlib import Path
from types import ModuleType

from dojo import paths
from dojo.kit import KataError, display_path, is_unanswered

TARGET_ENV = "DOJO_TARGET"


class LearnerFacing(KataError):
    """An error whose message is all a learner needs: the runner shows it without a traceback."""


class LessonDoesNotLoad(LearnerFacing):
    """The lesson module raised, or did not parse, while it was imported."""


class NotAnswered(LearnerFacing):
    """A prediction still holds UNANSWERED."""


class MissingName(AttributeError):
    """A spec asked the lesson module for a name it does not define.

    An AttributeError, not a LearnerFacing error: tools such as hypothesis probe objects with
    getattr(obj, name, default) and must get the usual answer.
    """


def resolve(name: str | None) -> Path:
    name = name or os.environ.get(TARGET_ENV) or "kata"
    if name == "kata":
        return paths.KATA
    if name == "solutions":
        return paths.SOLUTIONS
    folder = Path(name).resolve()
    if not folder.is_dir():
        raise ValueError(f"--target must be kata, solutions or a folder; {name!r} is none of them")
    return folder


def _where_it_broke(error: BaseException, filename: str) -> str:
    if isinstance(error, SyntaxError) and error.filename:
        return f"{display_path(error.filename)}:{error.lineno}"
    frames = traceback.extract_tb(error.__traceback__)
    inside = [frame for frame in frames if Path(frame.filename) == Path(filename)]
    frame = (inside or frames or [None])[-1]
    if frame is None:  # pragma: no cover - an import error always has a frame
        return display_path(filename)
    return f"{display_path(frame.filename)}:{frame.lineno}"


def describe_import_failure(error: BaseException, filename: str) -> str:
    where = _where_it_broke(error, filename)
    detail = error.msg if isinstance(error, SyntaxError) else str(error)
    lines = [f"{where}: {type(error).__name__}: {detail}"]
    if isinstance(error, SyntaxError) and error.text:
        lines.append(f"    {error.text.rstrip()}")
    lines.append(
        f"{display_path(filename)} does not import, so none of its specs can run; "
        "the other lessons are not affected."
    )
    return "\n".join(lines)


class Target:
    """The lesson modules of one folder, each imported once, failures remembered."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._loaded: dict[str, ModuleType | LessonDoesNotLoad] = {}

    @property
    def label(self) -> str:
        return display_path(str(self.folder))

    def path(self, module: str) -> Path:
        return self.folder / f"{module}.py"

    def load(self, module: str) -> ModuleType:
        if module not in self._loaded:
            self._loaded[module] = self._import(module)
        result = self._loaded[module]
        if isinstance(result, LessonDoesNotLoad):
            raise result
        return result

    def _import(self, module: str) -> ModuleType | LessonDoesNotLoad:
        filename = str(self.path(module))
        if not os.path.exists(filename):
            return LessonDoesNotLoad(f"{display_path(filename)}: no such file")
        # a name of its own per folder, so that two targets never share a module object
        name = f"dojo_lesson_{zlib.crc32(str(self.folder).encode()):08x}_{module}"
        spec = importlib.util.spec_from_file_location(name, filename)
        loaded = importlib.util.module_from_spec(spec)
        sys.modules[name] = loaded  # Flask finds an app's root folder through sys.modules
        try:
            spec.loader.exec_module(loaded)
        except Exception as error:  # noqa: BLE001 - any learner error is reported the same way
            del sys.modules[name]
            return LessonDoesNotLoad(describe_import_failure(error, filename))
        return loaded


class LessonHandle:
    """What a spec sees as `kata`: the lesson module's names, loaded on first use."""

    def __init__(self, target: Target, module: str, exercise: str = "") -> None:
        self._target = target
        self._module = module
        self._exercise = exercise

    @property
    def file(self) -> str:
        return display_path(str(self._target.path(self._module)))

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        module = self._target.load(self._module)
        try:
            return getattr(module, name)
        except AttributeError:
            raise MissingName(
                f"{self.file} has no {name!r}: the spec needs it. Was it renamed or deleted? "
                f"`dojo reset {self._module}` restores the stubs (your file is backed up first)."
            ) from None

    def prediction(self, name: str, key: object = None):
        """The prediction `name` (or its entry `key`); NotAnswered while it is UNANSWERED."""
        value = getattr(self, name)
        label = name
        if key is not None:
            try:
                value = value[key]
            except (KeyError, IndexError, TypeError):
                raise NotAnswered(
                    f"{self.file}:{name} has no entry {key!r}: keep the keys the stub gave you"
                ) from None
            label = f"{name}[{key!r}]"
        if is_unanswered(value):
            hint = f" (exercise {self._exercise}; stuck? dojo hint {self._exercise})"
            raise NotAnswered(
                f"not answered yet: {self.file}:{label}" + (hint if self._exercise else "")
            )
        return value
