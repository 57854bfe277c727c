"""The introduction ("pitch") a student gives at a networking event: parts, analysis, tailoring, plan.

The article (after the University of Utah) says an introduction is "more than just their name": a
brief account of one's background, reason for being here and related passions, followed by goals,
prepared questions, active listening and a good close. This module turns that into checks a student
can run on every keystroke:

* :class:`Pitch` holds the seven parts (:data:`PARTS`) when the student writes part by part;
* :func:`analyse` takes a free draft (a ``str``) or a :class:`Pitch` and returns a frozen
  :class:`PitchReport`: words, speaking time at a pace, over/under a target, parts present or
  missing (found by cue phrases in a free draft), filler words, jargon, long sentences and
  :class:`Suggestion` objects;
* :func:`tailor` shows what to emphasise for a fellow student, resident, physician or society
  leader (data in ``netcourse/data/audiences.json``, after Harvard Medical School's "identify your
  audience");
* :func:`plan_conversation`, :func:`follow_up_message`, :func:`to_markdown` and :func:`to_plain_text`
  build the conversation plan, the follow-up draft and the exported files.

Pure logic: no widgets, no files written (the widget saves through :mod:`netcourse.storage`).

Finding parts in a free draft (heuristics, per sentence): cue phrases per part, matched on the
lower-cased sentence ("my name is"/"I'm <Name>", "second-year", "MS2", "medical student at" for the
introduction; "I studied", "before medical school", "I worked" for background; "I'm here", "came to",
"attending" for the reason; "passionate", "love", "ever since", "because" for passion; "I hope to",
"my goal", "I'd like to", "looking for" for the goal; "thank you", "great to meet", "may I",
"follow up", "card" for the close). A sentence ending in "?" is the hand-over question unless it asks
to follow up ("May I email you?" closes). The close and the question must come after the first
sentence, so an opening "Nice to meet you!" or "How are you?" does not count. In part-by-part mode
the parts are given: a part is present when its box holds a word.

Word counting (documented choice): text is split on white space; a chunk counts as one word when it
holds at least one letter or digit, so emoji and punctuation are never words and "co-founder" or
"MS2" are one. Chinese and Japanese are written without spaces, so each Han, Hiragana or Katakana
character counts as one word (a per-character count; spoken time for CJK text is therefore only a
rough estimate). Other scripts written without spaces (Thai, Lao, Khmer, Burmese) count one word per
space-separated run, an undercount. Nothing here raises on any ``str``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from netcourse.content import ContentError, data_path, load_content, read_json_file

DEFAULT_PACE_WPM = 130
MIN_PACE_WPM = 60
MAX_PACE_WPM = 250
DEFAULT_TARGET_SECONDS = 60
TARGET_CHOICES = (30, 45, 60, 90)
MIN_TARGET_SECONDS = 10
MAX_TARGET_SECONDS = 300
# A sentence longer than this cannot comfortably be said in one breath (about 11 s at 130 wpm).
BREATH_WORDS = 25
# Over the target by more than this share is "too long"; under half of it is "room to add".
TOO_LONG_TOLERANCE = 0.10
TOO_SHORT_SHARE = 0.5
SEVERITIES = ("warning", "tip", "info")


@dataclass(frozen=True)
class PartSpec:
    """One part of an introduction, with the prompt shown to students and the hint when it is missing."""

    id: str
    label: str
    prompt: str
    hint: str
    severity: str
    source: str


PARTS: tuple[PartSpec, ...] = (
    PartSpec(
        "intro",
        "Greeting, name, year and school",
        "Hi, I'm Maya Chen, a second-year medical student at ...",
        "Open with a greeting, your name, your year and your school.",
        "warning",
        "utah",
    ),
    PartSpec(
        "background",
        "Background",
        "Before medical school I worked as ...",
        "Add one line of background (what you studied or did before); an introduction is more than a name.",
        "tip",
        "article",
    ),
    PartSpec(
        "reason",
        "Reason for being here",
        "I came to this session because ...",
        "Say why you are here: the event, session or interest that brought you.",
        "tip",
        "article",
    ),
    PartSpec(
        "passion",
        "Passion and where it comes from",
        "I've been passionate about ... ever since ...",
        "Say what you are passionate about and where it comes from (community work, a chapter organisation, "
        "earlier experience).",
        "tip",
        "article",
    ),
    PartSpec(
        "goal",
        "Goal",
        "I'm hoping to learn more about ...",
        "Add a goal (what you hope to learn or do) so the listener understands why you came.",
        "warning",
        "utah",
    ),
    PartSpec(
        "question",
        "A question to hand over",
        "How did you know you wanted to go into ...?",
        "End with a question so the other person can introduce themselves and you can listen.",
        "warning",
        "utah",
    ),
    PartSpec(
        "close",
        "Close and transition",
        "Thank you, it was great to meet you. May I follow up by email?",
        "Plan your close: thank them and ask how you may follow up.",
        "tip",
        "hms",
    ),
)
PART_IDS: tuple[str, ...] = tuple(p.id for p in PARTS)
_PART_BY_ID = {p.id: p for p in PARTS}


def part_spec(part_id: str) -> PartSpec:
    try:
        return _PART_BY_ID[part_id]
    except KeyError:
        raise KeyError(f"no pitch part {part_id!r}; known: {list(PART_IDS)}") from None


@dataclass(frozen=True)
class Pitch:
    """A pitch written part by part; blank parts are missing."""

    intro: str = ""
    background: str = ""
    reason: str = ""
    passion: str = ""
    goal: str = ""
    question: str = ""
    close: str = ""

    def part(self, part_id: str) -> str:
        part_spec(part_id)
        return getattr(self, part_id)

    def text(self) -> str:
        """The parts in speaking order, joined into one paragraph."""
        return " ".join(t.strip() for t in (self.part(p) for p in PART_IDS) if t.strip())

    def to_dict(self) -> dict[str, str]:
        return {p: self.part(p) for p in PART_IDS}

    @classmethod
    def from_dict(cls, data: Any) -> Pitch:
        """Build from saved data; unknown keys are ignored, non-text values are an error."""
        if not isinstance(data, dict):
            raise ValueError("the pitch parts must be a mapping of part name to text")
        values = {}
        for p in PART_IDS:
            value = data.get(p, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise ValueError(f"the pitch part {p!r} must be text, found {type(value).__name__}")
            values[p] = value
        return cls(**values)


@dataclass(frozen=True)
class Suggestion:
    id: str
    message: str
    severity: str  # one of SEVERITIES
    source: str = ""


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

    @property
    def is_empty(self) -> bool:
        return self.word_count == 0

    @property
    def too_long(self) -> bool:
        return self.seconds > self.target_seconds * (1 + TOO_LONG_TOLERANCE)

    @property
    def on_target(self) -> bool:
        return not self.is_empty and not self.too_long and self.seconds >= self.target_seconds * TOO_SHORT_SHARE

    def evidence_for(self, part_id: str) -> tuple[str, ...]:
        return tuple(text for pid, text in self.evidence if pid == part_id)

    def suggestion_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.suggestions)


# ----------------------------------------------------------------------------- words and sentences

_CHUNK = re.compile(r"\S+")
_ALNUM = re.compile(r"[^\W_]")
_ALNUM_RUN = re.compile(r"[^\W_]+")
# A white-space separated chunk holding at least one letter or digit (one C-level pass, no CJK).
_WORD_CHUNK = re.compile(r"(?<!\S)(?=\S*?[^\W_])\S+")
# Han (with extension A, compatibility and the supplementary planes), Hiragana and Katakana.
_CJK = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# A sentence ends after . ! ? … (with closing quotes or brackets) before white space, after CJK 。！？,
# or at a line break. A leading character class lets the regex engine skip ahead quickly.
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*(?=\s)|[\u3002\uff01\uff1f]|\n")
_ABBREVIATION_END = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|St|Jr|Sr|vs|Mt)|\be\.g|\bi\.e)\.$", re.IGNORECASE)


def count_words(text: str) -> int:
    """Words in ``text`` by the rules in the module docstring (emoji are never words)."""
    if not _CJK.search(text):
        return len(_WORD_CHUNK.findall(text))
    total = 0
    for match in _CHUNK.finditer(text):
        chunk = match.group()
        if _CJK.search(chunk):
            total += len(_CJK.findall(chunk)) + len(_ALNUM_RUN.findall(_CJK.sub(" ", chunk)))
        elif _ALNUM.search(chunk):
            total += 1
    return total


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``: split after . ! ? … (and CJK 。！？) and at line breaks; "Dr. Lee" stays whole."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        _add_sentence(sentences, text[start : match.end()])
        start = match.end()
    _add_sentence(sentences, text[start:])
    return sentences


def _add_sentence(sentences: list[str], piece: str) -> None:
    piece = piece.strip()
    if not piece:
        return
    if sentences and _ABBREVIATION_END.search(sentences[-1]):
        sentences[-1] = f"{sentences[-1]} {piece}"
    else:
        sentences.append(piece)


def is_question(sentence: str) -> bool:
    """True when the last mark before any closing quotes, brackets, spaces or emoji is ? (or CJK ？)."""
    # A loop from the end, not a regex anchored with $, so a long run of symbols stays linear.
    i = len(sentence)
    while i and not sentence[i - 1].isalnum() and sentence[i - 1] not in "?\uff1f":
        i -= 1
    return i > 0 and sentence[i - 1] in "?\uff1f"


# ----------------------------------------------------------------------------- cue phrases per part


def _any(*patterns: str) -> re.Pattern[str]:
    # Cue patterns are written in lower case and matched against lower-cased sentences: about twice
    # as fast as re.IGNORECASE, which matters because the analysis runs on every keystroke.
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_GREETING = _any(r"^\W*(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|greetings)\b", r"\bnice to meet you\b")
_NAME_SAID = re.compile(r"\bmy name(?: is|'s)\s+(\S+)", re.IGNORECASE)
# "I'm Maya" / "I am Dr. Chen": a capitalised (or non-Latin) word after "I'm"; case-sensitive on purpose.
_NAME_IM = re.compile(r"\b(?:I'm|I am|Im|this is)\s+(?:Dr\.?\s+)?([^\W\d_a-z][\w'-]*)")
_NOT_NAMES = frozenset(
    "I A An The So Very Really Here From At In On Interested Excited Passionate Hoping Looking Glad Happy "
    "Currently Also Just Still Now Second First Third Fourth Final Medical".split()
)
_YEAR_SCHOOL_PATTERNS = (
    r"\b(?:first|second|third|fourth|final|1st|2nd|3rd|4th)[- ]year\b",
    r"\bo?ms[- ]?(?:[1-4]|i{1,3}|iv)\b",
    r"\bm[1-4]\b",
    r"\b(?:medical|med|osteopathic|pre-?med|premedical|md|do|md/phd) students?\b",
    r"\bstudent (?:at|from|in)\b",
    r"\b(?:university|college|school) of\b",
)
# "at Riverside University": needs capitals, so it runs case-sensitively on the original sentence.
_SCHOOL_NAME = re.compile(r"\b(?:at|from) (?:the )?(?:[A-Z][\w'-]* ){0,5}(?:University|College|School)\b")
_CUE_PATTERNS: dict[str, tuple[str, ...]] = {
    "intro": _YEAR_SCHOOL_PATTERNS,
    "background": (
        r"\bi(?:'ve| have)? (?:also )?(?:studied|majored|minored|graduated|worked|used to|grew up|volunteered|spent|"
        r"trained|served|taught|researched|was an?|come from|came from)\b",
        r"\bi(?:'ve| have) (?:been )?(?:working|volunteering|studying|doing)\b",
        r"\bbefore (?:medical|med) school\b",
        r"\bmy (?:background|degree|major|undergrad|previous|prior)\b",
        r"\b(?:undergrad(?:uate)?|bachelor's|master's|gap year|previously|prior to)\b",
        r"\bas an? (?:emt|scribe|nurse|paramedic|medical assistant|cna|researcher|teacher|engineer|volunteer)\b",
    ),
    "reason": (
        r"\bi(?:'m| am) here\b",
        r"\bhere (?:to|because|for|at)\b",
        r"\b(?:came|come|coming) (?:to|here|out|along)\b",
        r"\battend(?:ing|ed)?\b",
        r"\bthis (?:conference|meeting|event|session|talk|workshop|panel|mixer|reception|evening|symposium)\b",
        r"\bi (?:joined|signed up|registered)\b",
        r"\bbrought me\b",
    ),
    "passion": (
        r"\bpassion(?:ate)?\b",
        r"\blov(?:e|ed|es|ing)\b",
        r"\b(?:excited|fascinated|inspired|drawn|hooked|captivated)\b",
        r"\bever since\b",
        r"\bsince (?:i|high school|college|childhood|undergrad|then)\b",
        r"\bbecause\b",
        r"\binterest(?:ed)? in\b",
        r"\bcare (?:deeply |a lot )?about\b",
        r"\bwhat (?:got|draws|drew|pulled) me\b",
    ),
    "goal": (
        r"\bi (?:hope|plan|aim|want|wish|intend|would like|would love) to\b",
        r"\bi'?m (?:hoping|looking|planning|trying|aiming|eager) (?:to|for)\b",
        r"\bmy (?:goal|aim|hope|plan)\b",
        r"\bi'?d (?:like|love) to\b",
        r"\blooking (?:for|to|into)\b",
        r"\b(?:seeking|hoping to)\b",
        r"\blearn (?:more )?about\b",
        r"\bget involved\b",
    ),
    "close": (
        r"\bthank(?:s| you)\b",
        r"\b(?:great|nice|lovely|good|wonderful|a pleasure) (?:to meet|meeting|talking|speaking|to talk)\b",
        r"\bpleasure (?:to meet|meeting)\b",
        r"\b(?:may|could|can|might) i\b",
        r"\bfollow(?:[- ])?up\b",
        r"\bcards?\b",
        r"\be-?mail you\b",
        r"\b(?:stay|keep) in touch\b",
        r"\breach out\b",
        r"\bconnect (?:on|with)\b",
        r"\blinkedin\b",
        r"\benjoy the rest\b",
        r"\blet you (?:go|get back)\b",
    ),
}
_CUES = {pid: _any(*patterns) for pid, patterns in _CUE_PATTERNS.items()}
# "May I follow up by email?" ends in "?" but closes the talk; it does not hand the conversation over.
_CLOSING_REQUEST = _any(
    r"\bfollow(?:[- ])?up\b", r"\bcards?\b", r"\be-?mail\b", r"\bin touch\b", r"\bconnect\b", r"\blinkedin\b",
    r"\breach out\b",
)



# Matched on lower-cased text. "you know" is a filler only as an aside ("did you know ...?" is not);
# "kind of"/"sort of" only when not "what kind of ..." (checked in _fillers).
_FILLER = re.compile(
    r"\b(?:umm?|uhm?|uh|erm?|hmm+|basically|literally|actually|or whatever|and stuff|stuff like that|"
    r"and things like that|kind of|sort of)\b|\b(?:you know|i mean|i guess)(?=\s*[,.!?;]|\s*$)|"
    r",\s*(?:you know|i mean|i guess)\b|\blike,|,\s*like\b"
)
_KIND_OF_WORDS = re.compile(r"\b(?:what|which|this|that|same|any|some|the|a|every|one|each)\s+$")


def _fillers(low: str) -> list[str]:
    found = []
    for match in _FILLER.finditer(low):
        word = match.group().strip(" ,")
        if word in ("kind of", "sort of") and _KIND_OF_WORDS.search(low, max(0, match.start() - 12), match.start()):
            continue
        found.append(word)
    return list(dict.fromkeys(found))


_BUZZWORDS = re.compile(  # matched on lower-cased text
    r"\b(?:synerg(?:y|ies|istic)|leverag(?:e|ing)|circle back|touch base|deep dive|bandwidth|value[- ]add|"
    r"low[- ]hanging fruit|move the needle|thought leader(?:ship)?|game[- ]changer|paradigm shift|"
    r"best[- ]in[- ]class|ping you)\b"
)
# Whole runs of capitals, digits and "&" that start with a capital; the look-arounds make each run
# one match attempt (linear time even on hostile input). Runs with fewer than two capitals are dropped.
_ACRONYM = re.compile(r"(?<![A-Za-z0-9&])[A-Z][A-Z0-9&]*(?![A-Za-z0-9&])")
# Abbreviations nearly every listener knows, plus ways of giving one's year (MS2, OMS-III, M1).
_KNOWN_ACRONYMS = frozenset(
    "US USA UK MD DO PHD MPH MBA OK ER ICU EMT HIV AIDS COVID CPR TV CEO AI DC NYC LA".split()
)
_YEAR_FORM = re.compile(r"^(?:O?MS|M)[-]?(?:[1-4]|I{1,3}|IV)$")
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")


def _guess_name(sentence: str) -> str:
    said = _NAME_SAID.search(sentence)
    if said:
        return said.group(1).strip(".,;:!?")
    for match in _NAME_IM.finditer(sentence):
        candidate = match.group(1).strip("'-")
        if candidate and candidate not in _NOT_NAMES:
            return candidate
    return ""


def guess_name(text: str) -> str:
    """The student's first name as said in the introduction ("I'm Maya", "my name is Maya"), or ""."""
    return _guess_name(_normalise(text))


def _normalise(text: str) -> str:
    # Curly apostrophes are common from phones and word processors; the cue phrases use straight ones.
    return text.replace("\u2019", "'").replace("\u2018", "'")


def _jargon(text: str, low: str, sentences: list[str]) -> list[str]:
    found: list[str] = [m.group() for m in _BUZZWORDS.finditer(low)]
    if _ACRONYM.search(text):
        for sentence in sentences:
            acronyms = [m.group() for m in _ACRONYM.finditer(sentence) if sum(c.isupper() for c in m.group()) > 1]
            if not acronyms:
                continue
            # A sentence mostly in capitals is shouting, not abbreviations.
            if len(acronyms) * 2 > len(_LATIN_WORD.findall(sentence)):
                continue
            found.extend(t for t in acronyms if t.upper() not in _KNOWN_ACRONYMS and not _YEAR_FORM.match(t))
    return list(dict.fromkeys(found))


_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _cue_parts(low: str) -> set[str]:
    """Parts whose cue phrases occur in the lower-cased sentence ``low``.

    One regex per part is faster here than one combined regex (measured with the benchmark).
    """
    return {pid for pid, pattern in _CUES.items() if pattern.search(low)}


def _parts_in_sentence(sentence: str, index: int, n_sentences: int) -> set[str]:
    low = sentence.lower()
    found = _cue_parts(low)
    if "intro" not in found and (
        (index == 0 and _GREETING.search(low))
        or _guess_name(sentence)
        or (("universit" in low or "college" in low or "school" in low) and _SCHOOL_NAME.search(sentence))
    ):
        found.add("intro")
    # The hand-over question and the close belong after the opening; "Nice to meet you!" or
    # "How are you?" as a first sentence is a greeting, not a close or a hand-over.
    late = index > 0 or n_sentences == 1
    if not late:
        found.discard("close")
    elif is_question(sentence) and not _CLOSING_REQUEST.search(low):
        found.add("question")
    return found


def _check_value(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number between {low} and {high}, got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}.")
    return int(round(value))


def analyse(
    draft: str | Pitch,
    *,
    pace_wpm: float = DEFAULT_PACE_WPM,
    target_seconds: float = DEFAULT_TARGET_SECONDS,
) -> PitchReport:
    """Analyse a free draft (``str``) or a :class:`Pitch` written part by part.

    ``pace_wpm`` is the speaking pace (60–250 words a minute, default 130); ``target_seconds`` the
    length aimed for (10–300 s, e.g. 30 or 60). Raises ``ValueError`` only for a bad pace or
    target; any text, including empty text, gives a report.
    """
    pace = _check_value("The pace (words a minute)", pace_wpm, MIN_PACE_WPM, MAX_PACE_WPM)
    target = _check_value("The target length (seconds)", target_seconds, MIN_TARGET_SECONDS, MAX_TARGET_SECONDS)
    if isinstance(draft, Pitch):
        mode = "parts"
        text = draft.text()
    elif isinstance(draft, str):
        mode = "free"
        text = draft
    else:
        raise TypeError(f"analyse() takes a str or a Pitch, not {type(draft).__name__}")

    text = _normalise(text)
    sentences = split_sentences(text)
    counts = [count_words(s) for s in sentences]
    words = sum(counts)
    seconds = round(words / pace * 60, 1)

    evidence: list[tuple[str, str]] = []
    if mode == "parts":
        for p in PART_IDS:
            part_text = draft.part(p).strip()
            if part_text and count_words(part_text) > 0:
                evidence.append((p, part_text))
        name = _guess_name(_normalise(draft.intro))
    else:
        name = ""
        for i, sentence in enumerate(sentences):
            if counts[i] == 0:
                continue
            found = _parts_in_sentence(sentence, i, len(sentences))
            evidence.extend((p, sentence) for p in PART_IDS if p in found)
            if not name:
                name = _guess_name(sentence)
    present = tuple(p for p in PART_IDS if any(pid == p for pid, _ in evidence))
    missing = tuple(p for p in PART_IDS if p not in present)

    low_text = text.lower()
    fillers = _fillers(low_text)
    jargon = _jargon(text, low_text, sentences)
    longest = max(counts, default=0)

    suggestions = _suggest(
        draft=draft,
        text=text,
        words=words,
        seconds=seconds,
        target=target,
        present=present,
        missing=missing,
        sentences=sentences,
        counts=counts,
        fillers=fillers,
        jargon=jargon,
        name=name,
    )
    return PitchReport(
        mode=mode,
        word_count=words,
        seconds=seconds,
        pace_wpm=pace,
        target_seconds=target,
        over_by=round(max(0.0, seconds - target), 1),
        under_by=round(max(0.0, target - seconds), 1),
        parts_present=present,
        parts_missing=missing,
        evidence=tuple(evidence),
        sentence_count=sum(1 for c in counts if c),
        longest_sentence_words=longest,
        filler_found=tuple(fillers),
        jargon_found=tuple(jargon),
        suggestions=suggestions,
        name=name,
    )


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _suggest(
    *,
    draft: str | Pitch,
    text: str,
    words: int,
    seconds: float,
    target: int,
    present: tuple[str, ...],
    missing: tuple[str, ...],
    sentences: list[str],
    counts: list[int],
    fillers: list[str],
    jargon: list[str],
    name: str,
) -> tuple[Suggestion, ...]:
    out: list[Suggestion] = []
    if words == 0:
        out.append(
            Suggestion(
                "empty",
                "Start writing your introduction: your name, year and school, a line of background, why you are "
                "here and what you are passionate about, then a goal and a question.",
                "info",
                "article",
            )
        )
        return tuple(out)
    if seconds > target * (1 + TOO_LONG_TOLERANCE):
        out.append(
            Suggestion(
                "too-long",
                f"About {seconds - target:.0f} s over your {target}-second target: keep it brief so the other "
                "person has time to introduce themselves. Cut background first.",
                "warning",
                "hms",
            )
        )
    elif seconds < target * TOO_SHORT_SHARE:
        out.append(
            Suggestion(
                "too-short",
                f"Only about {seconds:.0f} s of your {target}-second target: there is room for background, your "
                "reason for being here or your passion.",
                "info",
                "article",
            )
        )
    if "intro" in present and not any(p in present for p in ("background", "reason", "passion")):
        out.append(
            Suggestion(
                "more-than-a-name",
                "An introduction is more than your name: add your background, why you are here and your passion.",
                "warning",
                "utah",
            )
        )
    for p in missing:
        spec = part_spec(p)
        out.append(Suggestion(f"missing-{p}", spec.hint, spec.severity, spec.source))
    if "intro" in present and not name:
        out.append(Suggestion("say-name", "Say your name in the introduction (\"I'm Maya Chen, ...\").", "tip", "utah"))
    if isinstance(draft, Pitch):
        q = draft.question.strip()
        if q and not is_question(q):
            out.append(
                Suggestion("question-mark", "Your hand-over question should be a question: end it with '?'.", "tip")
            )
    long_ones = [(c, s) for c, s in zip(counts, sentences, strict=True) if c > BREATH_WORDS]
    if long_ones:
        c, s = max(long_ones, key=lambda pair: pair[0])
        out.append(
            Suggestion(
                "long-sentence",
                f"{len(long_ones)} sentence(s) too long to say in one breath (longest: {c} words, "
                f"\u201c{shorten(s)}\u201d). Split at {BREATH_WORDS} words or fewer.",
                "warning",
            )
        )
    if fillers:
        out.append(
            Suggestion(
                "filler",
                f"Filler words to drop: {', '.join(fillers)}.",
                "tip",
            )
        )
    if jargon:
        out.append(
            Suggestion(
                "jargon",
                f"Jargon or abbreviations the listener may not share: {', '.join(jargon)}. Say them in full once "
                "or choose plainer words.",
                "tip",
            )
        )
    if _MARKUP.search(text):
        out.append(
            Suggestion(
                "markup",
                "Your draft contains HTML-like tags (<...>); they are kept and shown as plain text, never as markup.",
                "info",
            )
        )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return tuple(sorted(out, key=lambda s: order[s.severity]))


# ----------------------------------------------------------------------------- audiences


class AudienceError(ContentError):
    """The audiences data file is missing or malformed."""


AUDIENCES_FILE = "audiences.json"
AUDIENCES_FORMAT = "netcourse-audiences/1"


@dataclass(frozen=True)
class Emphasis:
    part: str
    why: str


@dataclass(frozen=True)
class Audience:
    id: str
    name: str
    who: str
    target_seconds: int
    emphasise: tuple[Emphasis, ...]
    keep_brief: tuple[str, ...]
    question_topics: tuple[str, ...]
    tip: str
    source: str
    advice: str


def parse_audiences(data: Any, name: str = AUDIENCES_FILE) -> tuple[Audience, ...]:
    """Validate the decoded audiences file; errors name the file and the place."""

    def fail(where: str, problem: str) -> AudienceError:
        return AudienceError(f"{name}: {where}: {problem}")

    if not isinstance(data, dict) or data.get("format") != AUDIENCES_FORMAT:
        raise fail("format", f"expected an object with format {AUDIENCES_FORMAT!r}")
    source, advice = data.get("source"), data.get("advice")
    content = load_content()
    if source not in content.sources:
        raise fail("source", f"unknown source {source!r}")
    if advice not in {a.id for a in content.harvard_advice}:
        raise fail("advice", f"unknown Harvard advice id {advice!r}")
    raw = data.get("audiences")
    if not isinstance(raw, list) or not raw:
        raise fail("audiences", "expected a non-empty list")
    audiences = []
    for i, entry in enumerate(raw):
        where = f"audiences[{i}]"
        if not isinstance(entry, dict):
            raise fail(where, "expected an object")
        for key in ("id", "name", "who", "tip"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise fail(f"{where}.{key}", "expected non-empty text")
        target = entry.get("target_seconds")
        if isinstance(target, bool) or not isinstance(target, int) or not MIN_TARGET_SECONDS <= target <= 300:
            raise fail(f"{where}.target_seconds", f"expected whole seconds {MIN_TARGET_SECONDS}-300")
        emphasise = []
        for j, em in enumerate(entry.get("emphasise") or []):
            if not isinstance(em, dict) or em.get("part") not in PART_IDS or not isinstance(em.get("why"), str):
                raise fail(f"{where}.emphasise[{j}]", f"expected {{part: one of {list(PART_IDS)}, why: text}}")
            emphasise.append(Emphasis(em["part"], em["why"]))
        if not emphasise:
            raise fail(f"{where}.emphasise", "expected at least one part to emphasise")
        keep_brief = entry.get("keep_brief") or []
        if not isinstance(keep_brief, list) or any(p not in PART_IDS for p in keep_brief):
            raise fail(f"{where}.keep_brief", f"expected part ids from {list(PART_IDS)}")
        topics = entry.get("question_topics") or []
        if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
            raise fail(f"{where}.question_topics", "expected a list of topic ids")
        audiences.append(
            Audience(
                id=entry["id"],
                name=entry["name"],
                who=entry["who"],
                target_seconds=target,
                emphasise=tuple(emphasise),
                keep_brief=tuple(keep_brief),
                question_topics=tuple(topics),
                tip=entry["tip"],
                source=source,
                advice=advice,
            )
        )
    ids = [a.id for a in audiences]
    if len(set(ids)) != len(ids):
        raise fail("audiences", f"duplicate ids in {ids}")
    return tuple(audiences)


def load_audiences(path: Path | str | None = None) -> tuple[Audience, ...]:
    """The audiences (fellow student, resident, physician, society/committee leader); packaged file by default."""
    if path is None:
        return _packaged_audiences()
    return _read_audiences(path, str(path))


@lru_cache(maxsize=1)
def _packaged_audiences() -> tuple[Audience, ...]:
    return _read_audiences(data_path(AUDIENCES_FILE), AUDIENCES_FILE)


def _read_audiences(path: Path | str, name: str) -> tuple[Audience, ...]:
    try:
        data = read_json_file(path, name)
    except ContentError as exc:
        raise AudienceError(str(exc)) from None
    return parse_audiences(data, name)


def get_audience(audience_id: str) -> Audience:
    for aud in load_audiences():
        if aud.id == audience_id:
            return aud
    raise KeyError(f"no audience {audience_id!r}; known: {[a.id for a in load_audiences()]}")


@dataclass(frozen=True)
class OutlineLine:
    part: str
    label: str
    text: str
    emphasis: str  # "emphasise", "keep-brief" or ""
    why: str = ""


@dataclass(frozen=True)
class Tailoring:
    """The same pitch seen from one audience: what to stress, what to keep short, what is missing."""

    audience: Audience
    outline: tuple[OutlineLine, ...]
    checks: tuple[Suggestion, ...]
    seconds: float
    target_seconds: int
    citation: str

    @property
    def emphasised_parts(self) -> tuple[str, ...]:
        return tuple(e.part for e in self.audience.emphasise)


def tailor(
    draft: str | Pitch, audience_id: str, *, pace_wpm: float = DEFAULT_PACE_WPM, report: PitchReport | None = None
) -> Tailoring:
    """Tailor ``draft`` for an audience (ids in ``audiences.json``: student, resident, physician, leader).

    ``report`` may be passed when the caller has just analysed the same draft at the same pace
    (the widget does, on every keystroke), to save a second analysis.
    """
    aud = get_audience(audience_id)
    if report is None:
        report = analyse(draft, pace_wpm=pace_wpm, target_seconds=aud.target_seconds)
    emphasised = {e.part: e.why for e in aud.emphasise}
    lines = []
    for p in PART_IDS:
        if isinstance(draft, Pitch):
            text = draft.part(p).strip()
        else:
            text = " ".join(report.evidence_for(p))
        mark = "emphasise" if p in emphasised else ("keep-brief" if p in aud.keep_brief else "")
        lines.append(OutlineLine(p, part_spec(p).label, text, mark, emphasised.get(p, "")))
    checks = []
    listener = aud.name[0].lower() + aud.name[1:]
    for em in aud.emphasise:
        if em.part not in report.parts_present:
            label = part_spec(em.part).label.lower()
            checks.append(
                Suggestion(f"emphasise-{em.part}", f"For {listener}, add: {label}. {em.why}", "warning", aud.source)
            )
    if isinstance(draft, Pitch):
        for p in aud.keep_brief:
            n = count_words(draft.part(p))
            if n > 35:
                checks.append(
                    Suggestion(
                        f"keep-brief-{p}",
                        f"For {listener}, keep the {part_spec(p).label.lower()} short ({n} words now; aim for 35 or "
                        "fewer).",
                        "tip",
                        aud.source,
                    )
                )
    if report.seconds > aud.target_seconds * (1 + TOO_LONG_TOLERANCE):
        checks.append(
            Suggestion(
                "audience-too-long",
                f"For {listener}, aim for about {aud.target_seconds} s; this draft takes about {report.seconds:.0f} s.",
                "warning",
                "hms",
            )
        )
    return Tailoring(
        audience=aud,
        outline=tuple(lines),
        checks=tuple(checks),
        seconds=report.seconds,
        target_seconds=aud.target_seconds,
        citation=load_content().cite(aud.source),
    )


# ----------------------------------------------------------------------------- conversation plan

STAGES: tuple[tuple[str, str], ...] = (
    ("introduction", "Introduction"),
    ("goals", "Goals"),
    ("questions", "Questions"),
    ("listening", "Listening notes"),
    ("close", "Close and follow-up"),
)
MAX_QUESTIONS = 3


@dataclass(frozen=True)
class ConversationPlan:
    """Introduction → goals → questions → listening notes → close and follow-up, for one person."""

    person: str
    event: str
    audience_id: str
    introduction: str
    goals: str
    questions: tuple[str, ...]
    listening_notes: str
    close: str
    follow_up: str

    def stages(self) -> tuple[tuple[str, str, str], ...]:
        """(stage id, label, content) in conversation order; content is "" when not prepared yet."""
        content = {
            "introduction": self.introduction,
            "goals": self.goals,
            "questions": "\n".join(f"{i}. {q}" for i, q in enumerate(self.questions, 1)),
            "listening": self.listening_notes,
            "close": "\n\n".join(t for t in (self.close, self.follow_up) if t),
        }
        return tuple((sid, label, content[sid].strip()) for sid, label in STAGES)

    def missing(self) -> tuple[str, ...]:
        """Stages still empty (listening notes are written during or after the talk)."""
        return tuple(sid for sid, _label, text in self.stages() if not text)


def plan_conversation(
    draft: str | Pitch,
    *,
    audience_id: str = "physician",
    person: str = "",
    event: str = "",
    questions: tuple[str, ...] | list[str] = (),
    listening_notes: str = "",
    follow_up: str | None = None,
    report: PitchReport | None = None,
) -> ConversationPlan:
    """Build the plan from a pitch, up to :data:`MAX_QUESTIONS` prepared questions and notes.

    ``report`` may be passed when the same draft was just analysed, to save a second analysis.
    """
    qs = tuple(q.strip() for q in questions if q and q.strip())
    if len(qs) > MAX_QUESTIONS:
        raise ValueError(f"Prepare at most {MAX_QUESTIONS} questions for one person; you gave {len(qs)}.")
    get_audience(audience_id)
    if report is None:
        report = analyse(draft)
    if isinstance(draft, Pitch):
        intro_parts = [draft.part(p).strip() for p in ("intro", "background", "reason", "passion")]
        introduction = " ".join(t for t in intro_parts if t)
        goals = draft.goal.strip()
        close = draft.close.strip()
    else:
        intro_ids = {"intro", "background", "reason", "passion"}
        seen: list[str] = []
        for pid, sentence in report.evidence:
            if pid in intro_ids and sentence not in seen:
                seen.append(sentence)
        introduction = " ".join(seen)
        goals = " ".join(report.evidence_for("goal"))
        close = " ".join(report.evidence_for("close"))
    if follow_up is None:
        follow_up = follow_up_message(
            person=person, event=event, student_name=report.name, goal=goals, notes=listening_notes
        )
    return ConversationPlan(
        person=person.strip(),
        event=event.strip(),
        audience_id=audience_id,
        introduction=introduction,
        goals=goals,
        questions=qs,
        listening_notes=listening_notes.strip(),
        close=close,
        follow_up=follow_up.strip(),
    )


def _lower_first(text: str) -> str:
    if not text or text.startswith(("I ", "I'")):
        return text
    return text[0].lower() + text[1:]


def follow_up_message(
    *, person: str = "", event: str = "", student_name: str = "", goal: str = "", notes: str = ""
) -> str:
    """A short follow-up message to send after the event (the article stresses keeping the relationship)."""
    greeting = f"Dear {person.strip()}," if person.strip() else "Dear [name],"
    where = f"at {event.strip()}" if event.strip() else "at the event"
    first_note = next((line.strip(" -*•\t") for line in notes.splitlines() if line.strip(" -*•\t")), "")
    lines = [greeting, "", f"Thank you for taking the time to talk with me {where}."]
    if first_note:
        lines[-1] += f" I especially appreciated what you shared about {_lower_first(first_note.rstrip('.'))}."
    else:
        lines[-1] += " I appreciated hearing about your path into the field."
    goal = goal.strip()
    if goal:
        lines += ["", f"As I mentioned, {_lower_first(goal.rstrip('.'))}. Any advice you have would mean a lot."]
    lines += [
        "",
        "I would be glad to stay in touch, and I hope we can talk again.",
        "",
        "Best regards,",
        student_name.strip() or "[your name]",
    ]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportBundle:
    """Everything written to the Markdown and plain-text exports."""

    title: str
    pitch_text: str
    report: PitchReport
    parts: tuple[tuple[str, str], ...] = ()  # (label, text) in per-part mode
    audience: str = ""
    plan: ConversationPlan | None = None
    sources: tuple[str, ...] = field(default_factory=tuple)


def _md(text: str) -> str:
    # Markdown viewers render raw HTML; escaping keeps a draft's "<script>" as visible text.
    return html.escape(text, quote=False)


def _report_lines(report: PitchReport) -> list[str]:
    labels = {p.id: p.label for p in PARTS}
    lines = [
        f"Words: {report.word_count}; about {report.seconds:.0f} s at {report.pace_wpm} words a minute "
        f"(target {report.target_seconds} s).",
        "Parts present: " + (", ".join(labels[p] for p in report.parts_present) or "none"),
        "Parts missing: " + (", ".join(labels[p] for p in report.parts_missing) or "none"),
    ]
    lines += [f"- {s.message}" for s in report.suggestions]
    return lines


def _plan_lines(plan: ConversationPlan) -> list[tuple[str, str]]:
    return [(label, text) for _sid, label, text in plan.stages()]


def to_markdown(bundle: ExportBundle) -> str:
    out = [f"# {_md(bundle.title)}", ""]
    if bundle.audience:
        out += [f"*Audience:* {_md(bundle.audience)}", ""]
    out += ["## My introduction", "", _md(bundle.pitch_text) or "_(empty)_", ""]
    if bundle.parts:
        out += ["## Parts", ""]
        out += [f"- **{_md(label)}:** {_md(text) or '_(empty)_'}" for label, text in bundle.parts]
        out.append("")
    out += ["## Feedback", ""]
    first, *rest = _report_lines(bundle.report)
    out += [_md(first), "", *[_md(line) for line in rest], ""]
    if bundle.plan is not None:
        out += ["## Conversation plan", ""]
        if bundle.plan.person or bundle.plan.event:
            out += [f"*With:* {_md(bundle.plan.person or '?')} *at* {_md(bundle.plan.event or '?')}", ""]
        for label, text in _plan_lines(bundle.plan):
            out += [f"### {label}", "", _md(text).replace("\n", "  \n") if text else "_(to do)_", ""]
    if bundle.sources:
        out += ["## Sources", ""] + [f"- {_md(s)}" for s in bundle.sources] + [""]
    return "\n".join(out)


def to_plain_text(bundle: ExportBundle) -> str:
    out = [bundle.title, "=" * len(bundle.title), ""]
    if bundle.audience:
        out += [f"Audience: {bundle.audience}", ""]
    out += ["MY INTRODUCTION", bundle.pitch_text or "(empty)", ""]
    if bundle.parts:
        out += ["PARTS"] + [f"{label}: {text or '(empty)'}" for label, text in bundle.parts] + [""]
    out += ["FEEDBACK", *_report_lines(bundle.report), ""]
    if bundle.plan is not None:
        out.append("CONVERSATION PLAN")
        if bundle.plan.person or bundle.plan.event:
            out.append(f"With: {bundle.plan.person or '?'} at {bundle.plan.event or '?'}")
        for label, text in _plan_lines(bundle.plan):
            out += ["", f"{label}:", text or "(to do)"]
        out.append("")
    if bundle.sources:
        out += ["SOURCES"] + [f"- {s}" for s in bundle.sources] + [""]
    return "\n".join(out)
