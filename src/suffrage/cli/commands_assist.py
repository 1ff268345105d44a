"""``suffrage assist ...``: the UN electoral-assistance registry (spec/assistance.md).

Who acts: ``--user NAME`` (or SUFFRAGE_ASSIST_USER) with ``--password-file FILE`` (or
SUFFRAGE_ASSIST_PASSWORD), or
``--token-file FILE`` (or SUFFRAGE_ASSIST_TOKEN); without either, the public, who may see
only the roster's figures. The database: ``--db URL`` (or SUFFRAGE_ASSIST_DB), an SQLite
file ./assistance.db by default.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from suffrage.assistance.access import Role, User
from suffrage.assistance.demo import DEMO_NOTICE, load_demo
from suffrage.assistance.domain import (
    Authority,
    Entity,
    Kind,
    Request,
    State,
    parse_date,
)
from suffrage.assistance.records import Case
from suffrage.assistance.service import Registry
from suffrage.assistance.storage import Store
from suffrage.cli._failures import one_line_errors
from suffrage.cli.main import app
from suffrage.errors import InvalidInput
from suffrage.record.reading import read_regular

__all__ = [
    "DEFAULT_DB",
    "acting",
    "activity_app",
    "assist_app",
    "expert_app",
    "history_app",
    "roster_app",
    "user_app",
]

DEFAULT_DB = "sqlite:///assistance.db"
PUBLIC = User(name="anonymous", role=Role.PUBLIC)

assist_app = typer.Typer(
    name="assist",
    no_args_is_help=True,
    help="The UN electoral-assistance registry: requests, assessments, activities, experts.",
    epilog="Start: suffrage assist demo (a fictional sample), or suffrage assist init "
    "--name 'Focal Point' --password-file pw.txt",
)
app.add_typer(assist_app, name="assist")
user_app = typer.Typer(no_args_is_help=True, help="Users and their tokens.")
request_app = typer.Typer(no_args_is_help=True, help="Requests: new, show, list.")
activity_app = typer.Typer(no_args_is_help=True, help="Activities of the implementing entities.")
expert_app = typer.Typer(no_args_is_help=True, help="The expert roster: add, search, match.")
roster_app = typer.Typer(no_args_is_help=True, help="The roster's figures.")
history_app = typer.Typer(no_args_is_help=True, help="The hash-chained history.")
for _sub, _name in (
    (user_app, "user"),
    (request_app, "request"),
    (activity_app, "activity"),
    (expert_app, "expert"),
    (roster_app, "roster"),
    (history_app, "history"),
):
    assist_app.add_typer(_sub, name=_name)


@dataclass(frozen=True, slots=True)
class _Who:
    db: str
    user: str | None
    password_file: Path | None
    token_file: Path | None


@assist_app.callback()
def _options(
    ctx: typer.Context,
    *,
    db: Annotated[
        str,
        typer.Option(
            envvar="SUFFRAGE_ASSIST_DB",
            metavar="URL",
            help="sqlite:///FILE or postgresql+psycopg://...",
        ),
    ] = DEFAULT_DB,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", envvar="SUFFRAGE_ASSIST_USER", metavar="NAME", help="Act as this user."
        ),
    ] = None,
    password_file: Annotated[
        Path | None, typer.Option(metavar="FILE", help="The user's password (first line).")
    ] = None,
    token_file: Annotated[
        Path | None, typer.Option(metavar="FILE", help="An API token (first line).")
    ] = None,
) -> None:
    """The UN electoral-assistance registry."""
    ctx.obj = _Who(db=db, user=user, password_file=password_file, token_file=token_file)


def _first_line(path: Path) -> str:
    line = read_regular(path, limit=4096, follow=True).decode("utf-8").split("\n")[0].rstrip("\r")
    if not line:
        raise InvalidInput(str(path), "its first line is empty")
    return line


@contextmanager
def _registry(ctx: typer.Context, *, create: bool = False) -> Iterator[Registry]:
    """The registry of ``--db``; only ``init`` and ``demo`` create one."""
    who: _Who = ctx.obj
    store = Store(who.db, create=create)
    try:
        yield Registry(store)
    finally:
        store.close()


def _actor(ctx: typer.Context, registry: Registry) -> User:
    who: _Who = ctx.obj
    token = (
        _first_line(who.token_file) if who.token_file else os.environ.get("SUFFRAGE_ASSIST_TOKEN")
    )
    if token:
        return registry.authenticate_token(token)
    if who.user is None:
        return PUBLIC
    if who.password_file is not None:
        return registry.authenticate(who.user, _first_line(who.password_file))
    password = os.environ.get("SUFFRAGE_ASSIST_PASSWORD")
    if password is None:
        raise InvalidInput(
            "--password-file", f"give {who.user}'s password (or SUFFRAGE_ASSIST_PASSWORD)"
        )
    return registry.authenticate(who.user, password)


@contextmanager
def acting(ctx: typer.Context) -> Iterator[tuple[Registry, User]]:
    with one_line_errors(), _registry(ctx) as registry:
        yield registry, _actor(ctx, registry)


# -- set-up ------------------------------------------------------------------------------


@assist_app.command(
    "init",
    epilog=(
        "Example: suffrage assist init --name 'Focal Point' --password-file pw.txt "
        "(creates ./assistance.db; --db URL before init for another)"
    ),
)
def init(
    ctx: typer.Context,
    *,
    name: Annotated[str, typer.Option(help="The first user, a focal point.")],
    password_file: Annotated[
        Path, typer.Option("--password-file", metavar="FILE", help="Their password.")
    ],
) -> None:
    """Create the database (tables, append-only triggers) and its first user, a focal point."""
    with one_line_errors(), _registry(ctx, create=True) as registry:
        registry.bootstrap(name, _first_line(password_file))
    typer.echo(f"registry created in {ctx.obj.db}; focal point: {name}")


@assist_app.command(
    "demo",
    epilog=(
        "Example: suffrage assist demo (into ./assistance.db; suffrage assist --db "
        "sqlite:///demo.db demo for another file)"
    ),
)
def demo(
    ctx: typer.Context,
    *,
    password_file: Annotated[
        Path | None,
        typer.Option("--password-file", metavar="FILE", help="The demo users' password."),
    ] = None,
) -> None:
    """Load a realistic fictional sample into an empty registry."""
    with one_line_errors(), _registry(ctx, create=True) as registry:
        password = _first_line(password_file) if password_file else "demo password 2026"
        summary = load_demo(registry, focal_name="demo-focal-point", password=password)
    typer.echo(DEMO_NOTICE)
    typer.echo(
        f"requests: {', '.join(summary.references)}; activities: {summary.activities} "
        f"({summary.overlaps} overlap); experts: {summary.experts}; "
        f"documents: {summary.documents} (one in two versions, one publication withdrawn)"
    )
    users = ", ".join(f"{u.name} ({u.role.value})" for u in summary.users)
    typer.echo(f"users: {users}")
    if password_file is None:
        typer.echo("their password: 'demo password 2026' (a demo only)")
    typer.echo(
        f"try: suffrage assist --db {ctx.obj.db} --user demo-ead --password-file FILE request list"
    )


@user_app.command(
    "add",
    epilog=(
        "Example: suffrage assist user add 'A. Officer' --role ead_staff "
        "--new-password-file new.txt (as a focal point: SUFFRAGE_ASSIST_USER and "
        "SUFFRAGE_ASSIST_PASSWORD, or --user and --password-file before the command)"
    ),
)
def user_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    *,
    role: Annotated[Role, typer.Option()],
    new_password_file: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Their password; without it, token only.")
    ] = None,
    entity: Annotated[Entity | None, typer.Option(help="For an implementing_entity.")] = None,
    state: Annotated[
        str | None, typer.Option(metavar="ISO3", help="For a member_state_liaison.")
    ] = None,
) -> None:
    """Add a user (focal points only)."""
    with acting(ctx) as (registry, actor):
        password = _first_line(new_password_file) if new_password_file else None
        new = User(name=name, role=role, entity=entity.value if entity else None, state=state)
        registry.add_user(actor, new, password)
    typer.echo(f"user {name} added ({role.value})")


@user_app.command(
    "token",
    epilog=(
        "Example: suffrage assist user token --label ci > token.txt (then: suffrage "
        "assist --token-file token.txt ...)"
    ),
)
def user_token(ctx: typer.Context, label: Annotated[str, typer.Option()] = "cli") -> None:
    """Issue an API token for the acting user; it is shown once (only its digest is kept)."""
    with acting(ctx) as (registry, actor):
        token = registry.issue_token(actor, label)
    typer.echo(token)


# -- requests ----------------------------------------------------------------------------


@request_app.command(
    "new",
    epilog=(
        "Example: suffrage assist request new --country NPL --received 2026-02-01 "
        "--election 'general election 2027' --kind technical_assistance"
    ),
)
def request_new(
    ctx: typer.Context,
    *,
    country: Annotated[str, typer.Option(metavar="ISO3")],
    received: Annotated[str, typer.Option(metavar="YYYY-MM-DD")],
    election: Annotated[list[str], typer.Option(help="An election concerned (repeat).")],
    kind: Annotated[list[Kind], typer.Option(help="A kind of assistance asked for (repeat).")],
    authority: Annotated[Authority, typer.Option()] = Authority.MEMBER_STATE,
    mandate: Annotated[str, typer.Option(help="The resolution, for a mandate.")] = "",
    document: Annotated[
        list[str] | None, typer.Option(help="A document received (repeat).")
    ] = None,
) -> None:
    """Record a request as received."""
    with acting(ctx) as (registry, actor):
        request = Request(
            authority=authority,
            country=country,
            received_on=parse_date("received", received),
            elections=tuple(election),
            kinds=tuple(kind),
            mandate=mandate,
            documents=tuple(document or ()),
        )
        case = registry.new_request(actor, request)
    typer.echo(f"{case.reference}: received")


def _case_lines(case: Case) -> list[str]:
    r = case.request
    lines = [
        f"{case.reference}  {case.state.value}" + (f" ({case.phase.value})" if case.phase else ""),
        f"  from: {r.authority.value}"
        + (f" ({r.mandate})" if r.mandate else "")
        + f"; country {r.country}",
        f"  received: {r.received_on}; elections: {'; '.join(r.elections)}",
        f"  kinds: {', '.join(k.value for k in r.kinds)}",
    ]
    if case.plan:
        lines.append(f"  assessment planned: {case.plan['starts']} to {case.plan['ends']}")
    if case.assessment:
        lines.append(f"  findings: {case.assessment.findings}")
        for condition, (met, why) in case.assessment.conditions.items():
            lines.append(f"    {condition.value}: {'met' if met else 'NOT met'} ({why})")
    if case.decision:
        lines.append(f"  decision: {case.decision.outcome.value}: {case.decision.reasons}")
        if case.decision.conditions:
            lines.append(f"    conditions: {case.decision.conditions}")
    if case.final_report:
        lines.append(f"  final report: {case.final_report}")
    return lines


@request_app.command(
    "show",
    epilog=("Example: suffrage assist request show EA-2026-0001"),
)
def request_show(ctx: typer.Context, reference: Annotated[str, typer.Argument()]) -> None:
    """A request, what has been recorded on it, and its history (dated, attributed)."""
    with acting(ctx) as (registry, actor):
        case = registry.show_request(actor, reference)
        entries = registry.request_history(actor, reference)
    for line in _case_lines(case):
        typer.echo(line)
    typer.echo("  history:")
    for entry in entries:
        move = f" -> {entry.details['to']}" if "to" in entry.details else ""
        typer.echo(
            f"    {entry.sequence}. {entry.at}  {entry.action}{move}  by {entry.actor} "
            f"({entry.details.get('role', '?')})"
        )


@request_app.command(
    "list",
    epilog=("Example: suffrage assist request list --state received"),
)
def request_list(ctx: typer.Context, state: Annotated[State | None, typer.Option()] = None) -> None:
    """The requests you may see (a liaison: its own State's)."""
    with acting(ctx) as (registry, actor):
        cases = registry.list_requests(actor, state)
    for case in cases:
        phase = f" ({case.phase.value})" if case.phase else ""
        typer.echo(
            f"{case.reference}  {case.request.country}  {case.request.received_on}  "
            f"{case.state.value}{phase}"
        )
    typer.echo(f"{len(cases)} request{'s' if len(cases) != 1 else ''}")
