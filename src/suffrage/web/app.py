"""The election server's routes (FastAPI).

Public: the election (``/api/election``), the board page by page (``/api/board``), one entry
by tracking code (``/api/entries/{code}``), the live feed (``/api/feed``, Server-Sent
Events), the record so far as one download (``/api/record.tar.gz``), the results once
published (``/api/results``). Voters: ``POST /api/ballots``. The OpenAPI description is at
``/openapi.json`` and its page at ``/docs``, served by this server (no third-party request).
"""

from __future__ import annotations

import asyncio
import html
import io
import json
import tarfile
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from suffrage.errors import NotFound, SuffrageError
from suffrage.protocol.manifest import manifest_to_dict
from suffrage.record.codec import credential_to_json, entry_to_json, signed_head_to_json
from suffrage.record.files import RECORD_FILES, election_to_json, write_record
from suffrage.service.online import MAX_BALLOT_BYTES, OnlineElection
from suffrage.web.common import ERRORS, answer, body_of
from suffrage.web.errors import ApiError, api_error
from suffrage.web.protected import add_protected_routes
from suffrage.web.ratelimit import RateLimiter

__all__ = ["ServerLimits", "create_app"]

PAGE_LIMIT = 1000

BALLOT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["ballot"],
                    "additionalProperties": False,
                    "properties": {
                        "ballot": {
                            "type": "object",
                            "description": "spec/record-format.md#ballotsjsonl (a ballot)",
                        },
                        "reveal": {
                            "type": "object",
                            "description": "to spoil the ballot: its choices and nonces",
                        },
                    },
                }
            }
        },
    }
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerLimits:
    """Requests a second per client address and ballots a minute per credential."""

    per_address: float = 50.0
    address_burst: int = 200
    per_credential_per_minute: float = 6.0
    credential_burst: int = 10
    feed_poll_seconds: float = 0.5


def create_app(
    online: OnlineElection,
    *,
    record: Path | None = None,
    limits: ServerLimits | None = None,
) -> FastAPI:
    """The server of ``online``; ``record`` is the published record directory, if any."""
    limits = limits or ServerLimits()
    by_address = RateLimiter(limits.per_address, limits.address_burst)
    by_credential = RateLimiter(limits.per_credential_per_minute / 60, limits.credential_burst)
    manifest = online.context.manifest
    app = FastAPI(
        title=f"Suffrage: {manifest.title[manifest.default_language]}",
        description="The election server: the public bulletin board and casting.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )

    @app.exception_handler(SuffrageError)
    async def refused(request: Request, exc: SuffrageError) -> JSONResponse:
        return answer(api_error(exc), request)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = exc.errors()
        first = problems[0] if problems else {}
        field = ".".join(str(part) for part in first.get("loc", ()))
        detail = f"{field}: {first.get('msg', 'invalid')}"
        return answer(ApiError(400, "malformed_request", detail, field), request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if exc.status_code == 404 else "malformed_request"
        status = exc.status_code if exc.status_code in (404, 405) else 400
        return answer(ApiError(status, code, str(exc.detail)), request)

    @app.middleware("http")
    async def rate_limited(request: Request, call_next: Callable[..., Any]) -> Response:
        address = request.client.host if request.client else "unknown"
        if not by_address.admit(address):
            return answer(ApiError(429, "rate_limited", "too many requests"), request)
        response: Response = await call_next(request)
        return response

    @app.get(
        "/api/election",
        summary="The election: manifest, state, base hash, board size",
        responses=ERRORS,
    )
    def election() -> dict[str, Any]:
        return {
            "election_id": online.context.election_id,
            "state": online.state().value,
            "start": manifest.start,
            "end": manifest.end,
            "base_hash": online.context.base_hash.hex(),
            "signed_head": signed_head_to_json(online.signed_head()),
            "manifest": manifest_to_dict(manifest),
            "election": election_to_json(online.context),
            "credentials": len(online.context.credentials),
        }

    @app.post(
        "/api/ballots",
        summary="Cast a ballot (or spoil it, with its reveal)",
        responses={200: {"description": "acknowledged after the commit"}, **ERRORS},
        openapi_extra=BALLOT_BODY,
    )
    async def cast(request: Request) -> JSONResponse:
        body = await body_of(request)
        if body is None:
            return answer(
                ApiError(413, "too_large", f"larger than {MAX_BALLOT_BYTES} bytes", "body"),
                request,
            )
        ack = await asyncio.to_thread(
            online.cast, body, admit=lambda key: by_credential.admit(key.hex())
        )
        return JSONResponse(ack.to_json())

    @app.get(
        "/api/board", summary="Board entries after a sequence number, in order", responses=ERRORS
    )
    def board(
        after: Annotated[int, Query(ge=0, le=2**53)] = 0,
        limit: Annotated[int, Query(ge=1, le=PAGE_LIMIT)] = 100,
    ) -> dict[str, Any]:
        entries = online.page(after, limit)
        return {
            "entries": [entry_to_json(e) for e in entries],
            "next": entries[-1].sequence if entries else after,
        }

    @app.get(
        "/api/board/head",
        summary="The board's size and head, signed with the election's board key",
        responses=ERRORS,
    )
    def head() -> dict[str, Any]:
        return signed_head_to_json(online.signed_head())

    @app.get(
        "/api/credentials",
        summary="The public credential list (keys and ballot styles)",
        responses=ERRORS,
    )
    def credentials() -> dict[str, Any]:
        return {"credentials": [credential_to_json(c) for c in online.context.credentials]}

    @app.get("/api/entries/{code}", summary="One entry by its tracking code", responses=ERRORS)
    def entry(code: str) -> dict[str, Any]:
        found = online.lookup(code[:200])
        return {
            "entry": entry_to_json(found.entry),
            "superseded_by": found.superseded_by,
            "counted": found.entry.state.value == "cast" and found.superseded_by is None,
        }

    @app.get(
        "/api/feed",
        summary="New entries as Server-Sent Events",
        responses={200: {"content": {"text/event-stream": {}}}, **ERRORS},
        response_class=StreamingResponse,
    )
    async def feed(
        request: Request,
        after: Annotated[int, Query(ge=0, le=2**53)] = 0,
        most: Annotated[int | None, Query(ge=1, le=10**9)] = None,
    ) -> StreamingResponse:
        last = request.headers.get("last-event-id", "")
        start = int(last) if last.isdigit() and len(last) < 16 else after
        events = _events(online, start, most, limits.feed_poll_seconds, request)
        return StreamingResponse(events, media_type="text/event-stream")

    @app.get(
        "/api/record.tar.gz",
        summary="The record so far (or as published)",
        responses={200: {"content": {"application/gzip": {}}}, **ERRORS},
        response_class=Response,
    )
    def download() -> Response:
        return Response(
            _record_archive(online, record),
            media_type="application/gzip",
            headers={"Content-Disposition": 'attachment; filename="record.tar.gz"'},
        )

    @app.get(
        "/api/results",
        summary="The published results",
        responses={200: {"content": {"application/json": {}}}, **ERRORS},
        response_class=Response,
    )
    def results() -> Response:
        if record is None or not (record / "results.json").exists():
            raise NotFound("the results are not published yet")
        return Response((record / "results.json").read_bytes(), media_type="application/json")

    add_protected_routes(app, online)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_docs_page(app.openapi()))

    @app.get("/", include_in_schema=False)
    def home() -> HTMLResponse:
        return HTMLResponse(_home_page(online))

    return app


async def _events(
    online: OnlineElection, after: int, most: int | None, poll: float, request: Request
) -> AsyncIterator[bytes]:
    sent, idle = 0, 0.0
    while most is None or sent < most:
        entries = await asyncio.to_thread(online.page, after, 100)
        for entry in entries:
            data = json.dumps(entry_to_json(entry), separators=(",", ":"))
            yield f"id: {entry.sequence}\nevent: entry\ndata: {data}\n\n".encode()
            after, sent = entry.sequence, sent + 1
            if most is not None and sent >= most:
                return
        if entries:
            idle = 0.0
            continue
        if await request.is_disconnected():
            return
        idle += poll
        if idle >= 15:
            idle = 0.0
            yield b": keep-alive\n\n"
        await asyncio.sleep(poll)


def _record_archive(online: OnlineElection, published: Path | None) -> bytes:
    """A .tar.gz of the published record, or of the record so far (no tally yet)."""
    buffer = io.BytesIO()
    with (
        tempfile.TemporaryDirectory() as scratch,
        tarfile.open(fileobj=buffer, mode="w:gz") as archive,
    ):
        source = published
        if source is None or not (source / "manifest.json").exists():
            source = Path(scratch)
            write_record(source, context=online.context, entries=online.board.entries())
        for name in RECORD_FILES:
            if (source / name).is_file():
                archive.add(source / name, arcname=f"record/{name}")
    return buffer.getvalue()


def _docs_page(spec: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{html.escape(method.upper())}</code></td>"
        f"<td><code>{html.escape(path)}</code></td>"
        f"<td>{html.escape(op.get('summary', ''))}</td></tr>"
        for path, ops in spec.get("paths", {}).items()
        for method, op in ops.items()
    )
    title = html.escape(spec.get("info", {}).get("title", "API"))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width, initial-scale=1"><title>{title}: API</title><style>'
        "body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}"
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;"
        "padding:.4em;text-align:start}</style></head><body><main>"
        f"<h1>{title}: API</h1><p>The machine-readable description is "
        '<a href="/openapi.json">/openapi.json</a> (OpenAPI).</p><table><thead><tr>'
        '<th scope="col">method</th><th scope="col">path</th><th scope="col">what it does</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></main></body></html>"
    )


def _home_page(online: OnlineElection) -> str:
    manifest = online.context.manifest
    lang = manifest.default_language
    title = html.escape(manifest.title[lang])
    return (
        f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>"
        f"<p>State: {html.escape(online.state().value)}. Voting from "
        f"{html.escape(manifest.start)} to {html.escape(manifest.end)}. "
        f"{len(online.board)} entries on the board.</p><ul>"
        '<li><a href="/api/board">The bulletin board</a></li>'
        '<li><a href="/api/record.tar.gz">The election record</a></li>'
        '<li><a href="/docs">The API</a></li></ul></main></body></html>'
    )
