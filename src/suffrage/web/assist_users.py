"""Users and their API tokens on the pages (spec/assistance.md#12.4; issue 19 point 6), for
the focal point alone (``Action.MANAGE_USERS``; the service checks it, other roles get 403).

``GET /assist/users`` lists the users (name, role, the State of a liaison, the entity of an
implementing entity; never a password hash or a token digest) and ends with the form that
adds one. ``POST /assist/users`` adds the user (``add_user``); ``POST
/assist/users/{id}/token`` issues a token for that user (``issue_token_for``) and answers
with the page that shows it, once: the token is in that answer's body only (never in a URL,
never logged, ``Cache-Control: no-store``), and only its SHA-256 digest is kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from suffrage.assistance.access import Role, User
from suffrage.assistance.access_tables import UserAccess
from suffrage.assistance.domain import Entity
from suffrage.assistance.regions import STATES, code_of
from suffrage.errors import InvalidInput
from suffrage.i18n import Catalog
from suffrage.web.assist_access import (
    AccessRefusal,
    access_cell,
    access_notice,
    access_sections,
    access_summary,
)
from suffrage.web.assist_pages import Page, country, data, error_page, esc, layout, table
from suffrage.web.assist_records import field_of, record_summary, select_field
from suffrage.web.assist_site import Site, Visit, acting, csrf_ok, read_form
from suffrage.web.assist_steps import Refusal, choice_field, input_field

__all__ = ["ROLES", "add_user_routes", "token_page", "user_form", "user_of", "users_page"]

ROLES = (Role.FOCAL_POINT, Role.EAD_STAFF, Role.IMPLEMENTING_ENTITY, Role.MEMBER_STATE_LIAISON)
"""The roles an account is made for (the public needs no account)."""


def _scope(t: Catalog, user: User) -> str:
    if user.role is Role.MEMBER_STATE_LIAISON and user.state:
        return country(t, user.state)
    return esc(user.entity) if user.entity else "—"


def _named(t: Catalog, key: str, name: str) -> str:
    """The catalog's sentence ``key`` with the user's name isolated in its own direction."""
    return esc(t(key, name="\x00")).replace("\x00", data(name))


def _rows(p: Page, users: Sequence[User], found: Sequence[UserAccess]) -> list[tuple[str, ...]]:
    t = p.t
    states = {a.user.user_id: a for a in found}
    return [
        (
            data(u.name),
            esc(t(f"role_{u.role.value}")),
            _scope(t, u),
            access_cell(t, states.get(u.user_id)),
            f'<form method="post" action="/assist/users/{u.user_id}/token">'
            f'<input type="hidden" name="csrf" value="{esc(p.csrf)}">'
            f'<button type="submit">{esc(t("w_token_issue"))}'
            f'<span class="vh"> {_named(t, "w_token_for", u.name)}</span></button></form>',
        )
        for u in users
    ]


def user_form(p: Page, refusal: Refusal | None = None) -> str:
    """The form that adds a user (the passwords are never sent back)."""
    t, r = p.t, refusal
    sent = r.sent if r is not None else {}
    roles = {role.value: t(f"role_{role.value}") for role in ROLES}
    fields = (
        input_field(t, "user_name", t("field_name"), sent.get("user_name", ""), r)
        + choice_field(
            t, "user_role", t("w_user_role"), roles, chosen=sent.get("user_role", ""), refusal=r
        )
        + select_field(
            t,
            "user_entity",
            t("w_user_entity"),
            {e.value: e.value for e in Entity},
            chosen=sent.get("user_entity", ""),
            refusal=r,
        )
        + input_field(
            t, "user_state", t("w_user_state"), sent.get("user_state", ""), r, choices=STATES
        )
        + '<fieldset class="field" aria-describedby="user-password-hint">'
        f"<legend>{esc(t('w_user_password_legend'))}</legend>"
        f'<p class="hint" id="user-password-hint">{esc(t("w_user_password_hint"))}</p>'
        + input_field(t, "user_password", t("field_password"), "", r, kind="password")
        + input_field(t, "user_password_again", t("w_user_password_again"), "", r, kind="password")
        + "</fieldset>"
    )
    return (
        f'<section aria-labelledby="w-user"><h2 id="w-user">{esc(t("w_user"))}</h2>'
        '<form method="post" action="/assist/users" class="stack">'
        f'<input type="hidden" name="csrf" value="{esc(p.csrf)}">{fields}'
        f'<button type="submit">{esc(t("w_user"))}</button></form></section>'
    )


def users_page(
    p: Page,
    users: Sequence[User],
    *,
    refusal: Refusal | None = None,
    notice: str = "",
    found: Sequence[UserAccess] = (),
    access_refusal: AccessRefusal | None = None,
) -> str:
    """The users, their access (``found``: suspensions and tokens, spec/assistance.md#6.1)
    with its forms, and the form that adds a user; a refusal of either kind of form."""
    t = p.t
    head = [t("col_name"), t("w_user_role"), t("w_user_scope"), t("r_col_access")]
    head.append(t("w_user_tokens"))
    summary = record_summary(t, refusal) if refusal is not None else ""
    if access_refusal is not None:
        summary = access_summary(t, access_refusal, {u.user_id or 0: u.name for u in users})
    body = (
        summary
        + notice
        + f"<p>{esc(t('w_users_intro'))}</p>"
        + f"<p>{esc(t('w_users_count', n=len(users)))}</p>"
        + table(t("w_users_title"), head, _rows(p, users, found), shown=False)
        + access_sections(p, found, access_refusal)
        + user_form(p, refusal)
    )
    return layout(p, t("w_users_title"), body)


def token_page(p: Page, user: User, token: str) -> str:
    """The token, shown once, with the warning that it will not be shown again."""
    t = p.t
    body = (
        f'<div class="notice" role="alert"><p><strong>{esc(t("w_token_once"))}</strong></p></div>'
        f"<p>{_named(t, 'w_token_owner', user.name)}</p>"
        f'<p><code class="hash" id="token" dir="ltr">{esc(token)}</code></p>'
        f"<p>{esc(t('w_token_use'))}</p>"
        '<p dir="ltr"><code>Authorization: Bearer …</code><br>'
        "<code>suffrage assist --token-file FILE …</code></p>"
        f"<p>{esc(t('w_token_secret'))}</p>"
        f'<p><a href="/assist/users">{esc(t("w_users_back"))}</a></p>'
    )
    return layout(p, t("w_token_title"), body)


def user_of(f: Mapping[str, str]) -> tuple[User, str | None]:
    """The form as the user to add and their initial password (``None``: tokens only)."""
    role = f.get("user_role", "")
    if role not in {r.value for r in ROLES}:
        raise InvalidInput("role", f"choose one of {', '.join(r.value for r in ROLES)}")
    chosen = Role(role)
    entity = f.get("user_entity", "") if chosen is Role.IMPLEMENTING_ENTITY else ""
    state = code_of(f.get("user_state", "")) if chosen is Role.MEMBER_STATE_LIAISON else ""
    first, again = f.get("user_password", ""), f.get("user_password_again", "")
    if first != again:
        raise InvalidInput("password_again", "the two passwords differ")
    name = f.get("user_name", "").strip()
    return User(name=name, role=chosen, entity=entity or None, state=state or None), first or None


def add_user_routes(router: APIRouter, site: Site) -> None:
    """``GET /assist/users``, ``POST /assist/users``, ``POST /assist/users/{id}/token``."""
    registry = site.registry

    @router.get("/users")
    def users(request: Request) -> Response:
        def make(v: Visit) -> str:
            access = registry.user_access(acting(v))
            found = [a.user for a in access]
            added = v.page.query.get("added", "")
            made = next((u for u in found if str(u.user_id) == added), None)
            notice = (
                f'<p class="notice" role="status">{esc(v.page.t("w_user_added"))} '
                f"{data(made.name)}</p>"
                if made is not None
                else access_notice(v.page, access)
            )
            return users_page(v.page, found, notice=notice, found=access)

        return site.guarded(request, make)

    @router.post("/users")
    async def add(request: Request) -> Response:
        form = await read_form(request)

        def make(v: Visit) -> Response | str:
            if not csrf_ok(v, form):  # 403, whoever sends it
                return site.html(v, request, error_page(v.page, 403, v.page.t("csrf_refused")), 403)
            actor = acting(v)
            try:
                user, password = user_of(form)
                made = registry.add_user(actor, user, password)
            except InvalidInput as exc:
                refusal = Refusal("user", field_of("user", exc.field), exc.reason, form)
                access = registry.user_access(actor)
                users = [a.user for a in access]
                page = users_page(v.page, users, refusal=refusal, found=access)
                return site.html(v, request, page, 400)
            return RedirectResponse(f"/assist/users?added={made.user_id}", 303)

        return site.guarded(request, make)

    @router.post("/users/{user_id}/token")
    async def token(request: Request, user_id: int) -> Response:
        form = await read_form(request)

        def make(v: Visit) -> Response | str:
            if not csrf_ok(v, form):
                return site.html(v, request, error_page(v.page, 403, v.page.t("csrf_refused")), 403)
            label = f"issued on the pages by {acting(v).name}"
            user, issued = registry.issue_token_for(acting(v), user_id, label)
            return token_page(v.page, user, issued)  # no-store, as every page

        return site.guarded(request, make)
