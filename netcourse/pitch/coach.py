"""The pitch coach: what to say about a draft, from what :func:`~netcourse.pitch.analysis.analyse` found.

:func:`suggest` turns a :class:`~netcourse.pitch.analysis.PitchReport` into :class:`Suggestion`
objects, most important first: length against the target, the introduction's missing elements (name,
year, school), missing parts, questions that ask a favour or can be answered yes or no (each with
why and an explorative rewrite, from :mod:`netcourse.asking`), long sentences, fillers, jargon, and
on a draft with nothing left to fix, what to practise next (where the passion comes from, listening
for a follow-up question, the close, rehearsing aloud). Each suggestion about particular words
carries their (start, end) offsets. The lessons' own model answers get no warning (tests check it).
"""

from __future__ import annotations

from netcourse.asking import FAVOUR, YES_NO
from netcourse.pitch.analysis import SEVERITIES, TOO_LONG_TOLERANCE, TOO_SHORT_SHARE, PitchReport, Suggestion
from netcourse.pitch.cues import INTRO_NEEDS, PASSION_ORIGIN, markup_spans
from netcourse.pitch.parts import Pitch, part_spec
from netcourse.pitch.text import BREATH_WORDS, is_question, shorten

_ELEMENT_WORDS = {"name": "your name", "year": "your year", "school": "your school"}
_SHOWN_SPANS = 20  # a suggestion points at most this many places (the count is still in the message)


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def suggest(report: PitchReport, draft: str | Pitch) -> tuple[Suggestion, ...]:
    if report.word_count == 0:
        return (Suggestion("empty", "Start writing your introduction: your name, year and school, a line of "
                           "background, why you are here and what you are passionate about, then a goal and a "
                           "question.", "info", "article"),)
    out: list[Suggestion] = []
    out += _length(report)
    out += _introduction(report)
    out += _questions(report, draft)
    out += _style(report)
    if not any(s.severity == "warning" for s in out):
        out += _next_steps(report)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return tuple(sorted(out, key=lambda s: order[s.severity]))


def _length(report: PitchReport) -> list[Suggestion]:
    out = []
    if report.truncated:
        out.append(Suggestion(
            "draft-too-long",
            f"Your draft is {len(report.text):,} characters ({report.word_count:,} words); the coach reads the first "
            f"{report.checked_chars:,}. An introduction of 30-45 seconds is about 100 words: keep the one you will "
            "say here and longer notes elsewhere.", "warning"))
    seconds, target = report.seconds, report.target_seconds
    if seconds > target * (1 + TOO_LONG_TOLERANCE):
        out.append(Suggestion("too-long", f"About {seconds - target:.0f} s over your {target}-second target: keep it "
                              "brief so the other person has time to introduce themselves. Cut background first.",
                              "warning", "hms"))
    elif seconds < target * TOO_SHORT_SHARE:
        out.append(Suggestion("too-short", f"Only about {seconds:.0f} s of your {target}-second target: there is room "
                              "for background, your reason for being here or your passion.", "info", "article"))
    return out


def _introduction(report: PitchReport) -> list[Suggestion]:
    out = []
    present, found = report.parts_present, set(report.intro_found)
    intro_spans = tuple((s, e) for p, s, e in report.part_spans if p == "intro")
    lacking = [e for e in INTRO_NEEDS if e not in found]
    if "name" in found and not any(p in present for p in ("background", "reason", "passion")):
        out.append(Suggestion("more-than-a-name", "An introduction is more than your name: add your background, why "
                              "you are here and your passion.", "warning", "utah", intro_spans))
    if lacking and found - {"greeting"}:
        given = [_ELEMENT_WORDS[e] for e in INTRO_NEEDS if e in found]
        out.append(Suggestion(
            "intro-incomplete",
            f"You gave {_listing(given)}; add {_listing([_ELEMENT_WORDS[e] for e in lacking])} so they can place you "
            "(\"I'm Maya Chen, a second-year at Riverside University\").", "warning", "", intro_spans))
    flagged = any(q.kind in (FAVOUR, YES_NO) and q.hands_over for q in report.questions)
    for p in report.parts_missing:
        if (p == "intro" and lacking and found - {"greeting"}) or (p == "question" and flagged):
            continue  # said more precisely by intro-incomplete, favour-ask or yes-no-question
        spec = part_spec(p)
        out.append(Suggestion(f"missing-{p}", spec.hint, spec.severity, spec.source))
    if "intro" in present and not report.name:
        out.append(Suggestion("say-name", "Say your name in the introduction (\"I'm Maya Chen, ...\").", "tip", "utah",
                              intro_spans))
    return out


def _questions(report: PitchReport, draft: str | Pitch) -> list[Suggestion]:
    out = []
    if isinstance(draft, Pitch) and draft.question.strip() and not is_question(draft.question.strip()):
        out.append(Suggestion("question-mark", "Your hand-over question should be a question: end it with '?'.",
                              "tip"))
    for q in report.questions:
        said = f"\u201c{shorten(report.text[q.start:q.end], 70)}\u201d"
        if q.kind == FAVOUR:
            out.append(Suggestion("favour-ask", f"{said} asks for a favour. {q.why} {q.rewrite}", "warning", "article",
                                  ((q.start, q.end),), q.rewrite))
        elif q.kind == YES_NO and q.hands_over:
            out.append(Suggestion("yes-no-question", f"{said} can be answered with a yes or a no, so it does not hand "
                                  f"the conversation over. {q.rewrite}", "warning", "", ((q.start, q.end),), q.rewrite))
    return out


def _style(report: PitchReport) -> list[Suggestion]:
    out = []
    if report.long_sentences:
        s, e, c = max(report.long_sentences, key=lambda item: item[2])
        out.append(Suggestion(
            "long-sentence",
            f"{len(report.long_sentences)} sentence(s) too long to say in one breath (longest: {c} words, "
            f"\u201c{shorten(report.text[s:e])}\u201d). Split at {BREATH_WORDS} words or fewer.", "warning", "",
            tuple((s, e) for s, e, _c in report.long_sentences[:_SHOWN_SPANS])))
    if report.filler_spans:
        out.append(Suggestion(
            "filler", f"Filler words to drop ({len(report.filler_spans)} in all): {', '.join(report.filler_found)}. "
            "Pause instead; a short silence sounds more confident than \"um\" or \"like\".", "tip", "",
            tuple((s, e) for _w, s, e in report.filler_spans[:_SHOWN_SPANS])))
    if report.jargon_spans:
        out.append(Suggestion(
            "jargon", f"Jargon or abbreviations the listener may not share: {', '.join(report.jargon_found)}. Say "
            "them in full once or choose plainer words.", "tip", "",
            tuple((s, e) for _t, s, e in report.jargon_spans[:_SHOWN_SPANS])))
    tags = markup_spans(report.text, report.checked_chars)
    if tags:
        out.append(Suggestion("markup", "Your draft contains HTML-like tags (<...>); they are kept and shown as plain "
                              "text, never as markup.", "info", "", tuple(tags[:_SHOWN_SPANS])))
    return out


def _next_steps(report: PitchReport) -> list[Suggestion]:
    """Coaching for a draft with nothing to fix: what to work on next, beyond the words themselves."""
    out = []
    passion = [(s, e) for p, s, e in report.part_spans if p == "passion"]
    if passion and not any(PASSION_ORIGIN.search(report.text[s:e].lower()) for s, e in passion):
        out.append(Suggestion("passion-origin", "Say where your passion comes from (community work, a chapter "
                              "organisation, earlier experience): it shows a true desire to be involved.", "tip",
                              "article", tuple(passion)))
    if "close" in report.parts_later:
        out.append(Suggestion("close-later", "Your introduction hands over with a question, as it should. Keep the "
                              "close for the end of the talk: thank them and ask how you may follow up (\"Thank you, "
                              "it was great to meet you. May I follow up by email?\").", "info", "utah"))
    if "question" in report.parts_present:
        out.append(Suggestion("listen-next", "After your question, listen: note one thing they tell you and ask a "
                              "follow-up built on it (\"You mentioned ...; how did that shape ...?\"). Being engaged "
                              "is the fourth step of etiquette.", "info", "utah"))
    out.append(Suggestion("rehearse", "Rehearse it aloud with the timer until it sounds natural, not memorised, and "
                          "practise the transition from your question to the close.", "info", "hms"))
    return out
