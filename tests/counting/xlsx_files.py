"""Small .xlsx workbooks built in memory for the reader tests (tests/counting is on sys.path)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl


def workbook(rows: list[list[Any]], title: str = "Sheet1") -> bytes:
    """A workbook of one sheet called ``title`` holding ``rows``, as the bytes of its file."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
