"""The registry's library pages (spec/assistance.md#12): the institutional
memory's full-text search and its documents (:mod:`suffrage.assistance.memory`), and the
published status reports (:mod:`suffrage.assistance.status_publish`), which the public may
read. What each role finds is what the service lets it see.

A published report is served as the report's own page (H's renderer) in the language asked
for, with a Content-Security-Policy naming its inline style by hash; or as PDF, CSV or JSON.

A document shows its version and its line of versions (spec/assistance.md#10.7); a
publication withdrawn (#10.8, #11.5) answers at its own address with the notice of when and
why (410), and staff see the forms of :mod:`~suffrage.web.assist_publish_forms`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter, Request
from fastapi.responses import Response

from suffrage.assistance.access import Role
from suffrage.assistance.memory import DocKind, Filed, Hit
from suffrage.assistance.publication import Standing, Withdrawn
from suffrage.assistance.status_json import Published
from suffrage.assistance.status_publish import PublishedReport
from suffrage.assistance.status_render import FORMATS, render
from suffrage.errors import InvalidInput
from suffrage.i18n import LANGUAGES, Catalog
from suffrage.reports.html import page_policy
from suffrage.web.assist_pages import LANGUAGE_NAMES, Page, data, day, esc, field, layout, table
from suffrage.web.assist_publish_forms import (
    Refused,
    document_forms,
    publication_summary,
    report_forms,
    withdrawn_notice,
    withdrawn_page,
)
from suffrage.web.assist_site import Site, Visit, acting
from suffrage.web.booth import SECURITY_HEADERS

__all__ = ["add_library_routes", "document_answer", "reports_answer"]

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
                hits = registry.search_versions(
                    acting(v),
                    asked["q"],
                    language=asked.get("language") or None,
                    kind=DocKind(kind) if kind else None,
                    every_version=asked.get("versions") == "all",
                )
            return documents_page(v.page, asked, hits)

        return site.guarded(request, make)

    @router.get("/documents/{document_id}")
    def document(request: Request, document_id: int) -> Response:
        return site.guarded(request, lambda v: document_answer(site, v, request, document_id))

    @router.get("/reports")
    def reports(request: Request) -> Response:
        return site.guarded(request, lambda v: reports_answer(site, v, request))

    @router.get("/reports/{report_id}/{form}")
    def report(request: Request, report_id: int, form: str) -> Response:
        def make(v: Visit) -> Response:
            if form not in FORMATS:
                raise InvalidInput("form", f"{form!r} is not one of {', '.join(FORMATS)}")
            try:
                found = registry.published_report(acting(v), report_id)
            except Withdrawn as gone:  # its own address says so (spec/assistance.md#11.5)
                notice = withdrawn_page(v.page, "d_withdrawn_report", gone.withdrawal)
                return site.html(v, request, notice, 410)
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


def document_answer(site: Site, v: Visit, request: Request, document_id: int,
                    refused: Refused | None = None) -> Response:  # fmt: skip
    """A document's page (400 with ``refused`` at its field), or the notice of its
    withdrawal (410) for those who no longer see it."""
    user = acting(v)
    try:
        filed = site.registry.show_document(user, document_id)
    except Withdrawn as gone:
        return site.html(v, request, withdrawn_page(v.page, "d_withdrawn_document",
                                                    gone.withdrawal), 410)  # fmt: skip
    standing = site.registry.document_standing(user, document_id)
    forms = document_forms(v.page, filed, standing, refused)
    summary = "" if refused is None else publication_summary(v.page.t, refused)
    body = document_page(v.page, filed, standing, forms=forms, summary=summary)
    return site.html(v, request, body, 200 if refused is None else 400)


def reports_answer(site: Site, v: Visit, request: Request,
                   refused: Refused | None = None) -> Response:  # fmt: skip
    """The published reports page (400 with ``refused`` at its field)."""
    found = site.registry.published(acting(v))
    forms = report_forms(v.page, found, refused)
    summary = "" if refused is None else publication_summary(v.page.t, refused)
    body = reports_page(v.page, found, forms=forms, summary=summary)
    return site.html(v, request, body, 200 if refused is None else 400)


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


def _superseded(t: Catalog, later: int | None) -> str:
    """A search hit's mark when a later version superseded it ("" for a current one)."""
    if later is None:
        return ""
    return f' <span class="superseded">({esc(t("d_superseded_by", n=later))})</span>'


def documents_page(
    p: Page, asked: Mapping[str, str], hits: Sequence[tuple[Hit, int | None]] | None
) -> str:
    t = p.t
    everything = [("", t("filter_all"))]
    languages = everything + [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]
    kinds = everything + [(k.value, t(f"doc_kind_{k.value}")) for k in DocKind]
    every = asked.get("versions") == "all"
    form = (
        '<form method="get" action="/assist/documents" class="stack">'
        + field("q", t("field_query"), asked.get("q", ""), kind="search")
        + _select("language", t("field_doc_language"), languages, asked.get("language", ""))
        + _select("kind", t("field_kind"), kinds, asked.get("kind", ""))
        + '<div class="choice"><input type="checkbox" id="versions" name="versions" value="all"'
        + (" checked" if every else "")
        + f'><label for="versions">{esc(t("d_every_version"))}</label></div>'
        + f'<button type="submit">{esc(t("search"))}</button></form>'
    )
    body = f"<p>{esc(t('documents_intro'))}</p>" + form
    if hits is not None:
        rows = [
            (
                f'<a href="/assist/documents/{h.document_id}">{data(h.title, h.language)}</a>'
                + _superseded(t, later),
                esc(h.reference),
                esc(t(f"doc_kind_{h.kind.value}")),
                esc(LANGUAGE_NAMES.get(h.language, h.language)),
                day(h.dated.isoformat()),
                _snippet(h),
            )
            for h, later in hits
        ]
        head = [t("col_title"), t("col_reference"), t("col_kind"), t("col_language"),
                t("col_dated"), t("col_snippet")]  # fmt: skip
        body += f"<h2>{esc(t('results_title'))}</h2>"
        body += f"<p>{esc(t('count_documents', n=len(hits)))}</p>"
        body += table(t("results_title"), head, rows, shown=False)
    return layout(p, t("documents_title"), body)


def _versions(p: Page, standing: Standing) -> str:
    """The document's versions the user may see, oldest first, this one marked."""
    t = p.t
    staff = p.user is not None and p.user.role in (Role.FOCAL_POINT, Role.EAD_STAFF)
    rows = []
    for v in standing.versions:
        if v.withdrawal is not None:
            status = esc(t("d_withdrawn_on", day="\x00day\x00")).replace(
                "\x00day\x00", day(v.withdrawal.on)
            )
        else:
            status = esc(t("d_published" if v.published else "d_not_published"))
        link = f'<a href="/assist/documents/{v.document_id}">{data(v.title)}</a>'
        if v.document_id == standing.document_id:
            link = f'<strong aria-current="page">{data(v.title)}</strong> ({esc(t("d_this"))})'
        rows.append((esc(str(v.version)), link, day(v.dated.isoformat()),
                     f"{data(v.attached_by) + ' ' if staff else ''}{day(v.attached_at)}",
                     status))  # fmt: skip
    head = [t("d_col_version"), t("col_title"), t("col_dated"), t("col_attached"),
            t("d_col_status")]  # fmt: skip
    return f'<h2 id="versions">{esc(t("d_versions"))}</h2>' + table(
        t("d_versions"), head, rows, shown=False
    )


def document_page(
    p: Page, filed: Filed, standing: Standing, *, forms: str = "", summary: str = ""
) -> str:
    t = p.t
    d = filed.document
    version = t("d_version_of", n=standing.version, total=len(standing.versions))
    facts = [
        (t("col_reference"), f'<a href="/assist/requests/{esc(filed.reference)}">'
                             f"{esc(filed.reference)}</a>"),
        (t("col_kind"), esc(t(f"doc_kind_{d.kind.value}"))),
        (t("d_col_version"), esc(version)),
        (t("col_language"), esc(LANGUAGE_NAMES.get(d.language, d.language))),
        (t("col_dated"), day(d.dated.isoformat())),
        (t("col_author"), data(d.author)),
        (t("col_attached"), f"{data(filed.attached_by)} {day(filed.attached_at)}"),
        (t("d_col_status"), esc(t("d_published" if d.published else "d_not_published"))),
        (t("col_sha256"), f'<code class="hash">{esc(filed.sha256)}</code>'),
    ]  # fmt: skip
    dl = "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"
    paragraphs = "".join(f"<p>{esc(x)}</p>" for x in d.body.split("\n\n") if x.strip())
    direction = "rtl" if d.language == "ar" else "ltr"
    text = f'<div lang="{esc(d.language)}" dir="{direction}" class="document">{paragraphs}</div>'
    notices = ""
    if standing.withdrawal is not None:
        notices += withdrawn_notice(t, "d_withdrawn_document", standing.withdrawal, staff=True)
    if standing.superseded_by is not None:
        notices += (
            f'<p class="notice superseded" role="note"><strong>{esc(t("d_superseded"))}</strong> '
            f'<a href="/assist/documents/{standing.superseded_by}">'
            f"{esc(t('d_read_current'))}</a></p>"
        )
    body = summary + notices + dl + f'<p class="notice">{esc(t("document_checked"))}</p>'
    body += f"<h2>{esc(t('document_text'))}</h2>{text}"
    if len(standing.versions) > 1:
        body += _versions(p, standing)
    return layout(p, d.title, body + forms, title_language=d.language)


def _period(found: PublishedReport) -> str:
    return f"{day(found.report.start.isoformat())} – {day(found.report.end.isoformat())}"


def _report_status(t: Catalog, r: PublishedReport) -> str:
    if r.withdrawal is None:
        return esc(t("d_published"))
    w = r.withdrawal
    when = esc(t("d_withdrawn_on", day="\x00day\x00")).replace("\x00day\x00", day(w.on))
    return f"{when}: {data(w.reason)}"


def reports_page(
    p: Page, found: Sequence[PublishedReport], *, forms: str = "", summary: str = ""
) -> str:
    t = p.t
    language = t.language
    rows = [
        (
            _period(r),
            day(r.published_at),
            f'<code class="hash">{esc(r.sha256)}</code>',
            _report_status(t, r),
            " ".join(
                f'<a href="/assist/reports/{r.report_id}/{form}?lang={language}">'
                f"{esc(form.upper())}</a>"
                for form in FORMATS
            )
            if r.withdrawal is None
            else "—",  # withdrawn: no longer served
        )
        for r in found
    ]
    head = [t("col_period"), t("col_published"), t("col_sha256"), t("d_col_status"),
            t("col_formats")]  # fmt: skip
    body = summary + f"<p>{esc(t('reports_intro'))}</p>"
    body += table(t("reports_title"), head, rows, shown=False) if rows else ""
    if not rows:
        body += f"<p>{esc(t('no_reports'))}</p>"
    return layout(p, t("reports_title"), body + forms)
