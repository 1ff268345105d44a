"""The election server's routes (FastAPI).

Public: the election and its state (``/api/election``), its manifest (``/api/manifest``),
the event log page by page (``/api/events``) and as Server-Sent Events
(``/api/events/feed``), the board page by page (``/api/board``), one entry by tracking code
(``/api/entries/{code}``), the board's live feed (``/api/feed``), the record so far as one
download (``/api/record.tar.gz``), the results once published (``/api/results``). Voters:
``POST /api/ballots``. The steps of officials, guardians and the credential authority are in
:mod:`suffrage.web.protected`. The OpenAPI description is at ``/openapi.json`` and its page
at ``/docs``, served by this server (no third-party request).
"""

from __future__ import annotations

import asyncio
import html
import json
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from suffrage.errors import InvalidInput, NotFound, SuffrageError
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.manifest import is_rtl
from suffrage.record.archive import pack_record
from suffrage.record.codec import credential_to_json, entry_to_json, signed_head_to_json
from suffrage.record.events import event_to_json, write_events
from suffrage.record.files import election_to_json, write_record
from suffrage.reports.html import page_policy, results_html
from suffrage.reports.results import load_results
from suffrage.service.lifecycle import ElectionLife
from suffrage.service.online import MAX_BALLOT_BYTES, parse_tracking_code
from suffrage.web.booth import SECURITY_HEADERS, add_booth_routes
from suffrage.web.common import ERRORS, answer, body_of
from suffrage.web.errors import ApiError, api_error
from suffrage.web.protected import add_protected_routes
from suffrage.web.ratelimit import RateLimiter
from suffrage.web.served import Served

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
    """Requests a second per client address and ballots a minute per credential; how many
    ballots a worker checks at once (checking is CPU-bound: more threads only contend)."""

    per_address: float = 50.0
    address_burst: int = 200
    per_credential_per_minute: float = 6.0
    credential_burst: int = 10
    feed_poll_seconds: float = 0.5
    casting_threads: int = 2


def create_app(
    life: ElectionLife,
    *,
    record: Path | None = None,
    limits: ServerLimits | None = None,
    assist: APIRouter | None = None,
) -> FastAPI:
    """The server of the election ``life`` holds (from its first step on); ``record`` is
    where its published record is (``record/`` in the election directory by default);
    ``assist``, the electoral-assistance registry's pages (:mod:`suffrage.web.assist`),
    mounted under ``/assist`` when given."""
    limits = limits or ServerLimits()
    by_address = RateLimiter(limits.per_address, limits.address_burst)
    by_credential = RateLimiter(limits.per_credential_per_minute / 60, limits.credential_burst)
    served = Served(life, record=record)
    app = FastAPI(
        title="Suffrage: the election server",
        description="The election server: the event log, the public bulletin board, casting.",
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

    app.add_middleware(_AddressLimit, limiter=by_address)

    _add_log_routes(app, served, limits)
    _add_board_routes(app, served, limits, by_credential)
    _add_results_page(app, served)

    add_protected_routes(app, served)
    add_booth_routes(app, served)
    if assist is not None:
        app.include_router(assist)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_docs_page(app.openapi()))

    @app.get("/", include_in_schema=False)
    def home() -> HTMLResponse:
        return HTMLResponse(_home_page(served))

    return app


def _add_log_routes(app: FastAPI, served: Served, limits: ServerLimits) -> None:
    """The election, its manifest and its event log (public, from the first step on)."""
    life = served.life

    @app.get(
        "/api/election",
        summary="The election: its state and next step, manifest, base hash, board size",
        responses=ERRORS,
    )
    def election() -> dict[str, Any]:
        return _election(served)

    @app.get("/api/manifest", summary="The election's manifest (from its draft on)")
    def manifest() -> dict[str, Any]:
        log = served.log()
        if log.manifest is None:
            raise log.refuse("reading the manifest")
        return log.manifest

    @app.get(
        "/api/events",
        summary="The event log (every administrative step), after a sequence number",
        responses=ERRORS,
    )
    def events(
        after: Annotated[int, Query(ge=0, le=2**53)] = 0,
        limit: Annotated[int, Query(ge=1, le=PAGE_LIMIT)] = 100,
    ) -> dict[str, Any]:
        found = life.events(after, limit)
        return {
            "events": [event_to_json(e) for e in found],
            "next": found[-1].sequence if found else after,
        }

    @app.get(
        "/api/events/feed",
        summary="New events of the log as Server-Sent Events",
        responses={200: {"content": {"text/event-stream": {}}}, **ERRORS},
        response_class=StreamingResponse,
    )
    async def events_feed(
        request: Request,
        after: Annotated[int, Query(ge=0, le=2**53)] = 0,
        most: Annotated[int | None, Query(ge=1, le=10**9)] = None,
    ) -> StreamingResponse:
        def page(start: int) -> list[tuple[int, dict[str, Any]]]:
            return [(e.sequence, event_to_json(e)) for e in life.events(start, 100)]

        return _feed("event", page, request, after=after, most=most, poll=limits.feed_poll_seconds)


def _add_board_routes(
    app: FastAPI, served: Served, limits: ServerLimits, by_credential: RateLimiter
) -> None:
    """Casting, the board, its head and feed, the record and the results."""
    casting = asyncio.Semaphore(limits.casting_threads)

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
        online = served.ready
        if online is None:
            online = await asyncio.to_thread(served.online, "casting a ballot")
        async with casting:  # a few threads at once: more would only contend for the GIL
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
        online = served.opened()
        entries = online.page(after, limit) if online is not None else []
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
        return signed_head_to_json(served.online("reading the board's head").signed_head())

    @app.get(
        "/api/credentials",
        summary="The public credential list (keys and ballot styles)",
        responses=ERRORS,
    )
    def credentials() -> dict[str, Any]:
        context = _context(served, "reading the credential list")
        return {"credentials": [credential_to_json(c) for c in context.credentials]}

    styles: dict[bytes, dict[str, str]] = {}  # the list's keys by base hash (one at a time)

    @app.get(
        "/api/credentials/{key}",
        summary="One credential key of the list and its ballot style (a voter's device asks "
        "which ballot to show; the code itself never leaves the device)",
        responses=ERRORS,
    )
    def credential(key: str) -> dict[str, str]:
        context = _context(served, "reading the credential list")
        if context.base_hash not in styles:
            styles.clear()
            styles[context.base_hash] = {
                c.key.to_bytes().hex(): c.style_id for c in context.credentials
            }
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise InvalidInput("key", "expected 64 lowercase hex digits (an element)")
        style = styles[context.base_hash].get(key)
        if style is None:
            raise NotFound("this credential key is not on the election's list")
        return {"key": key, "style_id": style}

    @app.get(
        "/api/record/election.json",
        summary="The election context as the record's election.json (the base hash and the "
        "joint key a voter's device encrypts under), once the credential list is published",
        responses=ERRORS,
    )
    def context() -> dict[str, Any]:
        return election_to_json(_context(served, "reading the election context"))

    @app.get("/api/entries/{code}", summary="One entry by its tracking code", responses=ERRORS)
    def entry(code: str) -> dict[str, Any]:
        online = served.opened()
        if online is None:
            parse_tracking_code(code[:200])
            raise NotFound("voting has not opened: the board has no entry yet")
        found = online.lookup(code[:200])
        return {
            "entry": entry_to_json(found.entry),
            "superseded_by": found.superseded_by,
            "counted": found.entry.state.value == "cast" and found.superseded_by is None,
        }

    @app.get(
        "/api/feed",
        summary="New board entries as Server-Sent Events (from the opening on)",
        responses={200: {"content": {"text/event-stream": {}}}, **ERRORS},
        response_class=StreamingResponse,
    )
    async def feed(
        request: Request,
        after: Annotated[int, Query(ge=0, le=2**53)] = 0,
        most: Annotated[int | None, Query(ge=1, le=10**9)] = None,
    ) -> StreamingResponse:
        def page(start: int) -> list[tuple[int, dict[str, Any]]]:
            online = served.opened()
            entries = online.page(start, 100) if online is not None else []
            return [(e.sequence, entry_to_json(e)) for e in entries]

        return _feed("entry", page, request, after=after, most=most, poll=limits.feed_poll_seconds)

    @app.get(
        "/api/record.tar.gz",
        summary="The record so far (its event log, and the board once voting opens), or as "
        "published",
        responses={200: {"content": {"application/gzip": {}}}, **ERRORS},
        response_class=Response,
    )
    def download() -> Response:
        return Response(
            _record_archive(served),
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
        if not served.published():
            raise NotFound("the results are not published yet")
        data = (served.record / "results.json").read_bytes()
        return Response(data, media_type="application/json")


def _add_results_page(app: FastAPI, served: Served) -> None:
    """The published results as a page, beside their JSON at ``/api/results``."""
    pages: dict[str, tuple[str, str]] = {}

    @app.get("/results", include_in_schema=False)
    def results_page(
        lang: Annotated[str | None, Query(max_length=8)] = None,
    ) -> HTMLResponse:
        """The published results as the accessible report page, in any of the election's
        languages (``?lang=ar``); the record never changes once published, so each page is
        made once."""
        if not served.published():
            raise NotFound("the results are not published yet")
        key = lang or ""
        if key not in pages:
            try:
                results = load_results(served.record, language=lang)
            except InvalidInput as exc:
                raise InvalidInput("lang", exc.reason) from None
            page = results_html(results)
            pages[key] = (page, page_policy(page))
        page, policy = pages[key]
        headers = {**SECURITY_HEADERS, "Content-Security-Policy": policy}
        return HTMLResponse(page, headers=headers)


class _AddressLimit:
    """The rate limit per client address, as plain ASGI middleware (Starlette's
    ``BaseHTTPMiddleware`` costs about a millisecond a request on a ballot's body)."""

    def __init__(self, app: ASGIApp, *, limiter: RateLimiter) -> None:
        self.app, self.limiter = app, limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            client = scope.get("client")
            if not self.limiter.admit(client[0] if client else "unknown"):
                refusal = answer(ApiError(429, "rate_limited", "too many requests"), Request(scope))
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _election(served: Served) -> dict[str, Any]:
    log = served.log()
    answer: dict[str, Any] = {
        "election_id": log.election_id,
        "state": log.state.value,
        "next_step": log.next_step(),
        "events": log.size,
        "log_head": log.head.hex(),
    }
    if log.manifest is not None:
        answer |= {
            "manifest": log.manifest,
            "start": log.manifest["start"],
            "end": log.manifest["end"],
            "guardians": log.guardians,
            "threshold": log.threshold,
        }
    online = served.opened()
    if online is not None:
        answer |= {
            "base_hash": online.context.base_hash.hex(),
            "signed_head": signed_head_to_json(online.signed_head()),
            "election": election_to_json(online.context),
            "credentials": len(online.context.credentials),
        }
    return answer


def _context(served: Served, action: str) -> ElectionContext:
    online = served.opened()
    if online is not None:
        return online.context
    log = served.log()
    if log.credentials is None:
        raise log.refuse(action)
    return served.life.context()


def _feed(
    name: str,
    page: Callable[[int], list[tuple[int, dict[str, Any]]]],
    request: Request,
    *,
    after: int,
    most: int | None,
    poll: float,
) -> StreamingResponse:
    """A Server-Sent Events answer from ``after`` (or the client's ``Last-Event-ID``)."""
    last = request.headers.get("last-event-id", "")
    start = int(last) if last.isdigit() and len(last) < 16 else after
    stream = _stream(name, page=page, after=start, most=most, poll=poll, request=request)
    return StreamingResponse(stream, media_type="text/event-stream")


async def _stream(
    name: str,
    *,
    page: Callable[[int], list[tuple[int, dict[str, Any]]]],
    after: int,
    most: int | None,
    poll: float,
    request: Request,
) -> AsyncIterator[bytes]:
    """Server-Sent Events of kind ``name``: what ``page`` finds after ``after``, then what
    comes, polled every ``poll`` seconds (a keep-alive comment every 15 s)."""
    sent, idle = 0, 0.0
    while most is None or sent < most:
        found = await asyncio.to_thread(page, after)
        for sequence, document in found:
            data = json.dumps(document, separators=(",", ":"))
            yield f"id: {sequence}\nevent: {name}\ndata: {data}\n\n".encode()
            after, sent = sequence, sent + 1
            if most is not None and sent >= most:
                return
        if found:
            idle = 0.0
            continue
        if await request.is_disconnected():
            return
        idle += poll
        if idle >= 15:
            idle = 0.0
            yield b": keep-alive\n\n"
        await asyncio.sleep(poll)


def _record_archive(served: Served) -> bytes:
    """A .tar.gz of the published record, or of the record so far: the event log, and once
    voting has opened the context and the board (no tally yet)."""
    if served.published():
        return pack_record(served.record)
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch)
        online = served.opened()
        if online is not None:
            write_record(source, context=online.context, entries=online.board.entries())
        write_events(source / "events.jsonl", served.life.events())
        return pack_record(source)


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


def _home_page(served: Served) -> str:
    log = served.log()
    manifest = log.manifest or {}
    lang = (manifest.get("languages") or ["en"])[0]
    direction = "rtl" if is_rtl(lang) else "ltr"
    title = html.escape((manifest.get("title") or {}).get(lang, "A new election"))
    window = (
        f" Voting from {html.escape(manifest['start'])} to {html.escape(manifest['end'])}."
        if manifest
        else ""
    )
    online = served.opened()
    board = f" {len(online.board)} entries on the board." if online is not None else ""
    return (
        # The page's own words are English (the booth brings the six languages); the
        # election's title is in its own language and direction.
        '<!DOCTYPE html><html lang="en" dir="ltr"><head><meta charset="utf-8"><meta '
        'name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font-family:system-ui,sans-serif;line-height:1.5;max-width:48rem;"
        "margin:auto;padding:0 1rem}li{margin-block:.75rem}a{display:inline-block;"
        "min-block-size:24px}</style>"
        f'<title>{title}</title></head><body><main><h1 lang="{html.escape(lang)}" '
        f'dir="{direction}">{title}</h1>'
        f"<p>State: {html.escape(log.state.value)}.{window}{board}</p>"
        f"<p>Next: {html.escape(log.next_step())}</p><ul>"
        '<li><a href="/booth">Vote (the booth, in six languages)</a></li>'
        '<li><a href="/api/events">The event log</a></li>'
        '<li><a href="/api/board">The bulletin board</a></li>'
        '<li><a href="/results">The results</a> (once published)</li>'
        '<li><a href="/api/record.tar.gz">The election record</a></li>'
        '<li><a href="/docs">The API</a></li></ul></main></body></html>'
    )
