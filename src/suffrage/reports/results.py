"""The results of an election as people read them: names, shares, blanks, turnout, rules, lots.

:func:`load_results` reads a finished record with the strict record readers and builds an
:class:`ElectionResults`: plain frozen data that every renderer (table, CSV, JSON, HTML, PDF,
NIST) takes, so the formats cannot disagree. Figures are exact (``int`` and ``Fraction``);
the renderers choose how to write them. Nothing here checks the record's proofs: that is
``suffrage verify``; a report says so and shows how.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from suffrage.counting._common import Result
from suffrage.counting.simple import referendum_tests
from suffrage.errors import InvalidInput, quote
from suffrage.protocol.manifest import Contest, ContestKind, Manifest
from suffrage.protocol.results import contest_count, ranked_count, seed_of
from suffrage.protocol.turnout import Turnout
from suffrage.record.files import read_record
from suffrage.record.ranked import ranked_name, read_ranked

__all__ = [
    "ContestResults",
    "DrawnLot",
    "ElectionResults",
    "OptionLine",
    "Rule",
    "load_results",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class OptionLine:
    """One candidate, answer or list: its votes, its share of ``share_base`` and its seats."""

    option_id: str
    name: str
    party: str | None
    votes: int
    share: Fraction | None
    elected: bool
    seats: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """A figure the law sets: ``threshold`` (a list needs ``share`` of the valid votes to take
    part in the allocation), ``majority`` (yes needs ``share`` of yes + no; ``strict``: more
    than it) or ``quorum`` (``share`` of the electorate must take part). ``figure`` is
    ``share`` applied to ``base`` (so in votes or ballots); ``met`` whether the outcome met it
    (``None`` where the rule applies to each list rather than to the contest)."""

    kind: str
    share: Fraction
    base: int
    figure: Fraction
    strict: bool = False
    actual: int | None = None
    met: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawnLot:
    """A tie broken by lot: what was drawn (``purpose``, as the method words it), between
    whom (names), who was chosen, and the seed anyone can redraw it with
    (spec/protocol.md#17, spec/counting.md#lots)."""

    purpose: str
    between: tuple[str, ...]
    chosen: str
    seed: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ContestResults:
    """One contest as published.

    ``valid_votes`` are the votes given to options. ``blank`` depends on the kind
    (``blank_kind``): ``ballots`` (ballots without a mark: ballots - votes, vote for one and
    lists; ballots - yes - no, referendums), ``marks`` (unused marks: N x ballots - votes,
    vote for up to N) or ``None`` where the record cannot tell (approval, any number).
    ``share_base`` is what the shares are of: ``valid_votes`` or, for approval, ``ballots``.
    ``count`` is the whole counting result, with its audit trail. For a ranked contest the
    votes are first preferences, ``blank`` the rankings that name no one, ``method`` the
    count's (``irv``, ``stv-meek``, ...) and ``count`` is recounted from the decrypted
    rankings of the record (spec/protocol.md#19.5).
    """

    contest_id: str
    title: str
    kind: ContestKind
    method: str | None
    seats: int
    votes_allowed: int | None
    ballots: int
    valid_votes: int
    blank: int | None
    blank_kind: str | None
    share_base: str
    options: tuple[OptionLine, ...]
    rules: tuple[Rule, ...]
    lots: tuple[DrawnLot, ...]
    outcome: tuple[str, ...]
    count: Result

    @property
    def is_party_list(self) -> bool:
        return self.kind is ContestKind.PARTY_LIST

    @property
    def is_ranked(self) -> bool:
        return self.kind is ContestKind.RANKED


@dataclass(frozen=True, slots=True, kw_only=True)
class ElectionResults:
    """A finished election as published: every contest, turnout and turnout by group.

    ``eligible`` is the number of credentials (one per voter on the roll), ``counted`` the
    ballots counted (the last one cast per credential), ``entries`` every ballot on the board
    (re-votes and spoiled ballots included). ``invalid`` is always 0: the board refuses a
    ballot whose proofs fail before it is cast, so no invalid ballot is ever counted.
    """

    election_id: str
    title: str
    start: str
    end: str
    language: str
    languages: tuple[str, ...]
    base_hash: str
    eligible: int
    counted: int
    entries: int
    closed_at: str
    contests: tuple[ContestResults, ...]
    groups: Turnout | None
    invalid: int = 0

    @property
    def turnout(self) -> Fraction | None:
        """Counted ballots over eligible credentials (``None`` with no credentials)."""
        return Fraction(self.counted, self.eligible) if self.eligible else None


def load_results(record: str | os.PathLike[str], *, language: str | None = None) -> ElectionResults:
    """The results of the record in directory ``record``, names in ``language`` (default:
    the manifest's first). Refuses (InvalidInput naming what is missing or wrong) a path that
    is not a directory, a directory that is not a record, or a record without its results."""
    directory = Path(record)
    _require_record(directory)
    raw = read_record(directory)
    if raw.problems:
        first = raw.problems[0]
        more = f" (and {len(raw.problems) - 1} more problems)" if len(raw.problems) > 1 else ""
        raise InvalidInput(str(directory), f"{first.where}: {first.reason}{more}")
    manifest, election, tally = raw.manifest, raw.election, raw.tally
    if manifest is None or election is None or tally is None or raw.results is None:
        raise InvalidInput(str(directory), "the record is incomplete (run suffrage verify)")
    lang = _language(manifest, language)
    base_hash: bytes = election["base_hash"]
    contests = tuple(
        _contest(
            c,
            raw.results[c.contest_id],
            lang,
            base_hash,
            len(raw.credentials),
            rankings=() if c.is_homomorphic else _rankings(directory, c),
        )
        for c in manifest.contests
        if c.contest_id in raw.results
    )
    return ElectionResults(
        election_id=manifest.election_id,
        title=manifest.title[lang],
        start=manifest.start,
        end=manifest.end,
        language=lang,
        languages=manifest.languages,
        base_hash=base_hash.hex(),
        eligible=len(raw.credentials),
        counted=tally.counted,
        entries=tally.entries,
        closed_at=tally.closed_at,
        contests=contests,
        groups=raw.turnout,
    )


def _require_record(directory: Path) -> None:
    """Say what ``directory`` is when it is not a finished record."""
    where = str(directory)
    if not directory.is_dir():
        raise InvalidInput(where, "is not a directory: give the directory of an election record")
    if (directory / "board.db").exists():
        raise InvalidInput(
            where,
            "is an election directory, not its record: publish the record with "
            "`suffrage election publish` and give that directory",
        )
    if not (directory / "manifest.json").is_file():
        raise InvalidInput(where, "is not an election record: it has no manifest.json")
    missing = [
        n for n in ("election.json", "tally.json", "results.json") if not (directory / n).is_file()
    ]
    if missing:
        raise InvalidInput(
            where,
            f"has no {', '.join(missing)}: the election is not counted yet, or this is not "
            "its published record",
        )


def _rankings(directory: Path, contest: Contest) -> tuple[tuple[int, ...], ...]:
    """A ranked contest's decrypted rankings (``ranked-C.jsonl``); none when no counted
    ballot held the contest (then the record has no such file, spec/protocol.md#19.6)."""
    path = directory / ranked_name(contest.contest_id)
    return read_ranked(path, contest) if os.path.lexists(path) else ()


def _language(manifest: Manifest, language: str | None) -> str:
    if language is None:
        return manifest.languages[0]
    if language not in manifest.languages:
        raise InvalidInput(
            "--language",
            f"{quote(language)} is not a language of this election "
            f"({', '.join(manifest.languages)})",
        )
    return language


def _contest(
    contest: Contest,
    published: dict[str, Any],
    lang: str,
    base_hash: bytes,
    electorate: int,
    *,
    rankings: tuple[tuple[int, ...], ...],
) -> ContestResults:
    where = f"results.json.results.{contest.contest_id}"
    try:
        ballots = int(published["ballots"])
        votes = {o.option_id: int(published["counts"][o.option_id]) for o in contest.options}
        seats = {str(k): int(v) for k, v in published["seats"].items()}
        elected = tuple(str(e) for e in published["elected"])
        lots = tuple(str(x) for x in published["lots"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInput(where, f"lacks or garbles {exc}") from None
    seed = seed_of(base_hash, contest.contest_id)
    count = (
        contest_count(contest, votes, ballots, seed=seed, electorate=electorate)
        if contest.is_homomorphic
        else ranked_count(contest, rankings, seed=seed)
    )
    names = {o.option_id: o.name[lang] for o in contest.options}
    valid = sum(votes.values())
    blank, blank_kind = _blank(contest, ballots, valid)
    base = ballots if contest.kind is ContestKind.APPROVAL else valid
    lines = tuple(
        OptionLine(
            option_id=o.option_id,
            name=names[o.option_id],
            party=o.party[lang] if o.party is not None else None,
            votes=votes[o.option_id],
            share=Fraction(votes[o.option_id], base) if base else None,
            elected=o.option_id in elected,
            seats=seats.get(o.option_id, 0),
        )
        for o in contest.options
    )
    return ContestResults(
        contest_id=contest.contest_id,
        title=contest.title[lang],
        kind=contest.kind,
        method=count.method
        if not contest.is_homomorphic
        else str(contest.method)
        if contest.method is not None
        else None,
        seats=contest.seats or 1,
        votes_allowed=contest.votes_allowed,
        ballots=ballots,
        valid_votes=valid,
        blank=blank,
        blank_kind=blank_kind,
        share_base="ballots" if contest.kind is ContestKind.APPROVAL else "valid_votes",
        options=lines,
        rules=_rules(contest, votes, ballots, electorate),
        lots=tuple(_lot(text, names, seed) for text in lots),
        outcome=elected,
        count=count,
    )


def _blank(contest: Contest, ballots: int, valid: int) -> tuple[int | None, str | None]:
    if contest.kind is ContestKind.APPROVAL:
        return None, None
    allowed = contest.votes_allowed or 1
    if contest.kind is ContestKind.PLURALITY and allowed > 1:
        return allowed * ballots - valid, "marks"
    return ballots - valid, "ballots"


def _rules(
    contest: Contest, votes: dict[str, int], ballots: int, electorate: int
) -> tuple[Rule, ...]:
    valid = sum(votes.values())
    if contest.kind is ContestKind.PARTY_LIST and contest.threshold:
        t = contest.threshold
        return (Rule(kind="threshold", share=t, base=valid, figure=t * valid),)
    if contest.kind is not ContestKind.REFERENDUM:
        return ()
    need = contest.supermajority or Fraction(1, 2)
    strict = contest.supermajority is None
    yes = votes.get("yes", 0)
    met = (
        {
            kind: ok
            for kind, _, ok in referendum_tests(
                yes,
                votes.get("no", 0),
                turnout=ballots,
                need=need,
                strict=strict,
                electorate=electorate,
                quorums=(contest.quorum, None),
            )
        }
        if valid > 0
        else {}
    )
    rules = [
        Rule(
            kind="majority",
            share=need,
            base=valid,
            figure=need * valid,
            strict=strict,
            actual=yes,
            met=met.get("majority", False),
        )
    ]
    if contest.quorum is not None:
        q = contest.quorum
        rules.append(
            Rule(
                kind="quorum",
                share=q,
                base=electorate,
                figure=q * electorate,
                actual=ballots,
                met=met.get("turnout-quorum", False),
            )
        )
    return tuple(rules)


_LOT = re.compile(r"^(?P<purpose>.*): lot among (?P<among>.*) chose (?P<chosen>.*)$")


def _lot(text: str, names: dict[str, str], seed: int) -> DrawnLot:
    """A lot as the counting method recorded it (``purpose: lot among a, b chose a``,
    spec/counting.md#lots), with option ids turned into names."""
    match = _LOT.match(text)
    if match is None:
        return DrawnLot(purpose=text, between=(), chosen="", seed=seed)
    among = tuple(names.get(i, i) for i in match["among"].split(", "))
    chosen = match["chosen"]
    return DrawnLot(
        purpose=match["purpose"], between=among, chosen=names.get(chosen, chosen), seed=seed
    )
