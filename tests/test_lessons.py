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
from rendered import shown_text

from netcourse import course, lesson
from netcourse import widgets as widgets_package
from netcourse.content import Content, load_content
from netcourse.practice import EXERCISES

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
HELPERS = {"show_list", "show_level", "show_statement", "show_questions", "practice", "references", "lesson_nav",
           "challenge", "outline"}

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
        assert cell.source.startswith("## References") or (
            cell.cell_type == "code" and cell.source.splitlines()[-1].startswith("references(")), cell.source


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
    """Under "The article says" stand the article's words and nothing else: what the course adds to an
    item (what a step involves, whom to ask) is taught in the prose, never under the article's name."""
    for name, items in content.lists().items():
        text = lesson.list_markdown(name, content)
        assert text.startswith("<details><summary>The article says: ")  # folded: the prose already taught it
        for item in items:
            assert item.name in text and f"“{item.wording}”" in text
            for part in item.involves:
                assert part not in text
            if item.who:
                assert item.who not in text
            assert content.sources[item.source].citation in text
        assert content.sources["article"].citation in text
        credit = content.list_credits.get(name)
        if credit:
            assert f"citing {content.sources[credit].short}" in text


def test_level_questions_and_statement_helpers_output_everything(content):
    for level in content.levels:
        text = lesson.level_markdown(level.id, content)
        article, _, adds = text.partition("</details>")
        assert level.name in article and f"“{level.wording}”" in article
        assert level.summary not in text and not any(line in text for line in level.how_to_find)
        for note in level.course_adds:
            assert note in adds and note not in article
            assert adds.strip().startswith(f"**{lesson.COURSE_ADDS}**")
    assert content.level("school").course_adds, "the MD-school equivalents of SOMA and ACOFP"
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
    assert lesson.lesson_nav_text(2).endswith("Next: Why network?")  # one stop, not "?."
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


# ------------------------------------------------------------------ what a student meets in the cells


@pytest.mark.parametrize("notebook", ["00_start.ipynb", *(ls.file for ls in course.LESSONS)])
def test_every_code_cell_runs_on_its_own(notebook):
    """A student who restarts the kernel and runs one practice cell must not get a NameError: each
    cell imports what it uses."""
    import builtins

    nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        defined = set(dir(builtins))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                defined |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                defined.add(node.id)
        used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
        assert used <= defined, f"{notebook} cell {index} needs an earlier cell for {sorted(used - defined)}"


def test_cells_that_would_fail_alone_are_caught():
    tree_source = 'practice("sort_trip_costs")'
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(tree_source)])
    names = {n.id for n in ast.walk(ast.parse(nb.cells[0].source)) if isinstance(n, ast.Name)}
    assert "practice" in names  # the rule above would reject this cell


@pytest.mark.parametrize("notebook", ["00_start.ipynb", *(ls.file for ls in course.LESSONS)])
def test_no_test_markers_or_developer_notes_face_students(notebook):
    nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    for cell in nb.cells:
        for marker in ("NBVAL", "python -m", "netcourse.figures", "a test fails", "pytest"):
            assert marker not in cell.source, f"{notebook}: {marker!r} in {cell.source[:80]!r}"
        assert not re.search(r"\bmake (lab|test|app|install|release|record-outputs)\b", cell.source), cell.source[:80]
    checked = [c for c in nb.cells if "nbval-check-output" in c.metadata.get("tags", [])]
    if notebook != "00_start.ipynb":
        assert len(checked) == 1 and "lesson_nav(" in checked[0].source  # nbval still checks the outline


def test_the_check_tag_keeps_its_golden_output():
    from netcourse import notebook_hygiene

    cell = {"cell_type": "code", "metadata": {"tags": ["nbval-check-output"]}, "source": "print(1)",
            "execution_count": 1, "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}]}
    plain = {**cell, "metadata": {}, "outputs": list(cell["outputs"])}
    nb = {"metadata": {}, "cells": [cell, plain]}
    notebook_hygiene.clean(nb)
    assert nb["cells"][0]["outputs"] and not nb["cells"][1]["outputs"]


def test_every_challenge_has_an_answer_cell_with_its_rubric(lessons):
    """Under each challenge: the answer box for that challenge, then the example solution."""
    from netcourse.practice.challenges import challenges

    used = {}
    for number, nb in lessons.items():
        cells = nb.cells
        for index, cell in enumerate(cells):
            if cell.cell_type == "markdown" and "**Challenge" in cell.source:
                after = cells[index + 1]
                assert after.cell_type == "code", f"lesson {number}: no answer cell under {cell.source[:60]!r}"
                call = next(call for call in helper_calls(nbformat.v4.new_notebook(cells=[after]))
                            if call[0] == "challenge")
                used[call[1][0]] = number
                solution = cells[index + 2]
                assert solution.cell_type == "markdown" and solution.source.startswith("<details>")
    known = challenges()
    assert used == {cid: item.lesson for cid, item in known.items()}
    for item in known.values():
        assert len(item.rubric) >= 2


def test_figure_one_is_not_directly_above_the_exercise_it_answers(lessons):
    cells = lessons[1].cells
    figure = next(i for i, c in enumerate(cells) if "figures/figure-1.svg" in c.source)
    sorting = next(i for i, c in enumerate(cells) if 'practice("sort_examples_by_level"' in c.source)
    assert figure > sorting, "Figure 1 shows the answers: it comes after the sorting exercise"


def test_start_page_outline_is_complete_and_its_minutes_are_true(root):
    nb = nbformat.read(NOTEBOOKS / "00_start.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "outline()" in code and "lesson_table" not in code  # a DataFrame cuts "You will learn" short
    passage = lesson.outline()
    for ls in course.LESSONS:
        assert ls.teaches in passage.markdown and ls.teaches in shown_text(passage.html)
        assert f"{ls.number} {ls.title} ({ls.minutes} min)" in " ".join(prose(nb).split())
    assert "…" not in passage.html





# ------------------------------------------------------------------ the article says / the course adds

CITATION = re.compile(r"\((?:[^()]*\b(?:Bakly|University of Utah|Harvard|AAFP)\b[^()]*(?:\d{4}|n\.d\.))\)")
BOX = re.compile(r'<div class="nc-course-adds"[^>]*>(.*?)</div>', re.S)
# Things the article does not say: wherever the prose says them, no citation may stand beside them.
COURSE_ONLY = ("year and school", "dean's office", "AMA-MSS", "within a few days", "question bank",
               "worked conversation")


def test_course_additions_are_boxed_headed_and_never_cited(lessons):
    boxes = [box for nb in lessons.values() for box in BOX.findall(prose(nb))]
    assert len(boxes) >= 8
    for box in boxes:
        assert box.strip().startswith("**The course adds** (our own advice, not from the article)"), box[:80]
        assert not CITATION.search(box), box[:200]


def test_what_only_the_course_says_is_never_cited(lessons):
    for number, nb in lessons.items():
        for paragraph in re.split(r"\n\s*\n|\n(?=- |\d+\. )", prose(nb)):
            for phrase in COURSE_ONLY:
                if phrase.lower() in paragraph.lower():
                    assert not CITATION.search(paragraph), f"lesson {number} cites the article for {phrase!r}"


def test_the_citation_check_sees_a_misattribution():
    assert CITATION.search("Give your name, year and school (University of Utah Health, 2023).")
    assert CITATION.search("Ask your dean's office (Bakly, 2024).")
    assert not CITATION.search("Ask your dean's office or student affairs.")


def test_lesson_one_does_not_claim_the_article_ranks_specialty_conferences(lessons):
    assert "best place to start" not in prose(lessons[1])


def test_aafp_is_cited_with_its_real_title_and_address(content):
    aafp = content.sources["aafp"]
    assert "American Academy of Family Physicians" in aafp.citation
    assert "Residency interview questions" in aafp.citation
    assert aafp.url.startswith("https://www.aafp.org/") and aafp.url.endswith("questions.html")


def test_passages_show_html_styled_apart_and_markdown_for_other_front_ends():
    from rendered import elements

    passage = lesson.show_level("school")
    assert passage._repr_markdown_() == lesson.level_markdown("school")
    html = passage._repr_html_()
    (details,) = elements(html, "details")
    assert "nc-article" in details["class"]
    (adds,) = [attrs for attrs in elements(html, "div") if "nc-course-adds" in (attrs.get("class") or "")]
    assert "dashed" in adds["style"]
    assert "AMA-MSS" in shown_text(html)
    statement = lesson.show_statement("mindset")._repr_html_()
    assert not elements(statement, "details")  # a single sentence is shown, not folded


def test_the_pitch_studios_question_bank_says_it_is_the_courses_own(work_dir):
    from netcourse.widgets import PitchStudio

    studio = PitchStudio()
    notes = [w.value for w in _walk(studio.container) if hasattr(w, "value") and isinstance(w.value, str)]
    assert any("Written for this course" in n and "not the AAFP's own questions" in n for n in notes)


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)
