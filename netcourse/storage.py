"""Atomic, validated JSON storage for what students write (drafts, plans, logs).

A save writes a temporary file in the same folder, flushes it to disk and renames it over
the target, so a crash or a full disk never leaves a half-written file where a good one was.
Loading a damaged file raises :class:`StorageError` with a message fit to show a student;
the widgets catch it and keep everything else they hold.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

DEFAULT_FOLDER_ENV = "NETCOURSE_WORK_DIR"


# Where a tool keeps what the student had not saved before a Load (or a new plan) replaced it.
BACKUP_STEM = "unsaved-backup"


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


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, suffix: str = ".json") -> str:
    """Turn a student's draft name into a file name that cannot escape the folder."""
    stem = _SAFE.sub("-", name.strip()).strip(".-")[:80]
    if not stem:
        raise StorageError("Please give the file a name (letters or digits).")
    return stem + suffix


def atomic_write_text(path: Path | str, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (temp file, fsync, rename)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise StorageError(f"Could not save {path.name}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
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


def save_json(path: Path | str, data: Any, kind: str) -> Path:
    """Save ``data`` as JSON with a ``kind`` tag, atomically."""
    payload = {"kind": kind, "data": data}
    return atomic_write_text(path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def load_json(path: Path | str, kind: str) -> Any:
    """Load what :func:`save_json` wrote; damaged or foreign files raise :class:`StorageError`."""
    path = Path(path)
    try:
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
    if not isinstance(payload, dict) or payload.get("kind") != kind or "data" not in payload:
        raise StorageError(f"{path.name} is not a saved {kind}.")
    return payload["data"]
