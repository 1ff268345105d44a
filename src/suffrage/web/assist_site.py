"""What the registry's pages share (spec/assistance.md#12): a visit (the
language, the session, who asks), answers with the security headers and the cookies a visit
needs, refusals as pages, the forms and their CSRF check."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from urllib.parse import parse_qs, quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from suffrage.assistance.access import (
    PERMISSIONS,
    Action,
    NotAuthenticated,
    NotPermitted,
    Role,
    User,
)
from suffrage.assistance.coordination import Activity, Overlap, overlaps
from suffrage.assistance.history import HistoryBroken
from suffrage.assistance.service import Registry
from suffrage.errors import NotFound, SuffrageError
from suffrage.i18n import catalog
from suffrage.web.assist_pages import Page, error_page
from suffrage.web.assist_session import (
    LANGUAGE_COOKIE,
    Session,
    language_of,
    new_session,
    read_session,
    write_session,
)
from suffrage.web.booth import SECURITY_HEADERS

__all__ = ["HEADERS", "Site", "Visit", "acting", "csrf_ok", "may_do", "read_form", "static"]

STATIC = resources.files("suffrage.web").joinpath("static")
MAX_FORM = 8192
HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-store"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Visit:
    """One request to a page: its language, session, and who asks."""

    page: Page
    session: Session
    fresh: bool  # the session is new: set its cookie
    chosen: bool  # ?lang= chose the language: keep it in a cookie


def may_do(user: User | None) -> frozenset[Action]:
    """What the user's role may do (the public's, for no user)."""
    role = Role.PUBLIC if user is None else user.role
    return frozenset(a for a, roles in PERMISSIONS.items() if role in roles)


class Site:
    """What the routes share: the registry, the sessions' key, the clock, and turning a
    request into a page (its visit) and a page or a refusal into an answer."""

    def __init__(self, registry: Registry, key: bytes, clock: Callable[[], datetime]) -> None:
        self.registry, self.key, self.clock = registry, key, clock

    def now(self) -> int:
        return int(self.clock().timestamp())

    def visit(self, request: Request) -> Visit:
        """The language, the session (a new one if none is good), and who asks: the
        session's user, or the bearer token's (which NotAuthenticated refuses)."""
        language, chosen = language_of(request)
        auth = request.headers.get("authorization", "")
        session = read_session(request, self.key, self.now())
        user = None
        if session is not None and session.secret is not None:
            user = self.registry.session_user(session.secret)  # None once signed out
            if user is None:
                session = None
        fresh = session is None
        if session is None:
            session = new_session(self.now())
        if auth[:7].lower() == "bearer ":
            user, fresh = self.registry.authenticate_token(auth[7:].strip()), False
        page = Page(
            t=catalog("web", language, "suffrage.assistance"),
            user=user,
            csrf=session.csrf,
            path=request.url.path,
            query=dict(request.query_params),
            may=may_do(user),
        )
        return Visit(page=page, session=session, fresh=fresh, chosen=chosen)

    def html(self, v: Visit, request: Request, body: str, status: int = 200) -> Response:
        response = HTMLResponse(body, status_code=status, headers=HEADERS)
        return self.finish(v, request, response)

    def finish(self, v: Visit, request: Request, response: Response) -> Response:
        """Set the cookies the visit needs: a new session's, the language chosen."""
        if v.fresh:
            write_session(response, request, self.key, v.session)
        if v.chosen:
            response.set_cookie(
                LANGUAGE_COOKIE,
                v.page.t.language,
                max_age=365 * 86400,
                path="/assist",
                secure=request.url.scheme == "https",
                samesite="strict",
            )
        return response

    def refused(self, v: Visit, request: Request, exc: SuffrageError) -> Response:
        """A refusal as a page: sign in first (the public), 403, 404, 401, 400."""
        if isinstance(exc, NotPermitted) and v.page.user is None:
            target = quote(request.url.path, safe="/")
            return self.finish(v, request, RedirectResponse(f"/assist/login?next={target}", 303))
        status = 400
        if isinstance(exc, NotPermitted):
            status = 403
        elif isinstance(exc, NotFound):
            status = 404
        elif isinstance(exc, NotAuthenticated):
            status = 401
        return self.html(v, request, error_page(v.page, status, str(exc)), status)

    def guarded(self, request: Request, make: Callable[[Visit], Response | str]) -> Response:
        """The page ``make`` makes for this visit, or the refusal it raised."""
        try:
            v = self.visit(request)
        except NotAuthenticated as exc:  # a wrong bearer token: no page at all
            page = Page(
                t=catalog("web", "en", "suffrage.assistance"),
                user=None,
                csrf="",
                path=request.url.path,
                query={},
                may=may_do(None),
            )
            return HTMLResponse(error_page(page, 401, str(exc)), 401, headers=HEADERS)
        try:
            made = make(v)
        except SuffrageError as exc:
            return self.refused(v, request, exc)
        if isinstance(made, str):
            return self.html(v, request, made)
        return self.finish(v, request, made)

    def chain(self, v: Visit, user: User) -> str:
        """The history check's result, for the roles that may check it."""
        t = v.page.t
        if Action.CHECK_HISTORY not in v.page.may:
            return t("chain_staff_only")
        try:
            return t("chain_holds", n=self.registry.check_history(user))
        except HistoryBroken as exc:
            return t("chain_broken", detail=str(exc))

    def activities_of(
        self, user: User, request_id: int, country: str
    ) -> tuple[list[Activity], list[Overlap]] | None:
        """The request's activities and the country's not tied to a request, with their
        overlaps, for the roles that may view activities."""
        if Action.VIEW_ACTIVITIES not in may_do(user):
            return None
        found, _ = self.registry.list_activities(user, country)
        mine = [a for a in found if a.request_id in (request_id, None)]
        return mine, overlaps(mine)


def static(name: str, media_type: str) -> Response:
    data = STATIC.joinpath(name).read_bytes()
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}
    return Response(data, media_type=media_type, headers=headers)


def _user(v: Visit) -> User:
    return v.page.user or User(name="anonymous", role=Role.PUBLIC)


def acting(v: Visit) -> User:
    """Who asks: the signed-in user, or the public."""
    return v.page.user or User(name="anonymous", role=Role.PUBLIC)


async def read_form(request: Request, limit: int = MAX_FORM) -> dict[str, str]:
    """The form's fields (the first value of each); none at all (so no CSRF token) when the
    body passes ``limit`` bytes."""
    body = await request.body()
    if len(body) > limit:
        return {}
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items()}


def csrf_ok(v: Visit, form: dict[str, str]) -> bool:
    """The form's token is the session's (a session from the cookie, not a fresh one)."""
    sent = form.get("csrf", "")
    return not v.fresh and bool(sent) and secrets.compare_digest(sent, v.session.csrf)
