"""Committed notebooks carry no outputs or widget state; the checker itself can fail."""

from __future__ import annotations

import json

from netcourse import notebook_hygiene


def _dirty_notebook() -> dict:
    return {
        "cells": [
            {"cell_type": "code", "execution_count": 3, "metadata": {"nbgrader": {"grade": True}},
             "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi"}], "source": "print(1)"},
        ],
        "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {}}},
        "nbformat": 4, "nbformat_minor": 5,
    }


def test_checker_finds_outputs_counts_and_widget_state():
    found = notebook_hygiene.problems(_dirty_notebook())
    assert "cell 0: outputs" in found
    assert "cell 0: execution_count" in found
    assert "notebook metadata 'widgets'" in found


def test_fix_cleans_but_keeps_nbgrader_metadata(tmp_path):
    path = tmp_path / "a.ipynb"
    path.write_text(json.dumps(_dirty_notebook()), encoding="utf-8")
    assert notebook_hygiene.main(["--check", str(tmp_path)]) == 1
    assert notebook_hygiene.main(["--fix", str(tmp_path)]) == 0
    assert notebook_hygiene.main(["--check", str(tmp_path)]) == 0
    cleaned = json.loads(path.read_text(encoding="utf-8"))
    assert cleaned["cells"][0]["metadata"] == {"nbgrader": {"grade": True}}


def test_committed_notebooks_are_clean(root):
    paths = [str(root / name) for name in ("notebooks", "source", "release")]
    dirty = {
        str(p): notebook_hygiene.problems(json.loads(p.read_text(encoding="utf-8")))
        for p in notebook_hygiene.notebooks_under(paths)
    }
    assert {k: v for k, v in dirty.items() if v} == {}
