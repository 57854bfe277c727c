"""The conversation plan and the follow-up message, for one person at one event.

University of Utah's etiquette steps, in the article: introduction, goals, prepared questions,
listening, then a good close and a follow-up that keeps the relationship. :func:`plan_conversation`
takes them from a draft (part by part, or the sentences the analysis found in a free draft) and
:func:`follow_up_message` drafts the thank-you note.
"""

from __future__ import annotations

from dataclasses import dataclass

from netcourse.pitch.analysis import PitchReport, analyse
from netcourse.pitch.audiences import get_audience
from netcourse.pitch.parts import MAX_QUESTIONS, Pitch

STAGES: tuple[tuple[str, str], ...] = (
    ("introduction", "Introduction"),
    ("goals", "Goals"),
    ("questions", "Questions"),
    ("listening", "Listening notes"),
    ("close", "Close and follow-up"),
)


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
