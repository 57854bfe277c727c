"""Small helpers that lesson cells call, so notebooks stay thin and each fact is written once.

``show_list("benefits")`` renders one of the article's lists in the article's own words,
with its citations; ``show_level("school")`` renders a level of Figure 1; ``practice(name)``
builds an exercise widget. Each ``show_*``
has a ``*_markdown`` twin that returns the plain text, which the tests read.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def _content(content: Content | None) -> Content:
    return content if content is not None else load_content()


def _source_line(content: Content, source_ids: Iterable[str]) -> str:
    unique = list(dict.fromkeys(source_ids))
    if len(unique) == 1:
        return f"*Source:* {_citation(content, unique[0])}"
    return "*Sources:*\n\n" + "\n".join(f"- {_citation(content, sid)}" for sid in unique)


def _citation(content: Content, source_id: str) -> str:
    src = content.sources[source_id]
    return f"{src.citation} <{src.url}>" if src.url else src.citation


def _item_markdown(item: Item) -> list[str]:
    lines = [f"{item.order}. **{item.name}**: “{item.wording}”"]
    lines += [f"    - {part}" for part in item.involves]
    if item.who:
        lines.append(f"    - *Who to ask:* {item.who}")
    return lines


def list_markdown(name: str, content: Content | None = None) -> str:
    """One of the article's lists (``content.lists()`` key) as Markdown, every item, with sources."""
    content = _content(content)
    lists = content.lists()
    if name not in lists:
        raise KeyError(f"no list {name!r}; known lists: {sorted(lists)}")
    items = lists[name]
    lines = [f"**{LIST_TITLES.get(name, name.replace('_', ' ').capitalize())}** (in the article's words)", ""]
    for item in items:
        lines += _item_markdown(item)
    lines += ["", _source_line(content, ["article", *(item.source for item in items)])]
    return "\n".join(lines)


def level_markdown(level_id: str, content: Content | None = None) -> str:
    """One level of Figure 1: the article's sentence, its examples and how to find more."""
    content = _content(content)
    level = content.level(level_id)
    lines = [f"**{level.order}. {level.name}**: “{level.wording}”", "", level.summary, "", "*Examples:*", ""]
    lines += [f"- **{ex.name}**: {ex.detail}" for ex in level.examples]
    lines += ["", "*How to find more:*", ""]
    lines += [f"{i}. {step}" for i, step in enumerate(level.how_to_find, start=1)]
    lines += ["", _source_line(content, [level.source])]
    return "\n".join(lines)


def statement_markdown(key: str, content: Content | None = None) -> str:
    """A single passage (``follow_up``, ``funding_coverage`` or ``mindset``) as a cited quote."""
    content = _content(content)
    if key not in STATEMENTS:
        raise KeyError(f"no statement {key!r}; known: {list(STATEMENTS)}")
    passage = getattr(content, key)
    return f"> “{passage['wording']}”\n\n{_source_line(content, [passage.get('source', 'article')])}"


def questions_markdown(content: Content | None = None) -> str:
    """The article's explorative questions, to ask about someone's journey."""
    content = _content(content)
    questions = content.mindset.get("explorative_questions", ())
    lines = ["**Questions that explore someone's journey** (in the article's words)", ""]
    lines += [f"{i}. {q}" for i, q in enumerate(questions, start=1)]
    lines += ["", _source_line(content, [content.mindset.get("source", "article")])]
    return "\n".join(lines)


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
        parts.append(f"Previous: {lessons[number - 1].title}.")
    parts.append(f"Next: {lessons[number + 1].title}." if number + 1 in lessons else "Next: the workbook.")
    return " ".join(parts)


# -- the calls lessons make; each returns something the notebook displays


def show_list(name: str) -> Markdown:
    return Markdown(list_markdown(name))


def show_level(level_id: str) -> Markdown:
    return Markdown(level_markdown(level_id))


def show_statement(key: str) -> Markdown:
    return Markdown(statement_markdown(key))


def show_questions() -> Markdown:
    return Markdown(questions_markdown())


def references(*source_ids: str) -> Markdown:
    return Markdown(references_markdown(source_ids or None))


def lesson_nav(number: int) -> None:
    print(lesson_nav_text(number))


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
