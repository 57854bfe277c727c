"""Turn what went wrong with a submission into one sentence an instructor (and the student) can act on."""

from __future__ import annotations

import json


def _first_line(text: str, limit: int = 300) -> str:
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def explain(error: BaseException, filename: str = "the notebook") -> str:
    """A short, readable reason for an exception raised while reading or sanitizing a submission."""
    from nbformat import ValidationError as NotebookValidationError
    from nbformat.reader import NotJSONError

    name = type(error).__name__
    if isinstance(error, UnicodeDecodeError):
        return (f"{filename} is not UTF-8 text (byte 0x{error.object[error.start]:02x} at position {error.start}); "
                "it was probably edited or saved outside Jupyter")
    if isinstance(error, NotJSONError) or isinstance(error, json.JSONDecodeError):
        if "0 characters" in str(error) or str(error).strip().endswith("''"):
            return f"{filename} is empty (0 bytes): the file was never saved"
        return f"{filename} is not valid notebook JSON (damaged, cut short or not saved from Jupyter)"
    if isinstance(error, NotebookValidationError):
        return f"{filename} is not a valid Jupyter notebook: {_first_line(error.message)}"
    if isinstance(error, FileNotFoundError):
        return f"{filename} is missing"
    if name == "ValidationError":  # nbgrader's metadata validator
        return f"{filename}: grade-cell metadata is damaged ({_first_line(str(error))})"
    if isinstance(error, KeyError) and str(error).strip("'") == "grade_id":
        return (f"{filename}: a grade cell was copied or its grade_id was changed, so nbgrader cannot match it "
                "to the gradebook; restore the cell from the release (or grade this notebook by hand)")
    if isinstance(error, RuntimeError) and "Inconsistent checksums" in str(error):
        cell = str(error).rsplit(" ", 1)[-1]
        return (f"{filename}: the locked cell '{cell}' was changed in a way nbgrader cannot repair (its role or "
                "checksum was altered); restore the cell from the release (or grade this notebook by hand)")
    if isinstance(error, KeyError):
        return f"{filename}: a required notebook field is missing ({error})"
    return f"{filename}: {name}: {_first_line(str(error))}" if str(error) else f"{filename}: {name}"
