"""The history of a saved draft: its last saved versions and what changed between them, word by word.

Each save of a draft keeps the versions saved before it under the same name (newest first, at most
:data:`HISTORY_LIMIT`) in the file's ``history`` field (format: ``schemas/pitch-draft.schema.json``).
:func:`changes` compares consecutive versions with :mod:`difflib` on words and says what was added
and removed, and which parts of the introduction were gained or lost, so a student sees how the
draft grew. Pure logic: the studio reads and writes the files.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from netcourse.pitch.parts import PART_IDS, part_spec
from netcourse.pitch.text import MAX_DRAFT_CHARS, count_words, shorten

HISTORY_LIMIT = 5  # earlier versions kept in a saved draft, besides the one saved last
_QUOTED = 3  # pieces of added or removed text quoted in a summary


@dataclass(frozen=True)
class Version:
    """One saved version: when, the text said (the parts joined in part mode), its words and parts."""

    saved_at: str
    text: str
    words: int
    parts: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"saved_at": self.saved_at, "text": self.text, "words": self.words, "parts": list(self.parts)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Version:
        """From a checked saved entry (``drafts.draft_from_dict`` checks the shape)."""
        text = data.get("text", "")
        return cls(str(data.get("saved_at", "")), text, int(data.get("words", count_words(text))),
                   tuple(p for p in PART_IDS if p in data.get("parts", ())))


@dataclass(frozen=True)
class Change:
    """What changed from an older version to a newer one."""

    added_words: int
    removed_words: int
    added: tuple[str, ...]  # the first pieces of text added
    removed: tuple[str, ...]
    parts_gained: tuple[str, ...]
    parts_lost: tuple[str, ...]

    @property
    def unchanged(self) -> bool:
        return not (self.added_words or self.removed_words or self.parts_gained or self.parts_lost)

    def summary(self) -> str:
        """One line for the student: "+12 −3 words; added “…”; removed “um, so”; now has: goal"."""
        if self.unchanged:
            return "No change in the words."
        bits = [f"+{self.added_words} \u2212{self.removed_words} words"]
        if self.added:
            bits.append("added " + ", ".join(f"\u201c{shorten(t, 50)}\u201d" for t in self.added))
        if self.removed:
            bits.append("removed " + ", ".join(f"\u201c{shorten(t, 50)}\u201d" for t in self.removed))
        if self.parts_gained:
            bits.append("now has: " + ", ".join(part_spec(p).label.lower() for p in self.parts_gained))
        if self.parts_lost:
            bits.append("lost: " + ", ".join(part_spec(p).label.lower() for p in self.parts_lost))
        return "; ".join(bits) + "."


def word_change(old: Version, new: Version) -> Change:
    """Words added and removed from ``old`` to ``new`` (read up to the coach's length limit)."""
    a, b = old.text[:MAX_DRAFT_CHARS].split(), new.text[:MAX_DRAFT_CHARS].split()
    added, removed, n_added, n_removed = [], [], 0, 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            n_removed += i2 - i1
            removed.append(" ".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            n_added += j2 - j1
            added.append(" ".join(b[j1:j2]))
    return Change(n_added, n_removed, tuple(added[:_QUOTED]), tuple(removed[:_QUOTED]),
                  tuple(p for p in new.parts if p not in old.parts), tuple(p for p in old.parts if p not in new.parts))


def changes(versions: Sequence[Version]) -> tuple[Change | None, ...]:
    """For versions newest first: what each one changed from the one before it (None for the oldest)."""
    return tuple(word_change(versions[i + 1], v) if i + 1 < len(versions) else None for i, v in enumerate(versions))


def next_history(previous: Sequence[Version], current: Version | None, new_text: str) -> tuple[Version, ...]:
    """The history to save with ``new_text`` over a file whose version was ``current``, history ``previous``.

    The version being replaced goes first unless its text is the same as the new one (saving twice
    keeps no copy); at most :data:`HISTORY_LIMIT` versions.
    """
    kept = list(previous)
    if current is not None and current.text != new_text and (not kept or kept[0] != current):
        kept.insert(0, current)
    return tuple(kept[:HISTORY_LIMIT])
