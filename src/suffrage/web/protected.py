"""The routes that need a token: the officials' steps, the credential list, the mailbox.

Tokens are issued by ``suffrage election token`` (:mod:`suffrage.service.access`) and sent
as ``Authorization: Bearer TOKEN``. An admin token drafts the election, starts and completes
the key ceremony, opens and closes voting, closes the mixing of ranked contests and
publishes; the credential authority's token
(or an admin's) publishes the credential list; a guardian's (or an admin's) posts to the
mailbox. Each step goes through :class:`~suffrage.service.lifecycle.ElectionLife`, so it is
checked, logged in the public event log, and refused (409 ``wrong_state``, naming the step
to take) when the election is not in a state where it can be taken. Reading the mailbox,
the context and the tally is public.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from suffrage.errors import InvalidInput, NotFound
from suffrage.protocol.key_ceremony import MAX_GUARDIANS
from suffrage.protocol.manifest import Manifest, parse_manifest
from suffrage.protocol.tally import tally_hash
from suffrage.record import codec
from suffrage.record.canonical import canonical_bytes, parse_strict
from suffrage.record.fields import expect_object, integer, items
from suffrage.service.access import mailbox_list, mailbox_read, role_of
from suffrage.service.lifecycle import CREDENTIALS_FORMAT, MAX_GUARDIAN_FILE, MAX_MIX_FILE
from suffrage.service.online import MAX_BALLOT_BYTES
from suffrage.web.common import ERRORS, answer, body_of
from suffrage.web.errors import ApiError
from suffrage.web.served import Served

__all__ = ["add_protected_routes"]


def _body(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
    if required:
        schema["required"] = required
    return {
        "requestBody": {
            "required": bool(required),
            "content": {"application/json": {"schema": schema}},
        }
    }


_MANIFEST = {"type": "object", "description": "spec/manifest.md (a manifest, as JSON)"}
_DRAFT_BODY = _body(
    {
        "manifest": _MANIFEST,
        "guardians": {"type": "integer", "minimum": 1, "maximum": MAX_GUARDIANS},
        "threshold": {"type": "integer", "minimum": 1, "maximum": MAX_GUARDIANS},
    },
    ["manifest", "guardians", "threshold"],
)
_MANIFEST_BODY = _body({"manifest": _MANIFEST}, ["manifest"])
_CREDENTIALS_BODY = _body(
    {"format": {"const": CREDENTIALS_FORMAT}, "credentials": {"type": "array"}},
    ["format", "credentials"],
)
_CLOSE_BODY = _body({"close_early": {"type": "boolean"}})


MAX_CREDENTIALS_BYTES = 128 * 1024 * 1024
"""The largest credential list the server takes (about a million voters)."""


class Unauthorized(Exception):
    """A protected route asked without a token of the right role."""


class TooLarge(Exception):
    """A body larger than its route takes."""

    def __init__(self, most: int) -> None:
        super().__init__(f"larger than {most} bytes")


def add_protected_routes(app: FastAPI, served: Served) -> None:
    """Add the officials', the authority's and the guardians' routes to ``app``."""

    @app.exception_handler(Unauthorized)
    async def unauthorized(request: Request, exc: Unauthorized) -> JSONResponse:
        del exc
        return answer(ApiError(401, "unauthorized", "a valid token of the right role"), request)

    @app.exception_handler(TooLarge)
    async def too_large(request: Request, exc: TooLarge) -> JSONResponse:
        return answer(ApiError(413, "too_large", str(exc), "body"), request)

    _add_setup_routes(app, served)
    _add_voting_routes(app, served)
    _add_guardian_routes(app, served)


def _require(served: Served, request: Request, *roles: str) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    role = role_of(served.directory, token.strip()) if scheme.lower() == "bearer" else None
    if role not in roles:
        raise Unauthorized
    return role


def _manifest(value: Any) -> Manifest:
    if not isinstance(value, dict):
        raise InvalidInput("body.manifest", f"expected an object, got {type(value).__name__}")
    return parse_manifest(value)


async def _json_body(
    request: Request, *, optional: bool = False, most: int = MAX_BALLOT_BYTES
) -> Any:
    raw = await body_of(request, most=most)
    if raw is None:
        raise TooLarge(most)
    if optional and not raw.strip():
        return {}
    return parse_strict(raw, field="body")


def _add_setup_routes(app: FastAPI, served: Served) -> None:
    """Drafting, the key ceremony and the credential list."""
    life = served.life

    @app.post(
        "/api/admin/draft",
        summary="Draft the election (admin): its manifest, guardians and threshold",
        responses=ERRORS,
        openapi_extra=_DRAFT_BODY,
    )
    async def draft(request: Request) -> dict[str, Any]:
        actor = _require(served, request, "admin")
        o = expect_object(await _json_body(request), "body", ["manifest", "guardians", "threshold"])
        manifest = _manifest(o["manifest"])
        guardians = integer(o["guardians"], "body.guardians", minimum=1, maximum=MAX_GUARDIANS)
        threshold = integer(o["threshold"], "body.threshold", minimum=1, maximum=guardians)
        event = await asyncio.to_thread(
            life.draft, manifest, guardians=guardians, threshold=threshold, actor=actor
        )
        return _done(served, event.sequence)

    @app.put(
        "/api/admin/manifest",
        summary="Replace the draft's manifest (admin), before the key ceremony",
        responses=ERRORS,
        openapi_extra=_MANIFEST_BODY,
    )
    async def replace(request: Request) -> dict[str, Any]:
        actor = _require(served, request, "admin")
        o = expect_object(await _json_body(request), "body", ["manifest"])
        manifest = _manifest(o["manifest"])
        event = await asyncio.to_thread(life.replace_manifest, manifest, actor=actor)
        return _done(served, event.sequence)

    @app.post(
        "/api/admin/ceremony/start",
        summary="Start the key ceremony (admin): the manifest is frozen",
        responses=ERRORS,
    )
    async def ceremony_start(request: Request) -> dict[str, Any]:
        actor = _require(served, request, "admin")
        event = await asyncio.to_thread(life.start_ceremony, actor=actor)
        return _done(served, event.sequence) | {"ceremony_hash": event.body["ceremony_hash"]}

    @app.post(
        "/api/admin/ceremony/complete",
        summary="Complete the key ceremony (admin): every guardian's public file is in",
        responses=ERRORS,
    )
    async def ceremony_complete(request: Request) -> dict[str, Any]:
        actor = _require(served, request, "admin")
        event = await asyncio.to_thread(life.complete_ceremony, actor=actor)
        return _done(served, event.sequence) | {"joint_key": event.body["joint_key"]}

    @app.put(
        "/api/admin/credentials",
        summary="Publish the public credential list (credential authority or admin)",
        responses=ERRORS,
        openapi_extra=_CREDENTIALS_BODY,
    )
    async def credentials(request: Request) -> dict[str, Any]:
        actor = _require(served, request, "authority", "admin")
        body = await _json_body(request, most=MAX_CREDENTIALS_BYTES)
        o = expect_object(body, "body", ["format", "credentials"])
        if o["format"] != CREDENTIALS_FORMAT:
            raise InvalidInput("body.format", f"expected {CREDENTIALS_FORMAT!r}")
        keys = items(o["credentials"], "body.credentials", codec.credential_from_json)
        context = await asyncio.to_thread(life.publish_credentials, keys, actor=actor)
        return _done(served) | {"credentials": len(context.credentials)}


def _add_voting_routes(app: FastAPI, served: Served) -> None:
    """Opening, closing (with the tally) and publishing."""
    life = served.life

    @app.post(
        "/api/admin/open", summary="Open voting (admin): the context is final", responses=ERRORS
    )
    async def open_voting(request: Request) -> dict[str, Any]:
        actor = _require(served, request, "admin")
        context = await asyncio.to_thread(life.open, actor=actor)
        return _done(served) | {"base_hash": context.base_hash.hex()}

    @app.post(
        "/api/admin/close",
        summary="Close voting (admin), then compute the encrypted tally",
        responses=ERRORS,
        openapi_extra=_CLOSE_BODY,
    )
    async def close(request: Request) -> dict[str, Any]:
        actor = _require(served, request, "admin")
        options = expect_object(
            await _json_body(request, optional=True), "body", [], ("close_early",)
        )
        early = options.get("close_early", False)
        if not isinstance(early, bool):
            raise InvalidInput("body.close_early", "expected true or false")
        closed = await asyncio.to_thread(life.close_and_tally, close_early=early, actor=actor)
        return _done(served) | {
            "closed_at": closed.tally.closed_at,
            "closed_early": closed.tally.closed_early,
            "entries": closed.tally.entries,
            "counted": closed.tally.counted,
            "tally_hash": tally_hash(life.context(), closed.tally).hex(),
        }

    @app.post(
        "/api/admin/mixing/close",
        summary="Close the mixing (admin): each ranked contest's mixes posted are final",
        responses=ERRORS,
    )
    async def close_mixing(request: Request) -> dict[str, Any]:
        actor = _require(served, request, "admin")
        event = await asyncio.to_thread(life.close_mixing, actor=actor)
        return _done(served, event.sequence) | {"contests": event.body["contests"]}

    @app.post(
        "/api/admin/publish",
        summary="Publish (admin): combine the mailbox's partial decryptions, count, write the "
        "record",
        responses=ERRORS,
    )
    async def publish(request: Request) -> dict[str, Any]:
        actor = _require(served, request, "admin")
        results = await asyncio.to_thread(life.publish, served.record, actor=actor, force=True)
        return _done(served) | {"results": results}


def _add_guardian_routes(app: FastAPI, served: Served) -> None:
    """What guardians read (context, tally, mailbox) and post (the mailbox)."""
    life = served.life

    @app.get("/api/context", summary="The election context file (for guardians)", responses=ERRORS)
    def context_file() -> Response:
        path = served.directory / "context.json"
        if not path.is_file():
            log = served.log()
            raise log.refuse("reading the election context")
        return Response(path.read_bytes(), media_type="application/json")

    @app.get("/api/tally", summary="The encrypted tally, once voting is closed", responses=ERRORS)
    def tally_file() -> Response:
        if served.log().tally is None or not (served.directory / "tally.json").exists():
            raise NotFound("voting is not closed: there is no tally yet")
        data = (served.directory / "tally.json").read_bytes()
        return Response(data, media_type="application/json")

    @app.get(
        "/api/board.jsonl",
        summary="The whole board as ballots.jsonl (for a guardian's mix: its counted ballots)",
        responses={200: {"content": {"application/jsonl": {}}}, **ERRORS},
        response_class=Response,
    )
    def board_file() -> StreamingResponse:
        entries = served.online("reading the board").board.entries()
        lines = (canonical_bytes(codec.entry_to_json(e)) + b"\n" for e in entries)
        return StreamingResponse(lines, media_type="application/jsonl")

    @app.get("/api/mailbox", summary="The guardians' files posted so far", responses=ERRORS)
    def mailbox() -> dict[str, Any]:
        return {"files": mailbox_list(served.directory)}

    @app.get("/api/mailbox/{name}", summary="One guardian's file", responses=ERRORS)
    def mailbox_file(name: str) -> Response:
        return Response(mailbox_read(served.directory, name), media_type="application/json")

    @app.put(
        "/api/mailbox/{name}",
        summary="Post a guardian's file (guardian or admin token); never replaced",
        responses=ERRORS,
    )
    async def mailbox_put(name: str, request: Request) -> Response:
        actor = _require(served, request, "guardian", "admin")
        most = MAX_MIX_FILE if name.startswith("mix-") else MAX_GUARDIAN_FILE
        data = await body_of(request, most=most)
        if data is None:
            raise TooLarge(most)
        event = await asyncio.to_thread(life.post_file, name, data, actor=actor)
        return JSONResponse({"posted": name, **_done(served, event.sequence)})


def _done(served: Served, sequence: int | None = None) -> dict[str, Any]:
    """What a step's answer says: the event it logged, the state and the next step."""
    log = served.log()
    return {
        "event": sequence if sequence is not None else log.size,
        "state": log.state.value,
        "next_step": log.next_step(),
    }
