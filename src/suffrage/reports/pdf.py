"""The results report as a printable PDF: the HTML report through WeasyPrint.

The page is the same document as :func:`~suffrage.reports.html.results_html` (its print
style sets A4, page numbers ``n / N`` and table headers repeated on every page). Fonts are
found by family name through fontconfig: Chinese needs Noto Sans CJK (``fonts-noto-cjk``)
and Arabic Noto Sans Arabic (``fonts-noto-core``), which the Makefile installs. WeasyPrint
is imported when a PDF is asked for, so the other formats do not pay for it.
"""

from __future__ import annotations

from suffrage.i18n import RTL
from suffrage.reports.html import results_html
from suffrage.reports.results import ElectionResults

__all__ = ["results_pdf"]


def results_pdf(results: ElectionResults) -> bytes:
    """The report as PDF bytes (no request leaves the machine: the page has no URL in it).

    In a right-to-left language the charts are left out: WeasyPrint draws SVG text without
    Arabic shaping or bidirectional ordering (letters come out unjoined and reversed), and
    the tables above each chart hold every figure it shows."""
    from weasyprint import HTML

    html = results_html(results, charts=results.language not in RTL)
    document: bytes = HTML(string=html, base_url=None).write_pdf()
    return document
