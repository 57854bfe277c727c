"""How a question asks: open, yes/no, a favour, or not a question at all.

Lesson 3 teaches networking as explorative, not transactional: a good question invites the other
person to tell their story ("How did you know…?"), a yes/no question stops the conversation ("Do you
like your job?"), and a favour asked of someone you have just met turns the talk into a transaction
("Can you get me a research position?"). :func:`classify` tells them apart with plain rules a student
can read, and :func:`explain` says why, with an explorative rewrite fitted to what the question was
after (research, shadowing, a letter, a mentor, a place). :func:`is_follow_up_request` spots the
polite close ("May I follow up by email?"), which is a yes/no question on purpose and no favour.
The workbook's checks, the pitch studio's coach and the lessons' practice all use this one module,
so they always agree. Every rule is a bounded regex or a look at the first words: linear in the text.
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
_WH_WORD = r"(?:how|what|why|which|where|who|whom|whose|when)"
# Polite openings that still ask an open question: "Could you tell me how…", "Could I ask what drew you…",
# "Would you mind telling me…", "Do you mind if I ask how…".
_POLITE_OPEN = re.compile(
    r"^(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell\s+me|share|describe|explain|"
    r"walk\s+me\s+through|talk\s+(?:me\s+)?(?:through|about))\b"
    rf"|(?:can|could|may|might)\s+i\s+ask\s+(?:you\s+)?(?:{_WH_WORD}|about)\b"
    r"|would\s+you\s+mind\s+(?:telling|sharing|describing|explaining|walking)\b"
    rf"|do\s+you\s+mind\s+if\s+i\s+ask\s+(?:you\s+)?(?:{_WH_WORD}|about)\b)",
    re.IGNORECASE,
)
# "Did you consider a fellowship, and how did you decide?": a yes/no start that goes on to ask how or what.
_WH_CLAUSE = re.compile(rf"(?:,|;|\band\b|\bor\b)\s*(?:and\s+|or\s+|if\s+so,?\s+)?{_WH_WORD}\b", re.IGNORECASE)
# "If you were a student today, what would you focus on?": a leading clause, then the question itself.
_LEADING_CLAUSE = re.compile(r"^(?:if|when|as|since|after|before|looking|thinking|for|in|now|given)\b[^,?]{0,120},\s*",
                             re.IGNORECASE)
# Asking the other person to do something for you, or for a place, before you know each other.
_FAVOUR = re.compile(
    r"\b(?:"
    r"(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:(?:get|give|find|offer|write|sign|refer|introduce|hire|"
    r"take|mentor|sponsor|fund|pay|recommend|connect)\s+me\b|put\s+in\s+a\s+(?:good\s+)?word|"
    r"help\s+me\s+(?:get|find|land)|be\s+my\s+(?:mentor|sponsor|advisor|adviser|reference|pi)\b|"
    r"let\s+me\s+(?:shadow|join|work|rotate|volunteer|intern)\b|take\s+me\s+on\b)"
    r"|(?:can|could|may|might)\s+i\s+(?:please\s+)?(?:shadow|join|work|intern|volunteer|rotate|come)\b"
    r"|(?:can|could|may|might)\s+i\s+(?:please\s+)?(?:get|have)\b(?!\s+(?:your|a)\s+(?:business\s+)?"
    r"(?:card|e-?mail|contact|number)\b)"
    r"|(?:do|does)\s+(?:you|your\s+\w+)\s+have\s+(?:any\s+|a\s+)?(?:room|spots?|positions?|openings?|places?|"
    r"vacanc(?:y|ies)|jobs?|research\s+(?:spots?|positions?|projects?|openings?)|shadowing\s+(?:spots?|"
    r"opportunities|positions?))\b"
    r"|(?:are|is)\s+(?:you|your\s+\w+)\s+(?:taking|accepting|hiring)\s+(?:any\s+|new\s+)?(?:students|interns|"
    r"volunteers|research\s+students|shadowers)\b"
    r"|(?:is|are)\s+there\s+(?:any\s+|a\s+)?(?:spots?|positions?|openings?|places?|room)\s+(?:for|in|on)\s+me\b"
    r"|any\s+chance\s+(?:i|you)\s+could\b"
    r"|would\s+you\s+be\s+(?:willing|able)\s+to\s+(?:take|write|give|get|hire|mentor|let\s+me|sponsor|refer)\b"
    r"|letter\s+of\s+recommendation\s+for\s+me\b"
    r")",
    re.IGNORECASE,
)
# The polite close: asking how to stay in touch is a yes/no question on purpose, and not a favour.
_FOLLOW_UP = re.compile(
    r"\b(?:follow(?:[- ])?up|e-?mail|in\s+touch|connect|linkedin|reach\s+out|your\s+card|a\s+card|"
    r"contact\s+you|short\s+call)\b",
    re.IGNORECASE,
)
# Fewer words than this is a fragment ("How?", "And you?"), not a question someone can take up.
MIN_WORDS = 3
_REWRITES = {
    FAVOUR: "Ask about their path first, for example: \"How did you get involved in research in your field?\"; "
            "an offer of help comes more easily once they know your interest is real.",
    YES_NO: "Turn it into a question that invites a story, for example \"What do you enjoy most about your work?\" "
            "instead of \"Do you like your job?\"",
    NOT_A_QUESTION: "End with a question mark, and start with how, what or why so the other person can tell "
                    "their story.",
}
# What a favour was after, and an explorative question about the same thing (first match wins).
_FAVOUR_TOPICS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), rewrite)
    for pattern, rewrite in (
        (r"\bresearch|\blab\b|\bproject", "How did you first get involved in research, and what would you tell a "
                                          "student who wants to start?"),
        (r"\bshadow", "What was it like when you first shadowed in this specialty, and how did it shape your path?"),
        (r"\bletter|\brecommend|\breference\b", "What do you look for when you get to know a student you later "
                                                "support?"),
        (r"\bmentor|\badvis|\bsponsor", "Who mentored you along the way, and how did that relationship start?"),
        (r"\brotation|\belective|\bclerkship", "Which rotations shaped your choice of this field, and why?"),
        (r"\bjob|\bposition|\bhire|\bopening|\bspot|\bplace|\bintern|\bvolunteer",
         "How did you find your first role in this field, and what helped most?"),
    )
)


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
    text = " ".join(str(text).split()).replace("\uff1f", "?")  # a full-width question mark is one too
    return text.strip(" \"'“”‘’")


def last_sentence(text: str) -> str:
    """The last sentence of ``text`` (ends at . ! ? or a line break)."""
    pieces = [p for p in re.split(r"(?<=[.!?])\s+|\n+", str(text).strip()) if p.strip()]
    return _clean(pieces[-1]) if pieces else ""


def classify(question: str) -> str:
    """``open``, ``yes-no``, ``favour`` or ``not-a-question`` (see the module docstring)."""
    return explain(question).kind


def favour_rewrite(question: str) -> str:
    """An explorative question about what the favour ``question`` was after (research, shadowing, a letter…)."""
    for pattern, rewrite in _FAVOUR_TOPICS:
        if pattern.search(question):
            return f"Ask about their path instead, for example: \"{rewrite}\" An offer of help comes more easily " \
                   "once they know your interest is real."
    return _REWRITES[FAVOUR]


def is_follow_up_request(question: str) -> bool:
    """True for the polite close that asks how to stay in touch ("May I follow up by email?"), not a favour."""
    text = _clean(question)
    return bool(_FOLLOW_UP.search(text)) and not _FAVOUR.search(text)


def explain(question: str) -> Asking:
    """The kind of ``question`` with the reason, in words for a student."""
    text = _clean(question)
    if not text.endswith("?"):
        return Asking(text, NOT_A_QUESTION, "It does not end with a question mark, so it does not hand over the "
                      "conversation.", _REWRITES[NOT_A_QUESTION])
    if not any(ch.isalpha() for ch in text):  # "1?", "???", "...?": a question mark alone asks nothing
        return Asking(text, NOT_A_QUESTION, "It has no words, so there is nothing for them to answer.",
                      "Write the question out in words, starting with how, what or why so the other person can "
                      "tell their story.")
    if _FAVOUR.search(text):
        return Asking(text, FAVOUR, "It asks them to do something for you before you know each other: that makes "
                      "the conversation a transaction rather than an exploration.", favour_rewrite(text))
    body = _LEADING_CLAUSE.sub("", text, count=1)
    words = re.findall(r"[a-z']+", body.lower())
    if not words:
        return Asking(text, OPEN, "The course's rules read questions in English only, so this one is taken as open.")
    if len(re.findall(r"[a-z']+", text.lower())) < MIN_WORDS:  # "How?", "Why medicine?": nothing to take up
        return Asking(text, NOT_A_QUESTION, f"It is too short (under {MIN_WORDS} words) to hand the conversation "
                      "over: a full question gives them something to answer.", _REWRITES[NOT_A_QUESTION])
    first = words[0] if words else ""
    if first in _WH or (len(words) > 1 and first in ("and", "so", "but") and words[1] in _WH):
        return Asking(text, OPEN, "It starts with a question word, so it invites an answer in their own words.")
    if _POLITE_OPEN.search(body) or any(w in ("tell", "describe") for w in words[:2]):
        return Asking(text, OPEN, "It politely asks them to tell their story, so it invites an open answer.")
    if first in _AUXILIARIES:
        if _WH_CLAUSE.search(body):
            return Asking(text, OPEN, "It goes on to ask how or what, so it invites an answer in their own words.")
        return Asking(text, YES_NO, "It can be answered with a plain yes or no, which closes the conversation "
                      "instead of opening it.", _REWRITES[YES_NO])
    if any(w in _WH for w in words[:4]):
        return Asking(text, OPEN, "It asks how, what or why, so it invites an answer in their own words.")
    return Asking(text, YES_NO, "It does not ask how, what or why, so a one-word answer is enough.",
                  _REWRITES[YES_NO])
