"""How a question asks: open, yes/no, a favour, or not a question at all.

Lesson 3 teaches networking as explorative, not transactional: a good question invites the other
person to tell their story ("How did you know…?"), a yes/no question stops the conversation ("Do you
like your job?"), and a favour asked of someone you have just met turns the talk into a transaction
("Can you get me a research position?"). :func:`classify` tells them apart with plain rules a student
can read, and :func:`explain` says why, with an explorative rewrite. The workbook's checks, the pitch
studio's coach and the lessons' practice all use this one module, so they always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN, YES_NO, FAVOUR, NOT_A_QUESTION = "open", "yes-no", "favour", "not-a-question"
KINDS = (OPEN, YES_NO, FAVOUR, NOT_A_QUESTION)

_WH = ("how", "what", "why", "which", "where", "who", "whom", "whose", "when")
_AUXILIARIES = ("do", "does", "did", "is", "are", "was", "were", "am", "can", "could", "will", "would", "should",
                "shall", "may", "might", "must", "have", "has", "had", "don't", "doesn't", "didn't", "isn't",
                "aren't", "wasn't", "weren't", "can't", "couldn't", "won't", "wouldn't", "shouldn't", "haven't",
                "hasn't")
# Polite openings that still ask an open question: "Could you tell me how…", "Would you walk me through…".
_POLITE_OPEN = re.compile(r"^(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell\s+me|share|describe|explain|"
                          r"walk\s+me\s+through|talk\s+(?:me\s+)?(?:through|about))\b", re.IGNORECASE)
# Asking the other person to do something for you, or for a place, before you know each other.
_FAVOUR = re.compile(
    r"\b(?:"
    r"(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:(?:get|give|find|offer|write|sign|refer|introduce|hire|"
    r"take|mentor|sponsor|fund|pay|recommend|connect)\s+me\b|put\s+in\s+a\s+(?:good\s+)?word|"
    r"help\s+me\s+(?:get|find|land))"
    r"|(?:can|could|may|might)\s+i\s+(?:please\s+)?(?:shadow|join|work|intern|volunteer|rotate|come|get|have)\b"
    r"|(?:do|does)\s+(?:you|your\s+\w+)\s+have\s+(?:any\s+|a\s+)?(?:room|spots?|positions?|openings?|places?|"
    r"vacanc(?:y|ies)|jobs?|research\s+(?:spots?|positions?|projects?|openings?))\b"
    r"|(?:is|are)\s+there\s+(?:any\s+|a\s+)?(?:spots?|positions?|openings?|places?|room)\s+(?:for|in|on)\s+me\b"
    r"|any\s+chance\s+(?:i|you)\s+could\b"
    r"|would\s+you\s+be\s+(?:willing|able)\s+to\s+(?:take|write|give|get|hire|mentor|let\s+me|sponsor|refer)\b"
    r"|letter\s+of\s+recommendation\s+for\s+me\b"
    r")",
    re.IGNORECASE,
)
_REWRITES = {
    FAVOUR: "Ask about their path first, for example: \"How did you get involved in research in your field?\"; "
            "an offer of help comes more easily once they know your interest is real.",
    YES_NO: "Turn it into a question that invites a story, for example \"What do you enjoy most about your work?\" "
            "instead of \"Do you like your job?\"",
    NOT_A_QUESTION: "End with a question mark, and start with how, what or why so the other person can tell "
                    "their story.",
}


@dataclass(frozen=True)
class Asking:
    """What a question does, why, and (when it could be better) a rewrite."""

    text: str
    kind: str
    why: str
    rewrite: str = ""

    @property
    def is_open(self) -> bool:
        return self.kind == OPEN


def _clean(text: str) -> str:
    text = " ".join(str(text).split())
    return text.strip(" \"'“”‘’")


def last_sentence(text: str) -> str:
    """The last sentence of ``text`` (ends at . ! ? or a line break)."""
    pieces = [p for p in re.split(r"(?<=[.!?])\s+|\n+", str(text).strip()) if p.strip()]
    return _clean(pieces[-1]) if pieces else ""


def classify(question: str) -> str:
    """``open``, ``yes-no``, ``favour`` or ``not-a-question`` (see the module docstring)."""
    return explain(question).kind


def explain(question: str) -> Asking:
    """The kind of ``question`` with the reason, in words for a student."""
    text = _clean(question)
    if not text.endswith("?"):
        return Asking(text, NOT_A_QUESTION, "It does not end with a question mark, so it does not hand over the "
                      "conversation.", _REWRITES[NOT_A_QUESTION])
    if _FAVOUR.search(text):
        return Asking(text, FAVOUR, "It asks them to do something for you before you know each other: that makes "
                      "the conversation a transaction rather than an exploration.", _REWRITES[FAVOUR])
    words = re.findall(r"[a-z']+", text.lower())
    first = words[0] if words else ""
    if first in _WH or (len(words) > 1 and first in ("and", "so", "but") and words[1] in _WH):
        return Asking(text, OPEN, "It starts with a question word, so it invites an answer in their own words.")
    if _POLITE_OPEN.search(text) or any(w in ("tell", "describe") for w in words[:2]):
        return Asking(text, OPEN, "It politely asks them to tell their story, so it invites an open answer.")
    if first in _AUXILIARIES:
        return Asking(text, YES_NO, "It can be answered with a plain yes or no, which closes the conversation "
                      "instead of opening it.", _REWRITES[YES_NO])
    if any(w in _WH for w in words[:4]):
        return Asking(text, OPEN, "It asks how, what or why, so it invites an answer in their own words.")
    return Asking(text, YES_NO, "It does not ask how, what or why, so a one-word answer is enough.",
                  _REWRITES[YES_NO])
