"""The roster's pages (spec/assistance.md#12): its figures over time, groups
under 5 suppressed (for everyone, the public included), and the experts' search and
matching (staff only; the service logs each expert read)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from suffrage.assistance.roster import Expert, Figures, Match, Region
from suffrage.i18n import Catalog
from suffrage.web.assist_pages import Page, data, day, esc, field, layout, table

__all__ = ["experts_page", "roster_page"]


def roster_page(p: Page, series: Sequence[Figures]) -> str:
    t = p.t
    body = f"<p>{esc(t('roster_intro'))}</p>"
    dates = [f.at.isoformat() for f in series]
    totals = [(esc(t("col_total")), *(esc(f.total) for f in series))]
    body += table(t("roster_total"), [t("col_group"), *dates], totals)
    for dimension in ("gender", "disability"):
        groups = sorted({g for f in series for g in f.by_dimension[dimension]})
        rows = [
            (
                data(t("not_stated") if g == "not stated" else g),
                *(_count(t, f.by_dimension[dimension].get(g, 0)) for f in series),
            )
            for g in groups
        ]
        body += f"<h2>{esc(t(f'dimension_{dimension}'))}</h2>"
        body += table(t(f"dimension_{dimension}"), [t("col_group"), *dates], rows)
    return layout(p, t("roster_title"), body)


def _count(t: Catalog, n: int | None) -> str:
    return esc(t("fewer_than_5")) if n is None else esc(n)


def _region_select(t: Catalog, name: str, chosen: str) -> str:
    options = f'<option value="">{esc(t("filter_all"))}</option>' + "".join(
        f'<option value="{r.value}"{" selected" if r.value == chosen else ""}>'
        f"{esc(t(f'region_{r.value}'))}</option>"
        for r in Region
    )
    return (
        f'<div class="field"><label for="{name}">{esc(t("field_region"))}</label>'
        f'<select id="{name}" name="{name}">{options}</select></div>'
    )


def _expert_rows(
    t: Catalog, experts: Sequence[Expert], reasons: Mapping[int, str]
) -> list[tuple[str, ...]]:
    return [
        (
            data(x.name),
            "; ".join(data(s) for s in x.skills),
            esc(", ".join(x.languages)),
            esc(", ".join(t(f"region_{r.value}") for r in x.regions)),
            "; ".join(f"{day(a)} – {day(b)}" for a, b in x.availability),
            *([data(reasons.get(x.expert_id or 0, ""))] if reasons else []),
        )
        for x in experts
    ]


def experts_page(
    p: Page,
    asked: Mapping[str, str],
    found: Sequence[Expert] | None,
    matches: Sequence[Match] | None,
    errors: Mapping[str, str],
    *,
    forms: str = "",
    summary: str = "",
) -> str:
    """Search and matching; ``forms``, the form that adds an expert
    (spec/assistance.md#12.4), and ``summary``, its error summary or the expert just added,
    at the top."""
    t = p.t
    search = (
        f'<h2 id="search">{esc(t("search_title"))}</h2>'
        '<form method="get" action="/assist/experts" class="stack">'
        '<input type="hidden" name="do" value="search">'
        + field("skill", t("field_skill"), asked.get("skill", ""))
        + field("language", t("field_language"), asked.get("language", ""))
        + _region_select(t, "region", asked.get("region", ""))
        + f'<button type="submit">{esc(t("search"))}</button></form>'
    )
    match_form = (
        f'<h2 id="match">{esc(t("match_title"))}</h2>'
        '<form method="get" action="/assist/experts" class="stack">'
        '<input type="hidden" name="do" value="match">'
        + field(
            "skills", t("field_skills"), asked.get("skills", ""), error=errors.get("skills", "")
        )
        + field("languages", t("field_languages"), asked.get("languages", ""))
        + _region_select(t, "match_region", asked.get("match_region", ""))
        + field(
            "purpose", t("field_purpose"), asked.get("purpose", ""), error=errors.get("purpose", "")
        )
        + f'<button type="submit">{esc(t("match"))}</button></form>'
    )
    head = [
        t("col_name"),
        t("col_skills"),
        t("col_languages"),
        t("col_regions"),
        t("col_availability"),
    ]
    results = ""
    if found is not None:
        results = (
            f"<h2>{esc(t('results_title'))}</h2><p>{esc(t('count_experts', n=len(found)))}</p>"
        )
        results += table(t("results_title"), head, _expert_rows(t, found, {}))
    if matches is not None:
        reasons = {m.expert.expert_id or 0: "; ".join(m.reasons) for m in matches}
        experts = [m.expert for m in matches]
        results = (
            f"<h2>{esc(t('results_title'))}</h2><p>{esc(t('count_experts', n=len(experts)))}</p>"
        )
        results += table(
            t("results_title"), [*head, t("col_reasons")], _expert_rows(t, experts, reasons)
        )
    notice = f'<p class="notice">{esc(t("experts_logged"))}</p>'
    body = summary + notice + results + search + match_form + forms
    return layout(p, t("experts_title"), body)
