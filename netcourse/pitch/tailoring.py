"""Tailoring a draft to an audience: what to stress, what to keep short, what is missing for that listener.

:func:`tailor` reads a draft (or the report of one just analysed) against an
:class:`~netcourse.pitch.audiences.Audience` and returns a :class:`Tailoring`: the draft's parts in
speaking order marked "emphasise" or "keep-brief", checks for that listener, and the speaking time
at the pace asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from netcourse.content import load_content
from netcourse.pitch.analysis import TOO_LONG_TOLERANCE, PitchReport, Suggestion, analyse
from netcourse.pitch.audiences import Audience, get_audience
from netcourse.pitch.parts import PART_IDS, Pitch, part_spec
from netcourse.pitch.text import DEFAULT_PACE_WPM, check_pace, count_words, speaking_seconds

# A part the audience wants kept brief is "long" beyond this many words.
KEEP_BRIEF_WORDS = 35


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
    draft: str | Pitch, audience_id: str, *, pace_wpm: float | None = None, report: PitchReport | None = None
) -> Tailoring:
    """Tailor ``draft`` for an audience (ids in ``audiences.json``: student, resident, physician, leader).

    ``report`` may be passed when the caller has just analysed the same draft (the widget does, on
    every keystroke), to save a second analysis. The speaking time is at ``pace_wpm`` when it is
    given (60-250 words a minute), else at the report's pace, else at the default 130.
    """
    aud = get_audience(audience_id)
    pace = None if pace_wpm is None else check_pace(pace_wpm)
    if report is None:
        report = analyse(draft, pace_wpm=pace or DEFAULT_PACE_WPM, target_seconds=aud.target_seconds)
    # The parts found do not depend on the pace; only the time does, so it is recomputed, not re-analysed.
    seconds = report.seconds if pace is None else speaking_seconds(report.word_count, pace)
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
            if n > KEEP_BRIEF_WORDS:
                checks.append(
                    Suggestion(
                        f"keep-brief-{p}",
                        f"For {listener}, keep the {part_spec(p).label.lower()} short ({n} words now; aim for "
                        f"{KEEP_BRIEF_WORDS} or fewer).",
                        "tip",
                        aud.source,
                    )
                )
    if seconds > aud.target_seconds * (1 + TOO_LONG_TOLERANCE):
        checks.append(
            Suggestion(
                "audience-too-long",
                f"For {listener}, aim for about {aud.target_seconds} s; this draft takes about {seconds:.0f} s.",
                "warning",
                "hms",
            )
        )
    return Tailoring(
        audience=aud,
        outline=tuple(lines),
        checks=tuple(checks),
        seconds=seconds,
        target_seconds=aud.target_seconds,
        citation=load_content().cite(aud.source),
    )
