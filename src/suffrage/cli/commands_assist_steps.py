"""``suffrage assist`` (continued): the workflow's transitions, activities, the expert
roster and the history check (spec/assistance.md#2-#5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from suffrage.assistance.coordination import Activity, Overlap
from suffrage.assistance.domain import (
    Assessment,
    Condition,
    Decision,
    Entity,
    Kind,
    Outcome,
    Phase,
    State,
    parse_date,
)
from suffrage.assistance.history import HistoryBroken
from suffrage.assistance.records import Case
from suffrage.assistance.roster import NOT_STATED, Expert, Need, Region
from suffrage.cli.commands_assist import (
    acting,
    activity_app,
    assist_app,
    expert_app,
    history_app,
    roster_app,
)
from suffrage.errors import InvalidInput
from suffrage.record.reading import read_regular

__all__ = ["RefArgument"]


# -- transitions -------------------------------------------------------------------------

RefArgument = Annotated[str, typer.Argument(metavar="REFERENCE")]


def _moved(case: Case) -> None:
    phase = f" ({case.phase.value})" if case.phase and case.state is State.UNDER_WAY else ""
    typer.echo(f"{case.reference}: {case.state.value}{phase}")


@assist_app.command(
    "plan-assessment",
    epilog=(
        "Example: suffrage assist plan-assessment EA-2026-0001 --starts 2026-04-06 "
        "--ends 2026-04-17 --team 'EAD officer' --team 'UNDP adviser'"
    ),
)
def plan_assessment(
    ctx: typer.Context,
    reference: RefArgument,
    *,
    starts: Annotated[str, typer.Option(metavar="YYYY-MM-DD")],
    ends: Annotated[str, typer.Option(metavar="YYYY-MM-DD")],
    team: Annotated[
        list[str] | None, typer.Option(help="A member of the mission (repeat).")
    ] = None,
) -> None:
    """received -> assessment_planned: the needs-assessment mission's dates and team."""
    with acting(ctx) as (registry, actor):
        _moved(
            registry.plan_assessment(
                actor,
                reference,
                starts=parse_date("starts", starts),
                ends=parse_date("ends", ends),
                team=team or [],
            )
        )


def _condition(text: str) -> tuple[Condition, tuple[bool, str]]:
    name, _, rest = text.partition("=")
    answer, _, reason = rest.partition(":")
    try:
        condition = Condition(name.strip())
    except ValueError:
        raise InvalidInput(
            "--condition", f"{name!r} is not one of {', '.join(Condition)}"
        ) from None
    if answer.strip() not in ("met", "unmet"):
        raise InvalidInput("--condition", f"write {name}=met:REASON or {name}=unmet:REASON")
    return condition, (answer.strip() == "met", reason.strip())


@assist_app.command(
    "record-assessment",
    epilog=(
        "Example: suffrage assist record-assessment EA-2026-0001 --findings '...' "
        "--condition 'adequate_time=met:ten months' --condition "
        "'free_and_fair_conditions=met:...' --condition "
        "'reporting_provisions=unmet:...'"
    ),
)
def record_assessment(
    ctx: typer.Context,
    reference: RefArgument,
    *,
    findings: Annotated[str, typer.Option()],
    condition: Annotated[
        list[str],
        typer.Option(
            metavar="NAME=met|unmet:REASON", help="Each para. 5 condition answered (repeat)."
        ),
    ],
) -> None:
    """assessment_planned -> assessed: the findings, each para. 5 condition answered."""
    with acting(ctx) as (registry, actor):
        assessment = Assessment(findings=findings, conditions=dict(map(_condition, condition)))
        _moved(registry.record_assessment(actor, reference, assessment))


@assist_app.command(
    "decide",
    epilog=(
        "Example: suffrage assist decide EA-2026-0001 --outcome assist_with_conditions "
        "--reasons '...' --conditions 'polling day moved by two months'"
    ),
)
def decide(
    ctx: typer.Context,
    reference: RefArgument,
    *,
    outcome: Annotated[Outcome, typer.Option()],
    reasons: Annotated[str, typer.Option()],
    conditions: Annotated[str, typer.Option(help="For assist_with_conditions.")] = "",
) -> None:
    """assessed -> decided: assist, assist_with_conditions or decline, with reasons."""
    with acting(ctx) as (registry, actor):
        decision = Decision(outcome=outcome, reasons=reasons, conditions=conditions)
        _moved(registry.decide(actor, reference, decision))


@assist_app.command(
    "start",
    epilog=("Example: suffrage assist start EA-2026-0001 --phase pre_electoral"),
)
def start(
    ctx: typer.Context, reference: RefArgument, *, phase: Annotated[Phase, typer.Option()]
) -> None:
    """decided (to assist) -> under_way, in a phase of the electoral cycle."""
    with acting(ctx) as (registry, actor):
        _moved(registry.start(actor, reference, phase))


@assist_app.command(
    "advance",
    epilog=("Example: suffrage assist advance EA-2026-0001 --phase electoral"),
)
def advance(
    ctx: typer.Context, reference: RefArgument, *, phase: Annotated[Phase, typer.Option()]
) -> None:
    """under_way -> under_way in a later phase of the electoral cycle."""
    with acting(ctx) as (registry, actor):
        _moved(registry.advance(actor, reference, phase))


@assist_app.command(
    "close",
    epilog=("Example: suffrage assist close EA-2026-0001 --report-file final-report.txt"),
)
def close(
    ctx: typer.Context,
    reference: RefArgument,
    *,
    report_file: Annotated[Path, typer.Option(metavar="FILE", help="The final report (text).")],
) -> None:
    """under_way, or decided (declined) -> closed, with the final report."""
    with acting(ctx) as (registry, actor):
        report = read_regular(report_file, follow=True).decode("utf-8")
        _moved(registry.close(actor, reference, report))


# -- activities --------------------------------------------------------------------------


def _overlap_lines(found: list[Overlap]) -> None:
    for overlap in found:
        typer.echo(f"warning: overlap (A/RES/74/158 para. 18): {overlap.describe()}", err=True)


@activity_app.command(
    "add",
    epilog=(
        "Example: suffrage assist activity add --entity UNDP --country NPL --phase "
        "pre_electoral --kind technical_assistance --starts 2026-06-01 --ends "
        "2026-12-31 --title 'Voter register update' --request EA-2026-0001"
    ),
)
def activity_add(
    ctx: typer.Context,
    *,
    entity: Annotated[Entity, typer.Option()],
    country: Annotated[str, typer.Option(metavar="ISO3")],
    phase: Annotated[Phase, typer.Option()],
    kind: Annotated[Kind, typer.Option()],
    starts: Annotated[str, typer.Option(metavar="YYYY-MM-DD")],
    ends: Annotated[str, typer.Option(metavar="YYYY-MM-DD")],
    title: Annotated[str, typer.Option()],
    request: Annotated[
        str | None, typer.Option(metavar="REFERENCE", help="The request it carries out.")
    ] = None,
) -> None:
    """Record an activity; warns of overlaps with other entities' activities."""
    with acting(ctx) as (registry, actor):
        activity = Activity(
            entity=entity,
            country=country,
            phase=phase,
            kind=kind,
            starts=parse_date("starts", starts),
            ends=parse_date("ends", ends),
            title=title,
        )
        made, found = registry.add_activity(actor, activity, request)
    typer.echo(f"activity {made.activity_id} recorded")
    _overlap_lines(found)


@activity_app.command(
    "list",
    epilog=("Example: suffrage assist activity list --country NPL"),
)
def activity_list(
    ctx: typer.Context, country: Annotated[str | None, typer.Option(metavar="ISO3")] = None
) -> None:
    """Every entity's activities, and the overlaps among them."""
    with acting(ctx) as (registry, actor):
        found, pairs = registry.list_activities(actor, country)
    for a in found:
        typer.echo(
            f"{a.activity_id}  {a.entity.value}  {a.country}  {a.phase.value}  {a.kind.value}  "
            f"{a.starts} to {a.ends}  {a.title}"
        )
    _overlap_lines(pairs)


# -- the roster --------------------------------------------------------------------------


def _window(text: str) -> tuple[date, date]:
    first, _, last = text.partition(":")
    return parse_date("--available", first), parse_date("--available", last)


@expert_app.command(
    "add",
    epilog=(
        "Example: suffrage assist expert add 'A. Expert' --skill 'voter registration' "
        "--language fr --language en --region africa --available 2026-01-01:2026-06-30 "
        "--joined 2025-03-01 --gender woman"
    ),
)
def expert_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    *,
    skill: Annotated[list[str], typer.Option(help="Repeat.")],
    language: Annotated[list[str], typer.Option(help="ISO 639 code (repeat).")],
    region: Annotated[list[Region], typer.Option(help="Repeat.")],
    available: Annotated[list[str], typer.Option(metavar="START:END", help="Repeat.")],
    joined: Annotated[str, typer.Option(metavar="YYYY-MM-DD")],
    gender: Annotated[str | None, typer.Option(help="Voluntary self-description.")] = None,
    disability: Annotated[str | None, typer.Option(help="Voluntary self-description.")] = None,
) -> None:
    """Add an expert to the roster."""
    with acting(ctx) as (registry, actor):
        expert = Expert(
            name=name,
            skills=tuple(skill),
            languages=tuple(language),
            regions=tuple(region),
            availability=tuple(map(_window, available)),
            joined_on=parse_date("joined", joined),
            gender=gender,
            disability=disability,
        )
        made = registry.add_expert(actor, expert)
    typer.echo(f"expert {made.expert_id} added")


@expert_app.command(
    "search",
    epilog=("Example: suffrage assist expert search --skill 'voter registration' --language fr"),
)
def expert_search(
    ctx: typer.Context,
    *,
    skill: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str | None, typer.Option()] = None,
    region: Annotated[Region | None, typer.Option()] = None,
) -> None:
    """Experts with a skill, language or region (each read is logged)."""
    with acting(ctx) as (registry, actor):
        found = registry.search_experts(
            actor, skill=skill, language=language, region=region.value if region else None
        )
    for e in found:
        typer.echo(
            f"{e.expert_id}  {e.name}  skills: {', '.join(e.skills)}; languages: "
            f"{', '.join(e.languages)}; regions: {', '.join(r.value for r in e.regions)}"
        )
    typer.echo(f"{len(found)} found (this read is logged)")


@expert_app.command(
    "match",
    epilog=(
        "Example: suffrage assist expert match --purpose EA-2026-0001 --skill 'voter "
        "registration' --language ne --region asia_pacific --starts 2026-07-01 --ends "
        "2026-09-30"
    ),
)
def expert_match(
    ctx: typer.Context,
    *,
    purpose: Annotated[str, typer.Option(help="What for: a request reference or an activity.")],
    skill: Annotated[list[str], typer.Option(help="Repeat.")],
    language: Annotated[list[str] | None, typer.Option(help="Repeat.")] = None,
    region: Annotated[Region | None, typer.Option()] = None,
    starts: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD")] = None,
    ends: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD")] = None,
) -> None:
    """Experts matched to a need, best first, each with the reasons of its match."""
    with acting(ctx) as (registry, actor):
        window = None
        if starts and ends:
            window = (parse_date("starts", starts), parse_date("ends", ends))
        need = Need(
            skills=tuple(skill), languages=tuple(language or ()), region=region, window=window
        )
        found = registry.match_experts(actor, need, purpose)
    for rank, m in enumerate(found, 1):
        typer.echo(f"{rank}. {m.expert.name} (score {m.score}): {'; '.join(m.reasons)}")
    typer.echo(f"{len(found)} matched (this read is logged)")


@expert_app.command(
    "access-log", epilog="Example: suffrage assist expert access-log (focal point, EAD staff)"
)
def expert_access_log(ctx: typer.Context) -> None:
    """Every read of experts' personal data: when, who, which expert, what was asked."""
    with acting(ctx) as (registry, actor):
        rows = registry.access_log(actor)
    for row in rows:
        typer.echo(f"{row['at']}  {row['actor']}  expert {row['expert_id']}  {row['what']}")
    typer.echo(f"{len(rows)} read{'s' if len(rows) != 1 else ''} logged")


@roster_app.command(
    "figures",
    epilog=(
        "Example: suffrage assist roster figures --at 2025-01-01 --at 2026-01-01 "
        "(anyone, no user needed)"
    ),
)
def roster_figures(
    ctx: typer.Context,
    *,
    at: Annotated[
        list[str] | None, typer.Option(metavar="YYYY-MM-DD", help="Repeat for a series.")
    ] = None,
) -> None:
    """The roster's size and self-described diversity at each date; groups under 5 hidden."""
    with acting(ctx) as (registry, actor):
        dates = [parse_date("--at", d) for d in at] if at else [date.today()]
        series = [registry.roster_figures(actor, d) for d in dates]
    for f in series:
        typer.echo(f"{f.at}: {f.total} experts")
        for dimension, groups in f.by_dimension.items():
            shown = ", ".join(
                f"{g if g != NOT_STATED else 'not stated'}: {'fewer than 5' if n is None else n}"
                for g, n in groups.items()
            )
            typer.echo(f"  {dimension}: {shown}")


@history_app.command(
    "check",
    epilog=(
        "Example: suffrage assist history check --anchor "
        "42:3f0c...e1 (the anchor a check printed earlier)"
    ),
)
def history_check(
    ctx: typer.Context,
    anchor: Annotated[
        str | None,
        typer.Option(
            help="N:HASH, an entry noted earlier (a check prints the last one): it must still "
            "be there with that hash, which finds removed last entries"
        ),
    ] = None,
) -> None:
    """Walk the hash chain; exit 1 naming the first entry whose hash or link is wrong."""
    noted = None if anchor is None else _anchor(anchor)
    with acting(ctx) as (registry, actor):
        try:
            count = registry.check_history(actor, noted)
            number, head = registry.history_head(actor)
        except HistoryBroken as exc:
            typer.echo(f"history BROKEN at entry {exc.sequence}: {exc.reason}", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"history intact: {count} entries, each chained to the one before")
    if noted is not None:
        typer.echo(f"anchor {noted[0]}:{noted[1].hex()} found")
    typer.echo("anchor to note outside the registry:")  # N:HASH alone fits 80 columns
    typer.echo(f"  {number}:{head.hex()}")


def _anchor(text: str) -> tuple[int, bytes]:
    """``N:HASH`` (HASH: 64 hex digits), refused plainly otherwise."""
    number, _, digest = text.partition(":")
    hexadecimal = len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)
    if not number.isascii() or not number.isdigit() or not hexadecimal:
        raise typer.BadParameter(
            f"{text!r}: expected N:HASH, an entry number and its 64 lower-case hex digits",
            param_hint="--anchor",
        )
    return int(number), bytes.fromhex(digest)
