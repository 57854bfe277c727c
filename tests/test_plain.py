"""The grading boundary's data format (netcourse.grading.plain): what crosses is plain data, rebuilt here.

Property tests: every plain value survives encode → JSON → decode unchanged, with its exact type; any JSON
at all decodes to plain data or raises BridgeError (never anything else), because a hostile student can
make their process send any JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcourse.grading import plain
from netcourse.grading.plain import BridgeError, Ref

PLAIN_TYPES = (type(None), bool, int, float, complex, str, bytes, bytearray, list, tuple, dict, set, frozenset,
               range, Decimal, Fraction, dt.date, dt.datetime, dt.time, dt.timedelta)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
    st.binary(max_size=20), st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.fractions(max_denominator=1000), st.dates(), st.datetimes(), st.times(), st.timedeltas(),
    st.complex_numbers(allow_nan=False, allow_infinity=True),
)
hashables = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10), st.dates())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.tuples(inner, inner), st.dictionaries(hashables, inner, max_size=4),
        st.frozensets(hashables, max_size=4), st.sets(hashables, max_size=4),
    ),
    max_leaves=25,
)


def round_trip(value, **kwargs):
    return plain.decode(json.loads(json.dumps(plain.encode(value, **kwargs), allow_nan=False)))


def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_every_plain_value_crosses_unchanged_with_its_exact_type(value):
    assert same(round_trip(value), value)


@given(st.floats())
def test_every_float_crosses_including_nan_and_infinity(value):
    back = round_trip(value)
    assert type(back) is float and (back == value or (math.isnan(value) and math.isnan(back)))


@given(st.integers(min_value=-(10 ** 400), max_value=10 ** 400))
def test_huge_integers_cross_exactly(value):
    assert round_trip(value) == value


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
              st.text(max_size=8), st.sampled_from(["$", "ref", "ndarray", "DataFrame", "Index", "tuple", "dict"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(
        st.sampled_from(["$", "v", "id", "dtype", "shape", "data", "columns", "index", "name", "range", "hex"]),
        inner, max_size=5)),
    max_leaves=20,
)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_json_a_hostile_process_sends_decodes_to_plain_data_or_a_bridge_error(data):
    try:
        value = plain.decode(data)
    except BridgeError:
        return

    def plain_only(v):
        if isinstance(v, (list, tuple, set, frozenset)):
            return all(plain_only(x) for x in v)
        if isinstance(v, dict):
            return all(plain_only(k) and plain_only(x) for k, x in v.items())
        return isinstance(v, (*PLAIN_TYPES, np.ndarray, np.generic, pd.Series, pd.DataFrame, pd.Index))
    assert plain_only(value)


def test_nested_too_deep_is_refused_on_both_sides():
    deep = current = []
    for _ in range(plain.MAX_DEPTH + 5):
        current.append([])
        current = current[0]
    with pytest.raises(BridgeError, match="nested"):
        plain.encode(deep)
    with pytest.raises(BridgeError):
        plain.decode(_deep_json(3000))


def _deep_json(depth):
    data = 0
    for _ in range(depth):
        data = [data]
    return data


@pytest.mark.parametrize("value", [
    pd.DataFrame({"a": [1, 2], "b": ["x", "y"], "c": [True, False], "d": [1.5, float("nan")]}),
    pd.DataFrame({"when": pd.to_datetime(["2026-03-10", "2026-03-20"])}, index=["lee", "chen"]),
    pd.DataFrame({"t": pd.to_datetime(["2020-01-01"]).tz_localize("Europe/Paris")}),
    pd.DataFrame(index=[3, 4]),
    pd.DataFrame({"x": []}),
    pd.DataFrame([[1, 2]], columns=["dup", "dup"]),
    pd.Series([1, None], dtype="Int64"),
    pd.Series(pd.Categorical(["a", "b", "a"], ordered=True)),
    pd.Series(["a", None]),
    pd.Series([pd.Timedelta("1D")], name="gap"),
    pd.Series([1, 2], index=pd.MultiIndex.from_arrays([[1, 2], ["a", "b"]], names=["n", "s"])),
    pd.date_range("2026-01-01", periods=3),
])
def test_tables_cross_with_values_dtypes_and_index(value):
    back = round_trip(value)
    assert type(back) is type(value) and back.equals(value)
    if isinstance(value, pd.DataFrame):
        assert list(map(str, back.dtypes)) == list(map(str, value.dtypes))
        assert list(back.columns) == list(value.columns) and back.index.equals(value.index)
    elif isinstance(value, pd.Series):
        assert str(back.dtype) == str(value.dtype) and back.index.equals(value.index) and back.name == value.name


@pytest.mark.parametrize("value", [np.int64(4), np.float32(1.5), np.bool_(True), np.array([[1, 2], [3, 4]]),
                                   np.array(["a", "bc"]), np.array(["2026-01-01"], dtype="datetime64[ns]"),
                                   np.array([1 + 2j]), np.array([1, "x", None], dtype=object)])
def test_numpy_values_cross_with_their_dtype(value):
    back = round_trip(value)
    assert type(back) is type(value) and back.dtype == value.dtype
    assert np.array_equal(back, value) if isinstance(value, np.ndarray) and value.dtype != object else True


def test_subclasses_cross_as_their_plain_content_so_their_methods_never_reach_a_verdict():
    class Always(list):
        def __eq__(self, other):
            return True

    class Loud(str):
        def __eq__(self, other):
            return True

    back = round_trip(Always([1, 2]))
    assert type(back) is list and back == [1, 2] and back != [3]
    assert type(round_trip(Loud("no"))) is str and round_trip(Loud("no")) != "yes"


def test_other_objects_stay_behind_as_references_that_equal_only_themselves():
    class EqualsAnything:
        def __eq__(self, other):
            return True

    made = []
    data = json.loads(json.dumps(plain.encode([EqualsAnything(), len], make_ref=lambda o: made.append(o) or {
        "$": "ref", "id": len(made), "type": type(o).__qualname__, "callable": callable(o)})))
    refs = plain.decode(data, resolve_ref=lambda d: Ref(None, d["id"], d["type"], d["callable"]))
    assert all(isinstance(r, Ref) for r in refs)
    assert refs[0] != refs[0].__class__ and refs[0] != 1 and refs[0] != [2, 4] and refs[0] == refs[0]
    assert "from the notebook" in repr(refs[0])
    with pytest.raises(BridgeError):
        plain.decode(data)  # without a way to resolve them, references are refused
    with pytest.raises(TypeError, match="only plain data"):
        plain.encode(EqualsAnything())  # and the judge never sends one of its own objects


@pytest.mark.parametrize("bad", [
    {"$": "ndarray", "dtype": "|V100000", "shape": [1], "data": [0]},
    {"$": "ndarray", "dtype": "<i8", "shape": [2, 2], "data": [1, 2, 3]},
    {"$": "ndarray", "dtype": "<i8", "shape": [1], "data": ["not a number"]},
    {"$": "DataFrame", "columns": {"$": "Index", "range": [0, 2, 1]}, "index": {"$": "Index", "range": [0, 1, 1]},
     "data": [{"dtype": "<i8", "values": [1]}]},
    {"$": "module", "name": "os; rm -rf /"},
    {"$": "dict", "v": [[[1], 2]]},
    {"$": "who-knows"},
    {"no": "tag"},
])
def test_malformed_messages_raise_bridge_errors(bad):
    with pytest.raises(BridgeError):
        plain.decode(bad)


def test_too_large_values_are_refused_with_a_message():
    with pytest.raises(BridgeError, match="too large"):
        plain.encode("x" * (plain.MAX_TEXT + 1))


@pytest.mark.parametrize("big", [2 ** (plain.MAX_INT_BITS + 1), -(2 ** (plain.MAX_INT_BITS + 1)),
                                 Fraction(2 ** (plain.MAX_INT_BITS + 1) + 1, 7)], ids=["int", "negative", "fraction"])
def test_integers_too_large_to_compute_with_safely_are_refused_on_both_sides(big):
    # A Fraction of two huge integers sent unreduced makes the judge reduce it (math.gcd, in C: no time limit
    # can interrupt it): a student's process must not be able to stall the trusted judge for hours.
    with pytest.raises(BridgeError, match="too large"):
        plain.encode(big)
    huge = {"$": "int", "hex": "f" * (plain.MAX_INT_BITS // 4 + 4)}
    with pytest.raises(BridgeError, match="too large"):
        plain.decode({"$": "fraction", "v": [huge, huge]})
    assert plain.decode({"$": "int", "hex": hex(2 ** plain.MAX_INT_BITS - 1)}) == 2 ** plain.MAX_INT_BITS - 1
    assert plain.decode({"$": "int", "hex": hex(-(2 ** plain.MAX_INT_BITS - 1))}) == -(2 ** plain.MAX_INT_BITS - 1)


def test_arrays_that_would_take_more_memory_than_the_budget_are_refused_before_they_are_built(monkeypatch):
    # 3 bytes of message per cell, 4096 bytes per cell in the judge: a 64 MB message would ask for 90 GB
    monkeypatch.setattr(plain, "MAX_ARRAY_BYTES", 4 * 1024 * 1024)
    cells = plain.MAX_ARRAY_BYTES // 4096 + 1
    forged = {"$": "ndarray", "dtype": "<U1024", "shape": [cells], "data": [""] * cells}
    with pytest.raises(BridgeError, match="too large"):
        plain.decode(forged)
    half = {"$": "ndarray", "dtype": "<U1024", "shape": [cells // 2], "data": [""] * (cells // 2)}
    with pytest.raises(BridgeError, match="too large"):
        plain.decode([half, half, half])  # the budget is per message, not per array
    assert plain.decode(half).shape == (cells // 2,)
    with pytest.raises(BridgeError, match="too large"):
        plain.encode(np.zeros(plain.MAX_ARRAY_BYTES // 8 + 1))


@pytest.mark.parametrize("zone", ["dateutil//etc/hostname", "/etc/hostname", "../../etc/passwd", ":/etc/hostname"])
def test_a_time_zone_is_a_name_never_a_file_the_judge_would_open(zone):
    column = {"dtype": "datetimetz", "tz": zone, "unit": "ns", "values": [0]}
    series = {"$": "Series", "name": None, "index": {"$": "Index", "range": [0, 1, 1], "name": None}, "data": column}
    with pytest.raises(BridgeError, match="time zone"):
        plain.decode(series)
    with pytest.raises(BridgeError, match="time zone"):
        plain.decode({"$": "Timestamp", "v": 0, "tz": zone})
    assert str(round_trip(pd.Timestamp(0, tz="Europe/Berlin")).tz) == "Europe/Berlin"


def test_write_back_applies_a_students_changes_to_the_judges_arguments():
    frame = pd.DataFrame({"text": ["a b", "c"]})
    changed = frame.assign(words=[2, 1])
    assert plain.write_back(frame, changed) and "words" in frame.columns
    items = [1, 2]
    assert plain.write_back(items, [1, 2, 3]) and items == [1, 2, 3]
    assert not plain.write_back((1, 2), (1, 2, 3))  # immutable: nothing to apply
