"""What the pitch studio shows, as text and HTML: the summary line, the panels and the draft history.

Each function takes the logic's result (a :class:`~netcourse.pitch.analysis.PitchReport`, a
:class:`~netcourse.pitch.tailoring.Tailoring`, a :class:`~netcourse.pitch.plan.ConversationPlan`,
saved :class:`~netcourse.pitch.history.Version` objects) and renders it through
``templates/pitch.html``, where everything the student typed is escaped. A problem about particular
words is shown on them: a short excerpt of the draft around each place, the words marked. The
feedback never repeats the whole draft, so its size does not grow with the draft's.
"""

from __future__ import annotations

from dataclasses import dataclass

from netcourse.content import Content
from netcourse.pitch.analysis import PitchReport, Suggestion
from netcourse.pitch.history import Change, Version
from netcourse.pitch.parts import PARTS
from netcourse.pitch.plan import ConversationPlan
from netcourse.pitch.tailoring import Tailoring
from netcourse.pitch.text import BREATH_WORDS, excerpt
from netcourse.questions import TOPICS
from netcourse.widgets.alerts import SEVERITY_COLOUR
from netcourse.widgets.render import render

SEVERITY_LABEL = {"warning": "Fix", "tip": "Tip", "info": "Note"}
_EMPHASIS_ORDER = {"emphasise": 0, "keep-brief": 1}
SHOWN_EXCERPTS = 3  # places shown under one suggestion; the rest are counted


@dataclass(frozen=True)
class Shown:
    """A suggestion as the panel shows it: the advice and excerpts of the draft with the words marked."""

    suggestion: Suggestion
    excerpts: tuple[tuple[str, str, str], ...]  # (before, marked, after)
    more: int  # places not shown


def header_html(content: Content) -> str:
    sources = content.sources
    return render("pitch.html", "header", article=sources["article"].short, utah=sources["utah"].short,
                  hms=sources["hms"].short)


def section_html(title: str) -> str:
    return render("pitch.html", "section", title=title)


def summary_text(report: PitchReport) -> str:
    """The one-line summary: words, time at the pace, over or under the target, parts present."""
    if report.is_empty:
        return f"0 words. Target {report.target_seconds} s."
    if report.over_by >= 0.5:
        where = f"{report.over_by:.0f} s over"
    elif report.under_by >= 0.5:
        where = f"{report.under_by:.0f} s under"
    else:
        where = "on the dot"
    later = ", close later" if report.parts_later else ""
    checked = f" · first {report.checked_chars:,} characters checked" if report.truncated else ""
    return (
        f"{report.word_count:,} words · about {report.seconds:.0f} s at {report.pace_wpm} words/min · "
        f"target {report.target_seconds} s: {where} · parts {len(report.parts_present)}/{len(PARTS)}{later}{checked}"
    )


def shown_suggestions(report: PitchReport) -> tuple[Shown, ...]:
    """Each suggestion with up to :data:`SHOWN_EXCERPTS` excerpts of the words it concerns."""
    return tuple(
        Shown(s, tuple(excerpt(report.text, a, b) for a, b in s.spans[:SHOWN_EXCERPTS]),
              max(0, len(s.spans) - SHOWN_EXCERPTS))
        for s in report.suggestions
    )


def summary_html(report: PitchReport) -> str:
    return render("pitch.html", "summary", text=summary_text(report))


def feedback_html(report: PitchReport) -> str:
    """Each part present, missing or for later (with the sentence that shows it in a free draft), then the advice."""
    return render("pitch.html", "feedback", report=report, parts=PARTS, labels=SEVERITY_LABEL,
                  colours=SEVERITY_COLOUR, breath_words=BREATH_WORDS, shown=shown_suggestions(report))


def audience_html(tailoring: Tailoring) -> str:
    """What to emphasise and keep brief for this listener (missing emphasised parts are flagged in the list)."""
    lines = sorted((line for line in tailoring.outline if line.emphasis in _EMPHASIS_ORDER),
                   key=lambda line: _EMPHASIS_ORDER[line.emphasis])
    checks = [c for c in tailoring.checks if not c.id.startswith("emphasise-")]
    topics = [TOPICS.get(t, t) for t in tailoring.audience.question_topics]
    return render("pitch.html", "audience", tailoring=tailoring, lines=lines, checks=checks, topics=topics,
                  missing_colour=SEVERITY_COLOUR["warning"])


def plan_html(plan: ConversationPlan) -> str:
    return render("pitch.html", "plan", stages=plan.stages())


def history_html(versions: tuple[Version, ...], changes: tuple[Change | None, ...]) -> str:
    """The saved versions of this draft, newest first, each with what it changed from the one before."""
    rows = [(v, c.summary() if c is not None else "First saved version.") for v, c in zip(versions, changes,
                                                                                         strict=True)]
    return render("pitch.html", "history", rows=rows, parts=len(PARTS))
