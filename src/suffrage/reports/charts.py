"""SVG charts of a count: one self-contained picture per contest (spec/counting.md#charts).

Every method's :class:`~suffrage.counting.Result` becomes one of three pictures:

- a grid of small multiples (rows = options in order of final standing, columns = rounds or
  stages, each cell a short bar with its figure): ranked counts, two-round, and, with a single
  column and a seats column, list, plurality, approval and Condorcet results;
- a stacked yes/no bar with the required-majority line: referendums.

Layout is computed from a conservative estimate of text widths (:func:`text_width`), so a name
never runs into a figure: names get a column as wide as the widest name, figures a reserved
slot to the right of the longest bar. Wider than :data:`MAX_WIDTH`, the rounds wrap into a
further band of columns in the same SVG. The document has no script, no external font or
reference, and opens with ``<title>`` and ``<desc>`` for screen readers.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from suffrage.counting import Result, Stage
from suffrage.errors import InvalidInput
from suffrage.i18n import Catalog, catalog

__all__ = ["MAX_WIDTH", "RoundsTable", "result_chart", "rounds_table", "text_width"]

MAX_WIDTH = 1600
"""The widest a chart gets; more rounds than fit wrap into another band of columns."""
FONT = '"Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", sans-serif'
INK, MUTED, WIN, BAR, OUT, GREY, LINE = (
    "#1a1a1a", "#4d4d4d", "#1b5e20", "#2d62a8", "#9a4a00", "#6e6e6e", "#a3001b",
)  # fmt: skip
"""Text 4.5:1 or more on white, bars 3:1 or more (all here reach 5:1)."""
EXHAUSTED = ("(exhausted)", "(non-transferable)")
PAD, NAME_MAX = 16, 280
RANKED = ("irv", "stv-")
CONDORCET = frozenset({"schulze", "ranked_pairs", "debian"})


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """A width in pixels no smaller than ``text`` takes in Noto Sans at ``size``: per-character
    widths, a full em for CJK and symbols, wider for Arabic; 8 % more when bold."""
    total = 0.0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        if unicodedata.east_asian_width(ch) in "WF" or ch in "✓✕":
            total += 1.0
        elif ch in "MWmw@%—":
            total += 0.95
        elif "\u0600" <= ch <= "\u06ff":
            total += 0.78
        elif ch.isupper():
            total += 0.74
        elif ch in " .,:;'!|il()[]\u00a0\u202f":
            total += 0.36
        else:
            total += 0.62
    return total * size * (1.08 if bold else 1.0)


def _rtl(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters (Arabic, Hebrew)."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


class _Svg:
    """The elements of one chart, in drawing order."""

    def __init__(self, language: str = "en") -> None:
        self.parts: list[str] = []
        self.language = language

    def text(self, x: float, y: float, s: str, *, size: float = 13, cls: str = "label",
             anchor: str = "start", bold: bool = False, fill: str = INK,
             halo: bool = False) -> None:  # fmt: skip
        """Text whose ``anchor`` (start = left edge) holds whatever the script's direction;
        a white ``halo`` keeps a figure legible where a dashed line crosses it."""
        extra = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"' if halo else ""
        if _rtl(s):
            anchor = {"start": "end", "end": "start"}.get(anchor, anchor)
            extra += ' direction="rtl"'
        weight = ' font-weight="bold"' if bold else ""
        self.parts.append(
            f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" font-size="{size}" '
            f'text-anchor="{anchor}" fill="{fill}"{weight}{extra}>{escape(s)}</text>'
        )

    def rect(self, x: float, y: float, w: float, h: float, fill: str, *, extra: str = "") -> None:
        """A rectangle."""
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" '
            f'fill="{fill}"{extra}/>'
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str, *, extra: str = ""
    ) -> None:
        """A line."""
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{stroke}"{extra}/>'
        )


# ---------------------------------------------------------------- numbers and words


def _number(value: Any) -> float:
    """A figure of a trail (int, Fraction, decimal string) as a float for drawing."""
    if isinstance(value, bool):
        raise InvalidInput("result", f"a figure must be a number, not {value!r}")
    if isinstance(value, int | float | Fraction | Decimal):
        return float(value)
    try:
        return float(Decimal(str(value)))
    except InvalidOperation:
        raise InvalidInput("result", f"a figure must be a number, not {value!r}") from None


def _numeric(values: Mapping[str, Any]) -> bool:
    """Whether every value of a stage is a plain figure."""
    try:
        for v in values.values():
            _number(v)
    except InvalidInput:
        return False
    return bool(values)


def _fmt(value: float, language: str, places: int | None = None) -> str:
    """A figure for people: grouped thousands, two decimals unless whole."""
    places = places if places is not None else (0 if float(value).is_integer() else 2)
    text = f"{value:,.{places}f}"
    if language in ("fr", "ru", "es"):
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def _pct(share: float, language: str) -> str:
    """A share as a percentage with one decimal."""
    text = _fmt(100 * share, language, 1)
    return f"{text}\u00a0%" if language in ("fr", "ru", "es") else f"{text}%"


def _method(result: Result, t: Catalog) -> str:
    """The counting method in words."""
    m = result.method
    if m.startswith("largest_remainder"):
        return t("method_largest_remainder", quota=str(result.options.get("quota", m[18:])))
    key = f"method_{m}"
    return t(key) if key in t.strings else t("method_other", method=m)


def _wrap(text: str, size: float, limit: float, *, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``limit`` (by words, or by characters for CJK)."""
    if text_width(text, size, bold=bold) <= limit:
        return [text]
    words = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines: list[str] = []
    for word in words:
        trial = f"{lines[-1]}{joiner}{word}" if lines else word
        if lines and text_width(trial, size, bold=bold) <= limit:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def _join(items: Sequence[str], t: Catalog) -> str:
    """A list in running text."""
    return ("، " if t.language == "ar" else "、" if t.language == "zh" else ", ").join(items)


# ---------------------------------------------------------------- the grid of small multiples


@dataclass(frozen=True, slots=True)
class _Column:
    """One round or stage: a figure per row, marks (✓/✕) and an optional line."""

    label: str
    values: Mapping[str, float]
    marks: Mapping[str, str] = field(default_factory=dict)
    line: float | None = None
    line_label: str = ""


@dataclass(frozen=True, slots=True)
class _Row:
    """One option: its display name, its fate in words, how it is drawn."""

    key: str
    name: str
    status: str = ""
    won: bool = False
    exhausted: bool = False
    seats: int | None = None


@dataclass(frozen=True, slots=True)
class _Grid:
    """A whole grid chart before layout."""

    rows: tuple[_Row, ...]
    columns: tuple[_Column, ...]
    legend: str
    bar: float


def _ranked_grid(result: Result, t: Catalog, names: Mapping[str, str]) -> _Grid:
    """Rounds of IRV or stages of STV as small multiples."""
    stages = [
        s for s in result.trail.stages if isinstance(s.values, Mapping) and _numeric(s.values)
    ]
    stv = result.method.startswith("stv")
    quota = _number(result.options["quota"]) if stv and "quota" in result.options else None
    out_at = _fates(stages, ("eliminated ", "excluded "))
    in_at = _fates(stages, ("elected ",))
    columns = [
        _stage_column(stage, i, t, stv=stv, quota=quota, out_at=out_at, in_at=in_at)
        for i, stage in enumerate(stages)
    ]
    keys = [k for k in stages[0].values if k not in EXHAUSTED] if stages else []
    for stage in stages:
        keys += [k for k in stage.values if k not in EXHAUSTED and k not in keys]
    final = {k: _final(k, columns, out_at) for k in keys}
    order = sorted(keys, key=lambda k: _standing(k, result.elected, final))
    word = "excluded_in" if stv else "eliminated_in"
    rows = [
        _Row(
            key=k,
            name=names.get(k, k),
            won=k in result.elected,
            status=t("elected")
            if k in result.elected
            else t(word, n=stages[out_at[k]].number)
            if k in out_at
            else "",
        )
        for k in order
    ]
    spent = [k for k in EXHAUSTED if any(k in c.values for c in columns)]
    rows += [_Row(key=k, name=t("exhausted" if k == "(exhausted)" else "non_transferable"),
                  exhausted=True) for k in spent]  # fmt: skip
    what = (
        f"{t('line_quota')} ({_fmt(quota, t.language)})" if quota is not None
        else t("line_majority")
    )  # fmt: skip
    legend = f"{t('legend_marks')} · {t('legend_line', what=what)}"
    return _Grid(tuple(rows), tuple(columns), legend, 100.0)


@dataclass(frozen=True, slots=True)
class RoundsTable:
    """The rounds (IRV) or stages (STV) of a ranked count as a table for people: a column
    per round, a row per option (the elected first, in order of election, then the later
    eliminated), then the exhausted ballots; each row's fate in words. Figures are written
    for ``language``; an option out of the count has ``""`` from then on."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    fates: tuple[str, ...]
    won: tuple[bool, ...]


def rounds_table(
    result: Result, *, language: str, names: Mapping[str, str] | None = None
) -> RoundsTable | None:
    """The rounds of an IRV or STV ``result`` as the chart draws them (the same order, the
    same fates, the same words), for a table beside it; ``None`` for another method."""
    if not result.method.startswith(RANKED):
        return None
    t = catalog("charts", language)
    grid = _ranked_grid(result, t, dict(names or {}))

    def figures(key: str) -> tuple[str, ...]:
        return tuple(_fmt(c.values[key], language) if key in c.values else "" for c in grid.columns)

    rows = tuple((row.name, *figures(row.key)) for row in grid.rows)
    return RoundsTable(
        headings=tuple(c.label for c in grid.columns),
        rows=rows,
        fates=tuple(row.status for row in grid.rows),
        won=tuple(row.won for row in grid.rows),
    )


def _fates(stages: Sequence[Stage], prefixes: Sequence[str]) -> dict[str, int]:
    """The index of the first stage whose events name each option after one of ``prefixes``
    (``eliminated ``, ``excluded ``, ``elected ``)."""
    at: dict[str, int] = {}
    for i, stage in enumerate(stages):
        for event in stage.events:
            for key in _named(event, prefixes, stage.values):
                at.setdefault(key, i)
    return at


def _stage_column(
    stage: Stage, i: int, t: Catalog, *, stv: bool, quota: float | None,
    out_at: Mapping[str, int], in_at: Mapping[str, int],
) -> _Column:  # fmt: skip
    """One stage as a column: figures of the options still in the count, the marks of this
    stage, and the quota (STV) or the majority of continuing ballots (IRV)."""
    values = {k: _number(v) for k, v in stage.values.items() if i <= out_at.get(k, i)}
    marks = {k: "✕" for k, at in out_at.items() if at == i}
    marks |= {k: "✓" for k, at in in_at.items() if at == i}
    label = t("stage" if stv else "round", n=stage.number)
    if quota is not None:
        return _Column(label, values, marks, quota, t("quota_line", value=_fmt(quota, t.language)))
    need = sum(v for k, v in values.items() if k not in EXHAUSTED) // 2 + 1
    return _Column(label, values, marks, need, t("majority_line", value=_fmt(need, t.language)))


def _named(event: str, prefixes: Sequence[str], values: Mapping[str, Any]) -> list[str]:
    """The option keys an event names after one of ``prefixes`` (one, or a batch list)."""
    for prefix in prefixes:
        if event.startswith(prefix):
            rest = event[len(prefix) :]
            if rest in values:
                return [rest]
            listed = rest.split(": ", 1)[-1].split(", ")
            return [k for k in listed if k in values]
    return []


def _final(key: str, columns: Sequence[_Column], out_at: Mapping[str, int]) -> tuple[int, float]:
    """The last column a row stands in and its figure there."""
    last = min(out_at.get(key, len(columns) - 1), len(columns) - 1)
    while last > 0 and key not in columns[last].values:
        last -= 1
    return last, columns[last].values.get(key, 0.0)


def _standing(
    key: str, elected: Sequence[str], final: Mapping[str, tuple[int, float]]
) -> tuple[int, float, float]:  # fmt: skip
    """Sort key: the elected in order of election, then later eliminations first."""
    if key in elected:
        return (0, elected.index(key), 0.0)
    last, value = final[key]
    return (1, -last, -value)


def _two_round_grid(result: Result, t: Catalog, names: Mapping[str, str]) -> _Grid:
    """The first round with the majority line, and the run-off."""
    stages = result.trail.stages
    first = stages[0].values
    votes = {k: _number(v) for k, v in first["votes"].items()}
    need_at = float(Fraction(first["majority"]) * int(first["base"]))
    need = math.floor(need_at) + 1
    mark = {k: "✓" for k in result.elected if k in votes and len(stages) == 1}
    columns = [_Column(t("round", n=1), votes, mark, need_at,
                       t("majority_line", value=_fmt(need, t.language)))]  # fmt: skip
    if len(stages) >= 3:
        second = {k: _number(v) for k, v in stages[2].values.items()}
        columns.append(_Column(t("round", n=2), second, dict.fromkeys(result.elected, "✓")))
    order = sorted(votes, key=lambda k: (k not in result.elected, -columns[-1].values.get(k, -1),
                                         -votes[k]))  # fmt: skip
    rows = tuple(
        _Row(key=k, name=names.get(k, k), won=k in result.elected,
             status=t("elected") if k in result.elected else "")
        for k in order
    )  # fmt: skip
    legend = f"{t('legend_marks')} · {t('legend_line', what=t('line_majority_valid'))}"
    return _Grid(rows, tuple(columns), legend, 300.0)


def _single_grid(result: Result, t: Catalog, names: Mapping[str, str]) -> _Grid:
    """One column of totals: list votes with seats, plurality, approval, Condorcet wins."""
    totals = {k: _number(v) for k, v in result.totals.items()}
    seats = {k: int(v) for k, v in result.seats.items()} if result.seats else None
    condorcet = result.method in CONDORCET
    label = t("pairwise_wins") if condorcet else t("votes")
    line, line_label, what = _list_line(result, totals, t)
    won = set(result.elected) | {k for k, n in (seats or {}).items() if n > 0}
    order = sorted(totals, key=lambda k: (-totals[k], k not in won, k))
    status = t("winner") if condorcet else t("elected")
    rows = tuple(
        _Row(key=k, name=names.get(k, k), won=k in won,
             status=status if k in won and seats is None else "",
             seats=None if seats is None else seats.get(k, 0))
        for k in order
    )  # fmt: skip
    legend = t("winner") if condorcet else t("legend_marks").split("·")[0].strip()
    if what:
        legend = f"{legend} · {t('legend_line', what=what)}"
    marks = dict.fromkeys(won, "✓") if seats is None else {}
    return _Grid(rows, (_Column(label, totals, marks, line, line_label),), legend, 360.0)


def _list_line(
    result: Result, totals: Mapping[str, float], t: Catalog
) -> tuple[float | None, str, str]:
    """A list threshold (``options['threshold']``, a share of the votes) or a largest-remainder
    quota, as a position in votes, its label and the legend's word for it."""
    if result.options.get("threshold") is not None:
        share = _number(result.options["threshold"])
        return (share * sum(totals.values()), t("threshold_line", value=_pct(share, t.language)),
                t("line_threshold"))  # fmt: skip
    if result.options.get("quota_value") is not None:
        q = _number(result.options["quota_value"])
        return q, t("quota_line", value=_fmt(q, t.language)), t("line_quota")
    return None, "", ""


# ---------------------------------------------------------------- grid layout


@dataclass(frozen=True, slots=True)
class _Metrics:
    """Sizes of a grid, computed from its texts."""

    name_w: float
    bar: float
    cell_w: float
    seats_w: float
    value_size: float
    name_lines: Mapping[str, list[str]]
    per_band: int
    line_h: float

    def row_h(self, status: bool) -> float:
        """Height of a row: its name lines, and its fate in words where ``status``."""
        lines = max(len(v) for v in self.name_lines.values())
        return max(22.0, self.line_h * lines + (self.line_h - 4 if status else 0) + 5)


def _metrics(grid: _Grid, t: Catalog) -> _Metrics:
    """Column widths wide enough for every name, figure and label; the bars as long as the
    width allows, all columns in one band if they fit, else in bands of equal size."""
    lines = {r.key: _wrap(r.name, 13, NAME_MAX, bold=r.won) for r in grid.rows}
    name_w = max(
        [text_width(("✓ " if r.won else "") + s, 13, bold=r.won) for r in grid.rows
         for s in lines[r.key]]
        + [text_width(r.status, 11) for r in grid.rows] + [60.0]
    ) + 14  # fmt: skip
    size = 11.0 if len(grid.columns) > 1 else 12.0
    value_w = max(
        [text_width(f"{_fmt(v, t.language)} ✓", size) for c in grid.columns
         for v in c.values.values()] + [20.0]
    )  # fmt: skip
    label_w = max(
        [text_width(c.label, 13, bold=True) for c in grid.columns]
        + [text_width(c.line_label, 11) for c in grid.columns]
    )  # fmt: skip
    seats_w = 0.0
    if any(r.seats is not None for r in grid.rows):
        most = max((r.seats or 0) for r in grid.rows)
        seats_w = max(text_width(t("seats"), 13, bold=True), 11 * min(most, 10) + 40) + 12
    room = MAX_WIDTH - 2 * PAD - name_w - seats_w - 1  # ceil() of the width stays within
    count = len(grid.columns)
    bar = min(grid.bar, max(40.0, room / count - value_w - 16))
    cell_w = max(bar + value_w + 16, label_w + 12)
    per_band = max(1, int(room / cell_w + 1e-6))
    if per_band < count:
        per_band = math.ceil(count / math.ceil(count / per_band))
    line_h = 18.0 if t.direction == "rtl" else 15.0  # Arabic letters stand taller
    return _Metrics(name_w, bar, cell_w, seats_w, size, lines, per_band, line_h)


def _band(
    svg: _Svg, grid: _Grid, band: Sequence[_Column], m: _Metrics, y: float, *, scale: float,
    t: Catalog, first: bool,
) -> float:  # fmt: skip
    """One band: column headings, a row per option, the exhausted rows below a rule. Only
    the first band says each option's fate in words; the marks say it in every band."""
    x0 = PAD + m.name_w
    labels = _line_labels(grid)
    for i, col in enumerate(band):
        cx = x0 + i * m.cell_w
        svg.text(cx, y + 14, col.label, cls="heading", bold=True)
        if labels and col.line_label:
            svg.text(cx, y + 30, col.line_label, size=11, cls="heading", fill=LINE)
    if m.seats_w:
        svg.text(x0 + len(band) * m.cell_w, y + 14, t("seats"), cls="heading", bold=True)
    y += 40 if labels else 26
    live = [r for r in grid.rows if not r.exhausted]
    spent = [r for r in grid.rows if r.exhausted]
    right = x0 + len(band) * m.cell_w + m.seats_w
    h = m.row_h(first and any(r.status for r in live))
    at = y + h * len(live)
    for n in range(0, len(live), 2):  # a light band every other row guides the eye
        svg.rect(PAD - 4, y + n * h, right - PAD + 4, h, "#f3f3f3")
    for i, col in enumerate(band):
        if col.line is not None:
            lx = x0 + i * m.cell_w + col.line * scale
            svg.line(
                lx, y - 4, lx, at + 2, LINE, extra=' stroke-width="1.5" stroke-dasharray="4 3"'
            )
    for n, row in enumerate(live):
        _row(svg, row, band, m, y + n * h, h=h, scale=scale, first=first)
    y = at
    if spent:
        svg.line(PAD, y + 5, right, y + 5, MUTED)
        y += 10
        for row in spent:
            h = m.row_h(False)
            _row(svg, row, band, m, y, h=h, scale=scale, first=first)
            y += h
    return y


def _line_labels(grid: _Grid) -> bool:
    """Whether each column labels its line: unless the line is the same in every column
    (an STV quota), which the legend then states once."""
    labels = {c.line_label for c in grid.columns}
    return any(labels) and (len(grid.columns) == 1 or len(labels) > 1)


def _row(
    svg: _Svg, row: _Row, band: Sequence[_Column], m: _Metrics, y: float, *, h: float,
    scale: float, first: bool,
) -> None:  # fmt: skip
    """A name (with its fate in words) and, in each column, a bar and its figure."""
    lines = m.name_lines[row.key]
    status = bool(row.status) and first
    step = m.line_h
    top = y + (h - step * len(lines) - (step - 4 if status else 0)) / 2  # the name block, centred
    for i, line in enumerate(lines):
        text = ("✓ " if row.won and i == 0 and not status else "") + line
        svg.text(PAD, top + step - 3 + step * i, text, cls="name", bold=row.won,
                 fill=GREY if row.exhausted else INK)  # fmt: skip
    if status:
        svg.text(PAD, top + step * len(lines) + step - 6, row.status, size=11, cls="status",
                 fill=WIN if row.won else MUTED)  # fmt: skip
    mid = y + h / 2
    x0 = PAD + m.name_w
    for i, col in enumerate(band):
        if row.key in col.values:
            _cell(svg, row, col, x0 + i * m.cell_w, mid, scale=scale, size=m.value_size)
    if row.seats is not None:
        _seats(svg, x0 + len(band) * m.cell_w, mid, row.seats)


def _cell(
    svg: _Svg, row: _Row, col: _Column, x: float, mid: float, *, scale: float, size: float
) -> None:
    """One figure: its bar (hatched in the round its option is eliminated) and its value."""
    value = col.values[row.key]
    mark = col.marks.get(row.key, "")
    fill = GREY if row.exhausted else "url(#out)" if mark == "✕" else WIN if row.won else BAR
    edge = f' stroke="{OUT}" stroke-width="1"' if mark == "✕" else ""
    length = value * scale
    if length > 0:
        svg.rect(x, mid - 7, max(length, 1.5), 14, fill, extra=edge)
    figure = "" if mark == "✕" and value == 0 else _fmt(value, svg.language)
    text = " ".join(p for p in (figure, mark) if p)
    if text:  # a white card under the figure: a quota line passing behind it stays unread
        card = text_width(text, size, bold=mark == "✓")
        svg.rect(x + length + 2, mid - size * 0.6, card + 4, size * 1.2, "#ffffff")
    svg.text(x + length + 4, mid + 4, text, size=size, cls="value", bold=mark == "✓",
             fill=GREY if row.exhausted else INK, halo=True)  # fmt: skip


def _seats(svg: _Svg, x: float, mid: float, seats: int) -> None:
    """Seats as a figure and, up to ten, as that many squares."""
    svg.text(x, mid + 5, str(seats), size=13, cls="value", bold=seats > 0)
    for i in range(min(seats, 10) if seats <= 10 else 0):
        svg.rect(x + 26 + 11 * i, mid - 4, 9, 9, WIN)


# ---------------------------------------------------------------- referendum


def _referendum(result: Result, t: Catalog, head: list[tuple[str, float, bool, str]]) -> _Chart:
    """One stacked yes/no bar, the required-majority line, the answer in words."""
    yes, no = (_number(result.totals[k]) for k in ("yes", "no"))
    share = _number(result.options.get("majority", Fraction(1, 2)))
    width = 720.0
    svg, y = _Svg(t.language), _header(head)
    bar_w, x = width - 2 * PAD, PAD
    split = bar_w * yes / (yes + no)
    words = "required_more" if result.options.get("strict", True) else "required_least"
    lx = x + bar_w * share
    svg.text(lx, y + 14, t(words, share=_pct(share, t.language)), size=12, cls="heading",
             anchor="middle", fill=LINE)  # fmt: skip
    svg.rect(x, y + 24, split, 40, BAR)
    svg.rect(x + split, y + 24, bar_w - split, 40, "url(#out)", extra=f' stroke="{OUT}"')
    svg.line(lx, y + 18, lx, y + 70, LINE, extra=' stroke-width="2" stroke-dasharray="5 3"')
    lang = t.language
    svg.text(x, y + 88, f"{t('yes')}: {_fmt(yes, lang)} ({_pct(yes / (yes + no), lang)})",
             cls="value", bold=result.elected == ("yes",))  # fmt: skip
    svg.text(x + bar_w, y + 88, f"{t('no')}: {_fmt(no, lang)} ({_pct(no / (yes + no), lang)})",
             cls="value", anchor="end", bold=result.elected == ("no",))  # fmt: skip
    answer = t("yes") if result.elected == ("yes",) else t("no")
    svg.text(x, y + 116, "✓ " + t("answer", answer=answer), size=15, cls="label", bold=True)
    blank, invalid = (_number(result.totals.get(k, 0)) for k in ("blank", "invalid"))
    svg.text(x, y + 138, t("others", blank=_fmt(blank, lang), invalid=_fmt(invalid, lang)),
             size=12, cls="label", fill=MUTED)  # fmt: skip
    return _Chart(svg, width, y + 164)


# ---------------------------------------------------------------- the document


@dataclass(slots=True)
class _Chart:
    """Drawn elements and the size they need."""

    svg: _Svg
    width: float
    height: float


def _header(head: list[tuple[str, float, bool, str]]) -> float:
    """The height the header lines take (they are drawn by :func:`_document`)."""
    return PAD + sum(size * 1.45 for _, size, _, _ in head) + 8


def _head_lines(title: str, subtitle: str, method: str, legend: str, limit: float
                ) -> list[tuple[str, float, bool, str]]:  # fmt: skip
    """Title, subtitle, method and legend, wrapped to ``limit`` pixels."""
    out = [(s, 20.0, True, INK) for s in _wrap(title, 20, limit, bold=True)]
    if subtitle:
        out += [(s, 15.0, False, INK) for s in _wrap(subtitle, 15, limit)]
    out += [(s, 13.0, False, MUTED) for s in _wrap(method, 13, limit)]
    if legend:
        out += [(s, 12.0, False, MUTED) for s in _wrap(legend, 12, limit)]
    return out


def _document(chart: _Chart, head: list[tuple[str, float, bool, str]], title: str,
              desc: str, language: str) -> str:  # fmt: skip
    """The SVG document: title and desc first, the header lines, the drawing."""
    width = max(chart.width, max(text_width(s, z, bold=b) for s, z, b, _ in head) + 2 * PAD)
    top = _Svg()
    y = float(PAD)
    for text, size, bold, fill in head:
        y += size * 1.45
        top.text(PAD, y - size * 0.35, text, size=size, cls="title", bold=bold, fill=fill)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title '
        f'chart-desc" width="{math.ceil(width)}" height="{math.ceil(chart.height)}" '
        f'viewBox="0 0 {math.ceil(width)} {math.ceil(chart.height)}" lang="{language}" '
        f"font-family={quoteattr(FONT)}>"
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(desc)}</desc>'
        '<defs><pattern id="out" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="3" height="6" fill="{OUT}"/></pattern></defs>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
        + "".join(top.parts)
        + "".join(chart.svg.parts)
        + "</svg>\n"
    )


def _describe(result: Result, t: Catalog, names: Mapping[str, str], grid: _Grid | None) -> str:
    """The result in one or two sentences, for the ``<desc>``."""
    show = [names.get(k, k) for k in result.elected]
    lang = t.language
    if result.method == "referendum":
        yes, no = (_number(result.totals[k]) for k in ("yes", "no"))
        answer = t("yes") if result.elected == ("yes",) else t("no")
        return t(
            "desc_referendum", answer=answer, yes=_fmt(yes, lang), no=_fmt(no, lang),
            yes_share=_pct(yes / (yes + no), lang), no_share=_pct(no / (yes + no), lang),
        )  # fmt: skip
    if not show:
        return t("desc_none")
    if result.method in CONDORCET:
        wins = _number(result.totals.get(result.elected[0], 0))
        return t("desc_condorcet", winner=show[0], wins=_fmt(wins, lang),
                 others=len(result.totals) - 1)  # fmt: skip
    if result.seats and result.method != "two_round":
        parts = [f"{names.get(k, k)} {n}" for k, n in result.seats.items() if n > 0]
        return t("desc_seats", seats=_join(parts, t))
    if grid is not None and grid.columns:
        last = grid.columns
        figures = [f"{names.get(k, k)} {_fmt(_last_value(k, last), lang)}" for k in result.elected]
        if len(last) > 1:
            key = "desc_stages" if result.method.startswith("stv") else "desc_rounds"
            return t(key, count=len(last), winners=_join(figures, t))
        return t("desc_votes", winners=_join(figures, t))
    return t("desc_votes", winners=_join(show, t))


def _last_value(key: str, columns: Sequence[_Column]) -> float:
    """The figure of ``key`` in the last column that shows it."""
    for col in reversed(columns):
        if key in col.values:
            return col.values[key]
    return 0.0


def _grid_of(result: Result) -> Callable[[Result, Catalog, Mapping[str, str]], _Grid] | None:
    """Which grid a method's result is drawn as (None: the referendum bar)."""
    if result.method == "referendum":
        return None
    if result.method.startswith(RANKED):
        return _ranked_grid
    if result.method == "two_round":
        return _two_round_grid
    return _single_grid


def result_chart(
    result: Result,
    *,
    title: str,
    subtitle: str = "",
    language: str = "en",
    names: Mapping[str, str] | None = None,
) -> str:
    """One self-contained SVG document showing ``result`` (spec/counting.md#charts).

    ``title`` and ``subtitle`` name the election and the contest; ``names`` maps option ids to
    display names (default: the ids); the wording is in ``language``, one of the six UN
    languages. Raises :class:`~suffrage.errors.InvalidInput` for a result it cannot draw.
    """
    t = catalog("charts", language)
    names = dict(names or {})
    if not title.strip():
        raise InvalidInput("title", "a chart needs a title naming the election")
    try:
        return _draw(result, title, subtitle, t, names)
    except InvalidInput:
        raise
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as error:
        # A hand-made Result whose trail lacks what its method always records.
        raise InvalidInput(
            "result", f"the {result.method} result lacks what its chart needs ({error!r})"
        ) from error


def _draw(result: Result, title: str, subtitle: str, t: Catalog, names: Mapping[str, str]) -> str:
    """The chart of :func:`result_chart`, once its arguments are checked."""
    make = _grid_of(result)
    grid = make(result, t, names) if make is not None else None
    if grid is not None and not grid.columns:
        raise InvalidInput("result", f"the {result.method} result has no figures to draw")
    legend = grid.legend if grid is not None else ""
    head = _head_lines(title, subtitle, _method(result, t), legend, 900)
    chart = _grid_chart(grid, t, head) if grid is not None else _referendum(result, t, head)
    full = f"{title} — {subtitle}" if subtitle else title
    return _document(chart, head, full, _describe(result, t, names, grid), t.language)


def _grid_chart(grid: _Grid, t: Catalog, head: list[tuple[str, float, bool, str]]) -> _Chart:
    """Lay the grid out in bands of columns under the header lines ``head``."""
    m = _metrics(grid, t)
    bands = [grid.columns[i : i + m.per_band] for i in range(0, len(grid.columns), m.per_band)]
    width = PAD * 2 + m.name_w + m.seats_w + m.cell_w * max(len(b) for b in bands)
    svg, y = _Svg(t.language), _header(head)
    top = max(
        [v for c in grid.columns for v in c.values.values()]
        + [c.line for c in grid.columns if c.line is not None] + [1.0]
    )  # fmt: skip
    for n, band in enumerate(bands):
        y = _band(svg, grid, band, m, y, scale=m.bar / top, t=t, first=n == 0) + 14
    return _Chart(svg, width, y)
