"""`dojo watch` in a real pseudo-terminal: save a file, read the screen, see it move on."""

from __future__ import annotations

import sys

import pytest

from tests.ptyscreen import Screen

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are a Unix facility"),
]


@pytest.mark.parametrize("mode", [[], ["--poll"]], ids=["notify", "poll"])
def test_watch_reruns_on_save_and_moves_on(fake_course, mode):
    command = [sys.executable, "-m", "dojo", "watch", *mode]
    screen = Screen(command, fake_course.root, fake_course.environment())
    try:
        screen.wait_for("Save a file in kata/ to run again")
        assert "alpha, exercise 1 of 2: a_predict" in screen.text
        assert "not answered yet: kata/alpha.py:FOUR" in screen.text
        assert ("(polling)" in screen.text) == bool(mode)

        kata = fake_course.root / "kata/alpha.py"
        half = kata.read_text().replace("FOUR = UNANSWERED", "FOUR = 4")
        kata.write_text(half)
        screen.wait_for("1 of 2 specs pass.")

        kata.write_text(half.replace("'square': UNANSWERED", "'square': 4"))
        screen.wait_for("a_predict is done. On to a_use.")
        screen.wait_for("alpha, exercise 2 of 2: a_use")
        screen.wait_for("not written yet: kata/alpha.py:double")
    finally:
        screen.close()


def test_watch_says_when_everything_is_done_and_stops(fake_course):
    command = [sys.executable, "-m", "dojo", "watch", "--target", "solutions"]
    screen = Screen(command, fake_course.root, fake_course.environment())
    try:
        screen.wait_for("Every exercise is done.")
        assert screen.process.wait(timeout=30) == 0
    finally:
        screen.close()
