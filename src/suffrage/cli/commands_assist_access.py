"""``suffrage assist user list|suspend|reinstate`` and ``suffrage assist token
list|revoke``: access withdrawn and given back (spec/assistance.md#6.1).

A focal point lists the users with their state and tokens, suspends a user (with a reason)
and reinstates them; any user lists and revokes their own tokens, a focal point anyone's.
Never a token or its digest is printed: a token is named by its number.
"""

from __future__ import annotations

from typing import Annotated

import typer

from suffrage.assistance.access import User
from suffrage.assistance.access_tables import TokenState
from suffrage.assistance.service import Registry
from suffrage.cli.commands_assist import acting, assist_app, user_app
from suffrage.errors import NotFound

__all__ = ["token_app"]

token_app = typer.Typer(no_args_is_help=True, help="API tokens: list yours, revoke one.")
assist_app.add_typer(token_app, name="token")


def _token_line(state: TokenState) -> str:
    revoked = f"revoked {state.revoked_at} by {state.revoked_by}" if state.revoked_at else "live"
    return f"token {state.token_id}  {state.label!r}  issued {state.issued_at}  {revoked}"


def _named(registry: Registry, actor: User, name: str) -> User:
    for user in registry.list_users(actor):
        if user.name == name:
            return user
    raise NotFound(f"no user {name!r}")


@user_app.command("list", epilog="Example: suffrage assist user list")
def user_list(ctx: typer.Context) -> None:
    """Every user: role, scope, whether suspended (since when, why), their tokens (focal
    points only)."""
    with acting(ctx) as (registry, actor):
        found = registry.user_access(actor)
    for access in found:
        u = access.user
        scope = u.state or u.entity or ""
        s = access.suspension
        state = "active" if s is None else "SUSPENDED"
        typer.echo(f"{u.name}  {u.role.value}{'  ' + scope if scope else ''}  {state}")
        if s is not None:  # on lines of their own: a reason is long, a terminal 80 columns
            typer.echo(f"  since {s.since} by {s.by}")
            typer.echo(f"  reason: {s.reason}")
        for token in access.tokens:
            typer.echo(f"  {_token_line(token)}")
    typer.echo(f"{len(found)} user{'s' if len(found) != 1 else ''}")


@user_app.command(
    "suspend",
    epilog="Example: suffrage assist user suspend 'A. Officer' --reason 'left the division'",
)
def user_suspend(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    *,
    reason: Annotated[str, typer.Option(help="Why (recorded in the history).")],
) -> None:
    """Suspend a user (focal points only): they cannot sign in, their tokens are refused,
    their sessions end."""
    with acting(ctx) as (registry, actor):
        user = _named(registry, actor, name)
        suspension = registry.suspend_user(actor, user.user_id or 0, reason)
    typer.echo(f"user {name} suspended since {suspension.since}")


@user_app.command("reinstate", epilog="Example: suffrage assist user reinstate 'A. Officer'")
def user_reinstate(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Give a suspended user their access back (focal points only)."""
    with acting(ctx) as (registry, actor):
        user = _named(registry, actor, name)
        registry.reinstate_user(actor, user.user_id or 0)
    typer.echo(f"user {name} reinstated")


@token_app.command(
    "list",
    epilog="Example: suffrage assist token list (as yourself: --user NAME or --token-file FILE "
    "before `token`)",
)
def token_list(ctx: typer.Context) -> None:
    """Your tokens: number, label, issued, revoked (never the token)."""
    with acting(ctx) as (registry, actor):
        found = registry.own_tokens(actor)
    for token in found:
        typer.echo(_token_line(token))
    typer.echo(f"{len(found)} token{'s' if len(found) != 1 else ''}")


@token_app.command(
    "revoke",
    epilog="Example: suffrage assist token revoke 3 (the number `token list` shows)",
)
def token_revoke(ctx: typer.Context, number: Annotated[int, typer.Argument()]) -> None:
    """Revoke a token: yours, or anyone's for a focal point. It is refused from then on."""
    with acting(ctx) as (registry, actor):
        state = registry.revoke_token(actor, number)
    typer.echo(f"token {state.token_id} ({state.label!r}) revoked at {state.revoked_at}")
