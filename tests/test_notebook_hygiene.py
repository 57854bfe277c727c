"""Committed notebooks carry no outputs or widget state; the checker itself can fail."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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


def _checked_cell(outputs: list[dict]) -> dict:
    return {"cell_type": "code", "execution_count": 1, "metadata": {},
            "outputs": outputs, "source": "# NBVAL_CHECK_OUTPUT\nprint('5 lessons')"}


def test_checked_cells_keep_text_but_not_images_or_counts():
    text = {"output_type": "stream", "name": "stdout", "text": "5 lessons\n"}
    image = {"output_type": "display_data", "data": {"image/png": "AAAA", "text/plain": "<Figure>"},
             "metadata": {}}
    nb = {"cells": [_checked_cell([text])], "metadata": {}}
    assert notebook_hygiene.problems(nb) == []
    nb = {"cells": [_checked_cell([text, image])], "metadata": {}}
    assert notebook_hygiene.problems(nb) == ["cell 0: non-text output ['image/png']"]
    unrun = {"cells": [dict(_checked_cell([text]), execution_count=None)], "metadata": {}}
    assert notebook_hygiene.problems(unrun) == ["cell 0: checked output without execution_count (run --record)"]
    cleaned = notebook_hygiene.clean(nb)
    assert cleaned["cells"][0]["outputs"][0] == text
    assert cleaned["cells"][0]["outputs"][1]["data"] == {"text/plain": "<Figure>"}


def test_every_checked_cell_has_an_expected_output(root):
    """A `# NBVAL_CHECK_OUTPUT` cell with no stored output would make nbval compare nothing."""
    missing = []
    for path in notebook_hygiene.notebooks_under([str(root / "notebooks")]):
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if notebook_hygiene.is_checked(cell) and not cell["outputs"]:
                missing.append(f"{path.name} cell {index}")
    assert missing == [], "run `make record-outputs`"


@pytest.mark.slow
def test_nbval_fails_when_a_checked_output_changes(root, tmp_path):
    nb = json.loads((root / "notebooks" / "01_finding_opportunities.ipynb").read_text(encoding="utf-8"))
    checked = [c for c in nb["cells"] if notebook_hygiene.is_checked(c)]
    assert checked and checked[0]["outputs"]
    checked[0]["outputs"][0]["text"] = ["Lesson 7 of 5: a changed output\n"]
    path = tmp_path / "start.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-lax", str(path), "-q"],
        capture_output=True, text=True, timeout=180, cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "Lesson 7 of 5" in result.stdout
