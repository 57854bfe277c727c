"""The lessons' challenges: a written answer, its rubric, and a self-check that teaches.

Each challenge in ``practice.json`` (``challenges``) has a rubric: criteria the student ticks
when they think their answer meets them. Some criteria also carry a plain check the course can
run on the text (a word limit, a question mark, words it should or should not use); those are
signals, not grades; whether a question is open or asks a favour is judged by :mod:`netcourse.asking`,
as the pitch coach and the workbook judge it. :func:`self_check` compares what the student ticked with those signals and
says, criterion by criterion, what to look at again, so the rubric teaches instead of scoring.
Nothing here imports ipywidgets; :mod:`netcourse.widgets.challenge` presents it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from netcourse import asking
from netcourse.practice.exercises import load_practice_file


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str
    check: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Challenge:
    id: str
    lesson: int
    title: str
    rubric: tuple[Criterion, ...]
    placeholder: str = ""


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    ticked: bool
    signal: bool | None  # what the course's check found (None: nothing it can check)
    advice: str  # what to look at again ("" when ticked and the signal agrees)


@dataclass(frozen=True)
class SelfCheck:
    """The outcome: per criterion, what was ticked and what the course noticed; a summary line."""

    results: tuple[CriterionResult, ...]
    message: str
    words: int

    @property
    def complete(self) -> bool:
        return all(r.ticked and r.signal is not False for r in self.results)


def challenges() -> dict[str, Challenge]:
    """Every challenge of the lessons, by id, from the practice file."""
    found = {}
    for cid, entry in load_practice_file()["challenges"].items():
        rubric = tuple(Criterion(c["id"], c["text"], dict(c.get("check", {}))) for c in entry["rubric"])
        found[cid] = Challenge(cid, entry["lesson"], entry["title"], rubric, entry.get("placeholder", ""))
    return found


def challenge(cid: str) -> Challenge:
    known = challenges()
    if cid not in known:
        raise KeyError(f"no challenge {cid!r}; known: {sorted(known)}")
    return known[cid]


def word_count(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9'’-]+", text))


def _questions(text: str) -> list[str]:
    """The sentences of ``text`` that end with a question mark."""
    return [s.strip() for s in re.findall(r"[^.!?\n]*\?", text) if s.strip()]


def signal(check: dict[str, Any], text: str) -> bool | None:
    """Whether ``text`` passes one plain check (None when there is none)."""
    if not check:
        return None
    lowered = " " + " ".join(text.lower().replace("’", "'").split()) + " "
    kind = check["kind"]
    if kind == "mentions":
        return all(any(word in lowered for word in group) for group in check["groups"])
    if kind == "avoids":
        return not any(phrase in lowered for phrase in check["phrases"])
    if kind == "has_question":
        return bool(_questions(text))
    if kind == "open_question":  # judged as the pitch coach and the workbook judge it
        return any(asking.classify(q) == asking.OPEN for q in _questions(text))
    if kind == "no_favour":
        return not any(asking.classify(q) == asking.FAVOUR for q in _questions(text))
    if kind == "words_at_most":
        return word_count(text) <= check["limit"]
    if kind == "words_at_least":
        return word_count(text) >= check["limit"]
    raise ValueError(f"unknown check kind {kind!r}")


def self_check(item: Challenge, text: str, ticked: Iterable[str]) -> SelfCheck:
    """Compare the student's ticks with what the course can see in ``text``, criterion by criterion."""
    ticks = set(ticked)
    words = word_count(text)
    if not text.strip():
        results = tuple(CriterionResult(c, c.id in ticks, None, "") for c in item.rubric)
        return SelfCheck(results, "Write your answer in the box first, then tick what it does.", 0)
    results = []
    for criterion in item.rubric:
        found = signal(criterion.check, text)
        is_ticked = criterion.id in ticks
        if found is False:
            advice = criterion.check["missing"].format(words=words)
            if is_ticked:
                advice = "You ticked this, but look again: " + advice
        elif not is_ticked and found:
            advice = "Your answer seems to do this already: tick it if you agree."
        elif not is_ticked:
            advice = "Not ticked yet: reread your answer with this in mind, then add it or tick it."
        else:
            advice = ""
        results.append(CriterionResult(criterion, is_ticked, found, advice))
    done = sum(1 for r in results if r.ticked and r.signal is not False)
    total = len(results)
    if done == total:
        message = f"All {total} points of the rubric are there. Compare your answer with the example below."
    else:
        message = f"{done} of {total} points are there; the ones below need another look."
    return SelfCheck(tuple(results), message, words)


def challenge_markdown(item: Challenge) -> str:
    """The rubric as a Markdown checklist, for front ends without widgets."""
    return "\n".join([f"**Check your answer: {item.title}**", "", *(f"- [ ] {c.text}" for c in item.rubric)])
