"""Try every variant of one lesson (see tests/variants/) and write what each one got, as JSON.

    python tests/run_variants.py LESSON OUTPUT.json

All the lesson's other exercises are solved; the variant's exercise holds the variant's code.
Runs in one process, one pytest session per variant: fast, and each session loads the lesson
afresh from its own folder.
"""

from __future__ import annotations

import contextvars
import gc
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dojo import course, runs  # noqa: E402 - the checkout's runner
from tests.variants import variants_of  # noqa: E402


def run_isolated(lesson: course.Lesson, exercise: str, folder: Path) -> list:
    results = runs.run_in_process(str(lesson.spec_file), "-k", exercise, target=folder)
    # the variant's leftovers (a generator suspended inside a pushed context, say) are finalised
    # here, in the variant's own copy of the context variables, not in the next variant's
    gc.collect()
    return results


def main(lesson_id: str, output: Path) -> None:
    lesson = course.lesson(lesson_id)
    everything = frozenset(e.id for e in lesson.exercises)
    outcomes = {}
    with tempfile.TemporaryDirectory(prefix=f"dojo-variants-{lesson_id}-") as scratch:
        for number, variant in enumerate(variants_of(lesson_id)):
            folder = runs.write_target(
                Path(scratch) / f"v{number}",
                lesson,
                everything,
                {variant.exercise: list(variant.written)},
            )
            # a copy of the context variables each: a wrong answer that leaves a Flask context
            # pushed must not leak into the next variant's session
            results = contextvars.copy_context().run(run_isolated, lesson, variant.exercise, folder)
            own = [r for r in results if r.exercise == variant.exercise]
            failing = [r for r in own if r.status in ("fail", "error")]
            outcomes[variant.key] = {
                "specs": len(own),
                "passed": sum(r.status == "pass" for r in own),
                "first_failure": failing[0].message if failing else "",
                "first_failing_spec": failing[0].name if failing else "",
            }
    output.write_text(json.dumps(outcomes, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
