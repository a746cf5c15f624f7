"""The claims table: every claim of the notes, its verdict, its specs and how they fare now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dojo import course
from dojo.progress import PASS, SpecResult

PENDING, UNTESTABLE, NOT_RUN = "pending", "untestable", "not run"


@dataclass
class ClaimRow:
    claim: course.Claim
    specs: list[SpecResult]
    state: str  # "3/5 pass", pending, untestable or not run


def rows(results: Iterable[SpecResult]) -> list[ClaimRow]:
    results = list(results)
    built = {lesson.id for lesson in course.built_lessons()}
    table = []
    for claim in course.claims().values():
        specs = [r for r in results if claim.id in r.claims]
        if claim.verdict == "untestable":
            state = UNTESTABLE
        elif not built.intersection(claim.lessons):
            state = PENDING
        elif not specs:
            state = NOT_RUN
        else:
            state = f"{sum(r.status == PASS for r in specs)}/{len(specs)} pass"
        table.append(ClaimRow(claim, specs, state))
    return table


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_text(table: list[ClaimRow]) -> str:
    lines = [f"The notes' claims, checked on {course.checked_on()}"]
    for row in table:
        claim = row.claim
        beyond = " (beyond the notes)" if claim.beyond else ""
        lines.append(
            f"{claim.id:<4} {claim.verdict:<10} {', '.join(claim.lessons):<18} "
            f"{len(row.specs):>3} specs  {row.state}{beyond}"
        )
        lines.append(f"     notes: {_one_line(claim.says)}")
        if claim.verdict == "untestable":
            lines.append(f"     why untestable: {_one_line(claim.reason)}")
        else:
            lines.append(f"     Flask: {_one_line(claim.truth)}")
    return "\n".join(lines)


def render_markdown(table: list[ClaimRow]) -> str:
    lines = [
        f"Checked on {course.checked_on()}.",
        "",
        "| id | the notes say | verdict | what Flask does | lessons | specs | now |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in table:
        claim = row.claim
        truth = claim.reason if claim.verdict == "untestable" else claim.truth
        cells = [
            claim.id,
            _one_line(claim.says) + (" *(beyond the notes)*" if claim.beyond else ""),
            claim.verdict,
            _one_line(truth),
            ", ".join(claim.lessons),
            str(len(row.specs)),
            row.state,
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)
