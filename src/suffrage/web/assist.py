"""The registry's web pages, mounted under ``/assist`` in the election server's app
(spec/assistance.md#12; issue 19 points 6 and 7).

Sign-in with a user's password (scrypt, checked by the service) or an API token
(``Authorization: Bearer``); a session in a signed cookie (:mod:`suffrage.web.assist_session`);
every form that changes something is a POST with the session's CSRF token. What a page shows
is what the service lets the user see: the role checks are the service's, not the pages'. A
Member State liaison who asks for another State's request gets the same 404 as for a request
that does not exist, so that the page does not confirm that it exists.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from suffrage.assistance.access import (
    Action,
    NotAuthenticated,
    NotPermitted,
    Role,
    permit,
)
from suffrage.assistance.domain import State
from suffrage.assistance.roster import Need, Region
from suffrage.assistance.service import Registry
from suffrage.errors import InvalidInput, NotFound
from suffrage.web.assist_access_posts import add_access_routes
from suffrage.web.assist_activity_form import (
    activity_form,
    add_activity_routes,
    recorded_notice,
)
from suffrage.web.assist_attach import attach_form
from suffrage.web.assist_expert_form import add_expert_routes, added_notice, expert_form
from suffrage.web.assist_library import add_library_routes
from suffrage.web.assist_new_request import add_new_request_route, new_request_form
from suffrage.web.assist_pages import (
    activities_page,
    error_page,
    login_page,
    request_page,
    requests_page,
)
from suffrage.web.assist_posts import add_post_routes
from suffrage.web.assist_publish_posts import add_publish_routes
from suffrage.web.assist_roster_pages import experts_page, roster_page
from suffrage.web.assist_session import clear_session, new_session, write_session
from suffrage.web.assist_site import Site, Visit, acting, csrf_ok, read_form, static
from suffrage.web.assist_steps import step_forms
from suffrage.web.assist_users import add_user_routes

__all__ = ["SECRET_ENVIRONMENT", "assist_router"]

SECRET_ENVIRONMENT = "SUFFRAGE_ASSIST_SECRET"  # noqa: S105 (a variable's name)
"""The sessions' signing key (hex), shared by the workers of one server."""


def assist_router(
    registry: Registry,
    *,
    secret: bytes | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> APIRouter:
    """The pages over ``registry``; ``secret`` signs the sessions (random if not given: then
    sessions end when the server restarts)."""
    site = Site(registry, secret or secrets.token_bytes(32), clock)
    router = APIRouter(prefix="/assist", include_in_schema=False)

    @router.get("/static/assist.css")
    def stylesheet() -> Response:
        return static("assist.css", "text/css; charset=utf-8")

    @router.get("/static/icon.svg")
    def icon() -> Response:
        return static("assist-icon.svg", "image/svg+xml")

    _add_session_routes(router, site)
    _add_registry_routes(router, site)
    add_library_routes(router, site)
    add_publish_routes(router, site)  # publications (spec/assistance.md#12.5)
    # the records' forms (spec/assistance.md#12.4): before add_post_routes, whose
    # /requests/{reference}/{step} would take .../activity
    add_activity_routes(router, site)
    add_expert_routes(
        router,
        site,
        lambda v, form, summary: _experts(site.registry, v, {}, forms=form, summary=summary),
    )
    add_user_routes(router, site)
    add_access_routes(router, site)
    add_post_routes(router, site)
    add_new_request_route(router, site)
    return router


def _add_session_routes(router: APIRouter, site: Site) -> None:
    """Home, sign-in, sign-out."""

    @router.get("")
    @router.get("/")
    def home(request: Request) -> Response:
        def make(v: Visit) -> Response:
            if v.page.user is None:
                return RedirectResponse("/assist/login", 303)
            if Action.VIEW_REQUESTS in v.page.may:
                return RedirectResponse("/assist/requests", 303)
            return RedirectResponse("/assist/roster", 303)

        return site.guarded(request, make)

    @router.get("/login")
    def loginread_form(request: Request) -> Response:
        wanted = _safe_next(request.query_params.get("next", ""))
        return site.guarded(request, lambda v: login_page(v.page, next_path=wanted))

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await read_form(request)
        v = site.visit(request)
        if not csrf_ok(v, form):
            return site.html(v, request, error_page(v.page, 403, v.page.t("csrf_refused")), 403)
        name, password, wanted = (
            form.get("name", ""),
            form.get("password", ""),
            form.get("next", ""),
        )
        try:
            user = await asyncio.to_thread(site.registry.authenticate, name, password)
        except NotAuthenticated:
            failed = v.page.t("login_failed")
            body = login_page(v.page, name=name, error=failed, next_path=_safe_next(wanted))
            return site.html(v, request, body, 401)
        response = RedirectResponse(_safe_next(wanted) or "/assist/", 303)
        # a new session, with a new CSRF token
        secret = await asyncio.to_thread(site.registry.open_session, user)
        write_session(response, request, site.key, new_session(site.now(), user, secret))
        return site.finish(replace(v, fresh=False), request, response)

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        form = await read_form(request)
        v = site.visit(request)
        if not csrf_ok(v, form):
            return site.html(v, request, error_page(v.page, 403, v.page.t("csrf_refused")), 403)
        if v.session.secret is not None:  # a copy of the cookie ends with it
            await asyncio.to_thread(site.registry.end_session, v.session.secret)
        response = RedirectResponse("/assist/login", 303)
        clear_session(response, request)
        return response


def _add_registry_routes(router: APIRouter, site: Site) -> None:
    """The requests, one request, the activities, the roster's figures, the experts."""
    registry = site.registry

    @router.get("/requests")
    def requests(request: Request) -> Response:
        def make(v: Visit) -> str:
            state = request.query_params.get("state", "")
            chosen = State(state) if state in {s.value for s in State} else None
            cases = registry.list_requests(acting(v), chosen)
            form = new_request_form(v.page)
            return requests_page(v.page, cases, chosen.value if chosen else "", forms=form)

        return site.guarded(request, make)

    @router.get("/requests/{reference}")
    def one_request(request: Request, reference: str) -> Response:
        def make(v: Visit) -> str:
            user = acting(v)
            try:
                case = registry.show_request(user, reference)
            except NotPermitted:
                if user.role is not Role.MEMBER_STATE_LIAISON:
                    raise
                # another State's request: the same answer as for one that does not exist
                raise NotFound(f"no request {reference!r}") from None
            entries = registry.request_history(user, reference)
            found = site.activities_of(user, case.request_id, case.request.country)
            forms = (
                step_forms(v.page, case) + activity_form(v.page, case) + attach_form(v.page, case)
            )
            notice = recorded_notice(v.page, registry, user, case.request.country)
            return request_page(
                v.page, case, entries, site.chain(v, user), found, forms=forms, summary=notice
            )

        return site.guarded(request, make)

    @router.get("/activities")
    def activities(request: Request) -> Response:
        def make(v: Visit) -> str:
            user = acting(v)
            found, flagged = registry.list_activities(user)
            notice = recorded_notice(v.page, registry, user, None)
            form = activity_form(v.page)
            return activities_page(v.page, found, flagged, forms=form, summary=notice)

        return site.guarded(request, make)

    @router.get("/roster")
    def roster(request: Request) -> Response:
        def make(v: Visit) -> str:
            today = site.clock().date()
            dates = [date(today.year - 2, 12, 31), date(today.year - 1, 12, 31), today]
            user = acting(v)
            return roster_page(v.page, [registry.roster_figures(user, d) for d in dates])

        return site.guarded(request, make)

    @router.get("/experts")
    def experts(request: Request) -> Response:
        def make(v: Visit) -> str:
            notice = added_notice(v.page, registry, acting(v))  # after ?added=N
            form = expert_form(v.page, site.clock().date())
            asked = dict(request.query_params)
            return _experts(registry, v, asked, forms=form, summary=notice)

        return site.guarded(request, make)


def _experts(
    registry: Registry, v: Visit, asked: dict[str, str], *, forms: str = "", summary: str = ""
) -> str:
    """Search (skill, language, region) or match (skills, languages, region, purpose); the
    service logs the read of every expert shown."""
    user, t = acting(v), v.page.t
    permit(user, Action.READ_EXPERTS)  # the form too: it is no page for other roles
    errors: dict[str, str] = {}
    found = matches = None
    if asked.get("do") == "search":
        found = registry.search_experts(
            user,
            skill=asked.get("skill") or None,
            language=asked.get("language") or None,
            region=_region(asked.get("region", "")),
        )
    elif asked.get("do") == "match":
        skills = tuple(s.strip() for s in asked.get("skills", "").split(",") if s.strip())
        languages = tuple(s.strip() for s in asked.get("languages", "").split(",") if s.strip())
        if not skills:
            errors["skills"] = t("error_skills")
        if not asked.get("purpose", "").strip():
            errors["purpose"] = t("error_purpose")
        if not errors:
            need = Need(
                skills=skills, languages=languages, region=_region(asked.get("match_region", ""))
            )
            matches = registry.match_experts(user, need, asked["purpose"].strip())
    return experts_page(v.page, asked, found, matches, errors, forms=forms, summary=summary)


def _region(value: str) -> Region | None:
    if not value:
        return None
    if value not in {r.value for r in Region}:
        raise InvalidInput(
            "region", f"{value!r} is not one of {', '.join(r.value for r in Region)}"
        )
    return Region(value)


def _safe_next(path: str) -> str:
    """Only a path of these pages (never another site: no ``//``, no scheme)."""
    ok = path.startswith("/assist") and not path.startswith("//") and "\\" not in path
    return path if ok and len(path) < 300 else ""
