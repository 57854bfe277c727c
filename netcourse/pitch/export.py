"""The exported files of a pitch: Markdown and plain text, with the feedback, plan and sources.

Markdown viewers render raw HTML, so every piece of student text is escaped before it goes into
the Markdown file, and a line of it that would start a heading, list, rule or code block is escaped
too, so the file always has the same sections; the plain-text file holds it as typed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from netcourse.pitch.analysis import PitchReport
from netcourse.pitch.parts import PARTS
from netcourse.pitch.plan import ConversationPlan


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


# What would start a block of its own at the start of a line: a heading, a setext underline, a list,
# a rule or a code fence. A backslash keeps it text, so a draft cannot add sections to the export.
_BLOCK_START = re.compile(r"^([ \t]*)(?:([#=+\-*`~_])|(\d{1,9})([.)]))", re.MULTILINE)


def _md(text: str) -> str:
    # Markdown viewers render raw HTML; escaping keeps a draft's "<script>" as visible text.
    escaped = html.escape(text, quote=False)
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\{m[4]}", escaped)


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
        for sid, label, text in bundle.plan.stages():
            if sid == "questions" and bundle.plan.questions:  # a real numbered list of the student's questions
                out += [f"### {label}", "", *[f"{i}. {_md(q)}" for i, q in enumerate(bundle.plan.questions, 1)], ""]
                continue
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
