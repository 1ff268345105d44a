"""Figures for people: exact counts written as decimals, percentages and ratios in words.

Counting is exact (integers, :class:`~fractions.Fraction`, and :class:`~decimal.Decimal`
where a law fixes the places, as the Scottish STV rule's five). People read decimals: a
whole number stays whole (``12,345``), a fraction is rounded half to even (``446710/7`` ->
``63,815.71``), a Decimal keeps the places the law gave it. Exact fractions stay exact only
in JSON (see :mod:`suffrage.counting.writers`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from suffrage.errors import InvalidInput, quote

__all__ = ["decimal", "decimals_in_text", "is_figure", "percent", "ratio_in_words"]

Number = int | Fraction | Decimal

_FRACTION = re.compile(r"(?<![\w/.])(\d+)/(\d+)(?![\w/])")


def is_figure(value: object) -> bool:
    """Whether ``value`` is a count this module can write (``bool`` is not)."""
    return isinstance(value, int | Fraction | Decimal) and not isinstance(value, bool)


def decimal(value: Number, places: int = 2, *, fixed: bool = False, grouped: bool = True) -> str:
    """``value`` with thousands separators: whole numbers as they are, a Decimal at its own
    places, a fraction rounded half to even at ``places`` (``Fraction(2469, 2)`` ->
    ``1,234.50``); ``fixed`` writes whole numbers at ``places`` too, to line up a column;
    ``grouped=False`` leaves out the separators (for CSV and JSON)."""
    text = _decimal(value, places, fixed=fixed)
    return text if grouped else text.replace(",", "")


def _decimal(value: Number, places: int, *, fixed: bool) -> str:
    if not is_figure(value):
        raise InvalidInput("figure", f"{quote(value)} is not a number")
    if isinstance(value, Decimal):
        return f"{value:,}" if value.is_finite() else str(value)
    if not fixed and (isinstance(value, int) or value.denominator == 1):
        return f"{int(value):,}"
    value = Fraction(value)
    scaled = round(value * 10**places)  # Fraction rounds half to even
    sign = "-" if scaled < 0 else ""
    whole, part = divmod(abs(scaled), 10**places)
    return f"{sign}{whole:,}.{part:0{places}d}" if places else f"{sign}{whole:,}"


def percent(part: Number, whole: Number, places: int = 2) -> str:
    """``part`` as a percentage of ``whole`` (``52.00%``); ``—`` when ``whole`` is zero."""
    if not whole:
        return "—"
    share = Fraction(part) / Fraction(whole)
    return f"{decimal(share * 100, places, fixed=True)}%"


def ratio_in_words(share: Fraction) -> str:
    """A required share written both ways: ``1/2 (50.00%)``; a whole number alone."""
    if share.denominator == 1:
        return f"{share.numerator}"
    return f"{share.numerator}/{share.denominator} ({percent(share, 1)})"


def decimals_in_text(text: str, places: int = 2) -> str:
    """``text`` with every exact fraction ``p/q`` in it written as a decimal, for the events
    of an audit trail (``seat 3 to A, quotient 3535/2`` -> ``... quotient 1,767.50``)."""

    def replace(match: re.Match[str]) -> str:
        top, bottom = int(match.group(1)), int(match.group(2))
        return match.group(0) if bottom == 0 else decimal(Fraction(top, bottom), places)

    return _FRACTION.sub(replace, text)
