"""The runner's promises, checked on a fake course of two lessons (see conftest.py)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_pristine_kata_fails_every_spec_with_one_line_each(fake_course):
    outcome = fake_course.pytest("specs")
    assert outcome.returncode == 1
    assert {t["status"] for t in outcome.results["tests"]} == {"fail"}
    assert outcome.messages("test_four") == [
        "not answered yet: kata/alpha.py:FOUR (exercise a_predict; stuck? dojo hint a_predict)"
    ]
    assert outcome.messages("test_square") == [
        "not answered yet: kata/alpha.py:SHAPES['square']"
        " (exercise a_predict; stuck? dojo hint a_predict)"
    ]
    doubles = outcome.messages("test_double")
    assert len(doubles) == 3
    assert set(doubles) == {
        "not written yet: kata/alpha.py:double (exercise a_use; stuck? dojo hint a_use)"
    }
    # no traceback wall: the report of a stub is its message alone
    assert "Traceback" not in outcome.output
    assert "def double" not in outcome.output


def test_summary_shows_progress_and_the_next_exercise(fake_course):
    output = fake_course.pytest("specs").output
    assert "0 of 3 exercises done." in output
    assert "Next: alpha, exercise 1: a_predict (predict) - Predict a number" in output
    assert "dojo hint a_predict" in output
    assert "pytest specs -k a_predict" in output
    assert "gamma" in output and "(not built yet)" in output


def test_solutions_target_passes_and_says_so(fake_course):
    outcome = fake_course.pytest("specs", "--target", "solutions")
    assert outcome.returncode == 0
    assert {t["status"] for t in outcome.results["tests"]} == {"pass"}
    assert "3 of 3 exercises done." in outcome.output
    assert "Every exercise is done." in outcome.output


def test_the_environment_variable_chooses_the_target_too(fake_course):
    outcome = fake_course.pytest("specs", DOJO_TARGET="solutions")
    assert outcome.returncode == 0
    assert outcome.results["target"] == "solutions"


def test_a_folder_can_be_the_target(fake_course, tmp_path_factory):
    folder = tmp_path_factory.mktemp("elsewhere")
    (folder / "alpha.py").write_text((fake_course.root / "solutions/alpha.py").read_text())
    (folder / "beta.py").write_text((fake_course.root / "kata/beta.py").read_text())
    outcome = fake_course.pytest("specs", "--target", str(folder))
    assert outcome.status("test_alpha") == {"pass"}
    assert outcome.status("test_beta") == {"fail"}


def test_an_unknown_target_is_a_usage_error(fake_course):
    outcome = fake_course.pytest("specs", "--target", "nowhere")
    assert outcome.returncode == 4
    assert "--target must be kata, solutions or a folder" in outcome.output


def test_progress_counts_an_exercise_once_all_its_specs_pass(fake_course):
    kata = fake_course.root / "kata/alpha.py"
    kata.write_text(kata.read_text().replace('todo("a_use")', "return n * 2"))
    outcome = fake_course.pytest("specs")
    assert outcome.status("test_double") == {"pass"}
    assert outcome.results["exercises"]["a_use"] == {"lesson": "alpha", "done": True}
    assert outcome.results["exercises"]["a_predict"]["done"] is False
    assert "1 of 3 exercises done." in outcome.output


def test_a_partly_answered_prediction_passes_only_the_answered_part(fake_course):
    kata = fake_course.root / "kata/alpha.py"
    kata.write_text(kata.read_text().replace("'square': UNANSWERED", "'square': 4"))
    outcome = fake_course.pytest("specs")
    assert outcome.status("test_square") == {"pass"}
    assert outcome.status("test_four") == {"fail"}
    assert outcome.results["exercises"]["a_predict"]["done"] is False


def test_a_wrong_prediction_says_expected_and_got(fake_course):
    kata = fake_course.root / "kata/alpha.py"
    kata.write_text(kata.read_text().replace("FOUR = UNANSWERED", "FOUR = 5"))
    [message] = fake_course.pytest("specs").messages("test_four")
    assert message.splitlines()[0] == "X1: kata/alpha.py:FOUR: two and two"
    assert "expected:  4" in message
    assert "got:       5" in message
    assert "claim X1 (holds): It does." in message


def test_a_syntax_error_fails_only_its_lesson_naming_file_and_line(fake_course):
    (fake_course.root / "kata/beta.py").write_text(
        (fake_course.root / "solutions/beta.py").read_text()
    )
    kata = fake_course.root / "kata/alpha.py"
    lines = kata.read_text().splitlines()
    broken_line = next(n for n, line in enumerate(lines, 1) if line.startswith("def double"))
    lines[broken_line - 1] = "def double(n)"  # the colon is missing
    kata.write_text("\n".join(lines) + "\n")
    outcome = fake_course.pytest("specs")
    assert outcome.status("test_beta") == {"pass"}
    messages = outcome.messages("test_alpha")
    assert len(messages) == 5
    for message in messages:
        assert message.splitlines()[0].startswith(f"kata/alpha.py:{broken_line}: SyntaxError:")
    assert f"does not import: kata/alpha.py:{broken_line}: SyntaxError:" in outcome.output


def test_an_exception_at_import_names_file_and_line(fake_course):
    kata = fake_course.root / "kata/alpha.py"
    kata.write_text(kata.read_text() + "\nRATIO = 1 / 0\n")
    line = len(kata.read_text().splitlines())
    outcome = fake_course.pytest("specs")
    first_lines = {m.splitlines()[0] for m in outcome.messages("test_alpha")}
    assert first_lines == {f"kata/alpha.py:{line}: ZeroDivisionError: division by zero"}
    assert outcome.status("test_beta") == {"fail"}  # still run: a stub, not the import error
    assert all("not written yet" in m for m in outcome.messages("test_beta"))


def test_a_deleted_function_is_named(fake_course):
    kata = fake_course.root / "kata/alpha.py"
    kata.write_text(kata.read_text().replace("def double(n):", "def twice(n):"))
    messages = fake_course.pytest("specs").messages("test_double")
    assert all(m.startswith("kata/alpha.py has no 'double'") for m in messages)


def test_an_exercise_is_selected_by_its_id(fake_course):
    outcome = fake_course.pytest("specs", "-k", "a_use")
    assert len(outcome.results["tests"]) == 3
    assert {t["exercise"] for t in outcome.results["tests"]} == {"a_use"}


def test_a_partial_run_does_not_call_an_exercise_done(fake_course):
    outcome = fake_course.pytest("specs", "--target", "solutions", "-k", "test_double and 21")
    assert outcome.results["exercises"]["a_use"]["done"] is False


@pytest.mark.parametrize(
    ("marker", "complaint"),
    [
        ('@pytest.mark.claim("NOPE")', "unknown claim NOPE"),
        (
            '@pytest.mark.exercise("b_build")',
            "exercise 'b_build' is not an exercise of lesson 'alpha'",
        ),
    ],
)
def test_a_spec_with_a_bad_marker_stops_the_run(fake_course, marker, complaint):
    fake_course.write(
        "specs/test_alpha.py",
        (fake_course.root / "specs/test_alpha.py").read_text()
        + f"\n\n@pytest.mark.exercise('a_use')\n{marker}\n"
        "@pytest.mark.claim('X1')\ndef test_extra(kata):\n    pass\n",
    )
    outcome = fake_course.pytest("specs")
    assert outcome.returncode == 4
    assert complaint in outcome.output


def test_a_spec_without_a_claim_stops_the_run(fake_course):
    fake_course.write(
        "specs/test_beta.py",
        "import pytest\n\n@pytest.mark.exercise('b_build')\ndef test_bare(kata):\n    pass\n",
    )
    outcome = fake_course.pytest("specs")
    assert outcome.returncode == 4
    assert "a spec names its claim" in outcome.output


def test_results_follow_exercism_field_names(fake_course):
    results = fake_course.pytest("specs", "--target", "solutions").results
    assert results["version"] == 2
    assert results["status"] == "pass"
    first = results["tests"][0]
    assert set(first) >= {"name", "status", "message"}
    json.dumps(results)  # plain JSON all the way down


def test_an_endless_loop_fails_its_spec_naming_the_line_and_the_run_goes_on(fake_course):
    kata = fake_course.root / "kata/alpha.py"
    kata.write_text(kata.read_text().replace('todo("a_use")', "while True:\n        n += 1"))
    outcome = fake_course.pytest("specs", "-o", "dojo_spec_timeout=0.5")
    messages = outcome.messages("test_double")
    assert len(messages) == 3
    for message in messages:
        assert "kata/alpha.py:" in message.splitlines()[0]
        assert "(in double): still running after 0.5 s, so the spec was stopped" in message
    assert outcome.status("test_beta") == {"fail"}  # the other lesson still ran


def test_a_thread_left_running_fails_its_spec_naming_the_function(fake_course):
    kata = fake_course.root / "kata/beta.py"
    kata.write_text(
        kata.read_text().replace(
            'todo("b_build")',
            "import threading\n"
            "    threading.Thread(target=linger, daemon=True).start()\n"
            "    return f'hello {name}'",
        )
        + "\n\nimport threading\n_stop = threading.Event()\n\n\ndef linger():\n    _stop.wait(20)\n"
    )
    outcome = fake_course.pytest("specs", "-k", "b_build")
    [message] = outcome.messages("test_greet")
    assert message.startswith("kata/beta.py:")
    assert "(linger): a thread running this function was still alive" in message
