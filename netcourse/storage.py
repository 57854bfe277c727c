"""Atomic, validated JSON storage for what students write (drafts, plans, logs).

A save writes a temporary file in the same folder, flushes it to disk and renames it over
the target, so a crash or a full disk never leaves a half-written file where a good one was.
Loading a damaged file raises :class:`StorageError` with a message fit to show a student;
the widgets catch it and keep everything else they hold. Limits a person would expect, each
with its message: a file the tools open is at most :data:`MAX_FILE_BYTES` and nested at most
:data:`MAX_DEPTH` deep (no saved format needs more); a file name keeps letters of every script.
Unsaved work replaced by a Load goes to :func:`keep_backup`, which keeps the last
:data:`BACKUP_SLOTS` backups (newest always ``unsaved-backup.json``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

DEFAULT_FOLDER_ENV = "NETCOURSE_WORK_DIR"


# Where a tool keeps what the student had not saved before a Load (or a new plan) replaced it:
# unsaved-backup.json is the newest, unsaved-backup-2.json the one before, up to BACKUP_SLOTS.
BACKUP_STEM = "unsaved-backup"
BACKUP_SLOTS = 5
MAX_FILE_BYTES = 5 * 2**20  # a plan is ~2 KB, a draft a few KB, a log of 1,000 people well under 2 MB
MAX_DEPTH = 32  # the saved formats nest 4 deep


class StorageError(ValueError):
    """A saved file cannot be read or written; the message is written for the student."""


def work_dir(folder: Path | str | None = None) -> Path:
    """The folder where the tools keep students' files.

    ``folder`` wins; else ``$NETCOURSE_WORK_DIR``; else ``./my-networking`` under the
    notebook's working folder, so work sits next to the lesson the student has open.
    """
    chosen = folder or os.environ.get(DEFAULT_FOLDER_ENV) or "my-networking"
    return Path(chosen).expanduser()


def tool_dir(name: str, folder: Path | str | None = None) -> Path:
    """Where one tool keeps its files: ``work_dir(folder) / name`` (``"plans"``, ``"logs"``, ``"pitches"``).

    Made absolute when the tool starts, so the paths it shows stay right if the kernel's folder changes.
    """
    return work_dir(folder).absolute() / name


# Letters (L), marks (M) and digits (N) of every script stay, so "café" and "cafè" are two files and
# "Мой план" or "计划" are names; invisible format characters (zero-width spaces, joiners, direction
# marks) are dropped, so a name that looks the same is the same file; anything else becomes "-".
_KEPT = ("L", "M", "N")
_INVISIBLE = ("Cf", "Cc", "Cs", "Co", "Cn")
# Letters that draw nothing (Hangul fillers): a name of these alone is as empty as a blank one.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
MAX_NAME_CHARS = 80
_MAX_INPUT = 2000  # a pasted essay in the name box is read only this far
_MAX_NAME_BYTES = 150  # the folder's limit is 255 bytes, with room for the suffix and a temporary name


def safe_filename(name: str, suffix: str = ".json") -> str:
    """Turn a student's draft name into a file name that cannot escape the folder.

    Normalised to NFC (an "é" typed as e + accent is the same file as "é"), letters and digits of any
    script kept, other characters replaced by "-", cut at 80 characters without splitting a letter from
    its accents. A name with nothing visible left raises :class:`StorageError`.
    """
    # Invisible characters go before normalising: one between a letter and its accent would keep them apart.
    shown = "".join(c for c in str(name)[:_MAX_INPUT] if unicodedata.category(c) not in _INVISIBLE)
    chars = [c if unicodedata.category(c)[0] in _KEPT or c in "._-" else "-"
             for c in unicodedata.normalize("NFC", shown)]
    stem = re.sub(r"-{2,}", "-", "".join(chars)).strip(".-")
    stem = _cut(stem).strip(".-")
    if not any(unicodedata.category(c)[0] in ("L", "N") and c not in _BLANK_LETTERS for c in stem):
        raise StorageError("Please give the file a name (letters or digits).")
    return stem + suffix


def _cut(stem: str) -> str:
    """``stem`` within the length limits, never ending between a letter and its combining marks."""
    end = min(len(stem), MAX_NAME_CHARS)
    while end and len(stem[:end].encode("utf-8")) > _MAX_NAME_BYTES:
        end -= 1
    while 0 < end < len(stem) and unicodedata.category(stem[end])[0] == "M":
        end -= 1
    return stem[:end]


def is_backup_name(filename: str) -> bool:
    """True for the backup slots' file names (``unsaved-backup.json``, ``unsaved-backup-2.json``...)."""
    return filename.lower() in {name.lower() for name in backup_names()}


def backup_names(slots: int = BACKUP_SLOTS) -> list[str]:
    """The backup slots' file names, newest first."""
    return [f"{BACKUP_STEM}.json"] + [f"{BACKUP_STEM}-{n}.json" for n in range(2, slots + 1)]


def atomic_write_text(path: Path | str, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (temp file, fsync, rename)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise StorageError(f"Could not save {path.name}: {exc.strerror or exc}.") from None
    try:
        # errors="replace": a lone surrogate (half an emoji, pasted) becomes "?" instead of failing the save.
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StorageError(f"Could not save {path.name}: {exc.strerror or exc}.") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_json(path: Path | str, data: Any, kind: str, max_bytes: int = MAX_FILE_BYTES) -> Path:
    """Save ``data`` as JSON with a ``kind`` tag, atomically; refused above ``max_bytes`` (it could not be opened)."""
    path = Path(path)
    payload = {"kind": kind, "data": data}
    text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate from the browser: JSON escapes keep it exactly
        text = json.dumps(payload, indent=2) + "\n"
        size = len(text)
    if size > max_bytes:
        raise StorageError(f"Not saved: {path.name} would be {_megabytes(size)}, more than the {_megabytes(max_bytes)} "
                           "a file may hold; split it into smaller files. Nothing was written.")
    return atomic_write_text(path, text)


def load_json(path: Path | str, kind: str, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Load what :func:`save_json` wrote; damaged, foreign or oversized files raise :class:`StorageError`."""
    return load_json_stamped(path, kind, max_bytes)[0]


def load_json_stamped(path: Path | str, kind: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[Any, str]:
    """:func:`load_json`, and the :func:`fingerprint` of exactly the bytes it read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise StorageError(f"{path.name} is {_megabytes(size)}; the tools open files up to "
                               f"{_megabytes(max_bytes)}, so it is not one they saved.")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StorageError(f"{path.name} was not found.") from None
    except OSError as exc:
        raise StorageError(f"Could not open {path.name}: {exc.strerror or exc}.") from None
    try:
        payload = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise StorageError(f"{path.name} is not a text file this tool saved.") from None
    except json.JSONDecodeError as exc:
        raise StorageError(
            f"{path.name} is damaged (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "your other files are untouched."
        ) from None
    except RecursionError:
        raise _too_deep(path) from None
    except ValueError:  # e.g. a number of more than 4,300 digits
        raise StorageError(f"{path.name} is damaged (it holds a value no saved file has); "
                           "your other files are untouched.") from None
    if _depth_over(payload, MAX_DEPTH):
        raise _too_deep(path)
    if not isinstance(payload, dict) or payload.get("kind") != kind or "data" not in payload:
        raise StorageError(f"{path.name} is not a saved {kind}.")
    return payload["data"], _digest(raw)


def fingerprint(path: Path | str) -> str | None:
    """A digest of the file's bytes, or None when there is no file: tells whether someone saved it since."""
    try:
        return _digest(Path(path).read_bytes())
    except OSError:
        return None


def keep_backup(folder: Path | str, data: Any, kind: str, slots: int = BACKUP_SLOTS) -> Path:
    """Save ``data`` as the newest backup (``unsaved-backup.json``), moving older ones down a slot.

    The oldest of ``slots`` is dropped; each move is a rename, so a crash leaves every backup in
    some slot. Raises :class:`StorageError` when a backup cannot be moved or written.
    """
    folder = Path(folder)
    names = backup_names(slots)
    try:
        for older, newer in zip(reversed(names[1:]), reversed(names[:-1]), strict=True):
            if (folder / newer).is_file():
                os.replace(folder / newer, folder / older)
    except OSError as exc:
        raise StorageError(f"Could not keep a backup in {folder.name}: {exc.strerror or exc}.") from None
    return save_json(folder / names[0], data, kind)


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _too_deep(path: Path) -> StorageError:
    return StorageError(f"{path.name} is nested too deeply to be a file the tools saved; "
                        "your other files are untouched.")


def _depth_over(value: Any, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest deeper than ``limit`` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
