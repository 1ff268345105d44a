"""The routes that need a token: closing voting (admin) and the guardians' mailbox.

Tokens are issued by ``suffrage election token`` (:mod:`suffrage.service.access`) and sent
as ``Authorization: Bearer TOKEN``; reading the mailbox, the context and the tally is public.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from suffrage.errors import InvalidInput, NotFound
from suffrage.protocol.tally import tally_hash
from suffrage.record.canonical import parse_strict
from suffrage.record.fields import expect_object
from suffrage.service.access import mailbox_list, mailbox_post, mailbox_read, role_of
from suffrage.service.election_steps import close_election
from suffrage.service.online import OnlineElection
from suffrage.web.common import ERRORS, answer, body_of
from suffrage.web.errors import ApiError

__all__ = ["add_protected_routes"]

_CLOSE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"close_early": {"type": "boolean"}},
                }
            }
        },
    }
}


class Unauthorized(Exception):
    """A protected route asked without a token of the right role."""


def add_protected_routes(app: FastAPI, online: OnlineElection) -> None:
    """Add the admin and guardian routes of ``online`` to ``app``."""

    def require(request: Request, *roles: str) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        role = role_of(online.directory, token.strip()) if scheme.lower() == "bearer" else None
        if role not in roles:
            raise Unauthorized

    @app.exception_handler(Unauthorized)
    async def unauthorized(request: Request, exc: Unauthorized) -> JSONResponse:
        del exc
        return answer(ApiError(401, "unauthorized", "a valid token of the right role"), request)

    @app.post(
        "/api/admin/close",
        summary="Close voting (admin): the encrypted tally is computed",
        responses=ERRORS,
        openapi_extra=_CLOSE_BODY,
    )
    async def close(request: Request) -> dict[str, Any]:
        require(request, "admin")
        raw = await body_of(request)
        value = parse_strict(raw, field="body") if raw else {}
        options = expect_object(value, "body", [], ("close_early",))
        early = options.get("close_early", False)
        if not isinstance(early, bool):
            raise InvalidInput("body.close_early", "expected true or false")
        closed = await asyncio.to_thread(
            close_election, online.directory, at=online.clock(), close_early=early
        )
        return {
            "closed_at": closed.tally.closed_at,
            "closed_early": closed.tally.closed_early,
            "entries": closed.tally.entries,
            "counted": closed.tally.counted,
            "tally_hash": tally_hash(online.context, closed.tally).hex(),
        }

    @app.get("/api/context", summary="The election context file (for guardians)", responses=ERRORS)
    def context_file() -> Response:
        data = (online.directory / "context.json").read_bytes()
        return Response(data, media_type="application/json")

    @app.get("/api/tally", summary="The encrypted tally, once voting is closed", responses=ERRORS)
    def tally_file() -> Response:
        if not (online.directory / "tally.json").exists():
            raise NotFound("voting is not closed: there is no tally yet")
        data = (online.directory / "tally.json").read_bytes()
        return Response(data, media_type="application/json")

    @app.get("/api/mailbox", summary="The guardians' files posted so far", responses=ERRORS)
    def mailbox() -> dict[str, Any]:
        return {"files": mailbox_list(online.directory)}

    @app.get("/api/mailbox/{name}", summary="One guardian's file", responses=ERRORS)
    def mailbox_file(name: str) -> Response:
        return Response(mailbox_read(online.directory, name), media_type="application/json")

    @app.put(
        "/api/mailbox/{name}",
        summary="Post a guardian's file (guardian or admin token); never replaced",
        responses=ERRORS,
    )
    async def mailbox_put(name: str, request: Request) -> Response:
        require(request, "guardian", "admin")
        data = await body_of(request)
        if data is None:
            return answer(ApiError(413, "too_large", "the file is too large", "body"), request)
        await asyncio.to_thread(mailbox_post, online.directory, name, data)
        return JSONResponse({"posted": name})
