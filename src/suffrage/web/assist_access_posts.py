"""The POSTs that withdraw access and give it back (spec/assistance.md#12.4 and #6.1), and
each user's own tokens page.

``POST /assist/users/{id}/suspend`` (a ``reason``) and ``POST /assist/users/{id}/reinstate``
are the focal point's; ``POST /assist/tokens/{id}/revoke`` is the focal point's for any token
and any signed-in user's for their own, which ``GET /assist/tokens`` lists. Each checks the
session's CSRF token (403 without it, whoever sends it), then calls the service, which checks
the role (403); a refusal shows the page again (400) with the error at its field, or at the
user's section, and the error summary, which takes the focus; success redirects (303) to the
page with a notice of what was done.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from suffrage.assistance.access import Action, User
from suffrage.errors import InvalidInput
from suffrage.web.assist_access import AccessRefusal, token_rows
from suffrage.web.assist_pages import Page, data, error_page, esc, layout, table
from suffrage.web.assist_site import Site, Visit, acting, csrf_ok, read_form
from suffrage.web.assist_users import users_page

__all__ = ["add_access_routes", "own_tokens_page"]


def own_tokens_page(p: Page, site: Site, user: User, notice: str = "") -> str:
    """The signed-in user's tokens, with a "Revoke" button for each live one."""
    t = p.t
    found = site.registry.own_tokens(user)
    head = [t("r_token_label"), t("r_token_issued"), t("r_token_revoked")]
    listed = (
        table(t("r_own_title"), head, token_rows(p, found, user.name), shown=False)
        if found
        else f"<p>{esc(t('r_tokens_none'))}</p>"
    )
    body = notice + f"<p>{esc(t('r_own_intro'))}</p>" + listed
    return layout(p, t("r_own_title"), body)


def add_access_routes(router: APIRouter, site: Site) -> None:
    """``POST /assist/users/{id}/suspend|reinstate``, ``POST /assist/tokens/{id}/revoke``,
    ``GET /assist/tokens``."""
    registry = site.registry

    def again(v: Visit, request: Request, refusal: AccessRefusal) -> Response:
        access = registry.user_access(acting(v))
        users = [a.user for a in access]
        page = users_page(v.page, users, found=access, access_refusal=refusal)
        return site.html(v, request, page, 400)

    def refused_csrf(v: Visit, request: Request) -> Response:
        return site.html(v, request, error_page(v.page, 403, v.page.t("csrf_refused")), 403)

    @router.post("/users/{user_id}/suspend")
    async def suspend(request: Request, user_id: int) -> Response:
        form = await read_form(request)

        def make(v: Visit) -> Response | str:
            if not csrf_ok(v, form):
                return refused_csrf(v, request)
            sent = form.get("reason", "")
            try:
                registry.suspend_user(acting(v), user_id, sent)
            except InvalidInput as exc:
                field = "reason" if exc.field == "reason" else ""
                refusal = AccessRefusal(
                    user_id=user_id, form="suspend", field=field, reason=exc.reason, sent=sent
                )
                return again(v, request, refusal)
            return RedirectResponse(f"/assist/users?suspended={user_id}", 303)

        return site.guarded(request, make)

    @router.post("/users/{user_id}/reinstate")
    async def reinstate(request: Request, user_id: int) -> Response:
        form = await read_form(request)

        def make(v: Visit) -> Response | str:
            if not csrf_ok(v, form):
                return refused_csrf(v, request)
            try:
                registry.reinstate_user(acting(v), user_id)
            except InvalidInput as exc:
                refusal = AccessRefusal(
                    user_id=user_id, form="reinstate", field="", reason=exc.reason
                )
                return again(v, request, refusal)
            return RedirectResponse(f"/assist/users?reinstated={user_id}", 303)

        return site.guarded(request, make)

    @router.post("/tokens/{token_id}/revoke")
    async def revoke(request: Request, token_id: int) -> Response:
        form = await read_form(request)

        def make(v: Visit) -> Response | str:
            if not csrf_ok(v, form):
                return refused_csrf(v, request)
            actor = acting(v)
            manager = Action.MANAGE_USERS in v.page.may
            try:
                state = registry.revoke_token(actor, token_id)
            except InvalidInput as exc:  # already revoked
                if not manager:
                    notice = _refused_notice(v.page, exc.reason)
                    return site.html(v, request, own_tokens_page(v.page, site, actor, notice), 400)
                owner = next(
                    (
                        a.user.user_id or 0
                        for a in registry.user_access(actor)
                        for s in a.tokens
                        if s.token_id == token_id
                    ),
                    0,
                )
                refusal = AccessRefusal(user_id=owner, form="revoke", field="", reason=exc.reason)
                return again(v, request, refusal)
            mine = state.user_id == actor.user_id and not manager
            target = "/assist/tokens" if mine else "/assist/users"
            return RedirectResponse(f"{target}?revoked={token_id}", 303)

        return site.guarded(request, make)

    @router.get("/tokens")
    def tokens(request: Request) -> Response:
        def make(v: Visit) -> str:
            user = acting(v)
            notice = ""
            if v.page.query.get("revoked", "").isdigit():
                notice = (
                    f'<p class="notice" role="status">{esc(v.page.t("r_own_revoked"))} '
                    f"{data(v.page.query['revoked'])}</p>"
                )
            return own_tokens_page(v.page, site, user, notice)

        return site.guarded(request, make)


def _refused_notice(p: Page, reason: str) -> str:
    """A refusal on the own tokens page (no field: the whole form), focused."""
    t = p.t
    return (
        '<div class="error-summary" role="alert" tabindex="-1" autofocus '
        'aria-labelledby="error-summary-title">'
        f'<h2 id="error-summary-title">{esc(t("step_error_title"))}</h2>'
        f'<p><bdi lang="en">{esc(reason)}</bdi></p></div>'
    )
