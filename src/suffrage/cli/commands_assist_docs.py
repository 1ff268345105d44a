"""``suffrage assist doc ...``: the institutional memory (spec/assistance.md#10): attach a
document to a request, attach a new version of one (#10.7), publish it, withdraw its
publication (#10.8), search every document you may see, show one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from suffrage.assistance.domain import parse_date
from suffrage.assistance.memory import MAX_BODY, DocKind, Document, Hit
from suffrage.assistance.publication import Standing
from suffrage.cli.commands_assist import acting, assist_app
from suffrage.errors import InvalidInput
from suffrage.i18n import LANGUAGES
from suffrage.record.reading import read_regular

__all__ = ["doc_app"]

doc_app = typer.Typer(
    no_args_is_help=True,
    help="The institutional memory: documents attached to requests, searchable in full text.",
)
assist_app.add_typer(doc_app, name="doc")

_LANGUAGE_HELP = f"One of the six UN languages: {', '.join(LANGUAGES)}."


def _text(path: Path) -> str:
    """A UTF-8 text file (a byte-order mark allowed), within the size a document may have."""
    data = read_regular(path, limit=4 * MAX_BODY, follow=True)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(path.name, f"is not UTF-8 text (byte {exc.start})") from None


@doc_app.command(
    "add",
    epilog=(
        "Example: suffrage assist doc add EA-2026-0001 --kind assessment_report --language "
        "en --title 'Needs assessment mission' --file report.txt"
    ),
)
def doc_add(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(metavar="REQUEST")],
    *,
    kind: Annotated[DocKind, typer.Option()],
    language: Annotated[str, typer.Option(help=_LANGUAGE_HELP)],
    title: Annotated[str, typer.Option()],
    file: Annotated[Path, typer.Option(metavar="FILE", help="The text (UTF-8).")],
    author: Annotated[str | None, typer.Option(help="Who wrote it (default: you).")] = None,
    dated: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="Default: today (UTC).")
    ] = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="Make it visible to the public at once.")
    ] = False,
) -> None:
    """Attach a document to a request (written to the request's history)."""
    with acting(ctx) as (registry, actor):
        document = Document(
            kind=kind,
            language=language,
            title=title,
            body=_text(file),
            author=author or actor.name,
            dated=parse_date("--date", dated) if dated else registry.clock().date(),
            published=publish,
        )
        filed = registry.attach_document(actor, reference, document)
    state = "published" if publish else "not published"
    typer.echo(f"document {filed.document_id} attached to {filed.reference} ({state})")


@doc_app.command("publish", epilog="Example: suffrage assist doc publish 3")
def doc_publish(
    ctx: typer.Context, document_id: Annotated[int, typer.Argument(metavar="ID")]
) -> None:
    """Make a document visible to the public (focal points and EAD staff)."""
    with acting(ctx) as (registry, actor):
        filed = registry.publish_document(actor, document_id)
    typer.echo(f"document {filed.document_id} published")


@doc_app.command(
    "version",
    epilog=(
        "Example: suffrage assist doc version 3 --file corrected.txt --title 'Needs assessment "
        "mission (corrected)' (the kind stays; title, language and author default to the "
        "earlier version's, the date to today)"
    ),
)
def doc_version(
    ctx: typer.Context,
    document_id: Annotated[int, typer.Argument(metavar="ID", help="The version it supersedes.")],
    *,
    file: Annotated[Path, typer.Option(metavar="FILE", help="The new text (UTF-8).")],
    title: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str | None, typer.Option(help=_LANGUAGE_HELP)] = None,
    author: Annotated[str | None, typer.Option()] = None,
    dated: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="Default: today (UTC).")
    ] = None,
) -> None:
    """Attach a new version of a document (its current version only): the earlier one stays
    readable; a version of a published document is published with it."""
    with acting(ctx) as (registry, actor):
        old = registry.show_document(actor, document_id)
        document = Document(
            kind=old.document.kind,
            language=language or old.document.language,
            title=title or old.document.title,
            body=_text(file),
            author=author or old.document.author,
            dated=parse_date("--date", dated) if dated else registry.clock().date(),
        )
        filed = registry.attach_document(actor, old.reference, document, supersedes=document_id)
        version = registry.document_standing(actor, filed.document_id).version
    state = "published" if filed.document.published else "not published"
    typer.echo(
        f"document {filed.document_id} attached to {filed.reference}: version {version}, "
        f"supersedes document {document_id} ({state})"
    )


@doc_app.command(
    "withdraw",
    epilog="Example: suffrage assist doc withdraw 3 --reason 'The figures in annex 2 were wrong.'",
)
def doc_withdraw(
    ctx: typer.Context,
    document_id: Annotated[int, typer.Argument(metavar="ID")],
    *,
    reason: Annotated[str, typer.Option(help="Why (required; shown to the public).")],
) -> None:
    """Withdraw a document's publication, every published version of it (focal points and
    EAD staff): the public no longer finds it; its address says when and why."""
    with acting(ctx) as (registry, actor):
        standing = registry.withdraw_document(actor, document_id, reason)
    on = standing.withdrawal.on if standing.withdrawal else ""
    typer.echo(f"document {document_id}: publication withdrawn on {on}")


def _standing(standing: Standing) -> None:
    typer.echo(f"  version {standing.version} of {len(standing.versions)} shown:")
    for v in standing.versions:
        marks = ["published" if v.published else "not published"]
        if v.withdrawal is not None:
            marks.append(f"withdrawn on {v.withdrawal.on}: {v.withdrawal.reason}")
        this = "  <- this one" if v.document_id == standing.document_id else ""
        typer.echo(f"    {v.version}. document {v.document_id}, {v.title} ({v.dated}; "
                   f"{'; '.join(marks)}){this}")  # fmt: skip
    if standing.superseded_by is not None:
        typer.echo(f"  SUPERSEDED by document {standing.superseded_by}")


def _snippet(hit: Hit) -> str:
    text = "".join(f"[{s.text}]" if s.hit else s.text for s in hit.snippet)
    return ("…" if hit.before else "") + text + ("…" if hit.after else "")


@doc_app.command(
    "search",
    epilog=(
        "Example: suffrage assist doc search 'voter registration' --language en (every word "
        "must be found; accents, case and Arabic vowel marks do not matter; the words found "
        "are shown [in brackets])"
    ),
)
def doc_search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument()],
    *,
    language: Annotated[
        str | None, typer.Option(help="Only documents in this language. " + _LANGUAGE_HELP)
    ] = None,
    kind: Annotated[DocKind | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 20,
    every_version: Annotated[
        bool, typer.Option("--every-version", help="Superseded versions too (marked).")
    ] = False,
) -> None:
    """Search the documents you may see (the public: the published ones), best match first;
    the current version of each document unless --every-version."""
    if language is not None and language not in LANGUAGES:
        raise typer.BadParameter(f"{language!r} is not one of {', '.join(LANGUAGES)}")
    with acting(ctx) as (registry, actor):
        found = registry.search_versions(actor, query, language=language, kind=kind,
                                         limit=limit, every_version=every_version)  # fmt: skip
    for hit, later in found:
        published = "published" if hit.published else "not published"
        superseded = "" if later is None else f", SUPERSEDED by document {later}"
        typer.echo(
            f"{hit.document_id}. {hit.title}  [{hit.kind.value}, {hit.language}, {hit.dated}, "
            f"{published}{superseded}]  request {hit.reference} ({hit.country})"
        )
        typer.echo(f"    {_snippet(hit)}")
    typer.echo(f"{len(found)} document{'s' if len(found) != 1 else ''}")


@doc_app.command("show", epilog="Example: suffrage assist doc show 3")
def doc_show(ctx: typer.Context, document_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """A document and its text, checked against the digest its history entry recorded."""
    with acting(ctx) as (registry, actor):
        filed = registry.show_document(actor, document_id)
        standing = registry.document_standing(actor, document_id)
    doc = filed.document
    typer.echo(f"{filed.document_id}. {doc.title}")
    typer.echo(f"  request {filed.reference} ({filed.country}); {doc.kind.value}; {doc.language}")
    typer.echo(
        f"  by {doc.author}, {doc.dated}; attached by {filed.attached_by} at {filed.attached_at}"
    )
    typer.echo(f"  {'published' if doc.published else 'not published'}; sha256 {filed.sha256} "
               "(matches the history)")  # fmt: skip
    if standing.withdrawal is not None:
        w = standing.withdrawal
        typer.echo(f"  WITHDRAWN on {w.on} by {w.by}: {w.reason}")
    _standing(standing)
    typer.echo("")
    typer.echo(doc.body)
