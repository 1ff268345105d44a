"""Users, roles and what each may do (spec/assistance.md#6); password and token hashing.

Passwords are hashed with scrypt (RFC 7914) under a random 16-byte salt; API tokens are
random (``secrets``) and only their SHA-256 digest is stored. Authorization is decided here
and enforced in the service layer; a refusal names the role and what it may do.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from suffrage.errors import InvalidInput, SuffrageError

__all__ = [
    "PERMISSIONS",
    "SCRYPT_N",
    "Action",
    "NotAuthenticated",
    "NotPermitted",
    "Role",
    "User",
    "hash_password",
    "new_token",
    "password_matches",
    "permit",
    "token_digest",
]

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_SALT_BYTES = 16
_MIN_PASSWORD = 12


class NotAuthenticated(SuffrageError):
    """Unknown user, wrong password or unknown token (the message does not say which)."""


class NotPermitted(SuffrageError):
    """The user's role may not do what was asked; the message says what it may do."""


class Role(StrEnum):
    FOCAL_POINT = "focal_point"
    EAD_STAFF = "ead_staff"
    IMPLEMENTING_ENTITY = "implementing_entity"
    MEMBER_STATE_LIAISON = "member_state_liaison"
    PUBLIC = "public"


class Action(StrEnum):
    MANAGE_USERS = "manage users"
    RECORD_REQUEST = "record requests"
    VIEW_REQUESTS = "view requests"
    PLAN_ASSESSMENT = "plan needs assessments"
    RECORD_ASSESSMENT = "record needs assessments"
    DECIDE = "decide on requests"
    RUN_ASSISTANCE = "start and close assistance"
    RECORD_ACTIVITY = "record activities"
    VIEW_ACTIVITIES = "view activities"
    MANAGE_ROSTER = "add experts to the roster"
    READ_EXPERTS = "read experts' personal data (search, match)"
    VIEW_FIGURES = "view the roster's figures"
    CHECK_HISTORY = "check the history"
    ATTACH_DOCUMENT = "attach documents to requests"
    PUBLISH_DOCUMENT = "publish documents"
    SEARCH_DOCUMENTS = "search and read documents (published ones; others as their request)"


_STAFF = frozenset({Role.FOCAL_POINT, Role.EAD_STAFF})
PERMISSIONS: Mapping[Action, frozenset[Role]] = {
    Action.MANAGE_USERS: frozenset({Role.FOCAL_POINT}),
    Action.RECORD_REQUEST: _STAFF,
    Action.VIEW_REQUESTS: _STAFF | {Role.IMPLEMENTING_ENTITY, Role.MEMBER_STATE_LIAISON},
    Action.PLAN_ASSESSMENT: _STAFF,
    Action.RECORD_ASSESSMENT: _STAFF,
    Action.DECIDE: frozenset({Role.FOCAL_POINT}),
    Action.RUN_ASSISTANCE: _STAFF,
    Action.RECORD_ACTIVITY: _STAFF | {Role.IMPLEMENTING_ENTITY},
    Action.VIEW_ACTIVITIES: _STAFF | {Role.IMPLEMENTING_ENTITY},
    Action.MANAGE_ROSTER: _STAFF,
    Action.READ_EXPERTS: _STAFF,
    Action.VIEW_FIGURES: frozenset(Role),
    Action.CHECK_HISTORY: _STAFF,
    # the institutional memory (spec/assistance.md#10): an implementing entity attaches only
    # to requests its entity has activities under, and publishes nothing
    Action.ATTACH_DOCUMENT: _STAFF | {Role.IMPLEMENTING_ENTITY},
    Action.PUBLISH_DOCUMENT: _STAFF,
    Action.SEARCH_DOCUMENTS: frozenset(Role),
}
"""Which roles may do what. Two scopes narrow it further (service layer): a Member State
liaison sees only its own State's requests; an implementing entity records only its own
entity's activities."""


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    name: str
    role: Role
    entity: str | None = None
    state: str | None = None
    user_id: int | None = None


def _may(role: Role) -> list[str]:
    return [action.value for action, roles in PERMISSIONS.items() if role in roles]


def permit(user: User, action: Action) -> None:
    """Raise :class:`NotPermitted` unless the user's role may do ``action``."""
    if user.role not in PERMISSIONS[action]:
        raise NotPermitted(
            f"{user.name} ({user.role.value}) may not {action.value}; the {user.role.value} role "
            f"may: {'; '.join(_may(user.role))}"
        )


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` (hex), with a fresh random salt unless one is given."""
    if len(password) < _MIN_PASSWORD:
        raise InvalidInput("password", f"at least {_MIN_PASSWORD} characters")
    salt = secrets.token_bytes(_SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        again = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p)
        )
    except ValueError:
        return False
    return hmac.compare_digest(again.hex(), digest)


def new_token() -> str:
    """A fresh API token (shown once; only its digest is kept)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
