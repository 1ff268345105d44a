"""Plain-text tables that never cut a figure (suffrage.reports.text, STYLE.md #16)."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest

from suffrage.errors import InvalidInput
from suffrage.reports.figures import decimal, decimals_in_text, percent, ratio_in_words
from suffrage.reports.text import Column, TextTable, display_width, render_table, wrap_text

WIDTHS = (40, 60, 80, 200)


def rounds_table(rounds: int, candidates: int) -> TextTable:
    columns = (
        Column(heading="Candidate"),
        *(Column(heading=f"Round {r}", numeric=True) for r in range(1, rounds + 1)),
    )
    rows = tuple(
        (
            f"Candidate {c} of the Long Party Name",
            *(f"{(c * 7919 + r * 104729) % 1_000_000:,}" for r in range(1, rounds + 1)),
        )
        for c in range(1, candidates + 1)
    )
    return TextTable(title="Mayor", columns=columns, rows=rows, notes=("A note. " * 20,))


def assert_fits(text: str, width: int) -> None:
    too_wide = [line for line in text.splitlines() if display_width(line) > width]
    assert too_wide == []


@pytest.mark.parametrize("width", WIDTHS)
def test_every_figure_appears_whole_at_every_width(width: int) -> None:
    table = rounds_table(19, 13)
    text = render_table(table, width)
    assert_fits(text, width)
    tokens = set(re.findall(r"[\d,]+", text))
    for row in table.rows:
        for cell in row[1:]:
            assert cell in tokens, (cell, width)


def test_a_wide_table_is_split_into_pages_that_repeat_the_label() -> None:
    text = render_table(rounds_table(19, 3), 80)
    pages = re.findall(r"\(columns (\d+)-(\d+) of 20: Round \d+ to Round \d+\)", text)
    assert len(pages) >= 2
    assert pages[0][0] == "2"
    assert pages[-1][1] == "20"
    covered = [n for first, last in pages for n in range(int(first), int(last) + 1)]
    assert covered == list(range(2, 21))  # every column once, in order
    assert text.count("Candidate 1 of") == len(pages)


def test_a_narrow_table_is_not_paged() -> None:
    text = render_table(rounds_table(3, 3), 80)
    assert "(columns" not in text
    assert "Candidate 1 of the Long Party Name" in text


def test_long_names_wrap_at_spaces_and_figures_stay_on_their_line() -> None:
    table = TextTable(
        title="Council",
        columns=(Column(heading="Party"), Column(heading="Votes", numeric=True)),
        rows=(("Folkeaksjonen Nei til mer bompenger og andre lange ord", "1,072"),),
    )
    text = render_table(table, 40)
    assert_fits(text, 40)
    first = next(line for line in text.splitlines() if line.startswith("Folkeaksjonen"))
    assert first.endswith("1,072")


def test_when_no_column_fits_beside_the_label_rows_become_lines() -> None:
    table = TextTable(
        title="Oddities",
        columns=(Column(heading="Name"), Column(heading="Quotient", numeric=True)),
        rows=(("x" * 30, "123456789012345678901234567890.12345"),),
    )
    text = render_table(table, 40)
    assert "  Quotient:" in text
    assert "123456789012345678901234567890.12345" in text  # whole, on its own line


def test_wide_characters_take_two_cells_and_line_up() -> None:
    assert display_width("李伟") == 4
    assert display_width("é") == 1
    assert display_width("e\u0301") == 1  # combining accent takes no cell
    table = TextTable(
        title="市长",
        columns=(Column(heading="候选人"), Column(heading="Votes", numeric=True)),
        rows=(("李伟", "12"), ("Olga Petrova", "3")),
    )
    lines = render_table(table, 40).splitlines()
    rows = [line for line in lines if line.endswith(("12", " 3"))]
    assert {display_width(line) for line in rows} == {display_width(rows[0])}


def test_arabic_names_render_and_fit() -> None:
    table = TextTable(
        title="رئيس البلدية",
        columns=(Column(heading="المرشح"), Column(heading="الأصوات", numeric=True)),
        rows=(("أمينة حداد من حزب التحالف الأخضر الطويل جدا", "1,234"),),
    )
    text = render_table(table, 40)
    assert_fits(text, 40)
    assert "1,234" in text


def test_wrap_text_keeps_indentation_and_never_exceeds_the_width() -> None:
    text = wrap_text("  one two three four five six seven eight nine ten", 20)
    assert all(line.startswith("  ") for line in text.splitlines())
    assert_fits(text, 20)
    assert wrap_text("a" * 50, 20).splitlines() == ["a" * 20, "a" * 20, "a" * 10]


def test_bad_tables_and_widths_are_refused_naming_what_is_wrong() -> None:
    with pytest.raises(InvalidInput, match=r"table.rows\[0\].*1 cells for 2 columns"):
        TextTable(title="x", columns=(Column(heading="a"), Column(heading="b")), rows=(("a",),))
    with pytest.raises(InvalidInput, match=r"width.*at least 40"):
        render_table(rounds_table(2, 2), 39)


def test_figures_as_decimals() -> None:
    assert decimal(Fraction(446710, 7)) == "63,815.71"
    assert decimal(Fraction(5, 8)) == "0.62"  # half to even
    assert decimal(12345) == "12,345"
    assert decimal(12345, fixed=True) == "12,345.00"
    assert decimal(Decimal("1322.00000")) == "1,322.00000"
    assert percent(13, 25) == "52.00%"
    assert percent(1, 0) == "—"
    assert ratio_in_words(Fraction(1, 2)) == "1/2 (50.00%)"
    assert decimals_in_text("seat 3 to A, quotient 3535/2") == "seat 3 to A, quotient 1,767.50"
    with pytest.raises(InvalidInput, match="'x' is not a number"):
        decimal("x")  # type: ignore[arg-type]
