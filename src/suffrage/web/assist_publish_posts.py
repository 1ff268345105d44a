"""The publication POSTs (spec/assistance.md#12.5): a document published, a new version of
it attached, its publication withdrawn; a status report published for a period, and one
withdrawn.

Each checks the session's CSRF token (403 without it, whoever sends it), then calls the
service's use case, which checks the role (the public: the sign-in redirect; another role:
403 with the service's message). A value the service refuses shows the page again (400) with
the error at its field and the summary that takes the focus; success redirects (303): to the
new version's page, the document's page, or the reports page.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from suffrage.assistance.domain import parse_date
from suffrage.assistance.memory import Document
from suffrage.errors import InvalidInput
from suffrage.web.assist_attach import MAX_ATTACH_FORM
from suffrage.web.assist_library import document_answer, reports_answer
from suffrage.web.assist_pages import error_page
from suffrage.web.assist_publish_forms import FORM_FIELDS, Refused
from suffrage.web.assist_site import Site, Visit, acting, csrf_ok, read_form

__all__ = ["add_publish_routes"]


def add_publish_routes(router: APIRouter, site: Site) -> None:
    """``POST /assist/documents/{id}/{publish|version|withdraw}``, ``POST /assist/reports``
    and ``POST /assist/reports/{id}/withdraw``."""
    registry = site.registry

    @router.post("/documents/{document_id}/{what}")
    async def on_document(request: Request, document_id: int, what: str) -> Response:
        form = await read_form(request, MAX_ATTACH_FORM if what == "version" else 8192)

        def make(v: Visit) -> Response:
            refused = _csrf(site, v, request, form)
            if refused is not None:
                return refused
            user = acting(v)
            if what == "publish":
                return _try(
                    lambda: registry.publish_document(user, document_id),
                    lambda exc: document_answer(
                        site, v, request, document_id, _refused("publish", exc, form)
                    ),
                    f"/assist/documents/{document_id}",
                )
            if what == "withdraw":
                return _try(
                    lambda: registry.withdraw_document(user, document_id, form.get("reason", "")),
                    lambda exc: document_answer(
                        site, v, request, document_id, _refused("withdraw", exc, form)
                    ),
                    f"/assist/documents/{document_id}",
                )
            if what != "version":
                return site.html(v, request, error_page(v.page, 404, f"no action {what!r}"), 404)
            new: list[int] = []

            def attach() -> None:
                old = registry.show_document(user, document_id)
                filed = registry.attach_document(
                    user, old.reference, _version(old.document, form), supersedes=document_id
                )
                new.append(filed.document_id)

            return _try(
                attach,
                lambda exc: document_answer(
                    site, v, request, document_id, _refused("version", exc, form)
                ),
                lambda: f"/assist/documents/{new[0]}",
            )

        return site.guarded(request, make)

    @router.post("/reports")
    async def publish_report(request: Request) -> Response:
        form = await read_form(request)

        def make(v: Visit) -> Response:
            refused = _csrf(site, v, request, form)
            if refused is not None:
                return refused

            def publish() -> None:
                start = parse_date("from", form.get("from", ""))
                end = parse_date("to", form.get("to", ""))
                if end < start:
                    raise InvalidInput("to", f"{end} is before the first day, {start}")
                registry.publish_report(acting(v), start, end)

            return _try(
                publish,
                lambda exc: reports_answer(site, v, request, _refused("report", exc, form)),
                "/assist/reports",
            )

        return site.guarded(request, make)

    @router.post("/reports/{report_id}/withdraw")
    async def withdraw_report(request: Request, report_id: int) -> Response:
        form = await read_form(request)

        def make(v: Visit) -> Response:
            refused = _csrf(site, v, request, form)
            if refused is not None:
                return refused
            return _try(
                lambda: registry.withdraw_report(acting(v), report_id, form.get("reason", "")),
                lambda exc: reports_answer(
                    site, v, request, _refused("report_withdraw", exc, form, report_id)
                ),
                "/assist/reports",
            )

        return site.guarded(request, make)


def _csrf(site: Site, v: Visit, request: Request, form: dict[str, str]) -> Response | None:
    """403 ("Form refused") when the form's token is not the session's, whoever sends it."""
    if csrf_ok(v, form):
        return None
    return site.html(v, request, error_page(v.page, 403, v.page.t("csrf_refused")), 403)


def _try(
    act: Callable[[], object],
    again: Callable[[InvalidInput], Response],
    target: str | Callable[[], str],
) -> Response:
    """Do ``act``: the redirect (303), or the page again with the refusal of a value."""
    try:
        act()
    except InvalidInput as exc:
        return again(exc)
    return RedirectResponse(target if isinstance(target, str) else target(), 303)


def _refused(
    form: str, exc: InvalidInput, sent: dict[str, str], report: int | None = None
) -> Refused:
    name = exc.field if exc.field in FORM_FIELDS[form] else ""
    kept = {k: v for k, v in sent.items() if k != "csrf"}
    return Refused(form, name, exc.reason, kept, report)


def _version(old: Document, f: dict[str, str]) -> Document:
    """The form as a new version: the kind is the earlier version's (it never changes)."""
    return Document(
        kind=old.kind,
        language=f.get("language", ""),
        title=f.get("title", "").strip(),
        body=f.get("body", ""),
        author=f.get("author", "").strip(),
        dated=parse_date("dated", f.get("dated", "")),
    )
