"""Keep committed notebooks clean: no outputs, execution counts or widget state.

``python -m netcourse.notebook_hygiene --check DIR...`` lists dirty notebooks and exits 1;
``--fix`` cleans them in place. Like nbstripout, it keeps ``metadata.nbgrader`` (nbgrader
needs it) and removes only what a run leaves behind.

One exception, on purpose: a cell tagged ``nbval-check-output`` (the tag nbval reads, which
students never see; the older ``# NBVAL_CHECK_OUTPUT`` comment works too) keeps its *text* output,
because that output is the expected value nbval compares against (without it nbval has
nothing to compare and the mark checks nothing). ``--record`` runs the notebooks and stores
exactly those outputs; every other output is still removed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

# Notebook-level metadata that a run or a widget leaves behind.
_RUN_METADATA = ("widgets", "execution", "varInspector", "toc-autonumbering")
_CELL_RUN_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
CHECK_TAG = "nbval-check-output"
# Text only: images and HTML carry ids and styling that change from run to run.
_GOLDEN_MIME = ("text/plain", "text/markdown")


def cell_source(cell: dict) -> str:
    """A cell's source as one string (a notebook file may store it as a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def is_checked(cell: dict) -> bool:
    """Whether nbval compares this cell's output (so the output is kept as its expected value)."""
    if cell.get("cell_type") != "code":
        return False
    tags = cell.get("metadata", {}).get("tags", [])
    return CHECK_MARK in cell_source(cell) or (isinstance(tags, list) and CHECK_TAG in tags)


def _golden_problem(output: dict) -> str | None:
    kind = output.get("output_type")
    if kind == "stream":
        return None if output.get("name") == "stdout" else f"stream {output.get('name')!r}"
    if kind in ("display_data", "execute_result"):
        extra = set(output.get("data", {})) - set(_GOLDEN_MIME)
        if extra:
            return f"non-text output {sorted(extra)}"
        return None
    return f"{kind} output"


def golden_outputs(outputs: list[dict]) -> list[dict]:
    """The part of a checked cell's outputs that is kept: stdout and text results, no counts."""
    kept = []
    for output in outputs:
        output = dict(output)
        if output.get("output_type") in ("display_data", "execute_result"):
            data = {k: v for k, v in output.get("data", {}).items() if k in _GOLDEN_MIME}
            if not data:
                continue
            output["data"] = data
            output["metadata"] = {}
        if _golden_problem(output) is None:
            kept.append(output)
    return kept


def problems(nb: dict) -> list[str]:
    """What makes ``nb`` (decoded JSON) dirty, as readable strings; empty when clean."""
    found = []
    for key in _RUN_METADATA:
        if key in nb.get("metadata", {}):
            found.append(f"notebook metadata {key!r}")
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        if is_checked(cell):
            # nbval treats a cell with outputs but no execution count as "unrun" and fails it.
            found.extend(f"cell {index}: {p}" for o in cell.get("outputs", []) if (p := _golden_problem(o)))
            if cell.get("outputs") and cell.get("execution_count") is None:
                found.append(f"cell {index}: checked output without execution_count (run --record)")
        else:
            if cell.get("outputs"):
                found.append(f"cell {index}: outputs")
            if cell.get("execution_count") is not None:
                found.append(f"cell {index}: execution_count")
        for key in _CELL_RUN_METADATA:
            if key in cell.get("metadata", {}):
                found.append(f"cell {index}: metadata {key!r}")
    return found


def clean(nb: dict) -> dict:
    """Return ``nb`` with outputs, counts and run metadata removed (in place)."""
    for key in _RUN_METADATA:
        nb.get("metadata", {}).pop(key, None)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            if is_checked(cell):
                cell["outputs"] = golden_outputs(cell.get("outputs", []))
                if not cell["outputs"]:
                    cell["execution_count"] = None
            else:
                cell["outputs"] = []
                cell["execution_count"] = None
            for key in _CELL_RUN_METADATA:
                cell.get("metadata", {}).pop(key, None)
    return nb


def record(path: Path, timeout: int = 120) -> None:
    """Run the notebook at ``path`` in a fresh kernel and store only its checked cells' outputs."""
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}).execute()
    data = json.loads(nbformat.writes(nb))
    path.write_text(json.dumps(clean(data), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def notebooks_under(paths: list[str]) -> list[Path]:
    found = []
    for name in paths:
        path = Path(name)
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in sorted(path.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="report dirty notebooks, exit 1 if any")
    mode.add_argument("--fix", action="store_true", help="clean notebooks in place")
    mode.add_argument("--record", action="store_true",
                      help="run notebooks and store the expected output of cells tagged nbval-check-output")
    parser.add_argument("paths", nargs="+", help="notebooks or folders to scan")
    args = parser.parse_args(argv)
    if args.record:
        # The tools in a lesson save into the work folder: keep a recording run's files out of the tree.
        os.environ["NETCOURSE_WORK_DIR"] = tempfile.mkdtemp(prefix="netcourse-record-")
        for path in notebooks_under(args.paths):
            if any(is_checked(c) for c in json.loads(path.read_text(encoding="utf-8")).get("cells", [])):
                record(path)
                print(f"recorded {path}")
        return 0
    dirty = 0
    for path in notebooks_under(args.paths):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            print(f"{path}: cannot read: {exc}", file=sys.stderr)
            dirty += 1
            continue
        found = problems(nb)
        if not found:
            continue
        if args.fix:
            text = json.dumps(clean(nb), indent=1, ensure_ascii=False) + "\n"
            path.write_text(text, encoding="utf-8")
            print(f"cleaned {path}")
        else:
            dirty += 1
            print(f"{path}: not clean: {', '.join(found[:5])}" + (" ..." if len(found) > 5 else ""))
    if dirty:
        print(f"{dirty} notebook(s) need cleaning: run `make clean-notebooks`.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
