"""``suffrage assist doc ...``: the institutional memory (spec/assistance.md#10): attach a
document to a request, publish it, search every document you may see, show one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from suffrage.assistance.domain import parse_date
from suffrage.assistance.memory import MAX_BODY, DocKind, Document, Hit
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
) -> None:
    """Search the documents you may see (the public: the published ones), best match first."""
    if language is not None and language not in LANGUAGES:
        raise typer.BadParameter(f"{language!r} is not one of {', '.join(LANGUAGES)}")
    with acting(ctx) as (registry, actor):
        hits = registry.search_documents(actor, query, language=language, kind=kind, limit=limit)
    for hit in hits:
        published = "published" if hit.published else "not published"
        typer.echo(
            f"{hit.document_id}. {hit.title}  [{hit.kind.value}, {hit.language}, {hit.dated}, "
            f"{published}]  request {hit.reference} ({hit.country})"
        )
        typer.echo(f"    {_snippet(hit)}")
    typer.echo(f"{len(hits)} document{'s' if len(hits) != 1 else ''}")


@doc_app.command("show", epilog="Example: suffrage assist doc show 3")
def doc_show(ctx: typer.Context, document_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """A document and its text, checked against the digest its history entry recorded."""
    with acting(ctx) as (registry, actor):
        filed = registry.show_document(actor, document_id)
    doc = filed.document
    typer.echo(f"{filed.document_id}. {doc.title}")
    typer.echo(f"  request {filed.reference} ({filed.country}); {doc.kind.value}; {doc.language}")
    typer.echo(
        f"  by {doc.author}, {doc.dated}; attached by {filed.attached_by} at {filed.attached_at}"
    )
    typer.echo(f"  {'published' if doc.published else 'not published'}; sha256 {filed.sha256} "
               "(matches the history)")  # fmt: skip
    typer.echo("")
    typer.echo(doc.body)
