"""Write the nbgrader workbook (source/networking-workbook/) from the question definitions here.

The workbook grades networking: decisions in realistic scenes, checks of the student's own
introduction and questions with the course's own functions, arithmetic on their own plan, and
written answers marked with a rubric (netcourse/data/rubrics.json). Every question names the
objectives it assesses in netcourse/data/objectives.json, and every bit of Python an answer needs
is taught in notebooks/python_primer.ipynb (tests/test_workbook.py checks both).

    python tools/build_workbook.py          # rewrite source/networking-workbook/*.ipynb
    python tools/build_workbook.py --check  # exit 1 when the committed source differs

Then `make release` regenerates release/ (CI checks it is current). The answer key with the
reason for each decision is written to autograder/answer-key.md, and the instructor guide's table
of objectives → lessons → workbook items to autograder/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from workbook_questions import NOTEBOOKS, Decision, Notebook, OwnWork, Written  # noqa: E402

SOURCE = ROOT / "source" / "networking-workbook"
KEY = ROOT / "autograder" / "answer-key.md"
GUIDE = ROOT / "autograder" / "README.md"
ALIGNMENT = ("<!-- alignment:start -->", "<!-- alignment:end -->")
SCHEMA = 3
FORM_ONLY = "# The visible check tests the form of your answer; whether it is right is marked when you hand in."


@dataclass
class Cells:
    cells: list = field(default_factory=list)

    def md(self, cell_id: str, text: str, nbgrader: dict | None = None) -> None:
        self._add(nbformat.v4.new_markdown_cell(text.strip("\n"), id=cell_id), nbgrader)

    def code(self, cell_id: str, source: str, nbgrader: dict | None = None) -> None:
        self._add(nbformat.v4.new_code_cell(source.strip("\n"), id=cell_id), nbgrader)

    def _add(self, cell, nbgrader: dict | None) -> None:
        if nbgrader:
            cell.metadata["nbgrader"] = nbgrader
            if nbgrader.get("locked"):
                cell.metadata.update(deletable=False, editable=False)
        self.cells.append(cell)

    # nbgrader's cell kinds
    def setup(self, cell_id: str, source: str) -> None:
        self.code(cell_id, source, _meta(cell_id, locked=True))

    def prompt(self, cell_id: str, text: str) -> None:
        self.md(cell_id, text, _meta(cell_id, locked=True))

    def answer(self, grade_id: str, source: str) -> None:
        self.code(grade_id, source, _meta(grade_id, solution=True))

    def written(self, grade_id: str, points: int, text: str, code: bool) -> None:
        meta = _meta(grade_id, solution=True, grade=True, points=points)
        (self.code if code else self.md)(grade_id, text, meta)

    def test(self, grade_id: str, points: int, source: str) -> None:
        self.code(grade_id, source, _meta(grade_id, grade=True, locked=True, points=points))


def _meta(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def _text(message: str) -> str:
    """A message as a Python string literal (quotes inside it escaped)."""
    return json.dumps(message, ensure_ascii=False)


def _letters(options) -> str:
    return "".join(letter for letter, _ in options)


def _options_md(options) -> str:
    return "\n".join(f"- **{letter}**: {text}" for letter, text in options)


def _skip_while_grading(call: str, imports: str) -> str:
    return ("# Not graded: the grader skips this cell.\n"
            "import os\n\n"
            'if not os.environ.get("NBGRADER_EXECUTION"):\n'
            f"    {imports}\n\n"
            f"    display({call})")


def decision_cells(cells: Cells, q: Decision) -> None:
    cells.md(f"{q.id}-intro", q.intro)
    for scene in q.scenes:
        text = f"**{scene.title}.** {scene.text}".rstrip()
        if scene.options:  # a scene with choices of its own shows them with it
            text += "\n\n" + _options_md(scene.options)
        cells.md(f"{scene.grade_id}-scene", text)
    if q.shared_options:
        cells.md(f"{q.id}-options", "The choices for " + ("each scene" if len(q.scenes) > 1 else "this scene")
                 + ":\n\n" + _options_md(q.shared_options))
    stub = "\n".join(f'{s.name} = ""' for s in q.scenes)
    solution = "\n".join(f'{s.name} = "{s.answer}"' for s in q.scenes)
    cells.answer(f"{q.id}-answer", f"{stub}\n### BEGIN SOLUTION\n{solution}\n### END SOLUTION")
    cells.code(f"{q.id}-check", "check(" + ", ".join(f'"{s.grade_id}"' for s in q.scenes) + ")")
    for scene in q.scenes:
        options = scene.options or q.shared_options
        letters = _letters(options)
        if scene.order:
            every = "".join(sorted(scene.answer))
            form = (f'assert "".join(sorted(letters_in_order({scene.name}, "{letters}"))) == "{every}", '
                    f'"Write each of the letters {", ".join(every)} once, in the order you would act, for example '
                    f'{scene.name} = \\"{scene.example}\\"."')
            right = f'assert letters_in_order({scene.name}, "{letters}") == "{scene.answer}", {_text(scene.why)}'
        else:
            form = (f'assert is_choice({scene.name}, "{letters}"), "Write one letter ({", ".join(letters)}) between '
                    f'the quotes, for example {scene.name} = \\"{scene.example}\\"."')
            right = f'assert choice({scene.name}) == "{scene.answer}", {_text(scene.why)}'
        cells.test(scene.grade_id, 1, f'"""{scene.docstring}"""\n{FORM_ONLY}\n{form}\n'
                                      f"### BEGIN HIDDEN TESTS\n{right}\n### END HIDDEN TESTS")


def own_work_cells(cells: Cells, q: OwnWork) -> None:
    cells.md(f"{q.id}-intro", q.intro)
    if q.written:
        w = q.written
        cells.prompt(f"{w.grade_id}-prompt", w.prompt_md())
        cells.written(w.grade_id, w.points, q.answer, code=True)
        if q.preview:
            cells.code(f"{q.id}-preview", q.preview)
        cells.code(f"{w.grade_id}-self", _skip_while_grading(f'SelfAssessment("{w.grade_id}")',
                                                             "from netcourse.widgets import SelfAssessment"))
    else:
        cells.answer(f"{q.id}-answer", q.answer)
    cells.code(f"{q.id}-check", "check(" + ", ".join(f'"{t.grade_id}"' for t in q.tests) + ")")
    for t in q.tests:
        hidden = f"### BEGIN HIDDEN TESTS\n{t.hidden}\n### END HIDDEN TESTS" if t.hidden else ""
        cells.test(t.grade_id, t.points, f'"""{t.docstring}"""\n{t.visible}\n{hidden}'.rstrip("\n"))


def written_cells(cells: Cells, w: Written) -> None:
    cells.prompt(f"{w.grade_id}-prompt", w.prompt_md())
    cells.written(w.grade_id, w.points, w.solution, code=False)
    cells.code(f"{w.grade_id}-self", _skip_while_grading(f'SelfAssessment("{w.grade_id}")',
                                                         "from netcourse.widgets import SelfAssessment"))


def build(nb_def: Notebook) -> nbformat.NotebookNode:
    cells = Cells()
    cells.md("intro", nb_def.intro)
    cells.setup(f"setup-{nb_def.name[:2]}", nb_def.setup)
    for part in nb_def.parts:
        if isinstance(part, Decision):
            decision_cells(cells, part)
        elif isinstance(part, OwnWork):
            own_work_cells(cells, part)
        elif isinstance(part, Written):
            written_cells(cells, part)
        else:  # plain teaching text between questions
            cells.md(part[0], part[1])
    cells.md("score-intro", nb_def.outro)
    cells.code("score", f'score("{nb_def.name}")')
    nb = nbformat.v4.new_notebook(cells=cells.cells)
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    return nb


def answer_key() -> str:
    lines = ["# Networking workbook: answer key", "",
             "Generated by `tools/build_workbook.py` from the same definitions as the workbook; do not edit.",
             "Each decision with its answer and the reason (the hidden test's message). Release it to a class",
             "after the deadline; self-study learners can read it after answering.", ""]
    for nb_def in NOTEBOOKS:
        lines += [f"## {nb_def.name}", ""]
        for part in nb_def.parts:
            if isinstance(part, Decision):
                for scene in part.scenes:
                    lines.append(f"- `{scene.grade_id}` (**{scene.answer}**): {scene.why}")
        lines.append("")
    return "\n".join(lines)


def guide_with_alignment(guide: str, notebooks: dict[str, nbformat.NotebookNode]) -> str:
    """The instructor guide with its objectives table regenerated between the markers."""
    from netcourse.workbook import alignment_markdown

    points = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
              for nb in notebooks.values() for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
    start, end = guide.index(ALIGNMENT[0]) + len(ALIGNMENT[0]), guide.index(ALIGNMENT[1])
    return guide[:start] + "\n" + alignment_markdown(points) + "\n" + guide[end:]


def render(nb: nbformat.NotebookNode) -> str:
    from netcourse.notebook_hygiene import clean

    data = clean(json.loads(nbformat.writes(nb)))
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed files")
    args = parser.parse_args(argv)
    built = {nb_def.name: build(nb_def) for nb_def in NOTEBOOKS}
    wanted = {SOURCE / f"{name}.ipynb": render(nb) for name, nb in built.items()}
    wanted[KEY] = answer_key() + "\n"
    wanted[GUIDE] = guide_with_alignment(GUIDE.read_text(encoding="utf-8"), built)
    stale = [path for path, text in wanted.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run python tools/build_workbook.py, then make release")
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
