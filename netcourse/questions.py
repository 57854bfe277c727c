"""The prepared-questions bank: search, filter and pick three questions for one person.

The article (after the University of Utah) says questions "should be related to the field and the
experiences/opportunities someone may be able to offer" and points to the AAFP's topic-by-topic list
of questions. The bank in ``netcourse/data/questions.csv`` is written for this course and organised
by such topics (:data:`TOPICS`); the article's own explorative questions ("How did they know? How did
they get here? What can I do?") come from :func:`netcourse.content.load_content` and are added under
the ``journey`` topic, asked in the second person. Each question says which audiences it suits
(ids from ``audiences.json``) and which benefit of networking it serves (ids from the content's
benefits). Filtering is done with pandas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd

from netcourse.content import data_path, load_content
from netcourse.pitch.audiences import load_audiences
from netcourse.pitch.parts import MAX_QUESTIONS
from netcourse.schemas import first_problem

QUESTIONS_FILE = "questions.csv"
COLUMNS = ("id", "topic", "question", "audiences", "benefit", "source")
TOPICS: dict[str, str] = {
    "field-and-day": "The field and a typical day",
    "training-path": "Training path and how they chose it",
    "research": "Research",
    "mentorship": "Mentorship",
    "shadowing-clinical": "Shadowing and clinical experience",
    "events-organisations": "Events and organisations to join",
    "journey": "Their journey (how did they know, how did they get here, what can I do?)",
}
# "course" marks questions written for this module after the AAFP's topics; the rest are source ids.
COURSE_SOURCE = "course"
COURSE_SOURCE_NOTE = "Written for this course, organised by topic as in the AAFP question resource the article cites."


class QuestionBankError(ValueError):
    """The question bank file is missing or malformed; the message names the file and row."""


def _second_person(question: str) -> str:
    # The article asks about "them"; at the event the student asks "you".
    return re.sub(r"\bthey\b", "you", question)


def parse_questions(frame: pd.DataFrame, name: str = QUESTIONS_FILE) -> pd.DataFrame:
    """Validate a raw bank (rows as read from the CSV) and add ``topic_label``; errors give the file line.

    Each row is checked against ``schemas/questions-row.schema.json``, then its ids against the course data.
    """
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise QuestionBankError(f"{name}: missing columns {missing}")
    content = load_content()
    audience_ids = {a.id for a in load_audiences()}
    benefit_ids = {b.id for b in content.benefits}
    sources = set(content.sources) | {COURSE_SOURCE}
    bank = frame.loc[:, list(COLUMNS)].copy()
    for column in COLUMNS:
        bank[column] = ["" if pd.isna(v) else str(v).strip() for v in bank[column]]
    for i, row in enumerate(bank.to_dict("records"), start=2):  # line 1 is the header
        problem = first_problem(row, "questions-row")
        if problem is not None:
            raise QuestionBankError(f"{name}: line {i}: {problem}")
        if row["topic"] not in TOPICS:
            raise QuestionBankError(f"{name}: line {i}: unknown topic {row['topic']!r}; known: {list(TOPICS)}")
        unknown = set(row["audiences"].split(";")) - audience_ids
        if unknown:
            raise QuestionBankError(f"{name}: line {i}: unknown audiences {sorted(unknown)}")
        if row["benefit"] not in benefit_ids:
            raise QuestionBankError(f"{name}: line {i}: unknown benefit {row['benefit']!r}")
        if row["source"] not in sources:
            raise QuestionBankError(f"{name}: line {i}: unknown source {row['source']!r}")
    duplicated = bank["id"][bank["id"].duplicated()].tolist()
    if duplicated:
        raise QuestionBankError(f"{name}: duplicate ids {duplicated}")
    bank["topic_label"] = bank["topic"].map(TOPICS)
    return bank.reset_index(drop=True)


def _article_questions() -> pd.DataFrame:
    mindset = load_content().mindset
    everyone = ";".join(a.id for a in load_audiences())
    ids = ("article-how-did-you-know", "article-how-did-you-get-here", "article-what-can-i-do")
    rows = [
        {
            "id": ids[i] if i < len(ids) else f"article-{i + 1}",
            "topic": "journey",
            "question": _second_person(q),
            "audiences": everyone,
            "benefit": "insight",
            "source": mindset.get("source", "article"),
        }
        for i, q in enumerate(mindset["explorative_questions"])
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def load_questions(path: Path | str | None = None) -> pd.DataFrame:
    """The bank as a DataFrame (columns: id, topic, topic_label, question, audiences, benefit, source).

    The article's three explorative questions come first. A fresh copy is returned each call, so
    callers may modify it.
    """
    if path is None:
        return _packaged_questions().copy()
    return _read_bank(Path(path), str(path))


def _read_bank(path: Path, name: str) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise QuestionBankError(f"{name}: file not found") from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise QuestionBankError(f"{name}: cannot be read as CSV ({exc})") from None
    bank = parse_questions(raw, name)
    article = parse_questions(_article_questions(), "content.json (mindset.explorative_questions)")
    combined = pd.concat([article, bank], ignore_index=True)
    clashes = sorted(set(article["id"]) & set(bank["id"]))
    if clashes:
        raise QuestionBankError(f"{name}: ids {clashes} are reserved for the article's questions")
    return combined


@lru_cache(maxsize=1)
def _packaged_questions() -> pd.DataFrame:
    return _read_bank(data_path(QUESTIONS_FILE), QUESTIONS_FILE)


def _as_tuple(values: str | Iterable[str] | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,) if values else ()
    return tuple(v for v in values if v)


def search_questions(
    bank: pd.DataFrame,
    text: str = "",
    *,
    topics: str | Iterable[str] | None = None,
    audience: str | None = None,
    benefit: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Questions matching all filters: words of ``text`` (any order, case-insensitive) in the question
    or topic, one of ``topics``, suited to ``audience``, serving one of ``benefit``."""
    mask = pd.Series(True, index=bank.index)
    haystack = (bank["question"] + " " + bank["topic_label"]).str.lower()
    for word in text.lower().split():
        mask &= haystack.str.contains(word, regex=False)
    chosen_topics = _as_tuple(topics)
    if chosen_topics:
        mask &= bank["topic"].isin(chosen_topics)
    if audience:
        mask &= bank["audiences"].str.split(";").apply(lambda ids: audience in ids)
    chosen_benefits = _as_tuple(benefit)
    if chosen_benefits:
        mask &= bank["benefit"].isin(chosen_benefits)
    return bank.loc[mask]


def for_audience(bank: pd.DataFrame, audience_id: str) -> pd.DataFrame:
    """Questions for an audience, its recommended topics first (see ``audiences.json``)."""
    audiences = {a.id: a for a in load_audiences()}
    if audience_id not in audiences:
        raise KeyError(f"no audience {audience_id!r}; known: {sorted(audiences)}")
    preferred = audiences[audience_id].question_topics
    rank = {t: i for i, t in enumerate(preferred)}
    suited = search_questions(bank, audience=audience_id)
    order = suited["topic"].map(lambda t: rank.get(t, len(rank)))
    return suited.assign(_rank=order).sort_values("_rank", kind="stable").drop(columns="_rank")


def pick_questions(
    bank: pd.DataFrame, ids: Iterable[str], edits: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """The wording of up to three chosen questions, with the student's edits (by id) applied.

    Raises ``ValueError`` with a student-facing message for unknown ids, repeats or more than three.
    """
    ids = list(ids)
    edits = dict(edits or {})
    if len(ids) > MAX_QUESTIONS:
        raise ValueError(f"Pick at most {MAX_QUESTIONS} questions for one person; you picked {len(ids)}.")
    if len(set(ids)) != len(ids):
        raise ValueError("You picked the same question twice.")
    by_id = dict(zip(bank["id"], bank["question"], strict=True))
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise ValueError(f"Unknown question id(s): {', '.join(unknown)}.")
    picked = []
    for qid in ids:
        wording = edits.get(qid, by_id[qid]).strip()
        if not wording:
            raise ValueError(f"The edited question {qid!r} is empty.")
        picked.append(wording)
    return tuple(picked)
