"""The lessons teach every item of the article, in the Carpentries shape, without ad-hoc code.

Coverage is proved twice, at text level (no kernel needed):

1. Exact wording. Each lesson's code cells call render helpers with literal names
   (``show_list("benefits")``); the calls across all lessons must name every list in
   ``content.lists()``, every level and every single passage, and a unit test proves each helper
   outputs every item of what it is given (names, article wording, what each step involves,
   examples, how to find more, who to ask) and follows the data when it changes.
2. Our own words. The Markdown of the lesson that renders a list must itself teach each item,
   so the lesson still teaches where code cannot run. A name must appear with all its
   content words; a longer line (a thing a step involves, a search step, a question) with at
   least 70 % of them. A mutation test shows this check fails when an item is taken out.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
from pathlib import Path

import nbformat
import pytest

from netcourse import course, lesson
from netcourse import widgets as widgets_package
from netcourse.content import Content, load_content
from netcourse.practice import EXERCISES

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
HELPERS = {"show_list", "show_level", "show_statement", "show_questions", "practice", "references", "lesson_nav"}

# Words too common to show that a point is taught.
STOP = {
    "about", "also", "and", "are", "been", "being", "but", "can", "each", "for", "from", "has", "have", "here",
    "into", "its", "may", "more", "not", "one", "ones", "such", "than", "that", "the", "their", "them", "then",
    "there", "they", "this", "those", "use", "what", "when", "where", "which", "who", "will", "with", "you",
    "your", "able", "some", "any", "other",
}
LONG_LINE_SHARE = 0.7
LONG_LINE_WORDS = 4  # lines with more content words than this may be paraphrased


def stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def content_words(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 3 and w not in STOP}


def missing_words(point: str, prose_words: set[str]) -> list[str] | None:
    """None when ``point`` is taught in the prose; else the content words that are missing."""
    words = content_words(point)
    if not words:
        raise AssertionError(f"cannot check {point!r}: it has no content words")
    missing = sorted(words - prose_words)
    needed = 1.0 if len(words) <= LONG_LINE_WORDS else LONG_LINE_SHARE
    return missing if (len(words) - len(missing)) / len(words) < needed else None


def read_lessons() -> dict[int, nbformat.NotebookNode]:
    return {ls.number: nbformat.read(NOTEBOOKS / ls.file, as_version=4) for ls in course.LESSONS}


@pytest.fixture(scope="module")
def lessons():
    return read_lessons()


@pytest.fixture(scope="module")
def content():
    return load_content()


def helper_calls(nb) -> list[tuple[str, tuple[str, ...]]]:
    """(helper, literal string args) for every helper call in the notebook's code cells."""
    calls = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in HELPERS:
                args = []
                for arg in node.args:
                    if not (isinstance(arg, ast.Constant) and isinstance(arg.value, (str, int))):
                        raise AssertionError(f"cell {index}: {node.func.id}() needs literal names: {ast.dump(arg)}")
                    args.append(arg.value)
                calls.append((node.func.id, tuple(args)))
    return calls


def prose(nb) -> str:
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def points_to_teach(content: Content, calls: list[tuple[str, tuple]]) -> list[tuple[str, str]]:
    """(where, text) for everything a lesson renders with a helper, which its prose must teach too."""
    points = []
    for helper, args in calls:
        if helper == "show_list":
            for item in content.lists()[args[0]]:
                points.append((f"{args[0]}/{item.id} name", item.name))
                points += [(f"{args[0]}/{item.id} involves", part) for part in item.involves]
        elif helper == "show_level":
            level = content.level(args[0])
            points.append((f"level {level.id} name", level.name))
            points += [(f"level {level.id} example {ex.id}", ex.name) for ex in level.examples]
            points += [(f"level {level.id} how_to_find", line) for line in level.how_to_find]
        elif helper == "show_questions":
            points += [("explorative question", q) for q in content.mindset["explorative_questions"]]
    return points


def untaught(content: Content, calls, text: str) -> list[str]:
    words = content_words(text)
    problems = []
    for where, point in points_to_teach(content, calls):
        gap = missing_words(point, words)
        if gap is not None:
            problems.append(f"{where}: {point!r} (missing {gap})")
    return problems


# ------------------------------------------------------------------ shape


@pytest.mark.parametrize("entry", course.LESSONS, ids=lambda ls: ls.file)
def test_lesson_opens_with_questions_objectives_and_minutes(lessons, entry):
    first = lessons[entry.number].cells[0]
    assert first.cell_type == "markdown"
    text = first.source
    assert text.startswith(f"# {entry.number}. {entry.title}\n")
    minutes = re.search(r"\*\*Estimated time:\*\*\s*(\d+)\s*minutes", text)
    assert minutes, "the header must say 'Estimated time: N minutes'"
    assert int(minutes.group(1)) == entry.minutes, "minutes must match netcourse/course.py"
    for section in ("**Questions**", "**Objectives**"):
        assert section in text
        after = text.split(section, 1)[1]
        assert re.search(r"^>\s*- \S", after, re.MULTILINE), f"{section} needs at least one bullet"


@pytest.mark.parametrize("entry", course.LESSONS, ids=lambda ls: ls.file)
def test_lesson_closes_with_key_points(lessons, entry):
    cells = lessons[entry.number].cells
    index = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Key points"))
    assert len(re.findall(r"^- \S", cells[index].source, re.MULTILINE)) >= 3
    for cell in cells[index + 1:]:  # only the references may follow
        assert cell.source.startswith("## References") or cell.source.startswith("references("), cell.source


@pytest.mark.parametrize("entry", course.LESSONS, ids=lambda ls: ls.file)
def test_lesson_has_a_challenge_with_a_solution_and_practice(lessons, entry):
    nb = lessons[entry.number]
    text = prose(nb)
    assert "**Challenge" in text and "<details>" in text and "</details>" in text
    assert any(helper == "practice" for helper, _ in helper_calls(nb))


@pytest.mark.parametrize("entry", course.LESSONS, ids=lambda ls: ls.file)
def test_code_cells_stay_thin(lessons, entry):
    """Logic lives in the package: no functions, classes or loops written in lesson cells."""
    for cell in lessons[entry.number].cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.Lambda)), cell.source
        assert len(cell.source.splitlines()) <= 6, cell.source


@pytest.mark.parametrize(
    ("number", "names"),
    [
        (1, ["Bakly, 2024"]),
        (2, ["Bakly, 2024", "University of Utah", "Harvard Medical School, 2021", "AAFP"]),
        (3, ["Bakly, 2024"]),
        (4, ["Bakly, 2024"]),
        (5, ["Bakly, 2024"]),
    ],
)
def test_prose_cites_its_sources(lessons, number, names):
    text = prose(lessons[number])
    for name in names:
        assert name in text, f"lesson {number} should cite {name} in its text"


# ------------------------------------------------------------------ coverage, exact wording


def test_lessons_render_every_list_level_passage_and_exercise(lessons, content):
    calls = [call for nb in lessons.values() for call in helper_calls(nb)]
    rendered = {helper: {args[0] for h, args in calls if h == helper and args} for helper in HELPERS}
    assert rendered["show_list"] == set(content.lists())
    assert rendered["show_level"] == {level.id for level in content.levels}
    assert rendered["show_statement"] == set(lesson.STATEMENTS)
    assert any(h == "show_questions" for h, _ in calls)
    assert rendered["practice"] == set(EXERCISES)
    assert rendered["lesson_nav"] == {ls.number for ls in course.LESSONS}
    cited = {arg for h, args in calls if h == "references" for arg in args}
    assert cited == set(content.sources), "every source is cited in full somewhere"


def test_list_helper_outputs_every_item_with_its_sources(content):
    for name, items in content.lists().items():
        text = lesson.list_markdown(name, content)
        for item in items:
            assert item.name in text and item.wording in text
            for part in item.involves:
                assert part in text
            if item.who:
                assert item.who in text
            assert content.sources[item.source].citation in text
        assert content.sources["article"].citation in text


def test_level_questions_and_statement_helpers_output_everything(content):
    for level in content.levels:
        text = lesson.level_markdown(level.id, content)
        assert level.name in text and level.wording in text and level.summary in text
        for example in level.examples:
            assert example.name in text and example.detail in text
        for line in level.how_to_find:
            assert line in text
    questions = lesson.questions_markdown(content)
    assert all(q in questions for q in content.mindset["explorative_questions"])
    for key in lesson.STATEMENTS:
        assert getattr(content, key)["wording"] in lesson.statement_markdown(key, content)
    refs = lesson.references_markdown(None, content)
    assert all(src.citation in refs for src in content.sources.values())


def test_helpers_follow_the_data_not_a_fixed_text(content):
    benefits = (*content.benefits[:-1], dataclasses.replace(content.benefits[-1], name="Clinic days", wording="W9"))
    changed = dataclasses.replace(content, benefits=benefits)
    text = lesson.list_markdown("benefits", changed)
    assert "Clinic days" in text and "W9" in text and content.benefits[-1].name not in text
    with pytest.raises(KeyError, match="known lists"):
        lesson.list_markdown("snacks", content)
    with pytest.raises(KeyError):
        lesson.statement_markdown("weather", content)


# ------------------------------------------------------------------ coverage, our own words


@pytest.mark.parametrize("entry", course.LESSONS, ids=lambda ls: ls.file)
def test_prose_teaches_everything_the_lesson_renders(lessons, content, entry):
    nb = lessons[entry.number]
    problems = untaught(content, helper_calls(nb), prose(nb))
    assert not problems, "the Markdown does not teach:\n" + "\n".join(problems)


def test_every_item_is_taught_in_prose_somewhere(lessons, content):
    """Across the lessons, the prose check covers every item of every list and level."""
    checked = {where for nb in lessons.values() for where, _ in points_to_teach(content, helper_calls(nb))}
    expected = {f"{name}/{item.id} name" for name, items in content.lists().items() for item in items}
    expected |= {f"level {lv.id} example {ex.id}" for lv in content.levels for ex in lv.examples}
    expected |= {f"level {lv.id} name" for lv in content.levels}
    expected |= {"explorative question", "level school how_to_find", "etiquette_steps/introduce involves"}
    assert expected <= checked


def test_prose_check_fails_when_an_item_is_taken_out(lessons, content):
    nb = lessons[3]
    calls = helper_calls(nb)
    text = prose(nb)
    assert not untaught(content, calls, text)
    without = re.sub(r"referral", "", text, flags=re.IGNORECASE)
    assert any(p.startswith("benefits/referral name") for p in untaught(content, calls, without))
    shortened = re.sub(r"pursue|wanted", "", text)
    assert any(p.startswith("explorative question") for p in untaught(content, calls, shortened))


def test_prose_is_in_our_own_words(lessons, content):
    """The article's longer sentences appear only through the helpers, never pasted into Markdown."""
    text = " ".join(" ".join(prose(nb) for nb in lessons.values()).split()).lower()
    sentences = [item.wording for items in content.lists().values() for item in items]
    sentences += [level.wording for level in content.levels]
    sentences += [getattr(content, key)["wording"] for key in lesson.STATEMENTS]
    long_ones = [s for s in sentences if len(s.split()) >= 8]
    assert len(long_ones) >= 10
    copied = [s for s in long_ones if " ".join(s.split()).lower() in text]
    assert not copied, f"copied from the article: {copied}"


# ------------------------------------------------------------------ tools


@pytest.mark.parametrize(
    ("number", "tool", "module"),
    [
        (1, "OpportunityFinder", "opportunity_finder"),
        (2, "PitchStudio", "pitch_studio"),
        (4, "FundingPlanner", "funding_planner"),
        (5, "NetworkingLog", "networking_log"),
        (5, "PitchStudio", "pitch_studio"),
        (5, "OpportunityFinder", "opportunity_finder"),
    ],
)
def test_tool_is_embedded_in_its_lessons(lessons, number, tool, module):
    """Every tool is built, importable from netcourse.widgets, and used by the lessons that need it."""
    assert (ROOT / "netcourse" / "widgets" / f"{module}.py").is_file(), f"netcourse/widgets/{module}.py is missing"
    assert getattr(importlib.import_module(f"netcourse.widgets.{module}"), tool) is getattr(widgets_package, tool)
    code = "\n".join(c.source for c in lessons[number].cells if c.cell_type == "code")
    assert f"from netcourse.widgets import {tool}" in code and f"{tool}(" in code


# ------------------------------------------------------------------ Figure 1


def test_lesson_one_shows_figure_one_and_the_committed_copy_is_current(lessons, root):
    from netcourse.figures import COMMITTED_SVG, figure_svg

    text = prose(lessons[1])
    assert re.search(r"!\[Figure 1\.[^\]]*\]\(figures/figure-1\.svg\)", text)
    committed = root / COMMITTED_SVG
    assert committed == NOTEBOOKS / "figures" / "figure-1.svg"
    assert committed.read_text(encoding="utf-8") == figure_svg(), (
        "notebooks/figures/figure-1.svg is stale: run .venv/bin/python -m netcourse.figures"
    )


# ------------------------------------------------------------------ small helpers


def test_lesson_nav_reads_the_outline():
    assert lesson.lesson_nav_text(1) == (
        "Lesson 1 of 5: Finding networking opportunities (about 25 minutes). Next: How to network."
    )
    last = course.LESSONS[-1]
    assert lesson.lesson_nav_text(last.number).endswith(f"Previous: {course.LESSONS[-2].title}. Next: the workbook.")
    with pytest.raises(KeyError):
        lesson.lesson_nav_text(9)


def test_practice_helper_builds_each_exercise():
    from netcourse.widgets.practice import ExerciseGroup, SortingExercise

    assert isinstance(lesson.practice("sort_trip_costs", noun="Cost"), SortingExercise)
    group = lesson.practice("spot_missing_introductions")
    assert isinstance(group, ExerciseGroup) and len(group) >= 2
    assert "text/markdown" in group._repr_mimebundle_()
    with pytest.raises(KeyError, match="known"):
        lesson.practice("juggling")
