"""The status report rendered (spec/assistance.md#11.3): CSV, HTML and PDF in the six UN
languages, and JSON through :mod:`~suffrage.assistance.status_json`.

Every rendering but JSON goes through :func:`sections`, the report's tables with their
captions and headings in one language, so that CSV, HTML and PDF show the same cells.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from html import escape
from importlib import resources

from suffrage.assistance.domain import Outcome
from suffrage.assistance.regions import name_of
from suffrage.assistance.status_json import PACKAGE, Published, report_json
from suffrage.assistance.status_report import GIVEN, Given, RegionView, Spread, StatusReport
from suffrage.errors import InvalidInput
from suffrage.i18n import Catalog, catalog

__all__ = [
    "FORMATS",
    "Section",
    "Table",
    "render",
    "report_csv",
    "report_html",
    "report_pdf",
    "safe_cell",
    "sections",
]

FORMATS = ("html", "pdf", "csv", "json")


# -- the tables, in one language -------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    ident: str
    caption: str
    headings: tuple[str, ...]
    numeric: tuple[bool, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    ident: str
    heading: str
    tables: tuple[Table, ...]
    notes: tuple[str, ...]


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _median(s: Spread, t: Catalog) -> str:
    if s.median is None:
        return "—"
    return t("few", median=_number(s.median), count=s.count) if s.few else _number(s.median)


def _range(s: Spread, t: Catalog) -> str:
    return "—" if s.low is None else t("range", low=s.low, high=s.high)


def _counts(ident: str, caption: str, first: str, rows: list[tuple[str, int]], t: Catalog) -> Table:
    return Table(
        ident=ident,
        caption=caption,
        headings=(first, t("col.requests")),
        numeric=(False, True),
        rows=tuple((label, str(n)) for label, n in rows),
        total=(t("total"), str(sum(n for _, n in rows))),
    )


def _given_table(
    ident: str, caption: str, first: str, rows: list[tuple[str, Given]], t: Catalog
) -> Table:
    sums = [sum(g.counts[s] for _, g in rows) for s in GIVEN]
    return Table(
        ident=ident,
        caption=caption,
        headings=(first, *(t(f"given.{s.value}") for s in GIVEN), t("col.total")),
        numeric=(False, True, True, True, True),
        rows=tuple((label, *(str(g.counts[s]) for s in GIVEN), str(g.total)) for label, g in rows),
        total=(t("total"), *(str(n) for n in sums), str(sum(sums))),
    )


def _share(r: RegionView, o: Outcome, t: Catalog) -> str:
    share = r.share(o)
    if share is None:
        return str(r.outcomes[o])
    return t("share", count=r.outcomes[o], percent=f"{share * 100:.1f}")


def _impartiality(report: StatusReport, t: Catalog) -> Section:
    g = [(t(f"group.{r.group.value}"), r) for r in report.impartiality]
    times = Table(
        ident="times",
        caption=t("caption.times"),
        headings=tuple(
            t(k)
            for k in (
                "col.group",
                "col.received",
                "col.assessed",
                "col.median_assessment",
                "col.range_assessment",
                "col.decided",
                "col.median_decision",
                "col.range_decision",
            )
        ),
        numeric=(False, *(True,) * 7),
        rows=tuple(
            (
                label,
                str(r.received),
                str(r.to_assessment.count),
                _median(r.to_assessment, t),
                _range(r.to_assessment, t),
                str(r.to_decision.count),
                _median(r.to_decision, t),
                _range(r.to_decision, t),
            )
            for label, r in g
        ),
    )
    outcomes = Table(
        ident="outcomes",
        caption=t("caption.outcomes"),
        headings=(
            t("col.group"),
            t("col.decided"),
            *(t(f"outcome.{o.value}") for o in Outcome),
            t("col.waiting"),
        ),
        numeric=(False, *(True,) * 5),
        rows=tuple(
            (label, str(r.decided), *(_share(r, o, t) for o in Outcome), str(r.waiting))
            for label, r in g
        ),
    )
    notes = (t("impartiality_note"), t("few_note"), t("groups_source"))
    return Section(
        ident="impartiality",
        heading=t("section.impartiality"),
        tables=(times, outcomes),
        notes=notes,
    )


def sections(report: StatusReport, t: Catalog) -> tuple[Section, ...]:
    """The report's sections and tables, in ``t``'s language."""
    groups = [(t(f"group.{g.value}"), n) for g, n in report.received_by_group.items()]
    kinds = [(t(f"kind.{k.value}"), n) for k, n in report.received_by_kind.items()]
    states = [(t(f"state.{s.value}"), n) for s, n in report.status_at_end.items()]
    received = Section(
        ident="received",
        heading=t("section.received"),
        tables=(
            _counts("received-group", t("caption.received_by_group"), t("col.group"), groups, t),
            _counts("received-kind", t("caption.received_by_kind"), t("col.kind"), kinds, t),
            _counts("received-status", t("caption.status_at_end"), t("col.status"), states, t),
        ),
        notes=(t("kind_note"),),
    )
    given_g = [(t(f"group.{g.value}"), v) for g, v in report.given_by_group.items()]
    given_k = [(t(f"kind.{k.value}"), v) for k, v in report.given_by_kind.items()]
    given = Section(
        ident="given",
        heading=t("section.given"),
        tables=(
            _given_table("given-group", t("caption.given_by_group"), t("col.group"), given_g, t),
            _given_table("given-kind", t("caption.given_by_kind"), t("col.kind"), given_k, t),
        ),
        notes=(t("given_note"), t("kind_note")),
    )
    return received, given, _impartiality(report, t)


def _facts(report: StatusReport, t: Catalog, published: Published | None) -> list[tuple[str, str]]:
    scope = (
        t("scope_state", state=f"{name_of(report.scope, t.language)} ({report.scope})")
        if report.scope
        else t("scope_all")
    )
    facts = [
        (t("period"), t("period_value", start=report.start, end=report.end)),
        (t("scope"), scope),
        (t("received_total"), str(report.received)),
        (t("head"), t("head_value", sequence=report.head_sequence, hash=report.head_hash or "—")),
    ]
    if published is not None:
        facts += [(t("sha256"), published.sha256), (t("title"), t("published", at=published.at))]
    return facts


# -- CSV -------------------------------------------------------------------------------

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A cell a spreadsheet will not run: one starting with = + - @ (or a tab or carriage
    return) is prefixed with ``'`` (OWASP, CSV injection)."""
    return "'" + text if text.startswith(_FORMULA) else text


def report_csv(report: StatusReport, language: str, published: Published | None = None) -> str:
    """One table per section's table: a line with its caption, its headings, its rows and
    total, then an empty line. UTF-8 (the caller adds a BOM if a spreadsheet needs one)."""
    t = catalog("status", language, PACKAGE)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for label, value in _facts(report, t, published):
        writer.writerow([safe_cell(label), safe_cell(value)])
    for section in sections(report, t):
        for table in section.tables:
            writer.writerow([])
            writer.writerow([safe_cell(table.caption)])
            for row in (table.headings, *table.rows, *((table.total,) if table.total else ())):
                writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


# -- HTML and PDF ----------------------------------------------------------------------

_FONTS = {
    "zh": '"Noto Sans CJK SC", "Noto Sans SC", "Noto Sans", sans-serif',
    "ar": '"Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans", sans-serif',
}
_DEFAULT_FONT = '"Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", sans-serif'


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _style(language: str) -> str:
    css = resources.files(PACKAGE).joinpath("templates", "status.css").read_text("utf-8")
    return css.replace("FONT_FAMILY", _FONTS.get(language, _DEFAULT_FONT))


def _row(cells: tuple[str, ...], numeric: tuple[bool, ...]) -> str:
    first = f'<th scope="row">{_e(cells[0])}</th>'
    rest = "".join(
        f"<td{' class=num' if n else ''}>{_e(v)}</td>"
        for v, n in zip(cells[1:], numeric[1:], strict=True)
    )
    return f"<tr>{first}{rest}</tr>"


def _table(table: Table) -> str:
    head = "".join(
        f'<th scope="col"{" class=num" if n else ""}>{_e(h)}</th>'
        for h, n in zip(table.headings, table.numeric, strict=True)
    )
    body = "".join(_row(r, table.numeric) for r in table.rows)
    foot = f"<tfoot>{_row(table.total, table.numeric)}</tfoot>" if table.total else ""
    # The caption is shown as the heading above the table's scrolling region, so that on a
    # phone it wraps to the screen rather than running as wide as the table; the caption
    # itself stays for assistive technology (visually hidden), as in the results report.
    return (
        f'<h3 id="{table.ident}-h">{_e(table.caption)}</h3>'
        f'<div class="scroll" role="region" tabindex="0" aria-labelledby="{table.ident}-h">'
        f'<table><caption id="{table.ident}" class="hidden">{_e(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>{foot}</table></div>"
    )


def _section(section: Section) -> str:
    ident = section.ident
    return (
        f'<section aria-labelledby="{ident}-h"><h2 id="{ident}-h">{_e(section.heading)}</h2>'
        + "".join(f'<p class="note">{_e(n)}</p>' for n in section.notes)
        + "".join(_table(x) for x in section.tables)
        + "</section>"
    )


def report_html(report: StatusReport, language: str, published: Published | None = None) -> str:
    """The report as one self-contained HTML page: ``lang`` and ``dir`` set (Arabic right to
    left), a caption and scoped headers in every table, no script, nothing loaded."""
    t = catalog("status", language, PACKAGE)
    facts = "".join(
        f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in _facts(report, t, published)
    )
    return (
        f'<!DOCTYPE html><html lang="{_e(language)}" dir="{t.direction}"><head>'
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(t('page_title', start=report.start, end=report.end))}</title>"
        f"<style>{_style(language)}</style></head><body>"
        f'<a class="skip" href="#figures">{_e(t("skip"))}</a>'
        f'<header><p class="kicker">{_e(t("kicker"))}</p><h1>{_e(t("title"))}</h1>'
        f'<dl class="facts">{facts}</dl></header>'
        f'<main id="figures">{"".join(_section(s) for s in sections(report, t))}</main>'
        "</body></html>\n"
    )


def report_pdf(report: StatusReport, language: str, published: Published | None = None) -> bytes:
    """The HTML page printed by WeasyPrint (Pango and HarfBuzz shape Arabic and lay out the
    right-to-left page; fonts by family name through fontconfig, as the results report)."""
    from weasyprint import HTML

    html = report_html(report, language, published)
    document: bytes = HTML(string=html, base_url=None).write_pdf()
    return document


def render(
    report: StatusReport, language: str, form: str, published: Published | None = None
) -> bytes:
    """The report in ``form`` (one of :data:`FORMATS`) as bytes (UTF-8 for text)."""
    if form == "pdf":
        return report_pdf(report, language, published)
    makers = {"html": report_html, "csv": report_csv, "json": report_json}
    if form not in makers:
        raise InvalidInput("--format", f"{form!r} is not one of {', '.join(FORMATS)}")
    return makers[form](report, language, published).encode("utf-8")
