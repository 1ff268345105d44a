"""The booth's page and assets: what a voter's browser loads from the election server.

The page, its script and its stylesheet are built from ``web/booth`` by esbuild (``make
booth``) into ``web/static/booth``. Every answer carries a Content-Security-Policy of
``default-src 'self'`` (no inline script or style, no eval, no other origin), so the page
can talk to this server only. Fonts for the scripts a voter's device may lack are served
here too: Debian's Noto Sans Arabic, and a subset of Noto Sans CJK (Simplified Chinese)
cut to the characters the booth and the election's manifest use (the whole font is 19 MB).
"""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

from suffrage.web.served import Served

__all__ = ["BOOTH_FILES", "SECURITY_HEADERS", "add_booth_routes"]

BOOTH_FILES = Path(__file__).resolve().parent / "static" / "booth"
ARABIC_FONT = Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf")
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_SIMPLIFIED = 2
"""The face of Noto Sans CJK SC in Debian's collection (JP, KR, SC, TC, HK)."""

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
        "object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "booth.js": "text/javascript; charset=utf-8",
    "booth.css": "text/css; charset=utf-8",
    "check.html": "text/html; charset=utf-8",
    "check.js": "text/javascript; charset=utf-8",
}


def add_booth_routes(app: FastAPI, served: Served) -> None:
    """``/booth`` and its assets; ``/check``, the page that checks an opened ballot."""
    fonts = _Fonts(served)

    def asset(name: str) -> Response:
        path = BOOTH_FILES / name
        if not path.is_file():
            return JSONResponse(
                {
                    "error": {
                        "code": "not_built",
                        "message": "the booth is not built on this server",
                        "detail": "`make booth` builds it (web/booth, with Node.js 20.19+)",
                        "field": "",
                    }
                },
                status_code=503,
                headers=SECURITY_HEADERS,
            )
        cache = "no-store" if name.endswith(".html") else "no-cache"
        return Response(
            path.read_bytes(),
            media_type=_TYPES[name],
            headers={**SECURITY_HEADERS, "Cache-Control": cache},
        )

    @app.get("/booth", include_in_schema=False)
    def page() -> Response:
        return asset("index.html")

    @app.get("/booth/booth.js", include_in_schema=False)
    def script() -> Response:
        return asset("booth.js")

    @app.get("/check", include_in_schema=False)
    def check_page() -> Response:
        return asset("check.html")

    @app.get("/booth/check.js", include_in_schema=False)
    def check_script() -> Response:
        return asset("check.js")

    @app.get("/booth/booth.css", include_in_schema=False)
    def style() -> Response:
        return asset("booth.css")

    @app.get("/booth/fonts/arabic.ttf", include_in_schema=False)
    def arabic() -> Response:
        return _font(ARABIC_FONT.read_bytes() if ARABIC_FONT.is_file() else None, "font/ttf")

    @app.get("/booth/fonts/cjk.otf", include_in_schema=False)
    def cjk() -> Response:
        return _font(fonts.cjk(), "font/otf")


def _font(data: bytes | None, media_type: str) -> Response:
    if data is None:
        return Response(status_code=404, headers=SECURITY_HEADERS)
    return Response(
        data, media_type=media_type, headers={**SECURITY_HEADERS, "Cache-Control": "max-age=86400"}
    )


class _Fonts:
    """The CJK subset, cut once per manifest (a few seconds) and kept."""

    def __init__(self, served: Served) -> None:
        self.served = served
        self.lock = threading.Lock()
        self.cut: dict[str, bytes] = {}

    def cjk(self) -> bytes | None:
        if not CJK_FONT.is_file():
            return None
        text = _characters(BOOTH_FILES / "characters.txt") + _manifest_text(self.served)
        key = "".join(sorted(set(text)))
        with self.lock:
            if key not in self.cut:
                self.cut = {key: _subset(CJK_FONT, CJK_SIMPLIFIED, key)}
            return self.cut[key]


def _characters(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _manifest_text(served: Served) -> str:
    manifest = served.log().manifest
    if manifest is None:
        return ""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key.startswith("zh") and isinstance(item, str):
                    found.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(manifest)
    return "".join(found)


def _subset(path: Path, number: int, text: str) -> bytes:
    from fontTools import subset  # type: ignore[import-untyped]  # only Chinese needs it
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    out = io.BytesIO()
    with TTFont(path, fontNumber=number, lazy=True) as font:
        options = subset.Options()
        options.layout_features = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text + "0123456789-–—·:;,.!?()%/ ")
        subsetter.subset(font)
        font.save(out)
    return out.getvalue()
