"""The "attach a document" form on a request's page (spec/assistance.md#12.3; issue 19):
kind, language, title, author, date and text of a document of the institutional memory
(spec/assistance.md#10). It is attached unpublished; publishing stays a separate step.

The POST calls the service's ``attach_document``, which checks the role (an implementing
entity: only the kinds and requests §10.2 allows), the request's state for that kind and the
document; its refusal is shown at its field.
"""

from __future__ import annotations

from collections.abc import Mapping

from suffrage.assistance.access import Action
from suffrage.assistance.domain import parse_date
from suffrage.assistance.memory import DocKind, Document
from suffrage.assistance.records import Case
from suffrage.errors import InvalidInput
from suffrage.i18n import LANGUAGES, Catalog
from suffrage.web.assist_pages import LANGUAGE_NAMES, Page, esc
from suffrage.web.assist_steps import Refusal, choice_field, input_field, text_field

__all__ = ["MAX_ATTACH_FORM", "attach_form", "document_of"]

MAX_ATTACH_FORM = 512 * 1024
"""The largest form of a document that is read (its text, URL-encoded); the other forms are
read up to 8 KiB."""


def _language(t: Catalog, chosen: str, refusal: Refusal | None) -> str:
    """The document's language: one of the six, each named in itself."""
    tie = message = ""
    if refusal is not None and refusal.field == "language":
        message = (
            f'<p class="error" id="language-error">{esc(t("step_error_doc_language"))} '
            f'<bdi lang="en">{esc(refusal.reason)}</bdi></p>'
        )
        tie = ' aria-describedby="language-error" aria-invalid="true"'
    options = "".join(
        f'<option value="{code}" lang="{code}"{" selected" if code == chosen else ""}>'
        f"{esc(LANGUAGE_NAMES[code])}</option>"
        for code in LANGUAGES
    )
    return (
        f'<div class="field"><label for="language">{esc(t("field_doc_language"))}</label>'
        f'{message}<select id="language" name="language"{tie}>'
        f'<option value="">—</option>{options}</select></div>'
    )


def attach_form(p: Page, case: Case, refusal: Refusal | None = None) -> str:
    """The form, for the roles that may attach documents ("" for the others)."""
    if Action.ATTACH_DOCUMENT not in p.may:
        return ""
    t = p.t
    r = refusal if refusal is not None and refusal.step == "attach" else None
    sent = r.sent if r is not None else {}
    kinds = {k.value: t(f"doc_kind_{k.value}") for k in DocKind}
    fields = (
        choice_field(t, "kind", t("field_kind"), kinds, chosen=sent.get("kind", ""), refusal=r)
        + _language(t, sent.get("language", ""), r)
        + input_field(t, "title", t("col_title"), sent.get("title", ""), r)
        + input_field(t, "author", t("col_author"), sent.get("author", ""), r)
        + input_field(t, "dated", t("col_dated"), sent.get("dated", ""), r, kind="date")
        + text_field(t, "body", t("step_body"), sent.get("body", ""), r)
    )
    return (
        f'<section aria-labelledby="step-attach"><h2 id="step-attach">{esc(t("step_attach"))}'
        f'</h2><form method="post" action="/assist/requests/{esc(case.reference)}/attach" '
        f'class="stack"><input type="hidden" name="csrf" value="{esc(p.csrf)}">{fields}'
        f'<button type="submit">{esc(t("step_attach"))}</button></form></section>'
    )


def document_of(f: Mapping[str, str]) -> Document:
    """The form as the document to attach (unpublished; the service checks the rest)."""
    if f.get("kind", "") not in {k.value for k in DocKind}:
        raise InvalidInput("kind", f"choose one of {', '.join(k.value for k in DocKind)}")
    return Document(
        kind=DocKind(f["kind"]),
        language=f.get("language", ""),
        title=f.get("title", "").strip(),
        body=f.get("body", ""),
        author=f.get("author", "").strip(),
        dated=parse_date("dated", f.get("dated", "")),
    )
