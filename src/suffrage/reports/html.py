"""The results of an election as one self-contained, accessible HTML page (and, printed,
the PDF report).

The page needs nothing from elsewhere: the style is inline, there is no script, fonts are
named by family, every chart is inline SVG. It aims at WCAG 2.2 AA: ``lang`` and ``dir`` set
(Arabic right to left, with logical CSS properties so the layout mirrors), a caption and
scoped headers in every table, figures right-aligned in tabular digits, contrast above
4.5:1, winners marked in words and weight (never colour alone), and wide tables scrolling
inside their own labelled, focusable region on a phone.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape
from importlib import resources

from suffrage.errors import SuffrageError
from suffrage.i18n import Catalog, catalog
from suffrage.reports.charts import result_chart
from suffrage.reports.results import ContestResults, ElectionResults
from suffrage.reports.results_text import (
    contest_description,
    contest_facts,
    group_rows,
    lot_text,
    option_rows,
    ordered,
    rounds,
    rule_lines,
    summary_facts,
)

__all__ = ["page_policy", "results_html"]

_FONTS = {
    "zh": '"Noto Sans CJK SC", "Noto Sans SC", "Noto Sans", sans-serif',
    "ar": '"Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans", sans-serif',
}
_DEFAULT_FONT = '"Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", sans-serif'


def _style(language: str) -> str:
    css = resources.files("suffrage.reports").joinpath("templates", "results.css")
    return css.read_text("utf-8").replace("FONT_FAMILY", _FONTS.get(language, _DEFAULT_FONT))


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "x"


def _table(
    ident: str,
    caption: str,
    headings: list[str],
    numeric: list[bool],
    rows: list[list[str]],
    *,
    strong: list[bool] | None = None,
    caption_class: str = "hidden",
) -> str:
    """A table in its own scrolling region, labelled by its caption; the first cell of each
    row is its header (``th scope=row``); ``strong`` rows (winners) are set in bold."""
    head = "".join(
        f'<th scope="col"{" class=num" if n else ""}>{_e(h)}</th>'
        for h, n in zip(headings, numeric, strict=True)
    )
    body = []
    for i, row in enumerate(rows):
        cells = [f'<th scope="row">{_e(row[0])}</th>']
        cells += [
            f"<td{' class=num' if n else ''}>{_e(v)}</td>"
            for v, n in zip(row[1:], numeric[1:], strict=True)
        ]
        mark = ' class="won"' if strong and strong[i] else ""
        body.append(f"<tr{mark}>{''.join(cells)}</tr>")
    return (
        f'<div class="scroll" role="region" tabindex="0" aria-labelledby="{ident}">'
        f'<table><caption id="{ident}" class="{caption_class}">{_e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _facts(pairs: list[tuple[str, str]], *, code_last: bool = False) -> str:
    items = []
    for i, (label, value) in enumerate(pairs):
        shown = f"<code>{_e(value)}</code>" if code_last and i == len(pairs) - 1 else _e(value)
        items.append(f"<div><dt>{_e(label)}</dt><dd>{shown}</dd></div>")
    return f'<dl class="facts">{"".join(items)}</dl>'


def _prefix_ids(svg: str, prefix: str) -> str:
    """``svg`` with every id prefixed, so several charts can live in one page."""
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    for ident in re.findall(r'\bid="([^"]+)"', svg):
        new = f"{prefix}-{ident}"
        svg = svg.replace(f'id="{ident}"', f'id="{new}"')
        svg = svg.replace(f"#{ident})", f"#{new})").replace(f'"#{ident}"', f'"#{new}"')
        pattern = r'(aria-(?:labelledby|describedby)="[^"]*)\b' + re.escape(ident) + r"\b"
        svg = re.sub(pattern, r"\g<1>" + new, svg)
    return svg


def _chart(results: ElectionResults, contest: ContestResults, ident: str, t: Catalog) -> str:
    try:
        svg = result_chart(
            contest.count,
            title=results.title,
            subtitle=contest.title,
            language=results.language,
            names={o.option_id: o.name for o in contest.options},
        )
    except SuffrageError:
        return ""
    label = f"{t('chart')}: {contest.title}"
    return (
        f'<figure class="chart" role="region" tabindex="0" aria-label="{_e(label)}">'
        f"{_prefix_ids(svg, ident)}</figure>"
    )


def _contest(
    results: ElectionResults, contest: ContestResults, t: Catalog, n: int, *, charts: bool
) -> str:
    ident = f"c{n}-{_slug(contest.contest_id)}"
    headings, numeric, rows = option_rows(contest, t)
    notes = rule_lines(contest, t)
    if contest.kind.value == "approval":
        notes.append(t("blank.unknown"))
    lots = (
        f'<h4>{_e(t("lots"))}</h4><ul class="lots">'
        + "".join(f"<li>{_e(lot_text(x, t))}</li>" for x in contest.lots)
        + f'</ul><p class="note">{_e(t("lot_how"))}</p>'
        if contest.lots
        else f'<p class="note">{_e(t("no_lots"))}</p>'
    )
    return (
        f'<section class="contest" aria-labelledby="{ident}-h">'
        f'<h3 id="{ident}-h">{_e(contest.title)}</h3>'
        f"<p>{_e(contest_description(contest, t))}</p>"
        + _table(
            f"{ident}-t",
            contest.title,
            headings,
            numeric,
            rows,
            strong=[o.elected or o.seats > 0 for o in ordered(contest)],
        )
        + _facts(contest_facts(contest, t))
        + "".join(f'<p class="rule">{_e(x)}</p>' for x in notes)
        + lots
        + _rounds(results, contest, ident, t)
        + (_chart(results, contest, ident, t) if charts else "")
        + "</section>"
    )


def _rounds(results: ElectionResults, contest: ContestResults, ident: str, t: Catalog) -> str:
    """A ranked contest's rounds or stages as a table (what its chart draws, in figures):
    who was elected, eliminated or excluded when, and the votes transferred between."""
    table = rounds(contest, results.language)
    if table is None or not table.headings:
        return ""
    headings = [t("col.candidate"), *table.headings, t("col.result")]
    numeric = [False, *(True for _ in table.headings), False]
    rows = [[*row, fate] for row, fate in zip(table.rows, table.fates, strict=True)]
    return (
        f'<h4 id="{ident}-rh">{_e(t("rounds"))}</h4>'
        + _table(
            f"{ident}-r",
            f"{contest.title} — {t('rounds')}",
            headings,
            numeric,
            rows,
            strong=list(table.won),
        )
        + f'<p class="note">{_e(t("rounds_note"))}</p>'
    )


def _groups(results: ElectionResults, t: Catalog) -> str:
    if results.groups is None:
        return (
            f'<section aria-labelledby="groups-h"><h2 id="groups-h">{_e(t("groups"))}</h2>'
            f"<p>{_e(t('no_groups'))}</p></section>"
        )
    headings = [
        t(k)
        for k in ("group.column", "group.value", "group.eligible", "group.voted", "group.turnout")
    ]
    rows = group_rows(results, t)
    body = _table("groups-t", t("groups"), headings, [False, False, True, True, True], rows)
    note = t("suppressed_note", threshold=results.groups.threshold)
    return (
        f'<section aria-labelledby="groups-h"><h2 id="groups-h">{_e(t("groups"))}</h2>'
        f'{body}<p class="note">{_e(note)}</p></section>'
    )


def results_html(results: ElectionResults, *, charts: bool = True) -> str:
    """The whole report as one HTML document (UTF-8 text); ``charts=False`` leaves the
    charts out (the tables hold every figure they show)."""
    t = catalog("results", results.language)
    lang = results.language
    facts = [*summary_facts(results, t, isolate=True), (t("base_hash"), results.base_hash)]
    contests = "".join(
        _contest(results, c, t, i, charts=charts) for i, c in enumerate(results.contests, 1)
    )
    return (
        f'<!DOCTYPE html><html lang="{_e(lang)}" dir="{t.direction}"><head>'
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(t('page_title', title=results.title))}</title>"
        f"<style>{_style(lang)}</style></head><body>"
        f'<a class="skip" href="#contests">{_e(t("skip"))}</a>'
        f'<header><p class="kicker">{_e(t("report_title"))}</p>'
        f"<h1>{_e(results.title)}</h1></header><main>"
        f'<section aria-labelledby="summary-h"><h2 id="summary-h">{_e(t("summary"))}</h2>'
        f"{_facts(facts, code_last=True)}"
        f'<p class="note">{_e(t("invalid_note"))}</p></section>'
        f'<section id="contests" aria-labelledby="contests-h">'
        f'<h2 id="contests-h">{_e(t("contests"))}</h2>{contests}</section>'
        f"{_groups(results, t)}"
        f'<section aria-labelledby="record-h"><h2 id="record-h">{_e(t("record"))}</h2>'
        f"<p>{_e(t('base_hash'))}: <code>{_e(results.base_hash)}</code></p>"
        f"<p>{_e(t('how_to_verify'))}</p></section>"
        "</main></body></html>\n"
    )


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def page_policy(page: str) -> str:
    """A Content-Security-Policy for serving ``page`` (a report of :func:`results_html`):
    nothing may load, nothing runs, and only the page's own ``<style>`` blocks apply,
    named by their SHA-256 (CSP level 2), so no inline style can be slipped in beside them."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
        for css in _STYLE.findall(page)
    )
    return (
        f"default-src 'none'; style-src {hashes or chr(39) + 'none' + chr(39)}; img-src data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
