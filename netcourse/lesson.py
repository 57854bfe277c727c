"""Small helpers that lesson cells call, so notebooks stay thin and each fact is written once.

What the article says and what the course adds always look different:

* ``show_list("benefits")``, ``show_level("school")``, ``show_statement("mindset")`` and
  ``show_questions()`` show the article's own words, verbatim, under *The article says*, with the
  article's citation (and whom it credits). The lesson's prose has already taught the same points
  in our words, so lists and questions come folded (one click opens them) instead of twice.
* A level's ``course_adds`` (such as the MD-school equivalents of SOMA and ACOFP) appear in a box
  headed *The course adds*, styled apart and never cited.

Each ``show_*`` returns a :class:`Passage` (HTML for the notebook, Markdown for other front
ends); its ``*_markdown`` twin returns the Markdown, which the tests read. ``practice(name)``
builds an exercise widget and ``challenge(name)`` a challenge's answer box and self-check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from IPython.display import Markdown

from netcourse import course
from netcourse.content import Content, Item, load_content
from netcourse.practice import EXERCISES

# Headings for the article's lists; a list without one falls back to its key.
LIST_TITLES = {
    "etiquette_steps": "The four steps of networking etiquette",
    "harvard_advice": "Harvard Medical School's advice",
    "benefits": "Six benefits of networking",
    "costs": "What attending an event can cost",
    "funding_routes": "Five routes to funding",
}

# Passages of the article that are single statements rather than lists.
STATEMENTS = ("follow_up", "funding_coverage", "mindset")

ARTICLE_SAYS = "The article says"
COURSE_ADDS = "The course adds"
COURSE_ADDS_NOTE = "our own advice, not from the article"


@dataclass(frozen=True)
class Passage:
    """Something a lesson shows: HTML for JupyterLab and Voila, Markdown for everything else."""

    markdown: str
    html: str

    def _repr_markdown_(self) -> str:
        return self.markdown

    def _repr_html_(self) -> str:
        return self.html


def _content(content: Content | None) -> Content:
    return content if content is not None else load_content()


def _citation(content: Content, source_id: str) -> str:
    src = content.sources[source_id]
    return f"{src.citation} <{src.url}>" if src.url else src.citation


def _short(content: Content, source_id: str) -> str:
    return content.sources[source_id].short


def credit_line(content: Content, credited: Iterable[str]) -> str:
    """"Bakly (2024)", or "Bakly (2024), citing University of Utah Health (2023)"."""
    others = [sid for sid in dict.fromkeys(credited) if sid != "article"]
    line = _short(content, "article")
    return line + (f", citing {' and '.join(_short(content, sid) for sid in others)}" if others else "")


def _sources(content: Content, credited: Iterable[str]) -> list[str]:
    return ["article", *(sid for sid in dict.fromkeys(credited) if sid != "article")]


def _source_markdown(content: Content, source_ids: list[str]) -> str:
    if len(source_ids) == 1:
        return f"*Source:* {_citation(content, source_ids[0])}"
    return "*Sources:*\n\n" + "\n".join(f"- {_citation(content, sid)}" for sid in source_ids)


def _article_block(title: str, lines: list[str], content: Content, credited: list[str], folded: bool) -> str:
    """The article's words as Markdown: folded in <details> when the prose already taught them."""
    sources = _sources(content, credited)
    heading = f"**{ARTICLE_SAYS}**: {title} · {credit_line(content, credited)}"
    body = [*lines, "", _source_markdown(content, sources)]
    if not folded:
        return "\n".join([heading, "", *body])
    return "\n".join([f"<details><summary>{heading.replace('**', '')}</summary>", "", *body, "", "</details>"])


def _html(macro: str, **values) -> str:
    # Imported here so the text helpers work without the widget layer (e.g. in tests of prose).
    from netcourse.widgets.render import render

    return render("lesson.html", macro, **values)


def _item_markdown(item: Item) -> str:
    return f"{item.order}. **{item.name}**: “{item.wording}”"


def list_markdown(name: str, content: Content | None = None) -> str:
    """One of the article's lists (``content.lists()`` key) in the article's words, with its sources.

    Only the article's wording appears here; what the course adds to each item (what a step
    involves, whom to ask) is taught in the lesson's prose.
    """
    content = _content(content)
    lists = content.lists()
    if name not in lists:
        raise KeyError(f"no list {name!r}; known lists: {sorted(lists)}")
    items = lists[name]
    credited = _list_credited(content, name, items)
    return _article_block(_title(name), [_item_markdown(item) for item in items], content, credited, folded=True)


def _title(name: str) -> str:
    return LIST_TITLES.get(name, name.replace("_", " ").capitalize())


def _list_credited(content: Content, name: str, items: tuple[Item, ...]) -> list[str]:
    credit = content.list_credits.get(name)
    return [*([credit] if credit else []), *(item.source for item in items)]


def _list_html(name: str, content: Content) -> str:
    items = content.lists()[name]
    credited = _list_credited(content, name, items)
    return _html("article", title=_title(name), credit=credit_line(content, credited), folded=True,
                 items=[(item.name, item.wording) for item in items], quote="",
                 sources=[_citation(content, sid) for sid in _sources(content, credited)])


def course_adds_markdown(notes: Iterable[str]) -> str:
    notes = list(notes)
    if not notes:
        return ""
    return "\n".join([f"**{COURSE_ADDS}** ({COURSE_ADDS_NOTE}):", "", *(f"- {note}" for note in notes)])


def level_markdown(level_id: str, content: Content | None = None) -> str:
    """One level of Figure 1: the article's sentence (folded), then what the course adds, if anything."""
    content = _content(content)
    level = content.level(level_id)
    article = _article_block(f"{level.order}. {level.name}", [f"> “{level.wording}”"], content, [level.source],
                             folded=True)
    adds = course_adds_markdown(level.course_adds)
    return article + (f"\n\n{adds}" if adds else "")


def _level_html(level_id: str, content: Content) -> str:
    level = content.level(level_id)
    article = _html("article", title=f"{level.order}. {level.name}", credit=credit_line(content, [level.source]),
                    folded=True, items=[], quote=level.wording,
                    sources=[_citation(content, sid) for sid in _sources(content, [level.source])])
    adds = _html("course_adds", heading=COURSE_ADDS, note=COURSE_ADDS_NOTE, notes=level.course_adds) \
        if level.course_adds else ""
    return article + adds


def statement_markdown(key: str, content: Content | None = None) -> str:
    """A single passage (``follow_up``, ``funding_coverage`` or ``mindset``) as a cited quote."""
    content = _content(content)
    if key not in STATEMENTS:
        raise KeyError(f"no statement {key!r}; known: {list(STATEMENTS)}")
    passage = getattr(content, key)
    source = passage.get("source", "article")
    return _article_block("in its own words", [f"> “{passage['wording']}”"], content, [source], folded=False)


def _statement_html(key: str, content: Content) -> str:
    passage = getattr(content, key)
    source = passage.get("source", "article")
    return _html("article", title="in its own words", credit=credit_line(content, [source]), folded=False, items=[],
                 quote=passage["wording"], sources=[_citation(content, sid) for sid in _sources(content, [source])])


def questions_markdown(content: Content | None = None) -> str:
    """The article's explorative questions, to ask about someone's journey."""
    content = _content(content)
    questions = content.mindset.get("explorative_questions", ())
    lines = [f"{i}. “{q}”" for i, q in enumerate(questions, start=1)]
    return _article_block("Questions that explore someone's journey", lines, content,
                          [content.mindset.get("source", "article")], folded=True)


def _questions_html(content: Content) -> str:
    source = content.mindset.get("source", "article")
    return _html("article", title="Questions that explore someone's journey", credit=credit_line(content, [source]),
                 folded=True, items=[("", q) for q in content.mindset.get("explorative_questions", ())], quote="",
                 sources=[_citation(content, sid) for sid in _sources(content, [source])])


def references_markdown(source_ids: Iterable[str] | None = None, content: Content | None = None) -> str:
    """Full references for ``source_ids`` (default: all sources), one per line."""
    content = _content(content)
    ids = list(source_ids) if source_ids is not None else list(content.sources)
    return "\n".join(f"- {_citation(content, sid)}" for sid in ids)


def lesson_nav_text(number: int) -> str:
    """Where this lesson sits in the course: number, minutes, previous and next."""
    lessons = {lesson.number: lesson for lesson in course.LESSONS}
    if number not in lessons:
        raise KeyError(f"no lesson {number}; lessons are {sorted(lessons)}")
    this = lessons[number]
    parts = [f"Lesson {number} of {len(lessons)}: {this.title} (about {this.minutes} minutes)."]
    if number - 1 in lessons:
        parts.append(_stop(f"Previous: {lessons[number - 1].title}"))
    parts.append(_stop(f"Next: {lessons[number + 1].title}") if number + 1 in lessons else "Next: the workbook.")
    return " ".join(parts)


def _stop(sentence: str) -> str:
    """End a sentence once: "Next: Why network?" needs no full stop after its question mark."""
    return sentence if sentence.endswith(("?", "!", ".")) else sentence + "."


# -- the calls lessons make; each returns something the notebook displays


def show_list(name: str) -> Passage:
    content = load_content()
    return Passage(list_markdown(name, content), _list_html(name, content))


def show_level(level_id: str) -> Passage:
    content = load_content()
    return Passage(level_markdown(level_id, content), _level_html(level_id, content))


def show_statement(key: str) -> Passage:
    content = load_content()
    return Passage(statement_markdown(key, content), _statement_html(key, content))


def show_questions() -> Passage:
    content = load_content()
    return Passage(questions_markdown(content), _questions_html(content))


def references(*source_ids: str) -> Markdown:
    return Markdown(references_markdown(source_ids or None))


def lesson_nav(number: int) -> None:
    print(lesson_nav_text(number))


def outline() -> Passage:
    """The start page's table of lessons, every column in full (a DataFrame would cut them short)."""
    rows = [(ls.number, ls.title, ls.minutes, ls.teaches, f"notebooks/{ls.file}") for ls in course.LESSONS]
    lines = ["| Lesson | Title | Minutes | You will learn | File |", "|---:|---|---:|---|---|"]
    lines += [f"| {n} | {title} | {minutes} | {teaches} | `{file}` |" for n, title, minutes, teaches, file in rows]
    lines += ["", f"{len(rows)} lessons, about {course.total_minutes()} minutes in all."]
    return Passage("\n".join(lines), _html("outline", rows=rows, total=course.total_minutes()))


def practice(name: str, noun: str = "Answer"):
    """The practice widget for exercise ``name`` (see :data:`netcourse.practice.EXERCISES`)."""
    # Imported here so the text helpers above work without ipywidgets (e.g. in tests of prose).
    from netcourse.widgets.practice import ExerciseGroup, exercise_for

    if name not in EXERCISES:
        raise KeyError(f"no exercise {name!r}; known: {sorted(EXERCISES)}")
    built = EXERCISES[name]()
    if isinstance(built, tuple):
        return ExerciseGroup([exercise_for(task, noun=noun) for task in built])
    return exercise_for(built, noun=noun)


def challenge(name: str):
    """The answer box and rubric self-check for challenge ``name`` (see ``practice.json`` challenges)."""
    from netcourse.widgets.challenge import ChallengeBox

    return ChallengeBox.named(name)
