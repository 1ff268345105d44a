"""The registry's library pages (spec/assistance.md#12): the institutional
memory's full-text search and its documents (:mod:`suffrage.assistance.memory`), and the
published status reports (:mod:`suffrage.assistance.status_publish`), which the public may
read. What each role finds is what the service lets it see.

A published report is served as the report's own page (H's renderer) in the language asked
for, with a Content-Security-Policy naming its inline style by hash; or as PDF, CSV or JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter, Request
from fastapi.responses import Response

from suffrage.assistance.memory import DocKind, Filed, Hit
from suffrage.assistance.status_json import Published
from suffrage.assistance.status_publish import PublishedReport
from suffrage.assistance.status_render import FORMATS, render
from suffrage.errors import InvalidInput
from suffrage.i18n import LANGUAGES
from suffrage.reports.html import page_policy
from suffrage.web.assist_pages import LANGUAGE_NAMES, Page, data, day, esc, field, layout, table
from suffrage.web.assist_site import Site, Visit, acting
from suffrage.web.booth import SECURITY_HEADERS

__all__ = ["add_library_routes"]

_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def add_library_routes(router: APIRouter, site: Site) -> None:
    """``/assist/documents`` (search), ``/assist/documents/{id}``, ``/assist/reports`` and
    ``/assist/reports/{id}/{form}``."""
    registry = site.registry

    @router.get("/documents")
    def documents(request: Request) -> Response:
        asked = dict(request.query_params)

        def make(v: Visit) -> str:
            hits = None
            if asked.get("q", "").strip():
                kind = asked.get("kind") or None
                if kind is not None and kind not in {k.value for k in DocKind}:
                    raise InvalidInput("kind", f"{kind!r} is not a kind of document")
                hits = registry.search_documents(
                    acting(v),
                    asked["q"],
                    language=asked.get("language") or None,
                    kind=DocKind(kind) if kind else None,
                )
            return documents_page(v.page, asked, hits)

        return site.guarded(request, make)

    @router.get("/documents/{document_id}")
    def document(request: Request, document_id: int) -> Response:
        return site.guarded(
            request,
            lambda v: document_page(v.page, registry.show_document(acting(v), document_id)),
        )

    @router.get("/reports")
    def reports(request: Request) -> Response:
        return site.guarded(request, lambda v: reports_page(v.page, registry.published(acting(v))))

    @router.get("/reports/{report_id}/{form}")
    def report(request: Request, report_id: int, form: str) -> Response:
        def make(v: Visit) -> Response:
            if form not in FORMATS:
                raise InvalidInput("form", f"{form!r} is not one of {', '.join(FORMATS)}")
            found = registry.published_report(acting(v), report_id)
            stamp = Published(at=found.published_at, sha256=found.sha256)
            body = render(found.report, v.page.t.language, form, stamp)
            headers = dict(SECURITY_HEADERS)
            if form == "html":
                headers["Content-Security-Policy"] = page_policy(body.decode("utf-8"))
            else:
                name = f"status-report-{report_id}-{v.page.t.language}.{form}"
                headers["Content-Disposition"] = f'attachment; filename="{name}"'
            return Response(body, media_type=_TYPES[form], headers=headers)

        return site.guarded(request, make)


def _select(name: str, label: str, options: Sequence[tuple[str, str]], chosen: str) -> str:
    items = "".join(
        f'<option value="{esc(value)}"{" selected" if value == chosen else ""}>{esc(words)}'
        "</option>"
        for value, words in options
    )
    return (
        f'<div class="field"><label for="{name}">{esc(label)}</label>'
        f'<select id="{name}" name="{name}">{items}</select></div>'
    )


def _snippet(hit: Hit) -> str:
    text = "".join(f"<mark>{esc(s.text)}</mark>" if s.hit else esc(s.text) for s in hit.snippet)
    return f'<bdi lang="{esc(hit.language)}">{"… " if hit.before else ""}{text}' + (
        " …</bdi>" if hit.after else "</bdi>"
    )


def documents_page(p: Page, asked: Mapping[str, str], hits: Sequence[Hit] | None) -> str:
    t = p.t
    everything = [("", t("filter_all"))]
    languages = everything + [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]
    kinds = everything + [(k.value, t(f"doc_kind_{k.value}")) for k in DocKind]
    form = (
        '<form method="get" action="/assist/documents" class="stack">'
        + field("q", t("field_query"), asked.get("q", ""), kind="search")
        + _select("language", t("field_doc_language"), languages, asked.get("language", ""))
        + _select("kind", t("field_kind"), kinds, asked.get("kind", ""))
        + f'<button type="submit">{esc(t("search"))}</button></form>'
    )
    body = f"<p>{esc(t('documents_intro'))}</p>" + form
    if hits is not None:
        rows = [
            (
                f'<a href="/assist/documents/{h.document_id}">{data(h.title, h.language)}</a>',
                esc(h.reference),
                esc(t(f"doc_kind_{h.kind.value}")),
                esc(LANGUAGE_NAMES.get(h.language, h.language)),
                day(h.dated.isoformat()),
                _snippet(h),
            )
            for h in hits
        ]
        head = [t("col_title"), t("col_reference"), t("col_kind"), t("col_language"),
                t("col_dated"), t("col_snippet")]  # fmt: skip
        body += f"<h2>{esc(t('results_title'))}</h2>"
        body += f"<p>{esc(t('count_documents', n=len(hits)))}</p>"
        body += table(t("results_title"), head, rows, shown=False)
    return layout(p, t("documents_title"), body)


def document_page(p: Page, filed: Filed) -> str:
    t = p.t
    d = filed.document
    facts = [
        (t("col_reference"), f'<a href="/assist/requests/{esc(filed.reference)}">'
                             f"{esc(filed.reference)}</a>"),
        (t("col_kind"), esc(t(f"doc_kind_{d.kind.value}"))),
        (t("col_language"), esc(LANGUAGE_NAMES.get(d.language, d.language))),
        (t("col_dated"), day(d.dated.isoformat())),
        (t("col_author"), data(d.author)),
        (t("col_attached"), f"{data(filed.attached_by)} {day(filed.attached_at)}"),
        (t("col_sha256"), f'<code class="hash">{esc(filed.sha256)}</code>'),
    ]  # fmt: skip
    dl = "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"
    paragraphs = "".join(f"<p>{esc(x)}</p>" for x in d.body.split("\n\n") if x.strip())
    direction = "rtl" if d.language == "ar" else "ltr"
    text = f'<div lang="{esc(d.language)}" dir="{direction}" class="document">{paragraphs}</div>'
    body = dl + f'<p class="notice">{esc(t("document_checked"))}</p>'
    body += f"<h2>{esc(t('document_text'))}</h2>{text}"
    return layout(p, d.title, body, title_language=d.language)


def _period(found: PublishedReport) -> str:
    return f"{day(found.report.start.isoformat())} – {day(found.report.end.isoformat())}"


def reports_page(p: Page, found: Sequence[PublishedReport]) -> str:
    t = p.t
    language = t.language
    rows = [
        (
            _period(r),
            day(r.published_at),
            f'<code class="hash">{esc(r.sha256)}</code>',
            " ".join(
                f'<a href="/assist/reports/{r.report_id}/{form}?lang={language}">'
                f"{esc(form.upper())}</a>"
                for form in FORMATS
            ),
        )
        for r in found
    ]
    head = [t("col_period"), t("col_published"), t("col_sha256"), t("col_formats")]
    body = f"<p>{esc(t('reports_intro'))}</p>"
    body += table(t("reports_title"), head, rows, shown=False) if rows else ""
    if not rows:
        body += f"<p>{esc(t('no_reports'))}</p>"
    return layout(p, t("reports_title"), body)
