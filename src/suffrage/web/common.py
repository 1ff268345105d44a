"""What the routes share: the documented error answers, answering, reading a body."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from suffrage.service.online import MAX_BALLOT_BYTES
from suffrage.web.errors import ApiError, language_of

__all__ = ["ERRORS", "ERROR_SCHEMA", "answer", "body_of"]

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "detail", "field"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "detail": {"type": "string"},
                "field": {"type": "string"},
            },
        }
    },
}
_ERROR_STATUSES = {
    400: "malformed request (the field and the reason are named)",
    403: "not eligible, another ballot style, outside the voting window, voting closed",
    404: "not found",
    401: "a token of the right role is needed (Authorization: Bearer TOKEN)",
    405: "method not allowed",
    409: "a duplicate or a copied ballot; a step the election's state does not allow "
    "(wrong_state: the detail names the step to take)",
    413: "too large",
    422: "a ballot that does not check (the check is named)",
    429: "too many requests",
    503: "the board cannot be reached",
}
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": words, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    for status, words in _ERROR_STATUSES.items()
}


def answer(error: ApiError, request: Request) -> JSONResponse:
    language = language_of(request.headers.get("accept-language"))
    return JSONResponse(
        error.body(language), status_code=error.status, headers={"Content-Language": language}
    )


async def body_of(request: Request, *, most: int = MAX_BALLOT_BYTES) -> bytes | None:
    """The request's body, or ``None`` beyond ``most`` bytes (read no further than that)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
