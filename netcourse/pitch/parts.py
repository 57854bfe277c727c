"""The seven parts of an introduction, and a :class:`Pitch` written part by part.

The article (after the University of Utah) says an introduction is "more than just their name": a
brief account of one's background, reason for being here and related passions, followed by goals,
prepared questions, active listening and a good close. :data:`PARTS` lists the parts in speaking
order, each with the prompt a student sees and the hint shown when it is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Prepared questions for one person: the plan and the question bank both stop at three.
MAX_QUESTIONS = 3


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
