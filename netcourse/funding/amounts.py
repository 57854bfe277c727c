"""Exact money for the funding planner: parse what a student typed, add, and format as dollars.

Money is :class:`decimal.Decimal` quantised to cents everywhere (never ``float``), so a thousand
lines of $0.10 add up to exactly $100.00. The parsers read a student's text ("45", "$1,234.50",
"" for zero) and raise :class:`MoneyError` with a message that names the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENTS = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("1000000")
MAX_COUNT = 60
DATE_HINT = "use the form YYYY-MM-DD, for example 2026-03-14"


class MoneyError(ValueError):
    """An amount, count or date the student typed cannot be used; the message says why."""


# ASCII digits only: str.isdigit and \d also accept superscripts and other scripts' digits.
_PLAIN = re.compile(r"^[0-9]+(\.[0-9]+)?$|^\.[0-9]+$")
_GROUPED = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")


def money(value: Any) -> Decimal:
    """``value`` as Decimal cents, for trusted values in code (presets, tests)."""
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP)


def parse_money(value: Any, label: str = "Amount", noun: str = "amount") -> Decimal:
    """Read an amount a student typed (``"45"``, ``"$1,234.50"``, ``""`` for zero) as cents.

    Raises :class:`MoneyError` for negative, non-numeric or absurd amounts and for more
    than two decimals, with a message that names ``label`` (``noun`` says what is expected).
    """
    if isinstance(value, bool):
        raise MoneyError(f"{label}: expected a number such as 45 or 45.50.")
    if isinstance(value, (int, Decimal, float)):
        text = repr(value) if isinstance(value, float) else str(value)
    elif value is None:
        text = ""
    else:
        text = str(value)
    shown = text.strip()
    text = text.strip().replace(" ", "")
    if text in ("", "$"):
        return ZERO
    negative = text.startswith("-") or text.startswith("$-") or text.startswith("(")
    body = text.lstrip("$").lstrip("-(").lstrip("$").rstrip(")")
    if negative and (_PLAIN.match(body) or _GROUPED.match(body)):
        raise MoneyError(f"{label}: {'an' if noun[0] in 'aeiou' else 'a'} {noun} cannot be negative ({shown}); "
                         "enter 0 or more.")
    if not (_PLAIN.match(body) or _GROUPED.match(body)):
        raise MoneyError(f"{label}: {shown!r} is not {'an' if noun[0] in 'aeiou' else 'a'} {noun}; "
                         "type a number such as 45 or 45.50.")
    amount = Decimal(body.replace(",", ""))  # the patterns above only let plain decimals through
    if amount != amount.quantize(CENTS):
        raise MoneyError(f"{label}: use at most two decimals, not {shown}.")
    if amount > MAX_AMOUNT:
        raise MoneyError(f"{label}: {shown} looks too large; check the {noun}.")
    return amount.quantize(CENTS)


def parse_count(value: Any, label: str, maximum: int = MAX_COUNT) -> int:
    """A whole number of nights or days (blank means 0)."""
    text = "" if value is None else str(value).strip()
    if text == "":
        return 0
    if re.fullmatch(r"-\s*[0-9]+", text):
        raise MoneyError(f"{label}: cannot be negative; enter 0 or more.")
    if not re.fullmatch(r"[0-9]+", text):
        raise MoneyError(f"{label}: {text!r} is not a whole number; type for example 2.")
    count = int(text)
    if count > maximum:
        raise MoneyError(f"{label}: {count} is more than {maximum}; check the number.")
    return count


def parse_quantity(value: Any, label: str) -> Decimal:
    """A non-negative quantity such as miles (up to two decimals); blank means 0."""
    return parse_money(value, label, noun="number")


def parse_date(value: Any, label: str) -> date | None:
    """An ISO date (``2026-03-14``) or blank for none."""
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if text == "":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MoneyError(f"{label}: {text!r} is not a date; {DATE_HINT}.") from None


def format_money(amount: Decimal | int) -> str:
    """``$1,234.50``: two decimals, thousands separators, minus sign in front."""
    amount = Decimal(amount).quantize(CENTS, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def format_share(share: Decimal) -> str:
    """A share (0.455) as a whole percentage ("46%"), rounded half up."""
    return f"{(share * 100).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"


def sum_money(amounts: Iterable[Decimal]) -> Decimal:
    """Exact sum of amounts, as cents."""
    return sum((Decimal(a) for a in amounts), ZERO).quantize(CENTS)
