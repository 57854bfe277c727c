"""Keep committed notebooks clean: no outputs, execution counts or widget state.

``python -m netcourse.notebook_hygiene --check DIR...`` lists dirty notebooks and exits 1;
``--fix`` cleans them in place. Like nbstripout, it keeps ``metadata.nbgrader`` (nbgrader
needs it) and removes only what a run leaves behind.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# Notebook-level metadata that a run or a widget leaves behind.
_RUN_METADATA = ("widgets", "execution", "varInspector", "toc-autonumbering")
_CELL_RUN_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")


def problems(nb: dict) -> list[str]:
    """What makes ``nb`` (decoded JSON) dirty, as readable strings; empty when clean."""
    found = []
    for key in _RUN_METADATA:
        if key in nb.get("metadata", {}):
            found.append(f"notebook metadata {key!r}")
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
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
            cell["outputs"] = []
            cell["execution_count"] = None
            for key in _CELL_RUN_METADATA:
                cell.get("metadata", {}).pop(key, None)
    return nb


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
    parser.add_argument("paths", nargs="+", help="notebooks or folders to scan")
    args = parser.parse_args(argv)
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
