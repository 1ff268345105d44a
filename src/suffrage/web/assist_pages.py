"""The registry's pages as HTML (spec/assistance.md#12): server-rendered, no script, one
stylesheet (``/assist/static/assist.css``), in the six UN languages (Arabic right to left).

Every page has a skip link, a banner with the site's navigation and the language switcher,
one ``main`` with one ``h1`` and headings in order, and labelled form fields whose errors are
tied to them (``aria-describedby``, ``aria-invalid``). Text the registry holds (findings,
titles, names) is data in the language it was written in: it is wrapped in ``<bdi>`` so that
it keeps its own direction inside an Arabic page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from suffrage.assistance.access import Action, Role, User
from suffrage.assistance.coordination import Activity, Overlap
from suffrage.assistance.domain import Phase, State
from suffrage.assistance.history import Entry
from suffrage.assistance.records import Case
from suffrage.assistance.regions import name_of
from suffrage.i18n import LANGUAGES, Catalog

__all__ = [
    "LANGUAGE_NAMES",
    "Page",
    "activities_page",
    "data",
    "day",
    "error_page",
    "esc",
    "field",
    "layout",
    "login_page",
    "request_page",
    "requests_page",
    "table",
]

LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
"""Each language named in itself, for the switcher."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """What every page needs: the catalog, who is signed in, the CSRF token, where it is."""

    t: Catalog
    user: User | None
    csrf: str
    path: str
    query: Mapping[str, str]
    may: frozenset[Action]


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def country(t: Catalog, code: str) -> str:
    """A country as readers know it: its short name in the page's language, then its code
    (the code alone when it is not a Member State's: a territory under a mandate)."""
    name = name_of(code, t.language)
    return esc(code if name == code else f"{name} ({code})")


def data(value: object, language: str | None = None) -> str:
    """Text the registry holds, isolated in its own direction (in its own language, when
    the registry knows it: a document's title)."""
    tag = f' lang="{esc(language)}"' if language in LANGUAGES else ""
    return f"<bdi{tag}>{esc(value)}</bdi>"


def _switcher(p: Page) -> str:
    items = []
    for code in LANGUAGES:
        query = urlencode({**{k: v for k, v in p.query.items() if k != "lang"}, "lang": code})
        current = ' aria-current="true"' if code == p.t.language else ""
        items.append(
            f'<li><a href="{esc(p.path)}?{esc(query)}" lang="{code}" hreflang="{code}"'
            f"{current}>{esc(LANGUAGE_NAMES[code])}</a></li>"
        )
    return f'<nav aria-label="{esc(p.t("nav_languages"))}"><ul>{"".join(items)}</ul></nav>'


def _nav(p: Page) -> str:
    links = []
    if Action.VIEW_REQUESTS in p.may:
        links.append(("/assist/requests", p.t("nav_requests")))
    if Action.VIEW_ACTIVITIES in p.may:
        links.append(("/assist/activities", p.t("nav_activities")))
    links.append(("/assist/roster", p.t("nav_roster")))
    if Action.READ_EXPERTS in p.may:
        links.append(("/assist/experts", p.t("nav_experts")))
    if Action.SEARCH_DOCUMENTS in p.may:
        links.append(("/assist/documents", p.t("nav_documents")))
    if Action.MANAGE_USERS in p.may:
        links.append(("/assist/users", p.t("w_nav_users")))
    links.append(("/assist/reports", p.t("nav_reports")))
    current = ' aria-current="page"'
    items = "".join(
        f'<li><a href="{h}"{current if h == p.path else ""}>{esc(w)}</a></li>' for h, w in links
    )
    return f'<nav aria-label="{esc(p.t("nav_main"))}"><ul>{items}</ul></nav>'


def _who(p: Page) -> str:
    if p.user is None:
        return f'<p><a href="/assist/login">{esc(p.t("sign_in"))}</a></p>'
    role = p.t(f"role_{p.user.role.value}")
    scope = p.user.state or p.user.entity
    label = p.t("signed_in_as", name=p.user.name, role=role + (f" ({scope})" if scope else ""))
    return (
        f'<form method="post" action="/assist/logout" class="who"><p>{data(label)}</p>'
        f'<input type="hidden" name="csrf" value="{esc(p.csrf)}">'
        f'<button type="submit">{esc(p.t("sign_out"))}</button></form>'
    )


def layout(p: Page, title: str, body: str, *, title_language: str | None = None) -> str:
    """The page around ``body``; ``title_language``, the title's own language when it is
    data (a document's title), else the page's."""
    t = p.t
    heading = data(title, title_language) if title_language else esc(title)
    return (
        f'<!DOCTYPE html><html lang="{t.language}" dir="{t.direction}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width, '
        f'initial-scale=1"><title>{esc(title)} · {esc(t("app_name"))}</title>'
        '<link rel="stylesheet" href="/assist/static/assist.css">'
        '<link rel="icon" href="/assist/static/icon.svg" type="image/svg+xml"></head><body>'
        f'<a class="skip" href="#main">{esc(t("skip"))}</a>'
        f'<header><p class="brand">{esc(t("app_name"))}</p>{_nav(p)}{_who(p)}{_switcher(p)}'
        f'</header><main id="main" tabindex="-1"><h1>{heading}</h1>{body}</main>'
        f"<footer><p>{esc(t('footer'))}</p></footer></body></html>"
    )


def table(
    caption: str, head: Sequence[str], rows: Iterable[Sequence[str]], *, shown: bool = True
) -> str:
    """A table in a focusable, labelled region (cells are already-escaped HTML). On a narrow
    screen each row becomes a block with each cell labelled by its column (the stylesheet
    reads ``data-label``), rather than columns squeezed to a word each. ``shown=False`` keeps
    the caption for screen readers only, where a heading just above already says it."""
    ths = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    trs = "".join(
        "<tr>"
        + "".join(f'<td data-label="{esc(h)}">{c}</td>' for h, c in zip(head, row, strict=True))
        + "</tr>"
        for row in rows
    )
    hidden = "" if shown else ' class="vh"'
    return (
        f'<div class="table" role="region" aria-label="{esc(caption)}" tabindex="0"><table>'
        f"<caption{hidden}>{esc(caption)}</caption><thead><tr>{ths}</tr></thead>"
        f"<tbody>{trs}</tbody></table></div>"
    )


def day(value: object) -> str:
    """A date or a time, never broken at its hyphens, left to right in any page."""
    return f'<span class="when" dir="ltr">{esc(value)}</span>'


def field(
    name: str, label: str, value: str, *, kind: str = "text", error: str = "", extra: str = ""
) -> str:
    described = f' aria-describedby="{name}-error" aria-invalid="true"' if error else ""
    message = f'<p class="error" id="{name}-error">{esc(error)}</p>' if error else ""
    return (
        f'<div class="field"><label for="{name}">{esc(label)}</label>{message}'
        f'<input id="{name}" name="{name}" type="{kind}" value="{esc(value)}"{described}{extra}>'
        "</div>"
    )


# -- pages -----------------------------------------------------------------------------


def login_page(p: Page, *, name: str = "", error: str = "", next_path: str = "") -> str:
    t = p.t
    summary = f'<div role="alert" class="error-summary"><p>{esc(error)}</p></div>' if error else ""
    form = (
        f'{summary}<form method="post" action="/assist/login" class="stack">'
        f'<input type="hidden" name="csrf" value="{esc(p.csrf)}">'
        f'<input type="hidden" name="next" value="{esc(next_path)}">'
        + field("name", t("field_name"), name, extra=' autocomplete="username" required')
        + field(
            "password",
            t("field_password"),
            "",
            kind="password",
            error=error,
            extra=' autocomplete="current-password" required',
        )
        + f'<button type="submit">{esc(t("sign_in"))}</button></form>'
        f"<p>{esc(t('login_public'))} "
        f'<a href="/assist/roster">{esc(t("nav_roster"))}</a></p>'
    )
    return layout(p, t("login_title"), form)


def requests_page(
    p: Page, cases: Sequence[Case], state: str, *, forms: str = "", summary: str = ""
) -> str:
    """The list; ``forms``, the "new request" form (spec/assistance.md#12.2), and
    ``summary``, its error summary, at the top."""
    t = p.t
    options = "".join(
        f'<option value="{esc(s)}"{" selected" if s == state else ""}>'
        f"{esc(t(f'state_{s}') if s else t('filter_all'))}</option>"
        for s in (
            "",
            "received",
            "assessment_planned",
            "assessed",
            "decided",
            "under_way",
            "closed",
        )
    )
    filter_form = (
        '<form method="get" action="/assist/requests" class="inline">'
        f'<div class="field"><label for="state">{esc(t("field_state"))}</label>'
        f'<select id="state" name="state">{options}</select></div>'
        f'<button type="submit">{esc(t("filter"))}</button></form>'
    )
    scope = ""
    if p.user is not None and p.user.role is Role.MEMBER_STATE_LIAISON:
        state = name_of(p.user.state, t.language) if p.user.state else ""
        scope = f"<p>{esc(t('liaison_scope', state=state))}</p>"
    rows = [
        (
            f'<a href="/assist/requests/{esc(c.reference)}">{esc(c.reference)}</a>',
            country(t, c.request.country),
            esc(c.request.received_on.isoformat()),
            esc(t(f"state_{c.state.value}"))
            + (f" ({esc(t(f'phase_{c.phase.value}'))})" if c.phase else ""),
            esc(", ".join(t(f"kind_{k.value}") for k in c.request.kinds)),
        )
        for c in cases
    ]
    head = [t("col_reference"), t("col_country"), t("col_received"), t("col_state"), t("col_kinds")]
    count = f"<p>{esc(t('count_requests', n=len(cases)))}</p>"
    body = summary + scope + filter_form + count + table(t("requests_title"), head, rows)
    return layout(p, t("requests_title"), body + forms)


def _dl(pairs: Sequence[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs) + "</dl>"


def _case_facts(t: Catalog, case: Case) -> str:
    r = case.request
    state = t(f"state_{case.state.value}")
    if case.phase:
        state += f" ({t(f'phase_{case.phase.value}')})"
    pairs = [
        (t("col_state"), esc(state)),
        (
            t("col_authority"),
            esc(t(f"authority_{r.authority.value}"))
            + (f" ({data(r.mandate)})" if r.mandate else ""),
        ),
        (t("col_country"), country(t, r.country)),
        (t("col_received"), esc(r.received_on.isoformat())),
        (t("col_elections"), "; ".join(data(e) for e in r.elections)),
        (t("col_kinds"), esc(", ".join(t(f"kind_{k.value}") for k in r.kinds))),
    ]
    if r.documents:
        pairs.append((t("col_documents"), "; ".join(data(d) for d in r.documents)))
    if case.plan:
        plan = f"{case.plan['starts']} – {case.plan['ends']}"
        pairs.append(
            (t("col_plan"), esc(plan) + "; " + "; ".join(data(m) for m in case.plan["team"]))
        )
    return _dl(pairs)


def _assessment(t: Catalog, case: Case) -> str:
    out = ""
    if case.assessment is not None:
        items = "".join(
            f"<li><strong>{esc(t(f'condition_{c.value}'))}</strong>: "
            f"{esc(t('met') if met else t('not_met'))}. {data(why)}</li>"
            for c, (met, why) in case.assessment.conditions.items()
        )
        out += (
            f"<h2>{esc(t('assessment_title'))}</h2><p>{data(case.assessment.findings)}</p>"
            f"<ul>{items}</ul>"
        )
    if case.decision is not None:
        d = case.decision
        pairs = [
            (t("col_outcome"), esc(t(f"outcome_{d.outcome.value}"))),
            (t("col_reasons"), data(d.reasons)),
        ]
        if d.conditions:
            pairs.append((t("col_conditions"), data(d.conditions)))
        out += f"<h2>{esc(t('decision_title'))}</h2>" + _dl(pairs)
    if case.final_report:
        out += f"<h2>{esc(t('final_report_title'))}</h2><p>{data(case.final_report)}</p>"
    return out


def _moved(t: Catalog, entry: Entry) -> str:
    """A transition as its states in the page's language (``from → to``, with the phase of
    assistance under way); any other entry as its recorded action."""
    states = {s.value for s in State}
    came, to, phase = (entry.details.get(k) for k in ("from", "to", "phase"))
    if to not in states:
        return data(entry.action)
    text = (f"{t(f'state_{came}')} " if came in states else "") + f"→ {t(f'state_{to}')}"
    if to == State.UNDER_WAY.value and phase in {p.value for p in Phase}:
        text += f" ({t(f'phase_{phase}')})"
    return esc(text)


def _history(t: Catalog, entries: Sequence[Entry], chain: str) -> str:
    rows = [
        (
            esc(e.sequence),
            day(e.at),
            _moved(t, e),
            data(e.actor) + f" ({esc(t('role_' + str(e.details.get('role', 'public'))))})",
            f'<code class="hash">{e.hash.hex()}</code>',
        )
        for e in entries
    ]
    head = [t("col_sequence"), t("col_at"), t("col_action"), t("col_actor"), t("col_hash")]
    return f"<h2>{esc(t('history_title'))}</h2><p>{chain}</p>" + table(
        t("history_title"), head, rows, shown=False
    )


def activity_rows(
    t: Catalog, activities: Sequence[Activity], flagged: set[int]
) -> list[tuple[str, ...]]:
    return [
        (
            esc(a.entity.value),
            data(a.title),
            country(t, a.country),
            esc(t(f"phase_{a.phase.value}")),
            esc(t(f"kind_{a.kind.value}")),
            f"{day(a.starts.isoformat())} – {day(a.ends.isoformat())}",
            f'<strong class="flag">{esc(t("overlap_flag"))}</strong>'
            if a.activity_id in flagged
            else esc(t("no_overlap")),
        )
        for a in activities
    ]


def _activity_head(t: Catalog) -> list[str]:
    return [
        t("col_entity"),
        t("col_title"),
        t("col_country"),
        t("col_phase"),
        t("col_kind"),
        t("col_dates"),
        t("col_overlap"),
    ]


def _overlap_list(t: Catalog, found: Sequence[Overlap]) -> str:
    if not found:
        return f"<p>{esc(t('no_overlaps'))}</p>"
    items = "".join(
        f"<li>{_overlap(t, o)} {data(o.first.title)} / {data(o.second.title)}</li>" for o in found
    )
    return f'<ul class="overlaps">{items}</ul>'


def _overlap(t: Catalog, o: Overlap) -> str:
    """The sentence, with its dates kept left to right inside a right-to-left page."""
    text = esc(
        t(
            "overlap_text",
            first=o.first.entity.value,
            second=o.second.entity.value,
            starts="\x00starts\x00",
            ends="\x00ends\x00",
        )
    )
    text = text.replace("\x00starts\x00", day(o.starts.isoformat()))
    return text.replace("\x00ends\x00", day(o.ends.isoformat()))


def _documents(t: Catalog, entries: Sequence[Entry]) -> str:
    """The documents attached to the request, as its history records them."""
    attached = [e for e in entries if e.action == "document attached" and "document" in e.details]
    if not attached:
        return ""
    items = "".join(
        f'<li><a href="/assist/documents/{int(e.details["document"])}">'
        f"{data(e.details.get('title', ''), e.details.get('language'))}</a> "
        f"({day(e.details.get('dated', ''))}{_version(t, e)})</li>"
        for e in attached
    )
    return f"<h2>{esc(t('documents_attached'))}</h2><ul>{items}</ul>"


def _version(t: Catalog, entry: Entry) -> str:
    """The mark of a new version of a document (spec/assistance.md#10.7): ", version N"."""
    number = entry.details.get("version")
    return "" if number is None else esc(t("d_version_n", n=int(number)))


def request_page(
    p: Page,
    case: Case,
    entries: Sequence[Entry],
    chain: str,
    activities: tuple[list[Activity], list[Overlap]] | None,
    *,
    forms: str = "",
    summary: str = "",
) -> str:
    """One request; ``forms``, the workflow steps the user may take (spec/assistance.md#12.1),
    and ``summary``, the error summary of a refused step, at the top."""
    t = p.t
    body = summary + f"<h2>{esc(t('request_facts'))}</h2>" + _case_facts(t, case)
    body += _assessment(t, case) + forms
    if activities is not None:
        mine, found = activities
        flagged = {a.activity_id for o in found for a in (o.first, o.second) if a.activity_id}
        place = name_of(case.request.country, t.language)
        body += f"<h2>{esc(t('activities_in', country=place))}</h2>"
        if mine:
            caption = t("activities_in", country=place)
            body += table(caption, _activity_head(t), activity_rows(t, mine, flagged), shown=False)
        else:
            body += f"<p>{esc(t('no_activities'))}</p>"
        body += f"<h3>{esc(t('overlaps_title'))}</h3>" + _overlap_list(t, found)
    body += _documents(t, entries) + _history(t, entries, chain)
    return layout(p, t("request_title", reference=case.reference), body)


def activities_page(
    p: Page,
    activities: Sequence[Activity],
    found: Sequence[Overlap],
    *,
    forms: str = "",
    summary: str = "",
) -> str:
    """Every entity's activities; ``forms``, the form that records one
    (spec/assistance.md#12.4), and ``summary``, its error summary or the activity just
    recorded with its overlaps, at the top."""
    t = p.t
    flagged = {a.activity_id for o in found for a in (o.first, o.second) if a.activity_id}
    body = summary + f"<p>{esc(t('activities_intro'))}</p><h2>{esc(t('overlaps_title'))}</h2>"
    body += _overlap_list(t, found)
    entities = sorted({a.entity.value for a in activities})
    for entity in entities:
        mine = [a for a in activities if a.entity.value == entity]
        body += f"<h2>{esc(entity)}</h2>" + table(
            t("activities_of", entity=entity), _activity_head(t), activity_rows(t, mine, flagged)
        )
    if not entities:
        body += f"<p>{esc(t('no_activities'))}</p>"
    return layout(p, t("activities_title"), body + forms)


def error_page(p: Page, status: int, message: str) -> str:
    title = p.t(f"error_{status}") if status in (401, 403, 404) else p.t("error_other")
    return layout(p, title, f"<p>{data(message)}</p>")
