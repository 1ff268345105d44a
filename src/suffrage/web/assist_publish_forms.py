"""The publication forms (spec/assistance.md#12.5; issue 19): on a document's page, for
staff, "Publish", "Attach a new version" and "Withdraw publication"; on the published
reports page, for the focal point, "Publish a status report" and a "Withdraw" form per
report; and the notice a withdrawn publication's own address shows instead of it.

These only build HTML: what a role may do is the service's to decide; the forms are shown
to the roles that could (``Page.may``), and the POSTs (:mod:`suffrage.web.assist_publish_posts`)
call the use cases, whose refusals come back here at their field (``d_error_<field>``), with
the error summary that takes the focus.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from suffrage.assistance.access import Action, Role
from suffrage.assistance.memory import Filed
from suffrage.assistance.publication import Standing, Withdrawal
from suffrage.assistance.status_publish import PublishedReport
from suffrage.i18n import LANGUAGES, Catalog
from suffrage.web.assist_pages import LANGUAGE_NAMES, Page, data, day, esc, layout

__all__ = [
    "FORM_FIELDS",
    "Refused",
    "document_forms",
    "publication_summary",
    "report_forms",
    "withdrawn_notice",
    "withdrawn_page",
]

FORM_FIELDS: Mapping[str, tuple[str, ...]] = {
    "version": ("title", "language", "author", "dated", "body"),
    "withdraw": ("reason",),
    "publish": (),
    "report": ("from", "to"),
    "report_withdraw": ("reason",),
}
"""Each form's fields, as posted (a report's withdrawal: ``reason-<id>`` on the page)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Refused:
    """What the service refused in one of these forms: the form, the field (``""``: the
    whole form), the service's reason, the values sent, and the report it was about."""

    form: str
    field: str
    reason: str
    sent: Mapping[str, str] = dataclasses.field(default_factory=dict)
    report: int | None = None


def _id(r: Refused) -> str:
    """The id of the refused field on the page (``""``: the form itself)."""
    if r.field not in FORM_FIELDS[r.form]:
        return ""
    if r.form == "report_withdraw":
        return f"reason-{r.report}"
    return f"{r.form}-{r.field}"


def _error(t: Catalog, ident: str, name: str, refused: Refused | None) -> tuple[str, str]:
    if refused is None or _id(refused) != ident:
        return "", ""
    message = (
        f'<p class="error" id="{ident}-error">{esc(t(f"d_error_{name}"))} '
        f'<bdi lang="en">{esc(refused.reason)}</bdi></p>'
    )
    return message, f' aria-describedby="{ident}-error" aria-invalid="true"'


def _input(
    t: Catalog,
    ident: str,
    name: str,
    label: str,
    value: str,
    *,
    refused: Refused | None,
    kind: str = "text",
) -> str:
    message, tie = _error(t, ident, name, refused)
    return (
        f'<div class="field"><label for="{ident}">{esc(label)}</label>{message}'
        f'<input id="{ident}" name="{name}" type="{kind}" value="{esc(value)}" dir="auto"{tie}>'
        "</div>"
    )


def _area(
    t: Catalog,
    ident: str,
    name: str,
    label: str,
    value: str,
    *,
    refused: Refused | None,
    rows: int = 3,
) -> str:
    message, tie = _error(t, ident, name, refused)
    return (
        f'<div class="field"><label for="{ident}">{esc(label)}</label>{message}'
        f'<textarea id="{ident}" name="{name}" rows="{rows}" dir="auto"{tie}>{esc(value)}'
        "</textarea></div>"
    )


def _language(t: Catalog, chosen: str, refused: Refused | None) -> str:
    message, tie = _error(t, "version-language", "language", refused)
    options = "".join(
        f'<option value="{code}" lang="{code}"{" selected" if code == chosen else ""}>'
        f"{esc(LANGUAGE_NAMES[code])}</option>"
        for code in LANGUAGES
    )
    return (
        f'<div class="field"><label for="version-language">{esc(t("field_doc_language"))}'
        f'</label>{message}<select id="version-language" name="language"{tie}>{options}'
        "</select></div>"
    )


def _form(
    p: Page, action: str, ident: str, *, title: str, hint: str, fields: str, button: str
) -> str:
    return (
        f'<section aria-labelledby="{ident}-title"><h3 id="{ident}-title">{esc(title)}</h3>'
        f'<p class="hint">{esc(hint)}</p>'
        f'<form id="{ident}" method="post" action="{action}" class="stack">'
        f'<input type="hidden" name="csrf" value="{esc(p.csrf)}">{fields}'
        f'<button type="submit">{esc(button)}</button></form></section>'
    )


def _public(standing: Standing) -> bool:
    return any(v.published and v.withdrawal is None for v in standing.versions)


def document_forms(
    p: Page, filed: Filed, standing: Standing, refused: Refused | None = None
) -> str:
    """The staff's forms on a document's page: those the user's role could use and the
    document's standing allows ("" for none)."""
    t, d, number = p.t, filed.document, filed.document_id
    sent = refused.sent if refused is not None else {}
    forms = []
    fresh = not d.published and standing.current and standing.withdrawal is None
    if Action.PUBLISH_DOCUMENT in p.may and fresh:
        forms.append(
            _form(
                p,
                f"/assist/documents/{number}/publish",
                "publish",
                title=t("d_publish_title"),
                hint=t("d_publish_hint"),
                fields="",
                button=t("d_publish"),
            )
        )
    if Action.ATTACH_DOCUMENT in p.may and standing.current:
        v = refused if refused is not None and refused.form == "version" else None
        fields = (
            _input(
                t, "version-title", "title", t("col_title"), sent.get("title", d.title), refused=v
            )
            + _language(t, sent.get("language", d.language), v)
            + _input(
                t,
                "version-author",
                "author",
                t("col_author"),
                sent.get("author", d.author),
                refused=v,
            )
            + _input(
                t,
                "version-dated",
                "dated",
                t("col_dated"),
                sent.get("dated", ""),
                refused=v,
                kind="date",
            )
            + _area(
                t, "version-body", "body", t("step_body"), sent.get("body", ""), refused=v, rows=8
            )
        )
        forms.append(
            _form(
                p,
                f"/assist/documents/{number}/version",
                "version",
                title=t("d_version_title"),
                hint=t("d_version_hint"),
                fields=fields,
                button=t("d_version_title"),
            )
        )
    if Action.PUBLISH_DOCUMENT in p.may and _public(standing):
        w = refused if refused is not None and refused.form == "withdraw" else None
        reason = _area(
            t, "withdraw-reason", "reason", t("d_reason"), sent.get("reason", ""), refused=w
        )
        forms.append(
            _form(
                p,
                f"/assist/documents/{number}/withdraw",
                "withdraw",
                title=t("d_withdraw_title"),
                hint=t("d_withdraw_hint"),
                fields=reason,
                button=t("d_withdraw_title"),
            )
        )
    if not forms:
        return ""
    return f'<h2 id="manage">{esc(t("d_manage"))}</h2>' + "".join(forms)


def _period(r: PublishedReport) -> str:
    return f"{day(r.report.start.isoformat())} – {day(r.report.end.isoformat())}"


def _withdraw_report(p: Page, report: PublishedReport, refused: Refused | None) -> str:
    t, number = p.t, report.report_id
    mine = refused is not None and refused.form == "report_withdraw" and refused.report == number
    w = refused if mine else None
    reason = w.sent.get("reason", "") if w is not None else ""
    title = esc(t("d_report_withdraw_title", period="\x00period\x00")).replace(
        "\x00period\x00", _period(report)
    )
    area = _area(t, f"reason-{number}", "reason", t("d_reason"), reason, refused=w)
    return (
        f'<section aria-labelledby="withdraw-{number}-title">'
        f'<h3 id="withdraw-{number}-title">{title}</h3>'
        f'<form id="withdraw-{number}" method="post" '
        f'action="/assist/reports/{number}/withdraw" class="stack">'
        f'<input type="hidden" name="csrf" value="{esc(p.csrf)}">{area}'
        f'<button type="submit">{esc(t("d_withdraw_report"))}</button></form></section>'
    )


def report_forms(p: Page, found: Sequence[PublishedReport], refused: Refused | None = None) -> str:
    """The focal point's forms on the published reports page: publish a period's report,
    and withdraw each report still published ("" for the other roles)."""
    if p.user is None or p.user.role is not Role.FOCAL_POINT:
        return ""
    t = p.t
    mine = refused if refused is not None and refused.form == "report" else None
    sent = mine.sent if mine is not None else {}
    fields = _input(
        t,
        "report-from",
        "from",
        t("d_period_from"),
        sent.get("from", ""),
        refused=mine,
        kind="date",
    ) + _input(
        t, "report-to", "to", t("d_period_to"), sent.get("to", ""), refused=mine, kind="date"
    )
    html = _form(
        p,
        "/assist/reports",
        "report",
        title=t("d_report_title"),
        hint=t("d_report_hint"),
        fields=fields,
        button=t("d_publish"),
    )
    html += "".join(_withdraw_report(p, r, refused) for r in found if r.withdrawal is None)
    return f'<h2 id="manage">{esc(t("d_manage_reports"))}</h2>' + html


def publication_summary(t: Catalog, r: Refused) -> str:
    """The summary at the top of the page, which takes the focus: the refusal, linked to its
    field (or to its form)."""
    ident = _id(r)
    forms = {"report_withdraw": f"withdraw-{r.report}", "publish": "manage"}
    target = ident or forms.get(r.form, r.form)
    what = t(f"d_error_{r.field}") if ident else t("d_error_form")
    return (
        '<div class="error-summary" role="alert" tabindex="-1" autofocus '
        'aria-labelledby="error-summary-title">'
        f'<h2 id="error-summary-title">{esc(t("step_error_title"))}</h2>'
        f'<ul><li><a href="#{esc(target)}">{esc(what)}</a> '
        f'<bdi lang="en">{esc(r.reason)}</bdi></li></ul></div>'
    )


def withdrawn_notice(t: Catalog, key: str, w: Withdrawal, *, staff: bool) -> str:
    """The notice of a withdrawal: when and why (staff: and by whom)."""
    when = esc(t(key, day="\x00day\x00")).replace("\x00day\x00", day(w.on))
    by = f" {data(t('d_withdrawn_by', name=w.by))}" if staff else ""
    return (
        f'<div class="notice withdrawn" role="note"><p><strong>{when}</strong>{by}</p>'
        f"<p>{esc(t('d_withdrawn_reason'))} {data(w.reason)}</p></div>"
    )


def withdrawn_page(p: Page, key: str, w: Withdrawal) -> str:
    """What a withdrawn publication's own address shows (410 Gone), never a silent 404."""
    body = withdrawn_notice(p.t, key, w, staff=False)
    body += f'<p><a href="/assist/documents">{esc(p.t("d_back_documents"))}</a> · '
    body += f'<a href="/assist/reports">{esc(p.t("d_back_reports"))}</a></p>'
    return layout(p, p.t("d_withdrawn_title"), body)
