"""Exact money for the funding planner: parse what a student typed, add, and format as dollars.

Money is :class:`decimal.Decimal` quantised to cents everywhere (never ``float``), so a thousand
lines of $0.10 add up to exactly $100.00. The parsers read a student's text ("45", "$1,234.50",
"" for zero) and raise :class:`MoneyError` with a message that names the field; nothing else
escapes them, whatever is typed (a 40-digit amount, year 1, "1 2").

Spaces: a space (or the no-break and thin spaces some keyboards and locales use) may separate
thousands in groups of three, as in "1 200" or "12 345.50", the way much of the world writes
amounts; anywhere else inside a number ("1 2", "12 34") it is refused with a message, never
silently joined. Spaces next to "$", "-" or the brackets ("$ 45") are ignored.
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
# Dates a plan can hold: earlier or later ones are typos (and year 1 leaves no room for an ask-by date).
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2999, 12, 31)
# Longer than any amount up to MAX_AMOUNT could be, written with separators and two decimals.
_MAX_CHARS = 40


class MoneyError(ValueError):
    """An amount, count or date the student typed cannot be used; the message says why."""


# ASCII digits only: str.isdigit and \d also accept superscripts and other scripts' digits.
_PLAIN = re.compile(r"^[0-9]+(\.[0-9]+)?$|^\.[0-9]+$")
_GROUPED = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
_SPACED = re.compile(rf"^[0-9]{{1,3}}([{_SPACES}][0-9]{{3}})+(\.[0-9]+)?$")
_AROUND_SIGNS = re.compile(rf"[{_SPACES}]*([$()\-])[{_SPACES}]*")


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
    a = "an" if noun[:1] in tuple("aeiou") else "a"
    if len(shown) > _MAX_CHARS:
        raise MoneyError(f"{label}: {shown[:12]}... is too long for {a} {noun}; check it.")
    text = _AROUND_SIGNS.sub(r"\1", shown.strip(_SPACES))
    if text in ("", "$"):
        return ZERO
    negative = text.startswith("-") or text.startswith("$-") or text.startswith("(")
    body = text.lstrip("$").lstrip("-(").lstrip("$").rstrip(")")
    if _SPACED.match(body):
        body = re.sub(f"[{_SPACES}]", "", body)  # "1 200": thousands separated by spaces
    readable = bool(_PLAIN.match(body) or _GROUPED.match(body))
    if negative and readable:
        raise MoneyError(f"{label}: {a} {noun} cannot be negative ({shown}); enter 0 or more.")
    if not readable:
        spaced = any(c in _SPACES for c in body)
        raise MoneyError(f"{label}: {shown!r} is not {a} {noun}; type a number such as 45 or 45.50"
                         + (" (a space may only separate thousands, as in 1 200)." if spaced else "."))
    amount = Decimal(body.replace(",", ""))  # the patterns above only let plain decimals through
    # Size first: quantising a number of 27 or more digits to cents would overflow Decimal's precision.
    if amount > MAX_AMOUNT:
        raise MoneyError(f"{label}: {shown} looks too large; check the {noun}.")
    if amount != amount.quantize(CENTS):
        raise MoneyError(f"{label}: use at most two decimals, not {shown}.")
    return amount.quantize(CENTS)


def parse_count(value: Any, label: str, maximum: int = MAX_COUNT) -> int:
    """A whole number of nights or days (blank means 0)."""
    text = "" if value is None else str(value).strip()
    if text == "":
        return 0
    if len(text) > _MAX_CHARS:
        raise MoneyError(f"{label}: {text[:12]}... is not a whole number; type for example 2.")
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
        when = date.fromisoformat(text)
    except ValueError:
        raise MoneyError(f"{label}: {text[:40]!r} is not a date; {DATE_HINT}.") from None
    if not FIRST_DATE <= when <= LAST_DATE:
        raise MoneyError(f"{label}: {when.isoformat()} is not a date a plan can use; check the year "
                         f"({FIRST_DATE.year} to {LAST_DATE.year}).")
    return when


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
