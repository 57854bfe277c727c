"""The judge (netcourse.grading.judge) decides tests on plain data, whatever the notebook's namespace holds.

These run the judge in-process through LocalLink (the self-check's link), so they are fast; the same
judge over a pipe to a sandboxed process is tested in tests/test_grading.py and tests/test_grading_hostile.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from netcourse.grading.judge import Judge, JudgeSink, LocalLink, StudentCodeError, defined_names
from netcourse.grading.preprocessors import failing_line


def judge_for(namespace: dict, timeout: float | None = None) -> Judge:
    return Judge(LocalLink(namespace), lambda: JudgeSink(10_000), timeout)


def errors(result) -> list[dict]:
    return [o for o in result.outputs if o["output_type"] == "error"]


def test_a_passing_and_a_failing_test_look_like_nbgrader_outputs():
    judge = judge_for({"a": 1})
    ok = judge.run_test('"""a is one"""\nassert a == 1\nprint("fine")', 1)
    assert ok.passed and ok.outputs == [{"output_type": "stream", "name": "stdout", "text": "fine\n"}]
    bad = judge.run_test('x = 1\nassert a == 2, "a should be two"', 2)
    assert not bad.passed
    (error,) = errors(bad)
    assert (error["ename"], error["evalue"]) == ("AssertionError", "a should be two")
    assert failing_line(error["traceback"]) == 2  # RedactFeedback finds the failing line of the test


def test_rebinding_builtins_or_the_compared_types_in_the_notebook_changes_nothing():
    class EqualsAnything:
        def __eq__(self, other):
            return True

        def __len__(self):
            return 3

    notebook = {"len": lambda x: 3, "isinstance": lambda *a: True, "list": lambda x: [2, 4, 6],
                "answer": EqualsAnything(), "double": lambda xs: EqualsAnything()}
    judge = judge_for(notebook)
    assert not judge.run_test("assert answer == [2, 4, 6]", 1).passed
    assert not judge.run_test("assert double([1, 2, 3]) == [2, 4, 6]", 2).passed
    assert not judge.run_test("assert isinstance(answer, list)", 3).passed
    assert judge.run_test("assert len([1]) == 1 and list('ab') == ['a', 'b']", 4).passed


def test_subclasses_with_forged_equality_are_compared_by_their_content():
    class Forged(list):
        def __eq__(self, other):
            return True

    judge = judge_for({"f": lambda: Forged([9])})
    assert not judge.run_test("assert f() == [1]", 1).passed
    assert judge.run_test("assert f() == [9] and type(f()) is list", 2).passed


def test_student_functions_run_where_they_live_and_their_results_come_back_as_plain_data():
    def add_words(table):
        return table.assign(words=table["text"].str.split().str.len())

    judge = judge_for({"add_words": add_words})
    result = judge.run_test(
        "import pandas as pd\n_t = pd.DataFrame({'text': ['a b', 'c']})\n_r = add_words(_t)\n"
        "assert isinstance(_r, pd.DataFrame)\nassert list(_r['words']) == [2, 1]\nassert 'words' not in _t.columns", 1)
    assert result.passed, result.outputs


def test_a_function_that_changes_its_argument_is_caught_by_a_test_that_looks():
    def sloppy(table):
        table["words"] = 1
        return table

    judge = judge_for({"sloppy": sloppy})
    result = judge.run_test("import pandas as pd\n_t = pd.DataFrame({'text': ['a']})\nsloppy(_t)\n"
                            "assert 'words' not in _t.columns, 'work on a copy'", 1)
    assert not result.passed and errors(result)[0]["evalue"] == "work on a copy"


def test_trusted_setup_names_win_over_the_notebooks_and_setup_never_reads_the_notebook():
    notebook = {"routes": pd.DataFrame({"route": ["fake"]}), "answer": 5}
    judge = judge_for(notebook)
    setup = judge.run_trusted("%matplotlib inline\nimport pandas as pd\nroutes = pd.DataFrame({'route': ['chapter']})\n"
                              "seen = answer", 1)
    assert not setup.passed  # `answer` is the notebook's: a setup cell cannot read it
    assert judge.run_test("assert list(routes['route']) == ['chapter']", 2).passed
    assert judge.run_test("assert answer == 5", 3).passed


def test_a_test_may_delete_and_restore_a_notebook_name_as_nbgraders_examples_do():
    namespace = {}
    exec("def squares(n):\n    return [i * i for i in range(1, n + 1)]\n"
         "def sum_of_squares(n):\n    return sum(squares(n))", namespace)
    judge = judge_for(namespace)
    test = ("orig = squares\ndel squares\ntry:\n    sum_of_squares(1)\nexcept NameError:\n    pass\n"
            "else:\n    raise AssertionError('does not use squares')\nfinally:\n    squares = orig\n"
            "assert sum_of_squares(3) == 14")
    assert judge.run_test(test, 1).passed
    assert "squares" in namespace  # restored in the notebook


def test_exceptions_from_student_code_can_be_caught_by_type_and_keep_their_message():
    def checked(n):
        if n < 1:
            raise ValueError("n must be at least 1")
        return n

    def lookup(key):
        return {}[key]

    def leave():
        raise SystemExit(3)

    judge = judge_for({"checked": checked, "lookup": lookup, "leave": leave})
    assert judge.run_test("try:\n    checked(0)\nexcept ValueError as e:\n    assert 'at least 1' in str(e)\n"
                          "else:\n    raise AssertionError('did not raise')", 1).passed
    assert judge.run_test("try:\n    lookup('x')\nexcept KeyError as e:\n    assert e.args == ('x',)", 2).passed
    result = judge.run_test("leave()", 3)
    assert not result.passed and errors(result)[0]["ename"] == StudentCodeError.__name__


def test_missing_names_are_name_errors_and_the_last_expression_is_shown():
    judge = judge_for({"score": 1.5})
    missing = judge.run_test("assert undefined_thing == 1", 1)
    assert errors(missing)[0]["ename"] == "NameError" and "undefined_thing" in errors(missing)[0]["evalue"]
    shown = judge.run_test("score", 2)
    assert shown.outputs == [{"output_type": "execute_result", "execution_count": 2,
                              "data": {"text/plain": "1.5"}, "metadata": {}}]
    assert judge.run_test("score;", 3).outputs == []


def test_a_student_object_shows_as_a_placeholder_never_as_its_own_text():
    class Sneaky:
        def __repr__(self):
            return "3.0"  # nbgrader would read this as partial credit

    judge = judge_for({"thing": Sneaky()})
    (shown,) = judge.run_test("thing", 1).outputs
    assert shown["data"]["text/plain"].endswith("from the notebook>")


def test_the_judge_stops_a_test_that_runs_too_long():
    judge = judge_for({}, timeout=2.0)
    result = judge.run_test("while True:\n    pass", 1)
    assert not result.passed and errors(result)[0]["ename"] == "TimeoutError"


def test_what_student_code_prints_during_a_test_is_shown_and_error_stream_text_is_kept():
    import sys

    def noisy():
        print("working")
        print("careful", file=sys.stderr)
        return 1

    result = judge_for({"noisy": noisy}).run_test("assert noisy() == 1", 1)
    assert result.passed
    assert {(o["name"], o["text"]) for o in result.outputs} == {("stdout", "working\n"), ("stderr", "careful\n")}


@pytest.mark.parametrize("source", ["x = (", "def f(:\n    pass"])
def test_a_test_that_cannot_be_parsed_fails_with_a_syntax_error(source):
    result = judge_for({}).run_test(source, 1)
    assert not result.passed and errors(result)[0]["ename"] in ("SyntaxError", "IndentationError")


SETUP = "from netcourse.workbook import choice, pitch_check\nimport os.path\nLIMIT = 3\ndef helper():\n    pass\n" \
        "for row in []:\n    pass\n[hidden for hidden in ()]\nfrom netcourse.selfcheck import *"


def test_names_the_setup_defines_are_collected_statically():
    names = defined_names([SETUP, "%matplotlib inline\nimport numpy as np"])
    assert {"choice", "pitch_check", "os", "LIMIT", "helper", "row", "np", "check", "score"} <= names
    assert "hidden" not in names and "pass" not in names


def test_a_name_the_setup_defines_never_comes_from_the_notebook_even_when_the_setup_did_not_run():
    """A student who deletes, skips, unlocks or moves the read-only setup cell and defines the checker
    himself: the test must not use his checker (it gets a NameError), nor any other reserved name."""
    class Yes:
        fits = True

    notebook = {"pitch_check": lambda *a: Yes(), "my_pitch": "x", "choice": lambda x: "c", "answer": "b"}
    judge = Judge(LocalLink(notebook), lambda: JudgeSink(10_000), None, defined_names([SETUP]))
    cheated = judge.run_test("assert pitch_check(my_pitch).fits", 1)
    assert not cheated.passed and errors(cheated)[0]["ename"] == "NameError"
    assert not judge.run_test('assert choice(answer) == "c"', 2).passed
    judge.run_trusted(SETUP, 3)  # once the setup has run (where it belongs), its names are the judge's own
    assert judge.run_test('assert choice(answer) == "b" and my_pitch == "x"', 4).passed


def test_a_failure_whose_message_cannot_be_printed_is_still_a_failing_test():
    # str(ValueError(2 ** 20000)) raises (Python's 4,300-digit limit): the judge's own error report must not,
    # or the worker stops and the whole submission "failed"
    def huge():
        raise ValueError(2 ** 20000)

    result = judge_for({"huge": huge}).run_test("huge()", 1)
    assert not result.passed and errors(result)[0]["ename"] == "ValueError"
    assert "cannot be shown" in errors(result)[0]["evalue"]
