"""A student's path through each tool, in a real browser: type, click, choose, and see the
tool answer. Every page is first run whole and checked for errors and broken widgets.

Expected figures come from the pure logic (`netcourse.pitch`, `netcourse.funding`), so these
tests check the wiring a student depends on (the page shows what the logic computed, after
each edit), not the arithmetic, which the unit tests cover.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from lab_pages import (
    ROOT,
    close_all_tabs,
    lab_report,
    open_in_lab,
    open_in_voila,
    run_all_in_lab,
    screenshot,
    show_first_widget,
    voila_report,
)
from page_checks import axe_problems, clipped_text
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOOLS = {
    "pitch_studio": "netcourse/widgets/pitch_studio.py",
    "funding_planner": "netcourse/widgets/funding_planner.py",
    "opportunity_finder": "netcourse/widgets/opportunity_finder.py",
    "networking_log": "netcourse/widgets/networking_log.py",
}


def require_tool(name: str) -> None:
    """The tool's module and its page must both exist (a missing one fails, never skips)."""
    assert (ROOT / TOOLS[name]).is_file(), f"{TOOLS[name]} is missing"
    assert (ROOT / "notebooks" / "apps" / f"{name}.ipynb").is_file(), f"notebooks/apps/{name}.ipynb is missing"


def open_tool(page: Page, server, name: str, frontend: str) -> None:
    """Open a tool's page as a student would, and check it came up clean."""
    require_tool(name)
    if frontend == "lab":
        open_in_lab(page, server, f"notebooks/apps/{name}.ipynb")
        run_all_in_lab(page)
        report = lab_report(page, f"notebooks/apps/{name}.ipynb", page.console_errors)
    else:
        open_in_voila(page, server, f"{name}.ipynb")
        report = voila_report(page, f"voila: {name}.ipynb", page.console_errors)
    report.assert_clean()


def money(text: str) -> Decimal:
    return Decimal(re.sub(r"[^0-9.-]", "", text))


def totals_row(page: Page, name: str) -> Decimal:
    header = page.locator("th", has_text=re.compile(f"^{re.escape(name)}$"))
    cell = page.locator('table[aria-label="Totals"] tr', has=header)
    return money(cell.locator("td").inner_text())


# ---------------------------------------------------------------- pitch studio


def type_an_introduction(page: Page) -> None:
    """Write three parts of an introduction; word count, speaking time and missing parts follow."""
    from netcourse import pitch

    summary = page.locator(".pitch-summary").first
    expect(summary).to_contain_text("0 words")
    written: dict[str, str] = {}
    for part, text in (("intro", "Hi, I'm Sam Patel, a second-year medical student at Riverside."),
                       ("goal", "I'm hoping to learn more about rural emergency medicine and how to get involved."),
                       ("question", "How did you know you wanted to go into emergency medicine?")):
        spec = next(s for s in pitch.PARTS if s.id == part)
        box = page.get_by_label(spec.label, exact=True)
        box.click()
        box.press_sequentially(text[:12], delay=20)  # typed key by key, as a student would...
        box.fill(text)  # ...then the rest at once, to keep the test quick
        written[part] = text
        expected = pitch.analyse(pitch.Pitch(**written))
        expect(summary).to_contain_text(f"{expected.word_count} words")
        expect(summary).to_contain_text(f"about {expected.seconds:.0f} s")
        for other in pitch.PARTS:
            state = ("present" if other.id in expected.parts_present else
                     "later" if other.id in expected.parts_later else "missing")
            expect(page.locator(f'li[data-part="{other.id}"]').first).to_have_attribute("data-state", state)
    assert {"intro", "goal", "question"} <= set(expected.parts_present)
    missing = page.locator('li[data-part][data-state="missing"]')
    expect(missing).to_have_count(len(expected.parts_missing))


# A full introduction of about 130 words: every part, the close included.
FULL_PITCH = (
    "Hi, I'm Maya Chen, a second-year medical student at Riverside University School of Medicine. "
    "Before medical school I worked for two years as an EMT in my hometown, where I saw how much a calm team "
    "means to frightened families. I also volunteered at a free clinic on weekends, right here in the city, "
    "while I finished my biology degree. I came to this session because I have been passionate about emergency "
    "medicine ever since, and about how community programs help patients stay well at home. I'm hoping to learn "
    "more about the training path and to find a research project in the emergency department this summer. "
    "How did you know emergency medicine was right for you? Thank you, it was great to meet you. "
    "May I follow up by email?"
)
CLIPPED_JS = """root => [...root.querySelectorAll('label, .widget-label, .widget-html-content, .pitch-summary')]
    .filter(el => el.offsetParent !== null)
    .filter(el => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > window.innerWidth + 1)
    .map(el => el.innerText.slice(0, 60))"""


def serious_axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                            "wcag21aa"]}})
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_pitch_studio_fits_a_whole_draft_shows_problems_on_their_words_and_passes_axe(page, voila_server):
    from netcourse import pitch

    open_tool(page, voila_server, "pitch_studio", "voila")
    assert serious_axe_violations(page) == []  # the pace had no accessible name (a slider handle)
    expect(page.get_by_label("Speaking pace (words/min)", exact=True)).to_have_value("130")
    page.get_by_role("button", name="Free draft", exact=True).click()
    box = page.get_by_label("Free draft", exact=True)
    box.fill(FULL_PITCH)
    assert 125 <= pitch.count_words(FULL_PITCH) <= 135
    summary = page.locator(".pitch-summary").first
    expect(summary).to_contain_text("parts 7/7")
    expect(summary).to_contain_text("target 30 s")  # a physician, the audience shown first
    screenshot(page, "voila-pitch-studio-full-draft")
    size = box.evaluate("el => ({width: el.clientWidth, scroll: el.scrollHeight, height: el.clientHeight})")
    assert size["width"] >= 480, size  # was about 195 px beside a 19em label
    assert size["scroll"] <= size["height"] + 2, size  # the whole draft is in view, no scrolling
    assert page.locator("#rendered_cells").evaluate(CLIPPED_JS) == []

    box.fill("Hi, um, so I'm Jordan. Do you have any research spots? <b>bold</b>")
    expect(page.locator("li[data-suggestion='favour-ask'] mark")).to_have_text("Do you have any research spots?")
    expect(page.locator("li[data-suggestion='filler'] mark")).to_have_text(["um", "so"])
    expect(page.locator("li[data-suggestion='markup'] mark").first).to_have_text("<b>")  # shown as text
    expect(page.locator('li[data-part="intro"]').first).to_have_attribute("data-state", "missing")
    page.get_by_label("Who you are meeting", exact=True).select_option(label="A fellow student")
    expect(summary).to_contain_text("target 45 s")
    assert serious_axe_violations(page) == []


# ---------------------------------------------------------------- funding planner


def change_costs_and_funding(page: Page) -> None:
    """Edit a cost and award one funding route; the totals, gap and chart must follow."""
    total, gap = totals_row(page, "Total cost"), totals_row(page, "Gap")
    chart = page.locator("img.funding-chart").first
    expect(chart).to_have_attribute("alt", re.compile(r"^Bar chart of costs against funding\. Cost \$"))
    expect(chart).to_have_attribute("src", re.compile("."))
    chart_before = chart.get_attribute("src")

    registration = page.get_by_label("Registration / ticket", exact=True)
    old = money(registration.input_value() or "0")
    registration.fill("250")
    registration.press("Enter")  # the field commits on Enter (or on leaving it)
    new_total = total - old + Decimal("250")
    expect(page.locator('table[aria-label="Totals"]')).to_contain_text(f"${new_total:,.2f}")
    assert totals_row(page, "Gap") == gap - old + Decimal("250")
    expect(chart).not_to_have_attribute("src", chart_before)

    amount = page.get_by_label("Amount", exact=True).first
    amount.fill("100")
    amount.press("Enter")
    page.get_by_label("Status", exact=True).first.select_option(label="Awarded")
    expect(page.locator('table[aria-label="Totals"]')).to_contain_text(f"${new_total - 100:,.2f}")
    assert totals_row(page, "Secured (awarded)") == Decimal("100")
    assert totals_row(page, "Gap") == new_total - Decimal("100")

    # A typo gets a message next to the field, and the totals keep the last good plan.
    registration.fill("twenty")
    registration.press("Enter")
    expect(page.get_by_role("alert").first).to_be_visible()
    assert totals_row(page, "Total cost") == new_total


def test_funding_plan_survives_save_and_a_fresh_session(lab_page, lab_server, browser):
    open_tool(lab_page, lab_server, "funding_planner", "lab")
    registration = lab_page.get_by_label("Registration / ticket", exact=True)
    total = totals_row(lab_page, "Total cost") - money(registration.input_value() or "0") + Decimal("321.50")
    registration.fill("321.50")
    registration.press("Enter")
    expect(lab_page.locator('table[aria-label="Totals"]')).to_contain_text(f"${total:,.2f}")
    lab_page.get_by_label("Plan file name", exact=True).fill("browser-check")
    lab_page.get_by_role("button", name=re.compile(r"^\W*Save$")).click()
    expect(lab_page.get_by_text("Saved browser-check.json")).to_be_visible()
    assert (lab_server.work_dir / "plans" / "browser-check.json").is_file()

    # A new day: the kernel is gone, the page is new, the planner starts from its preset.
    close_all_tabs(lab_page)
    lab_server.shut_down_kernels()
    fresh = browser.new_page(viewport={"width": 1280, "height": 860})
    fresh.console_errors = []
    try:
        open_tool(fresh, lab_server, "funding_planner", "lab")
        fresh.get_by_label("Saved plans", exact=True).select_option("browser-check.json")
        fresh.get_by_role("button", name=re.compile(r"^\W*Load$")).click()
        expect(fresh.get_by_text("Loaded browser-check.json")).to_be_visible()
        expect(fresh.get_by_label("Registration / ticket", exact=True)).to_have_value(re.compile(r"^321\.50?$"))
        expect(fresh.locator('table[aria-label="Totals"]')).to_contain_text(f"${total:,.2f}")
        assert totals_row(fresh, "Total cost") == total
    finally:
        fresh.close()


# ---------------------------------------------------------------- opportunity finder


def filter_opportunities(page: Page) -> None:
    """Narrow the list to national opportunities; the count and every row follow."""
    count = page.get_by_role("status").filter(has_text="match")
    expect(count).to_contain_text("opportunit")
    everything = int(re.search(r"\d+", count.inner_text()).group())
    table = page.locator('table[aria-label="Matching opportunities"]')
    assert table.locator("tr").count() == everything + 1  # a header row, then one row per opportunity

    level = page.get_by_label("Level", exact=True)
    national = next(label for label in level.locator("option").all_inner_texts() if "ational" in label)
    level.select_option(label=national)
    expect(count).not_to_contain_text(f"{everything} opportunit")
    narrowed = int(re.search(r"\d+", count.inner_text()).group())
    assert 0 < narrowed < everything
    levels = table.locator("tr td:nth-child(2)").all_inner_texts()
    assert len(levels) == narrowed and all(national in text for text in levels), levels

    # Hand an event over to the funding planner, which appears below with its totals.
    choice = page.get_by_label("Choose one", exact=True)
    plan = page.get_by_role("button", name=re.compile(r"^\W*Plan funding for this$"))
    for value in choice.locator("option").evaluate_all("options => options.map(o => o.value)"):
        choice.select_option(value)
        if plan.is_enabled():
            break
    plan.click()
    expect(page.locator('table[aria-label="Totals"]')).to_be_visible()


# ---------------------------------------------------------------- networking log


def log_a_contact(page: Page) -> None:
    """Add the person just met; the table, the counts and the follow-ups due list follow, and the
    name shows exactly as typed (escaped, never run as HTML)."""
    from datetime import date

    name = "Dr. Lee <i>MD</i>"
    counts = page.get_by_role("status").filter(has_text="follow-up")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Role", exact=True).fill("family medicine resident")
    page.get_by_label("Where you met", exact=True).fill("county medical society evening")
    page.get_by_label("What you learned", exact=True).fill("Rural rotations start in the third year.")
    page.get_by_label("Follow up by", exact=True).fill(date.today().isoformat())
    page.get_by_role("button", name=re.compile(r"^\W*Add to log$")).click()

    table = page.locator("table[aria-label='People you met']")
    expect(table).to_contain_text(name)  # the tags are shown as text...
    assert table.locator("i").count() == 0  # ...and not turned into markup
    expect(counts).to_contain_text("1 person from 1 place(s); 1 follow-up(s) open")
    expect(page.locator("li", has_text="Dr. Lee")).to_contain_text(date.today().isoformat())


# The student's path through each tool; a page without one is still opened and checked.
PATHS = {
    "pitch_studio": type_an_introduction,
    "funding_planner": change_costs_and_funding,
    "opportunity_finder": filter_opportunities,
    "networking_log": log_a_contact,
}
APP_PAGES = sorted(path.stem for path in (ROOT / "notebooks" / "apps").glob("*.ipynb"))


@pytest.mark.parametrize("name", APP_PAGES)
def test_tool_page_in_voila(page, voila_server, name):
    """Each tool page at 1280 px: clean, nothing cut off or sticking out, no serious or critical axe-core
    violation (before and after a student's path through it)."""
    open_tool(page, voila_server, name, "voila")
    show_first_widget(page)
    screenshot(page, f"voila-{name}")
    assert page.viewport_size["width"] == 1280
    for when in ("opened", "used"):
        problems = clipped_text(page, "#rendered_cells")
        assert not problems, f"{when}: text cut off or sticking out at 1280 px:\n" + "\n".join(problems[:12])
        found = axe_problems(page, ["#rendered_cells"])
        assert not found, f"{when}: axe-core, serious or critical:\n" + "\n".join(found)
        if when == "opened" and name in PATHS:
            PATHS[name](page)
            screenshot(page, f"voila-{name}-used")


@pytest.mark.parametrize("name", sorted(PATHS))
def test_tool_path_in_jupyterlab(lab_page, lab_server, name):
    open_tool(lab_page, lab_server, name, "lab")
    PATHS[name](lab_page)
    screenshot(lab_page, f"lab-tool-{name}")


# ---------------------------------------------------------------- keyboard only


def tab_to(page: Page, label: str, limit: int = 80) -> None:
    """Press Tab until the focused control is the one with this label (or accessible name)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate(
            """() => { const el = document.activeElement;
                       if (!el) { return ''; }
                       const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
                       const name = label ? label.innerText : (el.getAttribute('aria-label') || el.innerText || '');
                       return name.trim(); }"""
        )
        if name == label:
            return
    raise AssertionError(f"{label!r} cannot be reached with the Tab key ({limit} presses)")


def test_funding_planner_works_with_the_keyboard_alone(page, voila_server):
    open_tool(page, voila_server, "funding_planner", "voila")
    total = totals_row(page, "Total cost")
    registration = page.get_by_label("Registration / ticket", exact=True)
    old = money(registration.input_value() or "0")

    page.locator("body").focus()
    tab_to(page, "Registration / ticket")
    page.keyboard.press("Control+a")
    page.keyboard.type("80")
    page.keyboard.press("Enter")
    expect(page.locator('table[aria-label="Totals"]')).to_contain_text(f"${total - old + 80:,.2f}")

    tab_to(page, "Plan file name")
    page.keyboard.press("Control+a")
    page.keyboard.type("keyboard-plan", delay=60)
    tab_to(page, "Save")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved keyboard-plan.json")).to_be_visible()
    assert (voila_server.work_dir / "plans" / "keyboard-plan.json").is_file()


def test_a_saved_plan_downloads_to_the_students_computer_in_voila(page, voila_server):
    """Voila has no file browser: the link under Save hands the browser the file just written."""
    import json

    open_tool(page, voila_server, "funding_planner", "voila")
    page.get_by_label("Plan file name", exact=True).fill("take-home")
    page.get_by_label("Plan file name", exact=True).press("Enter")
    page.get_by_role("button", name=re.compile(r"^\W*Save$")).click()
    link = page.get_by_role("link", name=re.compile(r"Download take-home\.json"))
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "take-home.json"
    saved = (voila_server.work_dir / "plans" / "take-home.json").read_bytes()
    assert open(download.path(), "rb").read() == saved
    assert json.loads(saved)["kind"] == "funding-plan"


# ---------------------------------------------------------------- what students take away, in Voila


def downloaded_text(page: Page, link_name: re.Pattern) -> tuple[str, str]:
    """Click the download link and return (file name, text) of what the browser saved."""
    link = page.get_by_role("link", name=link_name).last
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read().decode("utf-8")


def test_every_export_downloads_in_voila(page, voila_server):
    """Voila has no file browser: each Export hands the browser the file it wrote, calendars included."""
    open_tool(page, voila_server, "funding_planner", "voila")
    page.get_by_label("Event date", exact=True).fill("2030-06-01")
    page.get_by_label("Event date", exact=True).press("Enter")
    page.get_by_label("Plan file name", exact=True).fill("take-away")
    page.get_by_label("Plan file name", exact=True).press("Enter")
    for label, suffix in (("Export CSV", ".csv"), ("Export Markdown", ".md"), ("Export calendar", ".ics")):
        page.get_by_role("button", name=re.compile(rf"^\W*{re.escape(label)}$")).click()
        name, text = downloaded_text(page, re.compile(rf"Download take-away{re.escape(suffix)}"))
        assert name == f"take-away{suffix}"
        assert text == (voila_server.work_dir / "plans" / name).read_bytes().decode("utf-8")
    assert "BEGIN:VEVENT" in text and "DTSTART;VALUE=DATE:20300420" in text  # six weeks before the event

    open_tool(page, voila_server, "networking_log", "voila")
    page.get_by_label("Name", exact=True).fill("Dr. Rivera, cardiologist")
    page.get_by_label("Where you met", exact=True).fill("ACC poster session")
    page.get_by_label("Follow up by", exact=True).fill("2030-03-10")
    page.get_by_role("button", name=re.compile(r"^\W*Add to log$")).click()
    page.get_by_label("Log file name", exact=True).fill("contacts")
    page.get_by_label("Log file name", exact=True).press("Enter")
    for label, suffix in (("Export CSV", ".csv"), ("Export calendar", ".ics")):
        page.get_by_role("button", name=re.compile(rf"^\W*{re.escape(label)}$")).click()
        name, text = downloaded_text(page, re.compile(rf"Download contacts{re.escape(suffix)}"))
        assert text == (voila_server.work_dir / "logs" / name).read_bytes().decode("utf-8")
    assert "SUMMARY:Follow up with Dr. Rivera\\, cardiologist" in text


def test_a_draft_is_edited_copied_and_downloaded_as_edited(browser, voila_server):
    """The funding request: aimed at the first route not asked, editable, and Copy and Download take
    the student's words, not the first draft (and no word is broken across lines)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=voila_server.url)
    page = context.new_page()
    page.console_errors = []
    try:
        open_tool(page, voila_server, "funding_planner", "voila")
        # Nothing asked yet, so the first route in ask order (ipywidgets' <select> values are the labels).
        expect(page.get_by_label("Draft to", exact=True)).to_have_value("School chapter organisations")
        box = page.get_by_label("Draft message", exact=True)
        expect(box).to_have_value(re.compile(r"^Subject: Funding request"))
        assert box.evaluate("el => getComputedStyle(el).wordBreak") != "break-all"
        box.fill("Dear Ms. Ortiz, my own words for the chapter.")
        page.get_by_role("button", name="Copy", exact=True).click()
        expect(page.get_by_role("button", name="Copied ✓")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == "Dear Ms. Ortiz, my own words for the chapter."
        name, text = downloaded_text(page, re.compile(r"Download .*-request-chapter\.txt"))
        assert text == "Dear Ms. Ortiz, my own words for the chapter."
        screenshot(page, "voila-funding-draft-edited")
    finally:
        context.close()


def test_typical_cost_shows_any_cost_and_cardiology_is_offered(page, voila_server):
    open_tool(page, voila_server, "opportunity_finder", "voila")
    cost = page.get_by_label("Typical cost", exact=True)
    shown = "el => el.selectedIndex < 0 ? '' : el.options[el.selectedIndex].text.replace(/\\u00a0/g, ' ')"
    assert cost.evaluate(shown) == "Any cost"  # it was an empty box on first load
    cost.select_option(index=1)
    cost.select_option(index=0)
    assert cost.evaluate(shown) == "Any cost"
    specialty = page.get_by_label("Specialty interest", exact=True)
    labels = specialty.locator("option").all_inner_texts()
    assert "Cardiology" in labels and len(labels) >= 19
    specialty.select_option(label="Cardiology")
    expect(page.locator('table[aria-label="Matching opportunities"]')).to_contain_text("American College of Cardiology")
