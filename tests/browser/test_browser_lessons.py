"""Every lesson, opened in JupyterLab in a real browser at 1280 px: Run All, wait for the kernel, and
check what a student sees: no cell shows an error, every widget rendered, no text is cut off or
sticks out, axe-core finds no serious or critical accessibility problem in the lesson's text and
outputs, and nbgrader's instructor menu and Validate button are not there. Then the practice a
student does: the ✓/✗ lands on the option they chose, and a challenge's answer box answers."""

from __future__ import annotations

import re

import pytest
from lab_pages import lab_report, open_in_lab, run_all_in_lab, screenshot, show_first_widget
from page_checks import axe_problems, clipped_text, radio_marks
from playwright.sync_api import expect

from netcourse.course import LESSONS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["00_start.ipynb", *(lesson.file for lesson in LESSONS)]
# What a lesson shows: its text (rendered Markdown) and its outputs; JupyterLab's own chrome is not ours.
LESSON_PARTS = [".jp-Notebook .jp-MarkdownOutput", ".jp-Notebook .jp-OutputArea-output"]


@pytest.mark.parametrize("notebook", PAGES)
def test_lesson_runs_clean_in_jupyterlab(lab_page, lab_server, notebook):
    assert (lab_server.root / "notebooks" / notebook).is_file(), f"notebooks/{notebook} is missing"
    open_in_lab(lab_page, lab_server, f"notebooks/{notebook}")
    run_all_in_lab(lab_page)
    report = lab_report(lab_page, f"notebooks/{notebook}", lab_page.console_errors)
    show_first_widget(lab_page)
    screenshot(lab_page, f"lab-{notebook.removesuffix('.ipynb')}")
    report.assert_clean()
    assert lab_page.viewport_size["width"] == 1280
    problems = clipped_text(lab_page, ".jp-Notebook .jp-Cell")
    assert not problems, "text cut off or sticking out at 1280 px:\n" + "\n".join(problems[:12])
    found = axe_problems(lab_page, LESSON_PARTS)
    assert not found, "axe-core, serious or critical:\n" + "\n".join(found)
    # nbgrader's instructor UI is off for students: no Nbgrader menu, no Validate button.
    assert lab_page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").count() == 0
    assert lab_page.get_by_role("button", name="Validate").count() == 0


def test_the_mark_is_drawn_beside_the_option_the_student_chose(lab_page, lab_server):
    """In lesson 3's explorative questions, choose the last option of the first question (a
    transactional one) and a right one for the second: each mark sits on its own chosen label."""
    from netcourse import practice

    task = practice.choose_explorative_questions()
    first, second = task.prompts[0], task.prompts[1]
    last = len(first.options) - 1
    right = [o.id for o in second.options].index(second.answer)
    open_in_lab(lab_page, lab_server, "notebooks/03_why_network.ipynb")
    run_all_in_lab(lab_page)
    groups = lab_page.locator(".nc-choice")
    expect(groups.first).to_be_visible()
    groups.nth(0).locator(".widget-radio-box > label").nth(last).locator("input").check()
    groups.nth(1).locator(".widget-radio-box > label").nth(right).locator("input").check()
    box = lab_page.locator(".widget-vbox", has=groups.nth(0)).filter(has=lab_page.get_by_role("button", name="Check"))
    box.last.get_by_role("button", name="Check").click()
    expect(lab_page.get_by_role("status").filter(has_text="Look again")).to_be_visible()
    lab_page.wait_for_function("() => document.querySelector('.nc-choice.nc-wrong') !== null")
    marks = radio_marks(lab_page)
    wrong, done = marks[0], marks[1]
    assert wrong["checked"] == last and [i for i, _ in wrong["marked"]] == [last], wrong
    assert "✗" in wrong["marked"][0][1] and wrong["markedBox"] == wrong["checkedBox"]
    assert done["checked"] == right and [i for i, _ in done["marked"]] == [right], done
    assert "✓" in done["marked"][0][1]
    assert marks[2]["marked"] == []  # the unanswered question shows no mark at all
    screenshot(lab_page, "lab-marks-on-chosen-options")


def test_a_challenge_answer_is_checked_against_its_rubric(lab_page, lab_server):
    open_in_lab(lab_page, lab_server, "notebooks/03_why_network.ipynb")
    run_all_in_lab(lab_page)
    answer = lab_page.get_by_label("Your answer", exact=True)
    answer.fill("Do you have any shadowing spots?")
    answer.press("Tab")
    lab_page.get_by_role("button", name="Check my answer").click()
    feedback = lab_page.get_by_role("status").filter(has_text="points are there")
    expect(feedback).to_contain_text("It still asks for something for you.")
    lab_page.get_by_role("button", name=re.compile(r"^\W*Save$")).last.click()
    expect(lab_page.get_by_text("Saved transaction-to-exploration.md")).to_be_visible()
    expect(lab_page.get_by_role("link", name="⬇ Download transaction-to-exploration.md")).to_be_visible()
    assert (lab_server.work_dir / "challenges" / "transaction-to-exploration.md").is_file()
