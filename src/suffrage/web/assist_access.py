"""Access withdrawn and given back, on the users page (spec/assistance.md#12.4 and #6.1):
for each user, whether suspended (since when, why, by whom) and their tokens (label, issued,
revoked; never the token or its digest), with a "Revoke" button per live token and a
"Suspend" form (a reason required) or a "Reinstate" form.

The forms post to ``/assist/tokens/{id}/revoke``, ``/assist/users/{id}/suspend`` and
``/assist/users/{id}/reinstate`` (:mod:`~suffrage.web.assist_access_posts`); the service
checks the role, and a refusal comes back at its field with the error summary, which takes
the focus, as for the other forms (:mod:`~suffrage.web.assist_records`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from suffrage.assistance.access_tables import Suspension, TokenState, UserAccess
from suffrage.i18n import Catalog
from suffrage.web.assist_pages import Page, data, day, esc, table

__all__ = [
    "AccessRefusal",
    "access_cell",
    "access_notice",
    "access_sections",
    "access_summary",
    "reason_id",
    "token_rows",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessRefusal:
    """What the service refused in one user's access form: the user, the form
    (``suspend``, ``reinstate``, ``revoke``), the field (``reason``, or ``""`` for the whole
    form), the service's reason, and the reason sent (shown again)."""

    user_id: int
    form: str
    field: str
    reason: str
    sent: str = ""


def reason_id(user_id: int) -> str:
    """The id of one user's suspension reason (unique on the page)."""
    return f"suspend_reason_{user_id}"


def _section_id(user_id: int) -> str:
    return f"access-{user_id}"


def _when(at: str) -> str:
    """A recorded moment as an official reads it: the date and the time (UTC), left to
    right in any page."""
    return day(f"{at[:10]} {at[11:16]} UTC" if len(at) >= 16 else at)


def _fill(t: Catalog, key: str, **html: str) -> str:
    """The catalog's sentence ``key`` escaped, with its placeholders filled by HTML (a name
    isolated in its own direction, a moment left to right)."""
    marks = {name: chr(0xE000 + i) for i, name in enumerate(html)}  # private-use marks
    text = esc(t(key, **marks))
    for name, mark in marks.items():
        text = text.replace(mark, html[name])
    return text


def _suspended(t: Catalog, s: Suspension) -> str:
    since = _fill(t, "r_suspended_since", since=_when(s.since), by=data(s.by))
    return f"{since} {esc(t('r_reason'))} {data(s.reason)}"


def access_cell(t: Catalog, access: UserAccess | None) -> str:
    """The users table's cell: active, or suspended since when, with a link to the user's
    section (tokens and forms)."""
    if access is None:
        return "—"
    user_id = access.user.user_id or 0
    state = (
        esc(t("r_active"))
        if access.suspension is None
        else f"<strong>{esc(t('r_suspended'))}</strong> ({day(access.suspension.since[:10])})"
    )
    name = _fill(t, "r_access_of", name=data(access.user.name))
    # one span: a link lays out its content as flex items, which would drop the spaces
    return f'{state}<br><a href="#{_section_id(user_id)}"><span>{name}</span></a>'


def _csrf(p: Page) -> str:
    return f'<input type="hidden" name="csrf" value="{esc(p.csrf)}">'


def token_rows(p: Page, tokens: Sequence[TokenState], owner: str) -> list[tuple[str, ...]]:
    """One row per token: label, issued, revoked (when, by whom) or the "Revoke" button."""
    t = p.t
    rows: list[tuple[str, ...]] = []
    for s in tokens:
        if s.revoked_at is not None:
            by = data(s.revoked_by or "")
            last = _fill(t, "r_token_revoked_at", at=_when(s.revoked_at), by=by)
        else:
            what = _fill(t, "r_token_revoke_what", label=data(s.label), name=data(owner))
            last = (
                f'<form method="post" action="/assist/tokens/{s.token_id}/revoke">{_csrf(p)}'
                f'<button type="submit">{esc(t("r_token_revoke"))}'
                f'<span class="vh"> {what}</span></button></form>'
            )
        rows.append((data(s.label), _when(s.issued_at), last))
    return rows


def _tokens(p: Page, access: UserAccess) -> str:
    t = p.t
    if not access.tokens:
        return f"<p>{esc(t('r_tokens_none'))}</p>"
    head = [t("r_token_label"), t("r_token_issued"), t("r_token_revoked")]
    caption = t("r_tokens_of", name=access.user.name)
    return table(caption, head, token_rows(p, access.tokens, access.user.name), shown=False)


def _error(t: Catalog, user_id: int, refusal: AccessRefusal | None) -> tuple[str, str]:
    if refusal is None or refusal.user_id != user_id or refusal.field != "reason":
        return "", ""
    name = reason_id(user_id)
    message = (
        f'<p class="error" id="{name}-error">{esc(t("r_error_reason"))} '
        f'<bdi lang="en">{esc(refusal.reason)}</bdi></p>'
    )
    return message, f' aria-describedby="{name}-error" aria-invalid="true"'


def _forms(p: Page, access: UserAccess, refusal: AccessRefusal | None) -> str:
    t, user = p.t, access.user
    user_id = user.user_id or 0
    if access.suspension is not None:
        return (
            f'<form method="post" action="/assist/users/{user_id}/reinstate">{_csrf(p)}'
            f'<button type="submit">{esc(t("r_reinstate"))}'
            f'<span class="vh"> {data(user.name)}</span></button></form>'
        )
    if p.user is not None and p.user.user_id == user_id:
        return f"<p>{esc(t('r_not_yourself'))}</p>"
    name = reason_id(user_id)
    message, tie = _error(t, user_id, refusal)
    sent = refusal.sent if refusal is not None and refusal.user_id == user_id else ""
    label = _fill(t, "r_reason_for", name=data(user.name))
    return (
        f'<form method="post" action="/assist/users/{user_id}/suspend" class="inline">'
        f'{_csrf(p)}<div class="field"><label for="{name}">{label}</label>{message}'
        f'<input id="{name}" name="reason" type="text" value="{esc(sent)}" maxlength="500"'
        f"{tie}></div>"
        f'<button type="submit">{esc(t("r_suspend"))}'
        f'<span class="vh"> {data(user.name)}</span></button></form>'
    )


def _state(t: Catalog, access: UserAccess) -> str:
    if access.suspension is None:
        return f"<p>{esc(t('r_active_long'))}</p>"
    return f'<p class="notice">{_suspended(t, access.suspension)}</p>'


def access_sections(
    p: Page, found: Sequence[UserAccess], refusal: AccessRefusal | None = None
) -> str:
    """The section "Access and tokens": per user, the state, the tokens and the forms."""
    t = p.t
    parts = [
        f'<section aria-labelledby="r-access"><h2 id="r-access">{esc(t("r_access_title"))}</h2>'
        f"<p>{esc(t('r_access_intro'))}</p>"
    ]
    for access in found:
        user_id = access.user.user_id or 0
        section = _section_id(user_id)
        parts.append(
            f'<section aria-labelledby="{section}-h" id="{section}" tabindex="-1">'
            f'<h3 id="{section}-h">{data(access.user.name)}</h3>'
            f"{_state(t, access)}{_tokens(p, access)}{_forms(p, access, refusal)}</section>"
        )
    return "".join(parts) + "</section>"


def access_summary(t: Catalog, refusal: AccessRefusal, names: Mapping[int, str]) -> str:
    """The summary at the top of the page, which takes the focus: the refusal, linked to the
    reason's field, or to the user's section when the whole form was refused."""
    if refusal.field == "reason":
        target, what = reason_id(refusal.user_id), esc(t("r_error_reason"))
    else:
        target = _section_id(refusal.user_id)
        what = _fill(t, f"r_error_{refusal.form}", name=data(names.get(refusal.user_id, "")))
    return (
        '<div class="error-summary" role="alert" tabindex="-1" autofocus '
        'aria-labelledby="error-summary-title">'
        f'<h2 id="error-summary-title">{esc(t("step_error_title"))}</h2>'
        f'<ul><li><a href="#{esc(target)}"><span>{what}</span></a> '
        f'<bdi lang="en">{esc(refusal.reason)}</bdi></li></ul></div>'
    )


_NOTICES = {"suspended": "r_done_suspended", "reinstated": "r_done_reinstated"}


def access_notice(p: Page, found: Sequence[UserAccess]) -> str:
    """The notice of what was just done (``?suspended=N``, ``?reinstated=N``,
    ``?revoked=N``), or nothing."""
    t, query = p.t, p.query
    for key, message in _NOTICES.items():
        made = next((a for a in found if str(a.user.user_id) == query.get(key)), None)
        if made is not None:
            return f'<p class="notice" role="status">{esc(t(message))} {data(made.user.name)}</p>'
    for access in found:
        for s in access.tokens:
            if str(s.token_id) == query.get("revoked"):
                what = _fill(t, "r_done_revoked", label=data(s.label), name=data(access.user.name))
                return f'<p class="notice" role="status">{what}</p>'
    return ""
