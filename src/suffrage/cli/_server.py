"""Talking to an election server from the command line: the options, and one call."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import typer

from suffrage.errors import InvalidInput

__all__ = ["ServerOption", "TokenOption", "call", "check", "one_place"]

ServerOption = Annotated[str, typer.Option(metavar="URL", help="The election server.")]
TokenOption = Annotated[
    str, typer.Option(metavar="TOKEN", help="Your token (from `suffrage election token`).")
]
MaybeServer = Annotated[
    str | None, typer.Option(metavar="URL", help="The election server (instead of --election).")
]
MaybeToken = Annotated[
    str | None,
    typer.Option(metavar="TOKEN", help="Your token for --server (`suffrage election token`)."),
]


def check(response: httpx.Response, what: str) -> None:
    """Refuse (InvalidInput naming ``what``) an answer that is an error, with its code and
    its detail (which, for a step out of order, names the step to take)."""
    if response.status_code >= 400:
        try:
            error = response.json()["error"]
            reason = f"{error['code']}: {error['detail']}"
        except (ValueError, KeyError, TypeError):
            reason = f"HTTP {response.status_code}"
        raise InvalidInput(what, f"the server refused: {reason}")


def call(
    server: str,
    token: str,
    method: str,
    path: str,
    *,
    what: str,
    json: Any = None,
    timeout: float = 300,
) -> dict[str, Any]:
    """One protected call (``Authorization: Bearer token``); its JSON answer."""
    try:
        with httpx.Client(base_url=server, timeout=timeout) as client:
            response = client.request(
                method, path, json=json, headers={"Authorization": f"Bearer {token}"}
            )
    except httpx.HTTPError as exc:
        raise InvalidInput(what, f"the server {server} cannot be reached: {exc}") from None
    check(response, what)
    answer: dict[str, Any] = response.json()
    return answer


def one_place(local: object, server: str | None, token: str | None) -> tuple[str, str] | None:
    """``(server, token)`` for a command that works on a server, ``None`` for one that works
    on a local election directory; exactly one of the two must be given."""
    if (local is None) == (server is None):
        raise InvalidInput("--election", "give either --election DIR or --server URL (one)")
    if server is None:
        return None
    if not token:
        raise InvalidInput("--token", "a command on --server needs your --token")
    return server, token
