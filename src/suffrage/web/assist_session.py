"""Sessions of the registry's pages (spec/assistance.md#12): a signed cookie, a per-session
CSRF token, and the page's language.

The cookie holds the signed-in user (name, role, scope), the session's secret (the registry
keeps its digest: Registry.open_session), a random CSRF token and an expiry, signed with
HMAC-SHA-256 under the server's secret; it is HttpOnly, SameSite=Strict, and Secure when the
page was asked for over https. A session that fails its signature, has expired, or was ended
in the registry by sign-out is no session (the visitor is the public). Signing in starts a
new session (new CSRF token), so a token planted before sign-in is worth nothing after it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from fastapi import Request, Response

from suffrage.assistance.access import Role, User
from suffrage.i18n import LANGUAGES

__all__ = [
    "COOKIE",
    "LANGUAGE_COOKIE",
    "SESSION_SECONDS",
    "Session",
    "clear_session",
    "language_of",
    "new_session",
    "read_session",
    "write_session",
]

COOKIE = "suffrage_assist"
LANGUAGE_COOKIE = "suffrage_assist_lang"
SESSION_SECONDS = 8 * 3600


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    csrf: str
    expires: int
    user: User | None = None
    secret: str | None = None  # a signed-in session's, whose digest the registry keeps


def new_session(now: int, user: User | None = None, secret: str | None = None) -> Session:
    return Session(
        csrf=secrets.token_urlsafe(24), expires=now + SESSION_SECONDS, user=user, secret=secret
    )


def _sign(secret: bytes, payload: bytes) -> str:
    mac = hmac.new(secret, b"suffrage/assist/session/v1" + payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def _encode(session: Session) -> bytes:
    user = session.user
    data = {
        "c": session.csrf,
        "e": session.expires,
        "s": session.secret,
        "u": None
        if user is None
        else [user.name, user.role.value, user.entity, user.state, user.user_id],
    }
    return json.dumps(data, separators=(",", ":")).encode()


def _decode(payload: bytes) -> Session:
    data = json.loads(payload)
    found = data["u"]
    user = None
    if found is not None:
        name, role, entity, state, user_id = found
        user = User(name=name, role=Role(role), entity=entity, state=state, user_id=user_id)
    secret = data.get("s")
    if user is not None and not isinstance(secret, str):
        raise ValueError("a signed-in session has its secret")
    return Session(csrf=str(data["c"]), expires=int(data["e"]), user=user, secret=secret)


def read_session(request: Request, secret: bytes, now: int) -> Session | None:
    """The request's session, or ``None`` (no cookie, a wrong signature, expired)."""
    cookie = request.cookies.get(COOKIE, "")
    body, _, mac = cookie.rpartition(".")
    if not body or len(cookie) > 4000:
        return None
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        return None
    if not hmac.compare_digest(mac, _sign(secret, payload)):
        return None
    try:
        session = _decode(payload)
    except (ValueError, KeyError, TypeError):
        return None
    return session if session.expires > now else None


def write_session(response: Response, request: Request, secret: bytes, session: Session) -> None:
    payload = _encode(session)
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    response.set_cookie(
        COOKIE,
        f"{body}.{_sign(secret, payload)}",
        max_age=SESSION_SECONDS,
        path="/assist",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
    )


def clear_session(response: Response, request: Request) -> None:
    response.delete_cookie(
        COOKIE,
        path="/assist",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
    )


def language_of(request: Request) -> tuple[str, bool]:
    """The page's language: ``?lang=``, else the cookie, else the browser's first of the
    six, else English; and whether ``?lang=`` chose it (then the cookie is set)."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked, True
    kept = request.cookies.get(LANGUAGE_COOKIE, "")
    if kept in LANGUAGES:
        return kept, False
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag, False
    return "en", False
