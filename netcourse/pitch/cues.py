"""What the analysis looks for in a free draft: the parts, the speaker's name, fillers and jargon.

Finding parts (heuristics, per sentence): cue phrases per part, matched on the lower-cased sentence
("my name is"/"I'm <Name>", "second-year", "MS2", "medical student at" for the introduction; "I
studied", "before medical school", "I worked" for background; "I'm here", "came to", "attending" for
the reason; "passionate", "love", "ever since", "because" for passion; "I hope to", "my goal", "I'd
like to", "looking for" for the goal; "thank you", "great to meet", "may I", "follow up", "card" for
the close). A sentence ending in "?" is the hand-over question unless it asks to follow up ("May I
email you?" closes). The close and the question must come after the first sentence, so an opening
"Nice to meet you!" or "How are you?" does not count.

Every pattern stays linear on hostile input (tests/test_pitch.py feeds it some), because it runs on
every keystroke.
"""

from __future__ import annotations

import re

from netcourse.pitch.text import is_question, normalise


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
_YEAR_SCHOOL_PATTERNS = (
    r"\b(?:first|second|third|fourth|final|1st|2nd|3rd|4th)[- ]year\b",
    r"\bo?ms[- ]?(?:[1-4]|i{1,3}|iv)\b",
    r"\bm[1-4]\b",
    r"\b(?:medical|med|osteopathic|pre-?med|premedical|md|do|md/phd) students?\b",
    r"\bstudent (?:at|from|in)\b",
    r"\b(?:university|college|school) of\b",
)
# "at Riverside University": needs capitals, so it runs case-sensitively on the original sentence.
_SCHOOL_NAME = re.compile(r"\b(?:at|from) (?:the )?(?:[A-Z][\w'-]* ){0,5}(?:University|College|School)\b")
_CUE_PATTERNS: dict[str, tuple[str, ...]] = {
    "intro": _YEAR_SCHOOL_PATTERNS,
    "background": (
        r"\bi(?:'ve| have)? (?:also )?(?:studied|majored|minored|graduated|worked|used to|grew up|volunteered|spent|"
        r"trained|served|taught|researched|was an?|come from|came from)\b",
        r"\bi(?:'ve| have) (?:been )?(?:working|volunteering|studying|doing)\b",
        r"\bbefore (?:medical|med) school\b",
        r"\bmy (?:background|degree|major|undergrad|previous|prior)\b",
        r"\b(?:undergrad(?:uate)?|bachelor's|master's|gap year|previously|prior to)\b",
        r"\bas an? (?:emt|scribe|nurse|paramedic|medical assistant|cna|researcher|teacher|engineer|volunteer)\b",
    ),
    "reason": (
        r"\bi(?:'m| am) here\b",
        r"\bhere (?:to|because|for|at)\b",
        r"\b(?:came|come|coming) (?:to|here|out|along)\b",
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
        r"\bget involved\b",
    ),
    "close": (
        r"\bthank(?:s| you)\b",
        r"\b(?:great|nice|lovely|good|wonderful|a pleasure) (?:to meet|meeting|talking|speaking|to talk)\b",
        r"\bpleasure (?:to meet|meeting)\b",
        r"\b(?:may|could|can|might) i\b",
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
# "May I follow up by email?" ends in "?" but closes the talk; it does not hand the conversation over.
_CLOSING_REQUEST = _any(
    r"\bfollow(?:[- ])?up\b", r"\bcards?\b", r"\be-?mail\b", r"\bin touch\b", r"\bconnect\b", r"\blinkedin\b",
    r"\breach out\b",
)


# Matched on lower-cased text. "you know" is a filler only as an aside ("did you know ...?" is not);
# "kind of"/"sort of" only when not "what kind of ..." (checked in fillers).
_FILLER = re.compile(
    r"\b(?:umm?|uhm?|uh|erm?|hmm+|basically|literally|actually|or whatever|and stuff|stuff like that|"
    r"and things like that|kind of|sort of)\b|\b(?:you know|i mean|i guess)(?=\s*[,.!?;]|\s*$)|"
    r",\s*(?:you know|i mean|i guess)\b|\blike,|,\s*like\b"
)
_KIND_OF_WORDS = re.compile(r"\b(?:what|which|this|that|same|any|some|the|a|every|one|each)\s+$")


def fillers(low: str) -> list[str]:
    found = []
    for match in _FILLER.finditer(low):
        word = match.group().strip(" ,")
        if word in ("kind of", "sort of") and _KIND_OF_WORDS.search(low, max(0, match.start() - 12), match.start()):
            continue
        found.append(word)
    return list(dict.fromkeys(found))


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


def jargon(text: str, low: str, sentences: list[str]) -> list[str]:
    found: list[str] = [m.group() for m in _BUZZWORDS.finditer(low)]
    if _ACRONYM.search(text):
        for sentence in sentences:
            acronyms = [m.group() for m in _ACRONYM.finditer(sentence) if sum(c.isupper() for c in m.group()) > 1]
            if not acronyms:
                continue
            # A sentence mostly in capitals is shouting, not abbreviations.
            if len(acronyms) * 2 > len(_LATIN_WORD.findall(sentence)):
                continue
            found.extend(t for t in acronyms if t.upper() not in _KNOWN_ACRONYMS and not _YEAR_FORM.match(t))
    return list(dict.fromkeys(found))


def _cue_parts(low: str) -> set[str]:
    """Parts whose cue phrases occur in the lower-cased sentence ``low``.

    One regex per part is faster here than one combined regex (measured with the benchmark).
    """
    return {pid for pid, pattern in _CUES.items() if pattern.search(low)}


def parts_in_sentence(sentence: str, index: int, n_sentences: int) -> set[str]:
    low = sentence.lower()
    found = _cue_parts(low)
    if "intro" not in found and (
        (index == 0 and _GREETING.search(low))
        or name_in(sentence)
        or (("universit" in low or "college" in low or "school" in low) and _SCHOOL_NAME.search(sentence))
    ):
        found.add("intro")
    # The hand-over question and the close belong after the opening; "Nice to meet you!" or
    # "How are you?" as a first sentence is a greeting, not a close or a hand-over.
    late = index > 0 or n_sentences == 1
    if not late:
        found.discard("close")
    elif is_question(sentence) and not _CLOSING_REQUEST.search(low):
        found.add("question")
    return found
