"""Record an activity (spec/assistance.md#12.4; A/RES/74/158 para. 18): on a request's page
when the request's assistance is decided or under way (the activity then carries it out, in
its country), and on the activities page (any country, tied to a request or not).

The POST calls the service's ``add_activity``, which checks the role (an implementing entity
records only its own entity's activities), the activity and the request. Success redirects
(303) to the page the form was on with ``?recorded=N``; that page then opens with the activity
and the overlaps it makes with other entities' activities (:func:`recorded_notice`), flagged
in words, at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from suffrage.assistance.access import Action, NotPermitted, Role, User
from suffrage.assistance.coordination import Activity, overlaps_with
from suffrage.assistance.domain import PHASE_ORDER, Entity, Kind, Outcome, Phase, State, parse_date
from suffrage.assistance.records import Case
from suffrage.assistance.regions import STATES, code_of
from suffrage.assistance.service import Registry
from suffrage.errors import InvalidInput, NotFound
from suffrage.web.assist_attach import attach_form
from suffrage.web.assist_pages import (
    Page,
    _overlap_list,
    activities_page,
    country,
    data,
    error_page,
    esc,
    request_page,
)
from suffrage.web.assist_records import field_of, record_summary, select_field
from suffrage.web.assist_site import Site, Visit, acting, csrf_ok, read_form
from suffrage.web.assist_steps import Refusal, choice_field, input_field, step_forms

__all__ = ["activity_form", "activity_of", "add_activity_routes", "recorded_notice"]


def open_to_activities(case: Case) -> bool:
    """Whether the request's assistance takes activities: decided (not declined) or under
    way (the service's rule, spec/assistance.md#3)."""
    declined = case.decision is not None and case.decision.outcome is Outcome.DECLINE
    return case.state is State.UNDER_WAY or (case.state is State.DECIDED and not declined)


def _entities(user: User | None) -> dict[str, str]:
    """The entities offered: an implementing entity's own only (the service checks again)."""
    if user is not None and user.role is Role.IMPLEMENTING_ENTITY:
        return {e.value: e.value for e in Entity if e.value == user.entity}
    return {e.value: e.value for e in Entity}


def activity_form(p: Page, case: Case | None = None, refusal: Refusal | None = None) -> str:
    """The form ("" for roles that may not record activities, and on a request whose
    assistance is not decided or under way). ``case``: on that request's page."""
    if Action.RECORD_ACTIVITY not in p.may or (case is not None and not open_to_activities(case)):
        return ""
    t, r = p.t, (refusal if refusal is not None and refusal.step == "activity" else None)
    sent = r.sent if r is not None else {}
    entities = _entities(p.user)
    own = p.user.entity if p.user is not None and p.user.entity in entities else ""
    where = (
        f"<p>{esc(t('col_country'))}: {country(t, case.request.country)}</p>"
        if case is not None
        else input_field(
            t,
            "activity_country",
            t("step_country"),
            sent.get("activity_country", ""),
            r,
            choices=STATES,
        )
    )
    fields = (
        select_field(
            t,
            "activity_entity",
            t("col_entity"),
            entities,
            chosen=sent.get("activity_entity", own),
            refusal=r,
            empty=len(entities) > 1,
        )
        + where
        + choice_field(
            t,
            "activity_phase",
            t("col_phase"),
            {ph.value: t(f"phase_{ph.value}") for ph in PHASE_ORDER},
            chosen=sent.get("activity_phase", ""),
            refusal=r,
        )
        + select_field(
            t,
            "activity_kind",
            t("col_kind"),
            {k.value: t(f"kind_{k.value}") for k in Kind},
            chosen=sent.get("activity_kind", ""),
            refusal=r,
        )
        + input_field(
            t,
            "activity_starts",
            t("w_activity_starts"),
            sent.get("activity_starts", ""),
            r,
            kind="date",
        )
        + input_field(
            t,
            "activity_ends",
            t("w_activity_ends"),
            sent.get("activity_ends", ""),
            r,
            kind="date",
        )
        + input_field(t, "activity_title", t("col_title"), sent.get("activity_title", ""), r)
    )
    if case is None:
        fields += input_field(
            t, "activity_request", t("w_activity_request"), sent.get("activity_request", ""), r
        )
        action = "/assist/activities"
    else:
        action = f"/assist/requests/{esc(case.reference)}/activity"
    return (
        f'<section aria-labelledby="w-activity"><h2 id="w-activity">{esc(t("w_activity"))}'
        f"</h2><p>{esc(t('w_activity_intro'))}</p>"
        f'<form method="post" action="{action}" class="stack">'
        f'<input type="hidden" name="csrf" value="{esc(p.csrf)}">{fields}'
        f'<button type="submit">{esc(t("w_activity"))}</button></form></section>'
    )


_E = TypeVar("_E", Entity, Phase, Kind)


def _choice(kind: type[_E], field: str, value: str) -> _E:
    if value not in {m.value for m in kind}:
        raise InvalidInput(field, f"choose one of {', '.join(m.value for m in kind)}")
    return kind(value)


def activity_of(f: Mapping[str, str], country_code: str) -> Activity:
    """The form as the activity to record (the service checks the rest)."""
    return Activity(
        entity=_choice(Entity, "entity", f.get("activity_entity", "")),
        country=country_code,
        phase=_choice(Phase, "phase", f.get("activity_phase", "")),
        kind=_choice(Kind, "kind", f.get("activity_kind", "")),
        starts=parse_date("starts", f.get("activity_starts", "")),
        ends=parse_date("ends", f.get("activity_ends", "")),
        title=f.get("activity_title", "").strip(),
    )


def recorded_notice(p: Page, registry: Registry, user: User, country_code: str | None) -> str:
    """After ``?recorded=N``: the activity just recorded and the overlaps it makes with the
    other entities' activities (para. 18), at the top of the page ("" otherwise)."""
    wanted = p.query.get("recorded", "")
    if not wanted.isdigit() or Action.VIEW_ACTIVITIES not in p.may:
        return ""
    found, _ = registry.list_activities(user, country_code)
    made = next((a for a in found if a.activity_id == int(wanted)), None)
    if made is None:
        return ""
    t = p.t
    others = [a for a in found if a.activity_id != made.activity_id]
    made_overlaps = overlaps_with(made, others)
    said = t("w_activity_recorded", n=made.activity_id or 0)
    flags = (
        f'<p><strong class="flag">{esc(t("w_activity_overlaps", n=len(made_overlaps)))}'
        f"</strong></p>{_overlap_list(t, made_overlaps)}"
        if made_overlaps
        else f"<p>{esc(t('no_overlaps'))}</p>"
    )
    return f'<div class="notice" role="status"><p>{esc(said)} {data(made.title)}</p>{flags}</div>'


def add_activity_routes(router: APIRouter, site: Site) -> None:
    """``POST /assist/requests/{reference}/activity`` and ``POST /assist/activities``."""
    registry = site.registry

    @router.post("/requests/{reference}/activity")
    async def on_request(request: Request, reference: str) -> Response:
        form = await read_form(request)

        def make(v: Visit) -> Response | str:
            if not csrf_ok(v, form):  # 403, whoever sends it
                return site.html(v, request, error_page(v.page, 403, v.page.t("csrf_refused")), 403)
            user = acting(v)
            case = _visible(registry, user, reference)
            try:
                activity = activity_of(form, case.request.country)
                made, _ = registry.add_activity(user, activity, reference)
            except InvalidInput as exc:
                field = field_of("activity", exc.field)
                field = "" if field in ("activity_country", "activity_request") else field
                refusal = Refusal("activity", field, exc.reason, form)
                return site.html(v, request, _request_again(site, v, case, refusal), 400)
            where = f"/assist/requests/{reference}?recorded={made.activity_id}"
            return RedirectResponse(where, 303)

        return site.guarded(request, make)

    @router.post("/activities")
    async def on_activities(request: Request) -> Response:
        form = await read_form(request)

        def make(v: Visit) -> Response | str:
            if not csrf_ok(v, form):
                return site.html(v, request, error_page(v.page, 403, v.page.t("csrf_refused")), 403)
            user = acting(v)
            tied = form.get("activity_request", "").strip() or None
            try:
                activity = activity_of(form, code_of(form.get("activity_country", "")))
                made, _ = registry.add_activity(user, activity, tied)
            except (InvalidInput, NotFound) as exc:
                if isinstance(exc, NotFound):  # no such request (or not this user's to see)
                    exc = InvalidInput("request", str(exc))
                refusal = Refusal("activity", field_of("activity", exc.field), exc.reason, form)
                found, flagged = registry.list_activities(user)
                page = activities_page(
                    v.page,
                    found,
                    flagged,
                    forms=activity_form(v.page, None, refusal),
                    summary=record_summary(v.page.t, refusal),
                )
                return site.html(v, request, page, 400)
            return RedirectResponse(f"/assist/activities?recorded={made.activity_id}", 303)

        return site.guarded(request, make)


def _visible(registry: Registry, user: User, reference: str) -> Case:
    """The request, as its page shows it: a liaison gets 404 for another State's."""
    try:
        return registry.show_request(user, reference)
    except NotPermitted:
        if user.role is not Role.MEMBER_STATE_LIAISON:
            raise
        raise NotFound(f"no request {reference!r}") from None


def _request_again(site: Site, v: Visit, case: Case, refusal: Refusal) -> str:
    """The request page again, with the refusal at its field and in the summary."""
    registry, user, p = site.registry, acting(v), v.page
    entries = registry.request_history(user, case.reference)
    found = site.activities_of(user, case.request_id, case.request.country)
    forms = step_forms(p, case) + activity_form(p, case, refusal) + attach_form(p, case)
    summary = record_summary(p.t, refusal)
    return request_page(p, case, entries, site.chain(v, user), found, forms=forms, summary=summary)
