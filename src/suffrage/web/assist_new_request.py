"""The "new request" form on the requests page (spec/assistance.md#12.2; issue 19): who asks
(a Member State, or a mandate of the Security Council or the General Assembly), the country,
the mandate, the date received, the elections, the kinds of assistance.

The POST calls the service's ``new_request`` (which checks the role and the request); a
refusal is shown at its field with the error summary, success redirects (303) to the new
request's page.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from suffrage.assistance.access import Action
from suffrage.assistance.domain import Authority, Kind, parse_date
from suffrage.assistance.domain import Request as Asked
from suffrage.assistance.regions import STATES, code_of
from suffrage.errors import InvalidInput
from suffrage.i18n import Catalog
from suffrage.web.assist_pages import Page, error_page, esc, requests_page
from suffrage.web.assist_site import Site, Visit, acting, csrf_ok, read_form
from suffrage.web.assist_steps import (
    FIELDS,
    Refusal,
    choice_field,
    error_summary,
    input_field,
    text_field,
)

__all__ = ["add_new_request_route", "new_request_form"]


def _kinds(t: Catalog, sent: Mapping[str, str], refusal: Refusal | None) -> str:
    """The kinds of assistance, one checkbox each (``kind_<kind>``)."""
    tie = message = ""
    if refusal is not None and refusal.field == "kinds":
        message = (
            f'<p class="error" id="kinds-error">{esc(t("step_error_kinds"))} '
            f'<bdi lang="en">{esc(refusal.reason)}</bdi></p>'
        )
        tie = ' aria-describedby="kinds-error"'
    boxes = "".join(
        f'<div class="choice"><input type="checkbox" id="kind-{k.value}" name="kind_{k.value}" '
        f'value="yes"{" checked" if sent.get(f"kind_{k.value}") == "yes" else ""}>'
        f'<label for="kind-{k.value}">{esc(t(f"kind_{k.value}"))}</label></div>'
        for k in Kind
    )
    return (
        f'<fieldset id="kinds" class="field"{tie}><legend>{esc(t("col_kinds"))}</legend>'
        f"{message}{boxes}</fieldset>"
    )


def new_request_form(p: Page, refusal: Refusal | None = None) -> str:
    """The form, for the roles that may record a request ("" for the others)."""
    if Action.RECORD_REQUEST not in p.may:
        return ""
    t, r = p.t, refusal
    sent = r.sent if r is not None else {}
    authorities = {a.value: t(f"authority_{a.value}") for a in Authority}
    fields = (
        choice_field(
            t,
            "authority",
            t("col_authority"),
            authorities,
            chosen=sent.get("authority", ""),
            refusal=r,
        )
        + input_field(t, "country", t("step_country"), sent.get("country", ""), r, choices=STATES)
        + text_field(
            t, "mandate", t("step_mandate"), sent.get("mandate", ""), r, hint=t("step_mandate_hint")
        )
        + input_field(
            t, "received_on", t("col_received"), sent.get("received_on", ""), r, kind="date"
        )
        + text_field(
            t,
            "elections",
            t("col_elections"),
            sent.get("elections", ""),
            r,
            hint=t("step_elections_hint"),
        )
        + _kinds(t, sent, r)
    )
    return (
        f'<section aria-labelledby="step-new"><h2 id="step-new">{esc(t("step_new"))}</h2>'
        '<form method="post" action="/assist/requests" class="stack">'
        f'<input type="hidden" name="csrf" value="{esc(p.csrf)}">{fields}'
        f'<button type="submit">{esc(t("step_new"))}</button></form></section>'
    )


def _asked(f: Mapping[str, str]) -> Asked:
    """The form as the domain's request (the service checks the rest)."""
    if f.get("authority", "") not in {a.value for a in Authority}:
        raise InvalidInput("authority", f"choose one of {', '.join(a.value for a in Authority)}")
    received = parse_date("received_on", f.get("received_on", ""))
    return Asked(
        authority=Authority(f["authority"]),
        country=code_of(f.get("country", "")),
        received_on=received,
        elections=tuple(e.strip() for e in f.get("elections", "").splitlines() if e.strip()),
        kinds=tuple(k for k in Kind if f.get(f"kind_{k.value}") == "yes"),
        mandate=f.get("mandate", "").strip(),
    )


def add_new_request_route(router: APIRouter, site: Site) -> None:
    """``POST /assist/requests``."""
    registry = site.registry

    @router.post("/requests")
    async def new_request(request: Request) -> Response:
        form = await read_form(request)

        def make(v: Visit) -> Response | str:
            if not csrf_ok(v, form):  # 403, whoever sends it
                body = error_page(v.page, 403, v.page.t("csrf_refused"))
                return site.html(v, request, body, 403)
            user = acting(v)
            try:
                case = registry.new_request(user, _asked(form))
            except InvalidInput as exc:
                field = exc.field if exc.field in FIELDS["new"] else ""
                refusal = Refusal("new", field, exc.reason, form)
                body = requests_page(
                    v.page,
                    registry.list_requests(user),
                    "",
                    forms=new_request_form(v.page, refusal),
                    summary=error_summary(v.page.t, refusal),
                )
                return site.html(v, request, body, 400)
            return RedirectResponse(f"/assist/requests/{case.reference}", 303)

        return site.guarded(request, make)
