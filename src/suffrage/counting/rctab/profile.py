"""A NIST CDF cast-vote-record report (JSON or XML, as RCTab reads and writes it) counted by
any ranked method of ``suffrage count`` (spec/counting.md#cdf-profile).

The report's own candidates are the candidates: no RCTab configuration is needed. The contest
is the one named by ``--contest``, or the report's only contest. Each record becomes a ranked
ballot with its ranks as marked: a skipped rank stays empty, several names at one rank stay an
overvote (or an equal ranking) for the method's ballot rules, and a selection carrying the
report's overvote stands for every candidate at that rank, as a CVR ``overvote`` cell does.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from suffrage.counting.ballots import Profile, RankedBallot, make_ballot
from suffrage.counting.rctab.model import OVERVOTE, Candidate, Cvr, CvrSource
from suffrage.counting.rctab.sources import cdf, cdf_xml, read_source
from suffrage.counting.rctab.sources._common import json_at, load_json, load_xml
from suffrage.errors import InvalidBallotData, quote

__all__ = ["cdf_contests", "cdf_profile", "profile_of"]


def cdf_contests(path: Path) -> list[str]:
    """The names of the contests a CDF report declares, in its order."""
    file = path.name
    names: list[str] = []
    if path.suffix.lower() == ".xml":
        root = load_xml(path)
        for election in root.findall("Election"):
            for contest in election.findall("Contest"):
                name = contest.findtext("Name")
                if name:
                    names.append(name)
        return names
    report = json_at(load_json(path), "$", dict, file)
    for e, election in enumerate(json_at(report.get("Election"), "Election", list, file)):
        json_at(election, f"Election[{e}]", dict, file)
        contests = json_at(election.get("Contest"), f"Election[{e}].Contest", list, file)
        for c, contest in enumerate(contests):
            json_at(contest, f"Election[{e}].Contest[{c}]", dict, file)
            if isinstance(contest.get("Name"), str):
                names.append(contest["Name"])
    return names


def cdf_profile(path: Path, contest: str | None = None) -> Profile:
    """The ballots of ``contest`` in the CDF report ``path`` (its only contest if ``None``)."""
    if contest is None:
        found = cdf_contests(path)
        if len(found) != 1:
            listed = ", ".join(quote(n) for n in found) or "none"
            raise InvalidBallotData(
                path.name,
                f"expected one contest, or --contest naming one; the report declares {listed}",
            )
        contest = found[0]
    source = CvrSource(provider="cdf", path=path, contest_id=contest)
    names = _selection_names(source)
    records = read_source(source, tuple(Candidate(name=n) for n in names))
    return profile_of(records, candidates=tuple(names), title=contest)


def _selection_names(source: CvrSource) -> list[str]:
    """The contest's candidates as the report names them, in its order, without duplicates
    and without the overvote selection."""
    found: Any
    if source.path.suffix.lower() == ".xml":
        root: ET.Element = load_xml(source.path)
        found = cdf_xml.read_contest(root, source)
    else:
        report = json_at(load_json(source.path), "$", dict, source.path.name)
        found = cdf.read_contest(report, source)
    names: list[str] = []
    for name in found.selections.values():
        if name != OVERVOTE and name not in names:
            names.append(name)
    return names


def profile_of(records: list[Cvr], *, candidates: tuple[str, ...], title: str) -> Profile:
    """The ranked ballots of ``records``: rank r of a ballot holds the names marked at r."""
    index = {name: i for i, name in enumerate(candidates)}
    everyone = tuple(range(len(candidates)))
    ballots: list[RankedBallot] = []
    for record in records:
        last = record.rankings[-1][0] if record.rankings else 0
        ranks: list[tuple[int, ...]] = [() for _ in range(last)]
        for rank, marked in record.rankings:
            if OVERVOTE in marked:
                ranks[rank - 1] = everyone
                continue
            try:
                ranks[rank - 1] = tuple(index[name] for name in marked)
            except KeyError as exc:
                raise InvalidBallotData(
                    record.id, f"marks {quote(exc.args[0])}, not a candidate of the contest"
                ) from None
        ballots.append(make_ballot(ranks))
    return Profile(candidates=candidates, ballots=tuple(ballots), title=title)
