"""next, reset, claims and report, on the fake course (see conftest.py)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def solve_alpha_prediction(course) -> None:
    kata = course.root / "kata/alpha.py"
    text = kata.read_text().replace("FOUR = UNANSWERED", "FOUR = 4")
    text = text.replace("'square': UNANSWERED", "'square': 4").replace(
        "'triangle': UNANSWERED", "'triangle': 3"
    )
    kata.write_text(text)


def test_next_gives_task_claim_place_and_first_failure(fake_course):
    result = fake_course.dojo("next")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "alpha, exercise 1 of 2: a_predict" in out
    assert "Say what 2 + 2 is." in out
    assert "It teaches X1 (holds): Doubling doubles." in out
    assert "Write at:  kata/alpha.py:" in out
    assert "First failing spec: specs/test_alpha.py::test_four" in out
    assert "not answered yet: kata/alpha.py:FOUR" in out


def test_next_moves_on_once_an_exercise_passes_and_names_the_function(fake_course):
    solve_alpha_prediction(fake_course)
    out = fake_course.dojo("next").stdout
    assert "alpha, exercise 2 of 2: a_use" in out
    assert "(in double)" in out


def test_reset_of_one_exercise_keeps_the_other_exercises_and_a_backup(fake_course):
    solve_alpha_prediction(fake_course)
    kata = fake_course.root / "kata/alpha.py"
    kata.write_text(kata.read_text().replace('todo("a_use")', "return n + n"))
    mine = kata.read_text()
    result = fake_course.dojo("reset", "a_use", "--yes")
    assert result.returncode == 0, result.stderr
    text = kata.read_text()
    assert 'todo("a_use")' in text and "return n + n" not in text
    assert "FOUR = 4" in text, "the other exercise must be left as the learner wrote it"
    [backup] = (fake_course.root / ".dojo/backups").iterdir()
    assert backup.read_text() == mine
    assert "Your version is kept in .dojo/backups/" in result.stdout


def test_reset_refuses_when_the_fences_were_edited_and_changes_nothing(fake_course):
    kata = fake_course.root / "kata/alpha.py"
    broken = kata.read_text().replace("# ---- end: a_use ----", "")
    kata.write_text(broken)
    result = fake_course.dojo("reset", "a_use", "--yes")
    assert result.returncode == 1
    assert "the fences of a_use" in result.stderr
    assert "dojo reset alpha" in result.stderr
    assert kata.read_text() == broken


def test_reset_of_a_lesson_restores_every_stub(fake_course):
    solve_alpha_prediction(fake_course)
    result = fake_course.dojo("reset", "alpha", "--yes")
    assert result.returncode == 0
    assert "FOUR = UNANSWERED" in (fake_course.root / "kata/alpha.py").read_text()


def test_reset_without_a_terminal_asks_for_yes(fake_course):
    solve_alpha_prediction(fake_course)
    result = fake_course.dojo("reset", "a_predict")
    assert result.returncode == 1
    assert "add --yes to confirm" in result.stderr
    assert "FOUR = 4" in (fake_course.root / "kata/alpha.py").read_text()


def test_reset_of_an_untouched_exercise_changes_nothing(fake_course):
    result = fake_course.dojo("reset", "b_build", "--yes")
    assert "Nothing to reset" in result.stdout
    assert not (fake_course.root / ".dojo/backups").exists()


def test_claims_lists_verdicts_specs_and_their_state_now(fake_course):
    solve_alpha_prediction(fake_course)
    out = fake_course.dojo("claims").stdout
    assert "X1   holds      alpha                5 specs  2/5 pass" in out
    assert "X2   erratum    beta                 1 specs  0/1 pass" in out
    assert "X3   holds      gamma                0 specs  pending" in out
    assert "X4   untestable alpha                0 specs  untestable" in out
    assert "why untestable: History is not behaviour." in out


def test_claims_as_markdown(fake_course):
    out = fake_course.dojo("claims", "--markdown", "--no-run").stdout
    assert "| id | the notes say | verdict | what Flask does | lessons | specs | now |" in out
    assert (
        "| X3 | A claim of a lesson not built yet. | holds | Pending. | gamma | 0 | pending |"
        in out
    )


def test_report_writes_results_and_one_line_for_the_room(fake_course):
    solve_alpha_prediction(fake_course)
    result = fake_course.dojo("report", "--learner", "ann")
    assert result.stdout.strip() == "ann 1/3 next=a_use alpha:1/2 beta:0/1 specs=unmodified"
    data = json.loads((fake_course.root / ".dojo/results.json").read_text())
    assert data["version"] == 2 and data["status"] == "fail"
    assert {"name", "status", "message"} <= set(data["tests"][0])
    assert data["exercises"]["a_predict"]["done"] is True
    assert data["lessons"]["alpha"] == {"done": 1, "total": 2, "built": True}
    assert data["specs_edited"] == []


def test_report_tells_a_learner_who_edited_a_spec(fake_course):
    spec = fake_course.root / "specs/test_beta.py"
    spec.write_text(spec.read_text().replace('"hello ann"', "kata.greet('ann')"))
    result = fake_course.dojo("report", "--learner", "ann", "--output", "out.json")
    assert result.stdout.strip().endswith("specs=EDITED(1)")
    assert "Edited: specs/test_beta.py" in result.stderr
    data = json.loads((fake_course.root / "out.json").read_text())
    assert data["specs_edited"] == ["specs/test_beta.py"]
    assert "specs/ was edited" in data["message"]


def test_a_checkout_with_windows_line_endings_is_not_an_edit(fake_course):
    spec = fake_course.root / "specs/test_beta.py"
    spec.write_bytes(spec.read_bytes().replace(b"\n", b"\r\n"))
    result = fake_course.dojo("report", "--learner", "ann")
    assert result.stdout.strip().endswith("specs=unmodified")


def test_generate_check_notices_stale_spec_checksums(fake_course):
    fake_course.write(
        "specs/test_beta.py", (fake_course.root / "specs/test_beta.py").read_text() + "\n"
    )
    result = fake_course.dojo("generate", "--check")
    assert result.returncode == 1
    assert "stale: specs/SHA256SUMS" in result.stdout
