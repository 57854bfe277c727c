"""Text statistics of a pitch: words, sentences, questions and speaking time.

Word counting (documented choice): text is split on white space (and after the CJK sentence ends
。！？, which end a sentence as a space-separated stop does); a chunk counts as one word when it
holds at least one letter or digit, so emoji and punctuation are never words and "co-founder" or
"MS2" are one. Chinese and Japanese are written without spaces, so each Han, Hiragana or Katakana
character counts as one word (a per-character count; spoken time for CJK text is therefore only a
rough estimate). Other scripts written without spaces (Thai, Lao, Khmer, Burmese) count one word per
space-separated run, an undercount. Nothing here raises on any ``str``.

The pace and length limits live here too, because every part of the pitch logic (analysis,
audiences, saved drafts, the studio's controls) checks against the same numbers. Sentences are found
as (start, end) offsets into the text (:func:`sentence_spans`), so the coach can point at the words a
problem concerns; every function here is linear in the length of the text.
"""

from __future__ import annotations

import re
from typing import Any

DEFAULT_PACE_WPM = 130
MIN_PACE_WPM = 60
MAX_PACE_WPM = 250
# The workbook asks for 30-45 s; the studio takes its target from the audience chosen (a physician: 30 s).
DEFAULT_TARGET_SECONDS = 45
TARGET_CHOICES = (30, 45, 60, 90)
# The coach reads this much of a draft: about 1,600 words or twelve minutes of speech, far beyond a
# 30-45 second introduction (about 100 words), so every keystroke stays quick. Longer text is still
# counted and timed, kept and saved, with a message that only the beginning was checked.
MAX_DRAFT_CHARS = 10_000
MIN_TARGET_SECONDS = 10
MAX_TARGET_SECONDS = 300
# A sentence longer than this cannot comfortably be said in one breath (about 11 s at 130 wpm).
BREATH_WORDS = 25

_CHUNK = re.compile(r"\S+")
_ALNUM = re.compile(r"[^\W_]")
_ALNUM_RUN = re.compile(r"[^\W_]+")
_CJK_STOPS = str.maketrans("\u3002\uff01\uff1f", "   ")  # CJK sentence ends, read as spaces between words
# A white-space separated chunk with no letter or digit (rare): words are the other chunks.
_NOT_WORD_CHUNK = re.compile(r"\s(?:[^\w\s]|_)+(?!\S)")  # after its white space: most positions fail at once
_NOT_WORD_FIRST = re.compile(r"(?:[^\w\s]|_)+(?!\S)")  # ...or at the very start
# Han (with extension A, compatibility and the supplementary planes), Hiragana and Katakana.
_CJK = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# A sentence ends after . ! ? … (with closing quotes or brackets) before white space, after CJK 。！？,
# or at a line break. A leading character class lets the regex engine skip ahead quickly.
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*(?=\s)|[\u3002\uff01\uff1f]|\n")
# Checked on the last few characters of a piece only (never the whole sentence so far): linear time.
_ABBREVIATION_END = re.compile(r"(?:^|[^\w.])(?:Dr|Mr|Mrs|Ms|Prof|St|Jr|Sr|vs|Mt|e\.g|i\.e)\.$", re.IGNORECASE)
_ABBREVIATION_TAIL = 7  # len(" Prof.") + 1


def count_words(text: str) -> int:
    """Words in ``text`` by the rules in the module docstring (emoji are never words)."""
    if "\u3002" in text or "\uff01" in text or "\uff1f" in text:  # CJK sentence ends part words, as spaces do
        text = text.translate(_CJK_STOPS)
    if not _CJK.search(text):
        not_words = len(_NOT_WORD_CHUNK.findall(text)) + (1 if _NOT_WORD_FIRST.match(text) else 0)
        return len(text.split()) - not_words
    total = 0
    for match in _CHUNK.finditer(text):
        chunk = match.group()
        if _CJK.search(chunk):
            total += len(_CJK.findall(chunk)) + len(_ALNUM_RUN.findall(_CJK.sub(" ", chunk)))
        elif _ALNUM.search(chunk):
            total += 1
    return total


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, white space trimmed; "Dr. Lee" stays whole.

    Split after . ! ? … (and CJK 。！？) and at line breaks. ``text[start:end]`` is the sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        _add_span(spans, text, start, match.end())
        start = match.end()
    _add_span(spans, text, start, len(text))
    return spans


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return
    if spans:
        prev_start, prev_end = spans[-1]
        tail = text[max(prev_start, prev_end - _ABBREVIATION_TAIL) : prev_end]
        if _ABBREVIATION_END.search(tail):
            spans[-1] = (prev_start, end)
            return
    spans.append((start, end))


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``: split after . ! ? … (and CJK 。！？) and at line breaks; "Dr. Lee" stays whole."""
    return [text[start:end] for start, end in sentence_spans(text)]


def is_question(sentence: str) -> bool:
    """True when the last mark before any closing quotes, brackets, spaces or emoji is ? (or CJK ？)."""
    # A loop from the end, not a regex anchored with $, so a long run of symbols stays linear.
    i = len(sentence)
    while i and not sentence[i - 1].isalnum() and sentence[i - 1] not in "?\uff1f":
        i -= 1
    return i > 0 and sentence[i - 1] in "?\uff1f"




def normalise(text: str) -> str:
    """Curly apostrophes as straight ones: common from phones and word processors; the cue phrases use straight ones.

    One character for one, so offsets into the result are offsets into ``text``.
    """
    return text.replace("\u2019", "'").replace("\u2018", "'")


def excerpt(text: str, start: int, end: int, context: int = 40, longest: int = 120) -> tuple[str, str, str]:
    """(before, marked, after): ``text[start:end]`` with up to ``context`` characters either side.

    The pieces are cut at white space where possible and marked with "…" where text was left out;
    a marked span longer than ``longest`` characters is cut in the middle. Its size never depends on
    the length of ``text``, so a feedback panel that shows excerpts stays small for any draft.
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    before = text[max(0, start - context) : start]
    if start - context > 0:
        cut = before.find(" ")
        before = "…" + (before[cut + 1 :] if 0 <= cut < len(before) - 1 else before)
    after = text[end : end + context]
    if end + context < len(text):
        cut = after.rfind(" ")
        after = (after[:cut] if cut > 0 else after) + "…"
    marked = text[start:end]
    if len(marked) > longest:
        half = longest // 2
        marked = f"{marked[:half]} … {marked[-half:]}"
    return before, marked, after


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_number(name: str, value: Any, low: int, high: int) -> int:
    """``value`` rounded to a whole number, or ``ValueError`` naming ``name`` when it is not a number in range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number between {low} and {high}, got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}.")
    return int(round(value))


def check_pace(pace_wpm: Any) -> int:
    return check_number("The pace (words a minute)", pace_wpm, MIN_PACE_WPM, MAX_PACE_WPM)


def check_target(target_seconds: Any) -> int:
    return check_number("The target length (seconds)", target_seconds, MIN_TARGET_SECONDS, MAX_TARGET_SECONDS)


def speaking_seconds(words: int, pace_wpm: int) -> float:
    """How long ``words`` take to say at ``pace_wpm`` words a minute, rounded to 0.1 s."""
    return round(words / pace_wpm * 60, 1)
