"""The analysis of a draft: :func:`analyse` returns a :class:`PitchReport` with :class:`Suggestion` objects.

:func:`analyse` takes a free draft (a ``str``) or a :class:`~netcourse.pitch.parts.Pitch` and
returns a frozen report: words, speaking time at a pace, over/under a target, parts present, missing
or left for later (the close comes at the end of the talk, after the hand-over question), the
introduction's elements (name, year, school), every question and how it asks, filler words, jargon,
long sentences, and the coach's suggestions (:mod:`netcourse.pitch.coach`), most important first.
Everything found carries (start, end) offsets into :attr:`PitchReport.text`, so a view can show the
words a problem concerns. Only the first :data:`~netcourse.pitch.text.MAX_DRAFT_CHARS` characters
are read for parts and problems (the rest is still counted and timed), so a keystroke in a huge
draft stays quick; the work is linear in the length of the text. Pure logic: no widgets, no files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from netcourse.asking import OPEN, explain, is_follow_up_request
from netcourse.pitch.cues import INTRO_NEEDS, filler_spans, intro_elements, jargon_spans, name_in, parts_in_sentence
from netcourse.pitch.parts import PART_IDS, Pitch
from netcourse.pitch.text import (
    BREATH_WORDS,
    DEFAULT_PACE_WPM,
    DEFAULT_TARGET_SECONDS,
    MAX_DRAFT_CHARS,
    check_pace,
    check_target,
    count_words,
    is_question,
    normalise,
    sentence_spans,
    speaking_seconds,
)

# Over the target by more than this share is "too long"; under half of it is "room to add".
TOO_LONG_TOLERANCE = 0.10
TOO_SHORT_SHARE = 0.5
SEVERITIES = ("warning", "tip", "info")
# Parts said at the end of the conversation rather than in the opening introduction.
LATER_PARTS = ("close",)

Span = tuple[int, int]


@dataclass(frozen=True)
class Suggestion:
    """One piece of advice; ``spans`` are the (start, end) offsets in the report's text it is about."""

    id: str
    message: str
    severity: str  # one of SEVERITIES
    source: str = ""
    spans: tuple[Span, ...] = ()
    rewrite: str = ""  # for a question that could ask better: an explorative version


@dataclass(frozen=True)
class QuestionCheck:
    """A question in the draft: where it is, how it asks (:mod:`netcourse.asking`) and what it does there."""

    start: int
    end: int
    kind: str  # open, yes-no, favour, not-a-question
    why: str
    rewrite: str
    hands_over: bool  # after the opening, where it can hand the conversation over
    follow_up: bool  # a polite request to stay in touch ("May I email you?"): part of the close


@dataclass(frozen=True)
class PitchReport:
    """What :func:`analyse` found in a draft. Times are in seconds, rounded to 0.1 s."""

    mode: str  # "free" or "parts"
    word_count: int
    seconds: float
    pace_wpm: int
    target_seconds: int
    over_by: float
    under_by: float
    parts_present: tuple[str, ...]
    parts_missing: tuple[str, ...]
    evidence: tuple[tuple[str, str], ...]  # (part id, sentence or part text that shows it)
    sentence_count: int
    longest_sentence_words: int
    filler_found: tuple[str, ...]
    jargon_found: tuple[str, ...]
    suggestions: tuple[Suggestion, ...]
    name: str = ""  # the student's name when the introduction gives it
    text: str = ""  # the text analysed (the parts joined in part mode); every offset points into it
    checked_chars: int = 0  # how much of ``text`` was read for parts and problems
    parts_later: tuple[str, ...] = ()  # not in the opening, and rightly so: planned for the end
    intro_found: tuple[str, ...] = ()  # of greeting, name, year, school
    part_spans: tuple[tuple[str, int, int], ...] = ()  # (part id, start, end) of each piece of evidence
    questions: tuple[QuestionCheck, ...] = ()
    long_sentences: tuple[tuple[int, int, int], ...] = ()  # (start, end, words) over BREATH_WORDS
    filler_spans: tuple[tuple[str, int, int], ...] = ()
    jargon_spans: tuple[tuple[str, int, int], ...] = ()

    @property
    def is_empty(self) -> bool:
        return self.word_count == 0

    @property
    def too_long(self) -> bool:
        return self.seconds > self.target_seconds * (1 + TOO_LONG_TOLERANCE)

    @property
    def on_target(self) -> bool:
        return not self.is_empty and not self.too_long and self.seconds >= self.target_seconds * TOO_SHORT_SHARE

    @property
    def truncated(self) -> bool:
        return self.checked_chars < len(self.text)

    def evidence_for(self, part_id: str) -> tuple[str, ...]:
        return tuple(text for pid, text in self.evidence if pid == part_id)

    def suggestion_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.suggestions)

    def suggestion(self, suggestion_id: str) -> Suggestion | None:
        return next((s for s in self.suggestions if s.id == suggestion_id), None)


def _checked_length(text: str, max_chars: int | None) -> int:
    """Where reading stops: all of ``text``, or the last white space before ``max_chars``."""
    if max_chars is None or len(text) <= max_chars:
        return len(text)
    cut = text.rfind(" ", max(0, max_chars - 200), max_chars)
    return cut if cut > 0 else max_chars


def _joined(pitch: Pitch) -> tuple[str, dict[str, tuple[int, int]]]:
    """``pitch.text()`` and the (start, end) of each non-blank part in it."""
    pieces, where, at = [], {}, 0
    for p in PART_IDS:
        part = pitch.part(p).strip()
        if not part:
            continue
        if pieces:
            at += 1
        where[p] = (at, at + len(part))
        pieces.append(part)
        at += len(part)
    return " ".join(pieces), where


def analyse(
    draft: str | Pitch,
    *,
    pace_wpm: float = DEFAULT_PACE_WPM,
    target_seconds: float = DEFAULT_TARGET_SECONDS,
    max_chars: int | None = MAX_DRAFT_CHARS,
) -> PitchReport:
    """Analyse a free draft (``str``) or a :class:`Pitch` written part by part.

    ``pace_wpm`` is the speaking pace (60–250 words a minute, default 130); ``target_seconds`` the
    length aimed for (10–300 s; default 45, the studio passes its audience's). ``max_chars`` is how
    much is read for parts and problems (``None``: everything, as the benchmark does). Raises
    ``ValueError`` only for a bad pace or target; any text, including empty text, gives a report.
    """
    from netcourse.pitch import coach  # coach imports this module's classes

    pace = check_pace(pace_wpm)
    target = check_target(target_seconds)
    if isinstance(draft, Pitch):
        mode = "parts"
        text, boxes = _joined(draft)
    elif isinstance(draft, str):
        mode, boxes = "free", {}
        text = draft
    else:
        raise TypeError(f"analyse() takes a str or a Pitch, not {type(draft).__name__}")
    text = normalise(text)
    checked = _checked_length(text, max_chars)
    if mode == "parts":
        spans = [(s + a, e + a) for a, b in boxes.values() for s, e in sentence_spans(text[a : min(b, checked)])]
    else:
        spans = sentence_spans(text[:checked])
    counts = [count_words(text[s:e]) for s, e in spans]
    words = sum(counts) if checked == len(text) else count_words(text)  # a long draft is still counted whole
    seconds = speaking_seconds(words, pace)
    found = _find(text, spans, counts, boxes if mode == "parts" else None, checked)
    low = text.lower() if checked == len(text) else text[:checked].lower()
    fillers = filler_spans(low)
    jargon = jargon_spans(text, low, spans)
    report = PitchReport(
        mode=mode,
        word_count=words,
        seconds=seconds,
        pace_wpm=pace,
        target_seconds=target,
        over_by=round(max(0.0, seconds - target), 1),
        under_by=round(max(0.0, target - seconds), 1),
        parts_present=found.present,
        parts_missing=tuple(p for p in PART_IDS if p not in found.present and p not in found.later),
        evidence=tuple((p, text[s:e]) for p, s, e in found.part_spans),
        sentence_count=sum(1 for c in counts if c),
        longest_sentence_words=max(counts, default=0),
        filler_found=tuple(dict.fromkeys(word for word, _s, _e in fillers)),
        jargon_found=tuple(dict.fromkeys(term for term, _s, _e in jargon)),
        suggestions=(),
        name=found.name,
        text=text,
        checked_chars=checked,
        parts_later=found.later,
        intro_found=found.intro,
        part_spans=found.part_spans,
        questions=found.questions,
        long_sentences=tuple((s, e, c) for (s, e), c in zip(spans, counts, strict=True) if c > BREATH_WORDS),
        filler_spans=tuple(fillers),
        jargon_spans=tuple(jargon),
    )
    return replace(report, suggestions=coach.suggest(report, draft))


@dataclass(frozen=True)
class _Found:
    present: tuple[str, ...]
    later: tuple[str, ...]
    part_spans: tuple[tuple[str, int, int], ...]
    intro: tuple[str, ...]
    questions: tuple[QuestionCheck, ...]
    name: str


def _find(text: str, spans: list[Span], counts: list[int], boxes: dict[str, Span] | None, checked: int) -> _Found:
    """Parts, introduction elements, questions and the name: per sentence (free) or per box (parts)."""
    evidence: list[tuple[str, int, int]] = []
    intro: set[str] = set()
    questions: list[QuestionCheck] = []
    name = ""
    asked = boxes.get("question", (0, 0)) if boxes is not None else None
    for i, (s, e) in enumerate(spans):
        if counts[i] == 0:
            continue
        sentence = text[s:e]
        if boxes is None:
            parts, asking, late = parts_in_sentence(sentence, i, len(spans))
            elements = intro_elements(sentence, sentence.lower(), i)
            if elements - {"greeting"}:
                parts.add("intro")
            intro |= elements
            evidence.extend((p, s, e) for p in PART_IDS if p in parts)
            name = name or name_in(sentence)
        else:
            asking = explain(sentence) if is_question(sentence) else None
            late = asked[0] <= s < asked[1]
        if asking is not None:
            follow = is_follow_up_request(sentence)
            questions.append(QuestionCheck(s, e, asking.kind, asking.why, asking.rewrite, late and not follow, follow))
    if boxes is not None:
        evidence, intro, name, extra = _box_parts(text, boxes, checked, spans)
        questions = sorted(questions + extra, key=lambda q: q.start)
    said = {p for p, _s, _e in evidence}
    if not set(INTRO_NEEDS) <= intro:
        said.discard("intro")
    present = tuple(p for p in PART_IDS if p in said)
    later = tuple(p for p in LATER_PARTS if p not in said and "question" in said)
    return _Found(present, later, tuple(evidence), tuple(e for e in ("greeting", *INTRO_NEEDS) if e in intro),
                  tuple(questions), name)


def _box_parts(text: str, boxes: dict[str, Span], checked: int, spans: list[Span]):
    """Part mode: a box with words is its part, but the introduction needs its elements and the
    question box an open question (a question box without "?" is judged as if it had one)."""
    evidence: list[tuple[str, int, int]] = []
    intro: set[str] = set()
    extra: list[QuestionCheck] = []
    name = ""
    for p, (a, b) in boxes.items():
        b = min(b, checked)
        if a >= b or count_words(text[a:b]) == 0:
            continue
        inside = [(s, e) for s, e in spans if a <= s < b]
        if p == "intro":
            for i, (s, e) in enumerate(inside):
                intro |= intro_elements(text[s:e], text[s:e].lower(), i)
                name = name or name_in(text[s:e])
        if p == "question":
            asked = [explain(text[s:e]) for s, e in inside if is_question(text[s:e])]
            if not asked:
                asking = explain(text[a:b] + "?")
                extra.append(QuestionCheck(a, b, asking.kind, asking.why, asking.rewrite, True,
                                           is_follow_up_request(text[a:b])))
                asked = [asking]
            if not any(q.kind == OPEN for q in asked):
                continue
        evidence.append((p, a, b))
    return evidence, intro, name, extra
