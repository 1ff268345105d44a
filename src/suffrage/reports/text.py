"""Plain-text tables that never truncate a figure (STYLE.md #16).

A table wider than the width changes shape instead of cutting: its columns are split into
pages that each repeat the first (label) column; long text cells are wrapped at spaces;
numeric cells are never wrapped or cut. When not even one numeric column fits beside the
label, every row becomes ``label: value`` lines. The output is plain text with ASCII rules
(no colour codes), so it reads the same on a terminal, in a pipe and in a file. Widths are
measured in terminal cells, so Chinese and Arabic names line up (:func:`display_width`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from suffrage.errors import InvalidInput

__all__ = [
    "MIN_WIDTH",
    "Column",
    "TextTable",
    "display_width",
    "render_table",
    "wrap_text",
]

MIN_WIDTH = 40
"""The narrowest width a table is rendered at; narrower requests are refused."""

_GAP = "  "
_MIN_TEXT = 8  # a text column is never wrapped narrower than this many cells


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """One column: its heading, and whether its cells are figures (right-aligned, never cut)."""

    heading: str
    numeric: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class TextTable:
    """A titled table with notes under it; the first column labels the rows."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.columns:
            raise InvalidInput("table.columns", "a table needs at least one column")
        for index, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise InvalidInput(
                    f"table.rows[{index}]",
                    f"has {len(row)} cells for {len(self.columns)} columns",
                )


def display_width(text: str) -> int:
    """The cells ``text`` takes on a terminal: East Asian wide and full-width characters take
    two, combining marks and zero-width format characters none."""
    cells = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        cells += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return cells


def _split_word(word: str, width: int) -> list[str]:
    """A word longer than ``width`` cut into pieces of at most ``width`` cells."""
    pieces, current = [], ""
    for char in word:
        if current and display_width(current + char) > width:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def _wrap_line(line: str, width: int) -> list[str]:
    """One paragraph wrapped at spaces to ``width`` cells; only a word longer than the width
    is cut."""
    lines: list[str] = []
    current = ""
    for word in line.split():
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        pieces = _split_word(word, width) if display_width(word) > width else [word]
        lines.extend(pieces[:-1])
        current = pieces[-1]
    return [*lines, current] if current else (lines or [""])


def wrap_text(text: str, width: int) -> str:
    """``text`` wrapped at spaces so that no line is wider than ``width`` cells; line breaks
    already in it are kept, and continuation lines keep the paragraph's indentation."""
    if width < 1:
        raise InvalidInput("width", f"must be at least 1, not {width}")
    out: list[str] = []
    for paragraph in text.split("\n"):
        indent = paragraph[: len(paragraph) - len(paragraph.lstrip(" "))]
        room = max(width - len(indent), 1) if len(indent) < width else width
        indent = indent if len(indent) < width else ""
        out.extend(indent + line for line in _wrap_line(paragraph, room))
    return "\n".join(out)


def _pad(text: str, width: int, *, right: bool) -> str:
    space = " " * max(width - display_width(text), 0)
    return space + text if right else text + space


def _natural(table: TextTable, index: int) -> int:
    """The widest cell of column ``index`` (heading words count one by one: headings wrap)."""
    column = table.columns[index]
    cells = [display_width(row[index]) for row in table.rows]
    heading = [display_width(word) for word in column.heading.split()] or [0]
    return max([*cells, *heading])


def _text_floor(table: TextTable, index: int) -> int:
    """The narrowest a text column may be wrapped to: its longest word, at least
    :data:`_MIN_TEXT` cells (or its natural width if narrower)."""
    words = [display_width(w) for row in table.rows for w in row[index].split()]
    natural = _natural(table, index)
    return min(natural, max([_MIN_TEXT, *words]))


def _fit(table: TextTable, indices: list[int], width: int) -> list[int] | None:
    """Widths for ``indices`` that fit ``width``; text columns shrink (wrap) down to their
    floor, numeric columns never. ``None`` when they cannot fit."""
    widths = [_natural(table, i) for i in indices]
    floors = [
        widths[k] if table.columns[i].numeric else _text_floor(table, i)
        for k, i in enumerate(indices)
    ]
    heading_floor = [
        max([display_width(w) for w in table.columns[i].heading.split()] or [0]) for i in indices
    ]
    floors = [max(f, h) for f, h in zip(floors, heading_floor, strict=True)]
    excess = sum(widths) + len(_GAP) * (len(indices) - 1) - width
    for k in range(len(indices)):
        if excess <= 0:
            break
        if table.columns[indices[k]].numeric:
            continue
        give = min(excess, widths[k] - floors[k])
        widths[k] -= give
        excess -= give
    return widths if excess <= 0 else None


def _cell_lines(text: str, width: int, numeric: bool) -> list[str]:
    if numeric:
        return [text]
    return wrap_text(text, width).split("\n")


def _render_rows(table: TextTable, indices: list[int], widths: list[int]) -> list[str]:
    """The heading, a rule and the rows of the columns ``indices`` at ``widths``."""
    heading = tuple(table.columns[i].heading for i in indices)
    rows = [heading, *(tuple(row[i] for i in indices) for row in table.rows)]
    lines: list[str] = []
    for number, row in enumerate(rows):
        cells = [
            _cell_lines(text, w, table.columns[i].numeric and number > 0)
            for text, w, i in zip(row, widths, indices, strict=True)
        ]
        height = max(len(c) for c in cells)
        for level in range(height):
            parts = []
            for cell, w, i in zip(cells, widths, indices, strict=True):
                text = cell[level] if level < len(cell) else ""
                parts.append(_pad(text, w, right=table.columns[i].numeric))
            lines.append(_GAP.join(parts).rstrip())
        if number == 0:
            lines.append(_GAP.join("-" * w for w in widths))
    return lines


def _greedy_pages(table: TextTable, width: int) -> list[list[int]] | None:
    """Column groups, each as many columns as fit beside the label (``None``: not even one)."""
    groups: list[list[int]] = []
    rest = list(range(1, len(table.columns)))
    while rest:
        taken: list[int] = []
        for index in rest:
            if _fit(table, [0, *taken, index], width) is None:
                break
            taken.append(index)
        if not taken:
            return None
        groups.append(taken)
        rest = rest[len(taken) :]
    return groups


def _pages(table: TextTable, width: int) -> list[tuple[list[int], list[int]]] | None:
    """Column pages, each the label column and some of the others: as few pages as the
    greedy split needs, with the columns spread evenly over them so that the label column
    is wrapped no more than it must be."""
    greedy = _greedy_pages(table, width)
    if greedy is None:
        return None
    rest = list(range(1, len(table.columns)))
    count = len(greedy)
    size, extra = divmod(len(rest), count)
    groups, start = [], 0
    for number in range(count):
        end = start + size + (1 if number < extra else 0)
        groups.append(rest[start:end])
        start = end
    pages = [(g, _fit(table, [0, *g], width)) for g in groups]
    if any(w is None for _, w in pages):
        pages = [(g, _fit(table, [0, *g], width)) for g in greedy]
    return [([0, *g], w) for g, w in pages if w is not None]


def _render_lines(table: TextTable, width: int) -> list[str]:
    """The fallback shape: each row as its label, then ``heading: value`` lines; a figure
    too long for the line goes whole on the next line."""
    lines: list[str] = []
    for row in table.rows:
        lines.append(wrap_text(row[0], width))
        for column, cell in zip(table.columns[1:], row[1:], strict=True):
            line = f"  {column.heading}: {cell}"
            if display_width(line) <= width or not column.numeric:
                lines.append(wrap_text(line, width))
            else:
                lines.extend([wrap_text(f"  {column.heading}:", width), f"    {cell}"])
    return lines


def _page_title(table: TextTable, indices: list[int]) -> str:
    """``(columns 2-4 of 12: Stage 1 to Stage 3)``: where this page is, by number and by
    heading, so that a reader never wonders which rounds a page holds."""
    first, last, total = indices[1] + 1, indices[-1] + 1, len(table.columns)
    name = " ".join(table.columns[indices[1]].heading.split())
    if first == last:
        return f"(column {first} of {total}: {name})"
    end = " ".join(table.columns[indices[-1]].heading.split())
    return f"(columns {first}-{last} of {total}: {name} to {end})"


def render_table(table: TextTable, width: int) -> str:
    """``table`` as plain text no wider than ``width`` cells (at least :data:`MIN_WIDTH`),
    with every figure whole. Too wide, it is split into column pages titled
    ``(columns 2-7 of 19)``; when not even one column fits beside the label, rows become
    ``heading: value`` lines. A figure wider than the width itself is the one thing that
    overflows, rather than being cut."""
    if width < MIN_WIDTH:
        raise InvalidInput("width", f"must be at least {MIN_WIDTH} columns, not {width}")
    out = [wrap_text(table.title, width), "=" * min(display_width(table.title), width)]
    if len(table.columns) == 1:
        fitted = _fit(table, [0], width)
        out.extend(_render_rows(table, [0], fitted or [width]))
    else:
        pages = _pages(table, width)
        if pages is None:
            out.extend(_render_lines(table, width))
        else:
            for indices, widths in pages:
                if len(pages) > 1:
                    out.append("")
                    out.append(wrap_text(_page_title(table, indices), width))
                out.extend(_render_rows(table, indices, widths))
    out.extend(wrap_text(note, width) for note in table.notes)
    return "\n".join(out) + "\n"
