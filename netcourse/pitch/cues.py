"""What the analysis looks for in a draft: the introduction's elements, the parts, fillers and jargon.

Finding parts (heuristics, per sentence): cue phrases per part, matched on the lower-cased sentence
("I studied", "before medical school", "I worked" for background; "I'm here", "came to", "came
today", "attending" for the reason; "passionate", "love", "ever since", "because" for passion; "I
hope to", "my goal", "to hear how", "looking for" for the goal; "thank you", "great to meet", "follow
up", "card" for the close). The introduction itself is three elements a listener needs, found
anywhere in the draft: a name ("I'm Maya", "my name is Maya"), a year ("second-year", "MS2") and a
school ("at Riverside University", "a second-year at Rowan"); "Hi, um, so I'm Jordan." gives only a
name. A question is judged by :mod:`netcourse.asking`: only an open question after the opening
hands the conversation over; "May I follow up by email?" closes it; a favour or a yes/no question is
flagged. The close and the question must come after the first sentence, so an opening "Nice to meet
you!" or "How are you?" does not count.

Every function returns offsets into the text it was given, so the coach can show the words a problem
concerns, and every pattern stays linear on hostile input (tests/test_pitch.py feeds it some),
because it runs on every keystroke.
"""

from __future__ import annotations

import re

from netcourse.asking import OPEN, Asking, explain, is_follow_up_request
from netcourse.pitch.text import is_question, normalise

INTRO_ELEMENTS = ("greeting", "name", "year", "school")
# What the introduction part needs before it counts: the name, year and school the lessons teach.
INTRO_NEEDS = ("name", "year", "school")


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
_YEAR = _any(
    r"\b(?:first|second|third|fourth|final|1st|2nd|3rd|4th|rising (?:second|third|fourth))[- ]year\b",
    r"\bo?ms[- ]?(?:[1-4]|i{1,3}|iv)\b",
    r"\bm[1-4]\b",
    r"\byear (?:one|two|three|four)\b",
)
_SCHOOL_WORDS = _any(r"\b(?:university|college|school|institute) of\b", r"\bschool of medicine\b")
# "at Riverside University" / "a second-year at Rowan": needs a capital, so it runs on the original sentence.
_SCHOOL_NAME = re.compile(
    r"\b(?:at|from) (?:the )?(?:[A-Z][\w'-]* ){0,5}(?:University|College|School|Institute)\b"
    r"|(?i:\b(?:student|year|ms[1-4]|m[1-4]|oms-?(?:i{1,3}|iv|[1-4])|med student|medical student))s?\s+"
    r"(?:at|from|in)\s+(?:the\s+)?[A-Z]"
)
_CUE_PATTERNS: dict[str, tuple[str, ...]] = {
    "background": (
        r"\bi(?:'ve| have)? (?:also )?(?:studied|majored|minored|graduated|worked|used to|grew up|volunteered|spent|"
        r"trained|served|taught|researched|coached|was an?|come from|came from)\b",
        r"\bi(?:'ve| have) (?:been )?(?:working|volunteering|studying|doing|coaching)\b",
        r"\bbefore (?:medical|med) school\b",
        r"\bmy (?:background|degree|major|undergrad|previous|prior)\b",
        r"\b(?:undergrad(?:uate)?|bachelor's|master's|gap year|previously|prior to)\b",
        r"\bas an? (?:emt|scribe|nurse|paramedic|medical assistant|cna|researcher|teacher|engineer|volunteer|coach)\b",
    ),
    "reason": (
        r"\bi(?:'m| am) here\b",
        r"\bhere (?:to|because|for|at|today|tonight)\b",
        r"\b(?:came|come|coming) (?:to|here|out|along|today|tonight|this (?:morning|afternoon|evening|week|weekend))\b",
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
        r"\bto (?:hear|learn|find out|understand|explore|discover)\b",
        r"\bget involved\b",
    ),
    "close": (
        r"\bthank(?:s| you)\b",
        r"\b(?:great|nice|lovely|good|wonderful|a pleasure) (?:to meet|meeting|talking|speaking|to talk)\b",
        r"\bpleasure (?:to meet|meeting)\b",
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
# Where a passion comes from ("ever since", "because", "grew up"): the article asks students to say it.
PASSION_ORIGIN = _any(r"\bever since\b", r"\bsince\b", r"\bbecause\b", r"\bwhen i\b", r"\bafter\b", r"\bgrew up\b",
                      r"\bgot me\b", r"\bwhich is (?:why|where|how)\b", r"\bthat's (?:why|where|how)\b",
                      r"\bmade me\b", r"\bled me\b", r"\bcomes? from\b", r"\bstarted\b", r"\bthrough\b")

# Fillers, on lower-cased text: words that are fillers anywhere, asides ("you know" before a comma or
# stop; "did you know ...?" is not one), "like" where it is not a verb or a comparison, and "so" after a
# hesitation ("um, so") or opening a sentence with a comma ("So, ..."). Each regex is one linear pass.
_FILLER_WORDS = re.compile(
    r"\b(?:umm*|uhm*|uh+|erm?|hmm+|basically|literally|actually|honestly|to be honest|or whatever|and stuff|"
    r"stuff like that|and things like that|kind of|sort of|so yeah|yeah)\b"
)
# Each alternative starts with its literal word and checks what comes before it afterwards (a
# look-behind at the end), so the engine rejects most positions at the first character.
_FILLER_ASIDES = re.compile(
    r"\b(?:you know|i mean|i guess)(?=\s*[,.!?;]|\s*$)|,\s*(?:you know|i mean|i guess)\b|,\s*right(?=\s*\?)"
)
_FILLER_LIKE = re.compile(
    r"\blike(?=,)|\blike(?=\s+(?:um|uh)\b)"
    r"|\blike\b(?:(?<=\bso like)|(?<=\bum like)|(?<=\buh like)|(?<=\ber like)|(?<=i'm like)|(?<=i am like)"
    r"|(?<=i was like)|(?<=e were like)|(?<=y were like))"
    r"|,\s*like\b(?!\s+(?:a|an|the|my|many|most|some|other|me|you|him|her|us|them|this|that|these|those)\b)"
)
_FILLER_SO = re.compile(
    r"\bso\b(?:(?<=\bum so)|(?<=\bum, so)|(?<=\buh so)|(?<=\buh, so)|(?<=\ber so)|(?<=\ber, so))"
    r"|\bso(?=,)(?:(?<=^so)|(?<=[.!?] so)|(?<=\nso))"
)
_FILLER_PATTERNS = (_FILLER_WORDS, _FILLER_ASIDES, _FILLER_LIKE, _FILLER_SO)
_KIND_OF_WORDS = re.compile(r"\b(?:what|which|this|that|same|any|some|the|a|every|one|each)\s+$")


def filler_spans(low: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(filler, start, end) for each filler in the lower-cased ``low[start:end]``, in text order."""
    end = len(low) if end is None else end
    found: list[tuple[str, int, int]] = []
    for pattern in _FILLER_PATTERNS:
        for match in pattern.finditer(low, start, end):
            s, e = match.span()
            while s < e and low[s] in " ,\t\n":
                s += 1
            word = low[s:e]
            if word in ("kind of", "sort of") and _KIND_OF_WORDS.search(low, max(0, s - 12), s):
                continue
            found.append((word, s, e))
    found.sort(key=lambda f: (f[1], -f[2]))
    kept: list[tuple[str, int, int]] = []
    for item in found:  # "um, so yeah": keep "so yeah", not also "so"
        if not kept or item[1] >= kept[-1][2]:
            kept.append(item)
    return kept


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
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_YEAR_FORM = re.compile(r"^(?:O?MS|M)[-]?(?:[1-4]|I{1,3}|IV)$")
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")


def has_markup(text: str) -> bool:
    """True when ``text`` holds something that looks like an HTML tag."""
    return bool(_MARKUP.search(text))


def markup_spans(text: str, end: int) -> list[tuple[int, int]]:
    """(start, end) of everything that looks like an HTML tag in ``text[:end]``."""
    return [m.span() for m in _MARKUP.finditer(text, 0, end)]


def name_in(sentence: str) -> str:
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
    return name_in(normalise(text))


def jargon_spans(text: str, low: str, spans: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(term, start, end) for buzzwords and unexplained abbreviations in the sentences ``spans`` of ``text``."""
    end = spans[-1][1] if spans else 0
    found = [(m.group(), *m.span()) for m in _BUZZWORDS.finditer(low, 0, end)]
    if _ACRONYM.search(text, 0, end):
        for s, e in spans:
            acronyms = [m for m in _ACRONYM.finditer(text, s, e) if sum(c.isupper() for c in m.group()) > 1]
            if not acronyms:
                continue
            # A sentence mostly in capitals is shouting, not abbreviations.
            if len(acronyms) * 2 > len(_LATIN_WORD.findall(text, s, e)):
                continue
            found.extend((m.group(), *m.span()) for m in acronyms
                         if m.group().upper() not in _KNOWN_ACRONYMS and not _YEAR_FORM.match(m.group()))
    return sorted(found, key=lambda f: f[1])


def intro_elements(sentence: str, low: str, index: int) -> set[str]:
    """Which of greeting, name, year and school the sentence gives (``low`` is it lower-cased)."""
    found = set()
    if index == 0 and _GREETING.search(low):
        found.add("greeting")
    if name_in(sentence):
        found.add("name")
    if _YEAR.search(low):
        found.add("year")
    if _SCHOOL_WORDS.search(low) or (("universit" in low or "college" in low or "school" in low or " at " in low
                                      or " from " in low or " in " in low) and _SCHOOL_NAME.search(sentence)):
        found.add("school")
    return found


def cue_parts(low: str) -> set[str]:
    """Parts other than the introduction whose cue phrases occur in the lower-cased sentence ``low``.

    One regex per part is faster here than one combined regex (measured with the benchmark).
    """
    return {pid for pid, pattern in _CUES.items() if pattern.search(low)}


def ask(sentence: str) -> Asking:
    """How the question ``sentence`` asks (see :mod:`netcourse.asking`)."""
    return explain(sentence)


def parts_in_sentence(sentence: str, index: int, n_sentences: int) -> tuple[set[str], Asking | None, bool]:
    """(parts found, the question's :class:`~netcourse.asking.Asking` or None, whether it may hand over).

    Only a sentence after the opening (or a one-sentence draft) may be the hand-over question or the
    close; an open question there is the "question" part, a follow-up request is the close.
    """
    low = sentence.lower()
    found = cue_parts(low)
    late = index > 0 or n_sentences == 1
    if not late:
        found.discard("close")
    asking = explain(sentence) if is_question(sentence) else None
    if asking is not None and late:
        if is_follow_up_request(sentence):
            found.add("close")
        elif asking.kind == OPEN:
            found.add("question")
    return found, asking, late
