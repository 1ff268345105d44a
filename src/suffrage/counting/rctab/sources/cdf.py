"""NIST SP 1500-103 cast-vote-record reports (CDF), in JSON, as RCTab reads them (its
CommonDataFormatReader; spec/counting.md#rctab-cast-vote-record-providers). The XML form
(Unisyn's) is read by :mod:`.cdf_xml` into the same steps.

The contest is the one whose ``Name`` is the source's ``contestId``; each ``CVR`` whose current
snapshot holds that contest is one record; each ``CVRContestSelection`` names a contest
selection, whose first candidate (or the undeclared write-in, for a write-in selection) is
marked at the selection's ``Rank``, or at the ``Rank`` of each of its ``SelectionPosition``
entries that has an indication and is allocable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from suffrage.counting.rctab.model import OVERVOTE, UNDECLARED_WRITE_IN, Candidate, Cvr, CvrSource
from suffrage.counting.rctab.sources._common import Names, json_at, load_json, rankings_of
from suffrage.errors import InvalidBallotData, quote

__all__ = [
    "Contest",
    "new_record",
    "read_cdf",
    "read_cdf_json",
    "read_contest",
    "selection_name",
    "unique",
]


@dataclass(slots=True)
class Contest:
    """What a report says about the contest to count: its object id and, per contest
    selection id, the name it stands for (already resolved)."""

    object_id: str
    selections: dict[str, str] = field(default_factory=dict)


def read_cdf(
    source: CvrSource, candidates: Sequence[Candidate], max_rankings: int | None = None
) -> list[Cvr]:
    """Read a CDF report, JSON or XML by its file name's extension."""
    del max_rankings  # checked after reading, as for every provider
    name = source.path.name.lower()
    if name.endswith(".xml"):
        from suffrage.counting.rctab.sources.cdf_xml import read_cdf_xml

        return read_cdf_xml(source, candidates)
    if name.endswith(".json"):
        return read_cdf_json(source, candidates)
    raise InvalidBallotData(source.path.name, "expected a CDF file named .json or .xml")


def contest_name(source: CvrSource) -> str:
    """The source's ``contestId``, which a CDF source must give."""
    if not source.contest_id:
        raise InvalidBallotData(
            f"{source.path.name}: contestId", "expected the Name of the contest to count"
        )
    return source.contest_id


def unique(seen: dict[str, Any], key: str, value: Any, where: str, what: str) -> None:
    """Add ``key`` to ``seen``; a key seen before is refused, as RCTab refuses it."""
    if key in seen:
        raise InvalidBallotData(where, f"{what} {quote(key)} appears more than once")
    seen[key] = value


def selection_name(
    *,
    is_write_in: bool,
    candidate_ids: list[str],
    candidates: dict[str, str | None],
    source: CvrSource,
    where: str,
) -> str:
    """The name a contest selection stands for: the undeclared write-in, else its first
    candidate's name (the overvote label stands for an overvote), as the report spells it."""
    if is_write_in:
        return UNDECLARED_WRITE_IN
    if not candidate_ids:
        raise InvalidBallotData(where, "expected CandidateIds (a selection that is no write-in)")
    if candidate_ids[0] not in candidates:
        raise InvalidBallotData(
            where, f"candidate id {quote(candidate_ids[0])} is not a Candidate of the election"
        )
    name = candidates[candidate_ids[0]]
    if name is None:
        raise InvalidBallotData(where, f"Candidate {quote(candidate_ids[0])} has no Name")
    if source.overvote_label and name == source.overvote_label:
        return OVERVOTE
    return name


def rank_of(value: object, where: str) -> int:
    """A ``Rank``: a positive integer (a JSON integer, or XML text of digits)."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 9:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 10**9:
        raise InvalidBallotData(where, f"expected a positive integer Rank, got {quote(value)}")
    return value


def new_record(
    source: CvrSource,
    *,
    index: int,
    supplied_id: str | None,
    precinct: str | None,
    batch: str | None,
    marks: list[tuple[int, str]],
    spellings: tuple[tuple[str, str], ...] = (),
) -> Cvr:
    """Record ``index`` (1-based, among the records of the contest) of ``source``."""
    return Cvr(
        source=source.path.name,
        id=f"{source.path.name}({index})",
        supplied_id=supplied_id,
        precinct=precinct,
        batch=batch,
        rankings=rankings_of(marks),
        spellings=spellings,
    )


# --- JSON -------------------------------------------------------------------------------


def read_cdf_json(source: CvrSource, candidates: Sequence[Candidate]) -> list[Cvr]:
    """Read a CDF report in JSON."""
    file = source.path.name
    report = json_at(load_json(source.path), "$", dict, file)
    names = Names(file, candidates)
    units = _units(report, file)
    contest = read_contest(report, source)
    records: list[Cvr] = []
    cvrs = json_at(report.get("CVR"), "CVR", list, file)
    for number, cvr in enumerate(cvrs):
        path = f"CVR[{number}]"
        json_at(cvr, path, dict, file)
        chosen = _cvr_contest(cvr, contest.object_id, path, file)
        if chosen is None:
            continue  # this ballot does not hold the contest
        selected, where = chosen
        marks = [
            (rank, names.resolve(name, f"{file}: {at}"))
            for rank, name, at in _json_marks(selected, contest, where, file)
        ]
        precinct = _precinct(cvr, units, path, file)
        records.append(
            new_record(
                source,
                index=len(records) + 1,
                supplied_id=_text(
                    cvr.get("BallotPrePrintedId"), f"{path}.BallotPrePrintedId", file
                ),
                precinct=precinct,
                batch=_text(cvr.get("BatchSequenceId"), f"{path}.BatchSequenceId", file),
                marks=marks,
                spellings=names.take_spellings(),
            )
        )
    names.check()
    return records


def _text(value: object, path: str, file: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidBallotData(f"{file}: {path}", f"expected a string, got {quote(value)}")
    return str(value)


def _units(report: dict[str, Any], file: str) -> dict[str, str | None]:
    units: dict[str, str | None] = {}
    for number, unit in enumerate(json_at(report.get("GpUnit"), "GpUnit", list, file)):
        path = f"GpUnit[{number}]"
        json_at(unit, path, dict, file)
        key = json_at(unit.get("@id"), f"{path}.@id", str, file)
        name = _text(unit.get("Name"), f"{path}.Name", file)
        unique(units, key, name, f"{file}: {path}.@id", "GpUnit")
    return units


def read_contest(report: dict[str, Any], source: CvrSource) -> Contest:
    file = source.path.name
    wanted = contest_name(source)
    people: dict[str, str | None] = {}
    found: tuple[dict[str, Any], str] | None = None
    for e, election in enumerate(json_at(report.get("Election"), "Election", list, file)):
        path = f"Election[{e}]"
        json_at(election, path, dict, file)
        for c, person in enumerate(
            json_at(election.get("Candidate"), f"{path}.Candidate", list, file)
        ):
            where = f"{path}.Candidate[{c}]"
            json_at(person, where, dict, file)
            key = json_at(person.get("@id"), f"{where}.@id", str, file)
            name = _text(person.get("Name"), f"{where}.Name", file)
            unique(people, key, name, f"{file}: {where}.@id", "Candidate")
        for c, contest in enumerate(
            json_at(election.get("Contest"), f"{path}.Contest", list, file)
        ):
            where = f"{path}.Contest[{c}]"
            json_at(contest, where, dict, file)
            if found is None and contest.get("Name") == wanted:
                found = (contest, where)
    if found is None:
        raise InvalidBallotData(
            f"{file}: Election[*].Contest", f"no contest has the Name {quote(wanted)} (contestId)"
        )
    return _selections(found[0], found[1], people, source)


def _selections(
    contest: dict[str, Any], path: str, people: dict[str, str | None], source: CvrSource
) -> Contest:
    file = source.path.name
    result = Contest(object_id=json_at(contest.get("@id"), f"{path}.@id", str, file))
    choices = json_at(contest.get("ContestSelection"), f"{path}.ContestSelection", list, file)
    for s, choice in enumerate(choices):
        where = f"{path}.ContestSelection[{s}]"
        json_at(choice, where, dict, file)
        key = json_at(choice.get("@id"), f"{where}.@id", str, file)
        ids = choice.get("CandidateIds")
        ids = [] if ids is None else json_at(ids, f"{where}.CandidateIds", list, file)
        for i, value in enumerate(ids):
            json_at(value, f"{where}.CandidateIds[{i}]", str, file)
        name = selection_name(
            is_write_in=choice.get("IsWriteIn") in (True, "true"),
            candidate_ids=ids,
            candidates=people,
            source=source,
            where=f"{file}: {where}",
        )
        unique(result.selections, key, name, f"{file}: {where}.@id", "ContestSelection")
    return result


def _cvr_contest(
    cvr: dict[str, Any], contest_id: str, path: str, file: str
) -> tuple[dict[str, Any], str] | None:
    """The CVRContest of the contest in the CVR's current snapshot, with its JSON path."""
    current = json_at(cvr.get("CurrentSnapshotId"), f"{path}.CurrentSnapshotId", str, file)
    snapshots = json_at(cvr.get("CVRSnapshot"), f"{path}.CVRSnapshot", list, file)
    for s, snapshot in enumerate(snapshots):
        where = f"{path}.CVRSnapshot[{s}]"
        json_at(snapshot, where, dict, file)
        if snapshot.get("@id") != current:
            continue
        contests = json_at(snapshot.get("CVRContest"), f"{where}.CVRContest", list, file)
        for c, contest in enumerate(contests):
            json_at(contest, f"{where}.CVRContest[{c}]", dict, file)
            if contest.get("ContestId") == contest_id:
                return contest, f"{where}.CVRContest[{c}]"
        return None
    raise InvalidBallotData(
        f"{file}: {path}.CurrentSnapshotId", f"no CVRSnapshot has the @id {quote(current)}"
    )


def _json_marks(
    selected: dict[str, Any], contest: Contest, path: str, file: str
) -> list[tuple[int, str, str]]:
    """Each mark of a CVRContest: its rank, the name as the report spells it, its path."""
    marks: list[tuple[int, str, str]] = []
    key = "CVRContestSelection"
    for s, choice in enumerate(json_at(selected.get(key, []), f"{path}.{key}", list, file)):
        where = f"{path}.{key}[{s}]"
        json_at(choice, where, dict, file)
        chosen = choice.get("ContestSelectionId")
        name = contest.selections.get(chosen) if isinstance(chosen, str) else None
        if name is None:
            raise InvalidBallotData(
                f"{file}: {where}.ContestSelectionId",
                f"expected the @id of a ContestSelection of the contest, got {quote(chosen)}",
            )
        if "Rank" in choice:
            marks.append((rank_of(choice["Rank"], f"{file}: {where}.Rank"), name, where))
            continue
        positions = json_at(
            choice.get("SelectionPosition"), f"{where}.SelectionPosition", list, file
        )
        for p, position in enumerate(positions):
            at = f"{where}.SelectionPosition[{p}]"
            json_at(position, at, dict, file)
            if "CVRWriteIn" in position:
                name = UNDECLARED_WRITE_IN
            if position.get("HasIndication") == "no" or position.get("IsAllocable") == "no":
                continue
            marks.append((rank_of(position.get("Rank"), f"{file}: {at}.Rank"), name, at))
    return marks


def _precinct(
    cvr: dict[str, Any], units: dict[str, str | None], path: str, file: str
) -> str | None:
    unit = cvr.get("BallotStyleUnitId")
    if unit is None:
        return None
    if not isinstance(unit, str) or unit not in units:
        raise InvalidBallotData(
            f"{file}: {path}.BallotStyleUnitId", f"expected the @id of a GpUnit, got {quote(unit)}"
        )
    return units[unit]
