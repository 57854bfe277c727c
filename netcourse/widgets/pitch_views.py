"""What the pitch studio shows, as text and HTML: the summary line and the four panels.

Each function takes the logic's result (a :class:`~netcourse.pitch.analysis.PitchReport`, a
:class:`~netcourse.pitch.tailoring.Tailoring`, a :class:`~netcourse.pitch.plan.ConversationPlan`)
and renders it through ``templates/pitch.html``, where everything the student typed is escaped.
"""

from __future__ import annotations

from netcourse.content import Content
from netcourse.pitch.analysis import PitchReport
from netcourse.pitch.parts import PARTS
from netcourse.pitch.plan import ConversationPlan
from netcourse.pitch.tailoring import Tailoring
from netcourse.pitch.text import BREATH_WORDS
from netcourse.questions import TOPICS
from netcourse.widgets.alerts import SEVERITY_COLOUR
from netcourse.widgets.render import render

SEVERITY_LABEL = {"warning": "Fix", "tip": "Tip", "info": "Note"}
_EMPHASIS_ORDER = {"emphasise": 0, "keep-brief": 1}


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
    return (
        f"{report.word_count} words · about {report.seconds:.0f} s at {report.pace_wpm} words/min · "
        f"target {report.target_seconds} s: {where} · parts {len(report.parts_present)}/{len(PARTS)}"
    )


def feedback_html(report: PitchReport) -> str:
    """Each part present or missing (with the sentence that shows it in a free draft), then the suggestions."""
    return render("pitch.html", "feedback", report=report, parts=PARTS, labels=SEVERITY_LABEL,
                  colours=SEVERITY_COLOUR, breath_words=BREATH_WORDS)


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
