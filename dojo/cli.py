"""The `dojo` command: progress, the next exercise, hints, watch, reset, claims and reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from dojo import catalogue, course, generate, integrity, paths, progress, report, reset, runs
from dojo.kit import display_path

TARGET = click.option(
    "--target", default="kata", show_default=True, help="kata, solutions or a folder"
)


def _exercise_or_fail(exercise_id: str) -> course.Exercise:
    try:
        return course.exercise(exercise_id)
    except KeyError:
        known = ", ".join(e.id for e in course.exercises())
        raise click.BadParameter(
            f"no exercise {exercise_id!r}; the exercises are: {known}"
        ) from None


def _run_everything(target: str) -> runs.Run:
    click.echo("Running the specs...", err=True)
    return runs.run_specs(target=target)


@click.group(invoke_without_command=True)
@click.pass_context
def main(context: click.Context) -> None:
    """FlaskNotes Kata: learn how Flask really works by turning red specs green.

    With no command, shows every lesson, your progress and the next exercise.
    """
    if context.invoked_subcommand is None:
        context.invoke(status)


@main.command()
@TARGET
def status(target: str) -> None:
    """Every lesson with its progress, every exercise done or not, and the next one to do."""
    run = _run_everything(target)
    click.echo(progress.render(progress.summarize(run.results, target), every_exercise=True))


def where_to_type(exercise: course.Exercise) -> list[str]:
    """file:line of each place the exercise is written in the learner's files, with its function."""
    places = []
    for module in course.lesson(exercise.lesson).modules:
        path = paths.KATA / f"{module}.py"
        if not path.exists():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for region in generate.find_kata_regions("\n".join(lines)):
            if region.exercise != exercise.id:
                continue
            enclosing = next(
                (
                    line.strip().split("(")[0].removeprefix("def ").removeprefix("async def ")
                    for line in reversed(lines[: region.start])
                    if line.lstrip().startswith(("def ", "async def "))
                    and len(line) - len(line.lstrip()) < len(region.indent)
                ),
                None,
            )
            where = f"{display_path(str(path))}:{region.start + 2}"
            places.append(where + (f" (in {enclosing})" if enclosing else ""))
    return places


@main.command("next")
@TARGET
def next_command(target: str) -> None:
    """The next exercise to do: its task, the claims it teaches, where to type, what fails now."""
    run = _run_everything(target)
    upcoming = progress.summarize(run.results, target).next_exercise()
    if upcoming is None:
        click.echo("Every exercise is done. Well played.")
        return
    exercise = upcoming.exercise
    lesson = course.lesson(exercise.lesson)
    click.echo(f"{lesson.id}, exercise {exercise.number} of {len(lesson.exercises)}: {exercise.id}")
    click.echo(f"  {exercise.title} ({exercise.kind})\n")
    click.echo(exercise.task + "\n")
    claims = sorted(
        {c for r in upcoming.results for c in r.claims}, key=lambda c: (c[0], int(c[1:]))
    )
    for claim_id in claims:
        claim = course.claims()[claim_id]
        click.echo(f"It teaches {claim_id} ({claim.verdict}): {' '.join(claim.says.split())}")
    for place in where_to_type(exercise):
        click.echo(f"Write at:  {place}")
    failure = upcoming.first_failure
    if failure is not None:
        click.echo(f"\nFirst failing spec: {failure.name}\n{failure.message}")
    click.echo(f"\nRun its specs: pytest specs -k {exercise.id}   A hint: dojo hint {exercise.id}")


@main.command()
@click.argument("exercise_id")
@click.argument("level", type=click.IntRange(min=1), default=1)
def hint(exercise_id: str, level: int) -> None:
    """Show a hint for an exercise; a higher LEVEL tells more."""
    exercise = _exercise_or_fail(exercise_id)
    lesson = course.lesson(exercise.lesson)
    click.echo(f"{lesson.id}, exercise {exercise.number}: {exercise.id} ({exercise.kind})")
    click.echo(f"  {exercise.title}\n")
    click.echo(exercise.task + "\n")
    shown = min(level, len(exercise.hints))
    for number in range(1, shown + 1):
        click.echo(f"Hint {number} of {len(exercise.hints)}: {exercise.hints[number - 1]}")
    if shown < len(exercise.hints):
        click.echo(f"\nMore: dojo hint {exercise.id} {shown + 1}")
    click.echo(f"\nIts specs: pytest specs -k {exercise.id}")


@main.command()
@click.option("--poll", is_flag=True, help="poll for changes (for shared or network folders)")
@TARGET
def watch(poll: bool, target: str) -> None:
    """Re-run the current exercise's specs on every save in kata/, moving on when they pass."""
    from dojo.watch import Watch

    watcher = Watch(lambda text: click.echo(text), poll=poll, target=target)
    try:
        watcher.run()
    except KeyboardInterrupt:
        click.echo("\nStopped.")


@main.command("reset")
@click.argument("name")
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
def reset_command(name: str, yes: bool) -> None:
    """Put one exercise (or a whole lesson) back to its stubs; your files are backed up first."""
    lesson_ids = {lesson.id for lesson in course.built_lessons()}
    try:
        if name in lesson_ids:
            what, changes = f"lesson {name}", reset.plan_lesson(course.lesson(name))
        else:
            exercise = _exercise_or_fail(name)
            what, changes = f"exercise {name}", reset.plan_exercise(exercise)
    except reset.ResetRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    if not changes:
        click.echo(f"Nothing to reset: {what} is already as the stubs have it.")
        return
    files = ", ".join(display_path(str(path)) for path in changes)
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException(f"resetting {what} changes {files}; add --yes to confirm")
        click.confirm(f"Reset {what}? This rewrites {files} (a backup is kept).", abort=True)
    for saved in reset.apply(changes):
        click.echo(f"Your version is kept in {display_path(str(saved))}")
    click.echo(f"Reset {what}.")


@main.command()
@click.option("--markdown", is_flag=True, help="a Markdown table instead of text")
@click.option("--no-run", is_flag=True, help="only the catalogue, without running the specs")
@TARGET
def claims(markdown: bool, no_run: bool, target: str) -> None:
    """Every claim of the notes: its verdict, its specs, and whether they pass now."""
    results = [] if no_run else _run_everything(target).results
    table = catalogue.rows(results)
    click.echo(catalogue.render_markdown(table) if markdown else catalogue.render_text(table))


@main.command("report")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--learner", default="", help="the name to report under (default: user@host)")
@TARGET
def report_command(output: Path | None, learner: str, target: str) -> None:
    """Write results.json (Exercism's field names) and print one line for the instructor."""
    data = report.build(_run_everything(target), learner)
    destination = output or paths.STATE / "results.json"
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(json.dumps(data, indent=2), encoding="utf-8")
    click.echo(report.room_line(data))
    click.echo(f"Results written to {display_path(str(destination))}", err=True)
    for name in data["specs_edited"]:
        click.echo(
            f"Edited: {name}. Specs are the yardstick: put them back (git checkout specs/).",
            err=True,
        )


@main.command("generate")
@click.option("--check", is_flag=True, help="only report kata files that differ; change nothing")
def generate_command(check: bool) -> None:
    """(maintainers) Write kata/ from solutions/ and the specs' checksums; back up what differs."""
    lessons = course.built_lessons()
    if check:
        stale = generate.stale_files(lessons)
        if integrity.edited_specs():
            stale.append(f"specs/{integrity.MANIFEST_NAME}")
        for name in stale:
            click.echo(f"stale: {name}")
        sys.exit(1 if stale else 0)
    for lesson in lessons:
        for saved in generate.write_kata(lesson):
            click.echo(f"backed up {display_path(str(saved))}")
    integrity.write_manifest()
    click.echo(
        f"kata/ written for {len(lessons)} lesson(s); specs/{integrity.MANIFEST_NAME} updated"
    )
