"""The POSTs of a request's page (spec/assistance.md#12.1 and #12.3): a workflow step
(``/assist/requests/{ref}/{step}``) and a document attached (``/assist/requests/{ref}/attach``).

Each checks the session's CSRF token (403 without it, whoever sends it), then calls the
service's use case, which checks the role; a refusal of a value, or of a move the state does
not allow, shows the request page again (400) with the error at its field and the error
summary at the top; success redirects (303) to the request page. A liaison gets 404 for
another State's request, as on the page itself.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from suffrage.assistance.access import NotPermitted, Role
from suffrage.errors import InvalidInput, NotFound, UnsupportedOperation
from suffrage.web.assist_activity_form import activity_form
from suffrage.web.assist_attach import MAX_ATTACH_FORM, attach_form, document_of
from suffrage.web.assist_pages import error_page, request_page
from suffrage.web.assist_site import MAX_FORM, Site, Visit, acting, csrf_ok, read_form
from suffrage.web.assist_steps import (
    FIELDS,
    STEPS,
    Refusal,
    error_summary,
    step_forms,
    take_step,
)

__all__ = ["add_post_routes"]


def add_post_routes(router: APIRouter, site: Site) -> None:
    """``POST /assist/requests/{reference}/{step}``: each workflow step, and ``attach``."""
    registry = site.registry

    @router.post("/requests/{reference}/{step}")
    async def post(request: Request, reference: str, step: str) -> Response:
        form = await read_form(request, MAX_ATTACH_FORM if step == "attach" else MAX_FORM)

        def make(v: Visit) -> Response | str:
            if not csrf_ok(v, form):  # 403, whoever sends it (the public too)
                body = error_page(v.page, 403, v.page.t("csrf_refused"))
                return site.html(v, request, body, 403)
            if step not in (*STEPS, "attach"):
                raise NotFound(f"no step {step!r}")
            user = acting(v)

            def act() -> None:
                if step == "attach":
                    registry.attach_document(user, reference, document_of(form))
                else:
                    take_step(registry, user, reference, step, form)

            return _answer(site, v, request, reference, step=step, form=form, act=act)

        return site.guarded(request, make)


def _answer(
    site: Site,
    v: Visit,
    request: Request,
    reference: str,
    *,
    step: str,
    form: dict[str, str],
    act: Callable[[], None],
) -> Response:
    """Do ``act``; the redirect, or the page again with the service's refusal."""
    user = acting(v)
    try:
        act()
    except NotPermitted:
        if user.role is Role.MEMBER_STATE_LIAISON:
            # another State's request: the same answer as for one that does not exist
            try:
                site.registry.show_request(user, reference)
            except NotPermitted:
                raise NotFound(f"no request {reference!r}") from None
        raise
    except InvalidInput as exc:
        field = exc.field if exc.field in FIELDS[step] else ""
        return _again(site, v, request, reference, Refusal(step, field, exc.reason, form))
    except UnsupportedOperation as exc:  # a move the state does not allow
        return _again(site, v, request, reference, Refusal(step, "", str(exc), form))
    return RedirectResponse(f"/assist/requests/{reference}", 303)


def _again(site: Site, v: Visit, request: Request, reference: str, refusal: Refusal) -> Response:
    """The request page again, with the refusal at its field and in the summary (400)."""
    registry, user = site.registry, acting(v)
    case = registry.show_request(user, reference)
    entries = registry.request_history(user, reference)
    found = site.activities_of(user, case.request_id, case.request.country)
    forms = (
        step_forms(v.page, case, refusal)
        + activity_form(v.page, case)
        + attach_form(v.page, case, refusal)
    )
    summary = error_summary(v.page.t, refusal)
    body = request_page(
        v.page, case, entries, site.chain(v, user), found, forms=forms, summary=summary
    )
    return site.html(v, request, body, 400)
