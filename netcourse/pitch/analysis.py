"""The analysis of a draft: :func:`analyse` returns a :class:`PitchReport` with :class:`Suggestion` objects.

:func:`analyse` takes a free draft (a ``str``) or a :class:`~netcourse.pitch.parts.Pitch` and
returns a frozen report: words, speaking time at a pace, over/under a target, parts present or
missing (found by the cue phrases of :mod:`netcourse.pitch.cues` in a free draft; in part-by-part
mode a part is present when its box holds a word), filler words, jargon, long sentences and the
suggestions to show, most important first. Pure logic: no widgets, no files.
"""

from __future__ import annotations

from dataclasses import dataclass

from netcourse.pitch.cues import fillers, has_markup, jargon, name_in, parts_in_sentence
from netcourse.pitch.parts import PART_IDS, Pitch, part_spec
from netcourse.pitch.text import (
    BREATH_WORDS,
    DEFAULT_PACE_WPM,
    DEFAULT_TARGET_SECONDS,
    check_pace,
    check_target,
    count_words,
    is_question,
    normalise,
    shorten,
    speaking_seconds,
    split_sentences,
)

# Over the target by more than this share is "too long"; under half of it is "room to add".
TOO_LONG_TOLERANCE = 0.10
TOO_SHORT_SHARE = 0.5
SEVERITIES = ("warning", "tip", "info")


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
    pace = check_pace(pace_wpm)
    target = check_target(target_seconds)
    if isinstance(draft, Pitch):
        mode = "parts"
        text = draft.text()
    elif isinstance(draft, str):
        mode = "free"
        text = draft
    else:
        raise TypeError(f"analyse() takes a str or a Pitch, not {type(draft).__name__}")

    text = normalise(text)
    sentences = split_sentences(text)
    counts = [count_words(s) for s in sentences]
    words = sum(counts)
    seconds = speaking_seconds(words, pace)

    evidence: list[tuple[str, str]] = []
    if mode == "parts":
        for p in PART_IDS:
            part_text = draft.part(p).strip()
            if part_text and count_words(part_text) > 0:
                evidence.append((p, part_text))
        name = name_in(normalise(draft.intro))
    else:
        name = ""
        for i, sentence in enumerate(sentences):
            if counts[i] == 0:
                continue
            found = parts_in_sentence(sentence, i, len(sentences))
            evidence.extend((p, sentence) for p in PART_IDS if p in found)
            if not name:
                name = name_in(sentence)
    present = tuple(p for p in PART_IDS if any(pid == p for pid, _ in evidence))
    missing = tuple(p for p in PART_IDS if p not in present)

    low_text = text.lower()
    found_fillers = fillers(low_text)
    found_jargon = jargon(text, low_text, sentences)
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
        fillers=found_fillers,
        jargon=found_jargon,
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
        filler_found=tuple(found_fillers),
        jargon_found=tuple(found_jargon),
        suggestions=suggestions,
        name=name,
    )


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
    if has_markup(text):
        out.append(
            Suggestion(
                "markup",
                "Your draft contains HTML-like tags (<...>); they are kept and shown as plain text, never as markup.",
                "info",
            )
        )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return tuple(sorted(out, key=lambda s: order[s.severity]))
