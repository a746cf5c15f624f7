"""The `dojo` command: progress at a glance, hints, and the generator for maintainers."""

from __future__ import annotations

import sys

import click

from dojo import course, generate, progress, runs


def _exercise_or_fail(exercise_id: str) -> course.Exercise:
    try:
        return course.exercise(exercise_id)
    except KeyError:
        known = ", ".join(e.id for e in course.exercises())
        raise click.BadParameter(
            f"no exercise {exercise_id!r}; the exercises are: {known}"
        ) from None


@click.group(invoke_without_command=True)
@click.pass_context
def main(context: click.Context) -> None:
    """FlaskNotes Kata: learn how Flask really works by turning red specs green.

    With no command, shows every lesson, your progress and the next exercise.
    """
    if context.invoked_subcommand is None:
        context.invoke(status)


@main.command()
@click.option("--target", default="kata", show_default=True, help="kata, solutions or a folder")
def status(target: str) -> None:
    """Run the specs and show each lesson's progress and the next exercise to do."""
    click.echo("Running the specs...", err=True)
    run = runs.run_specs(target=target)
    summary = progress.summarize(run.results, target)
    click.echo(progress.render(summary, every_exercise=True))


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


@main.command("generate")
@click.option("--check", is_flag=True, help="only report kata files that differ; change nothing")
def generate_command(check: bool) -> None:
    """(maintainers) Write kata/ from solutions/; a learner's differing file is backed up first."""
    lessons = course.built_lessons()
    if check:
        stale = generate.stale_files(lessons)
        for name in stale:
            click.echo(f"stale: {name}")
        sys.exit(1 if stale else 0)
    for lesson in lessons:
        for saved in generate.write_kata(lesson):
            click.echo(f"backed up {saved}")
    click.echo(f"kata/ written for {len(lessons)} lesson(s)")
