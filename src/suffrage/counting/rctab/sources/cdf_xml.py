"""NIST SP 1500-103 cast-vote-record reports in XML, as Unisyn writes them and RCTab reads
them (spec/counting.md#rctab-cast-vote-record-providers); the steps are those of
:mod:`.cdf`, with XML elements in place of JSON members (``ObjectId`` attributes for ``@id``).

Messages name the element by its path from the root, e.g. ``CVR[3]/CVRSnapshot[0]``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from suffrage.counting.rctab.model import UNDECLARED_WRITE_IN, Candidate, Cvr, CvrSource
from suffrage.counting.rctab.sources._common import Names, load_xml
from suffrage.counting.rctab.sources.cdf import (
    Contest,
    contest_name,
    new_record,
    rank_of,
    selection_name,
    unique,
)
from suffrage.errors import InvalidBallotData, quote

__all__ = ["read_cdf_xml", "read_contest"]

_REQUIRED = ("GpUnit", "CVR", "Election")
_ADJUDICATE = "needs-adjudication"  # a selection with this Status is not counted


def read_cdf_xml(source: CvrSource, candidates: Sequence[Candidate]) -> list[Cvr]:
    """Read a CDF report in XML."""
    file = source.path.name
    root = load_xml(source.path)
    if root.tag != "CastVoteRecordReport":
        raise InvalidBallotData(
            f"{file}: {root.tag}", "expected the root element CastVoteRecordReport"
        )
    missing = [tag for tag in _REQUIRED if root.find(tag) is None]
    if missing:
        raise InvalidBallotData(
            f"{file}: CastVoteRecordReport", f"expected {', '.join(missing)} elements"
        )
    names = Names(file, candidates)
    units = _units(root, file)
    contest = read_contest(root, source)
    records: list[Cvr] = []
    for number, cvr in enumerate(root.findall("CVR")):
        path = f"CVR[{number}]"
        found = _cvr_contest(cvr, contest.object_id, path)
        if found is None:
            continue
        marks = [
            (rank, names.resolve(name, f"{file}: {at}"))
            for rank, name, at in _marks(found[0], contest, found[1], file)
        ]
        unit = _text(cvr, "BallotStyleUnitId")
        precinct = None
        if unit is not None:
            if unit not in units:
                raise InvalidBallotData(
                    f"{file}: {path}/BallotStyleUnitId",
                    f"expected the ObjectId of a GpUnit, got {quote(unit)}",
                )
            precinct = units[unit]
        records.append(
            new_record(
                source,
                index=len(records) + 1,
                supplied_id=_text(cvr, "UniqueId"),
                precinct=precinct,
                batch=_text(cvr, "BatchSequenceId"),
                marks=marks,
                spellings=names.take_spellings(),
            )
        )
    names.check()
    return records


def _text(element: ET.Element, tag: str) -> str | None:
    child = element.find(tag)
    return None if child is None else (child.text or "")


def _object_id(element: ET.Element, path: str, file: str) -> str:
    value = element.get("ObjectId")
    if value is None:
        raise InvalidBallotData(f"{file}: {path}", "expected an ObjectId attribute")
    return value


def _units(root: ET.Element, file: str) -> dict[str, str | None]:
    units: dict[str, str | None] = {}
    for number, unit in enumerate(root.findall("GpUnit")):
        path = f"GpUnit[{number}]"
        unique(
            units, _object_id(unit, path, file), _text(unit, "Name"), f"{file}: {path}", "GpUnit"
        )
    return units


def read_contest(root: ET.Element, source: CvrSource) -> Contest:
    file = source.path.name
    wanted = contest_name(source)
    people: dict[str, str | None] = {}
    found: tuple[ET.Element, str] | None = None
    for e, election in enumerate(root.findall("Election")):
        for c, person in enumerate(election.findall("Candidate")):
            path = f"Election[{e}]/Candidate[{c}]"
            name = _text(person, "Name")
            unique(people, _object_id(person, path, file), name, f"{file}: {path}", "Candidate")
        for c, contest in enumerate(election.findall("Contest")):
            if found is None and _text(contest, "Name") == wanted:
                found = (contest, f"Election[{e}]/Contest[{c}]")
    if found is None:
        raise InvalidBallotData(
            f"{file}: Election/Contest", f"no contest has the Name {quote(wanted)} (contestId)"
        )
    element, path = found
    result = Contest(object_id=_object_id(element, path, file))
    for s, choice in enumerate(element.findall("ContestSelection")):
        where = f"{path}/ContestSelection[{s}]"
        name = selection_name(
            is_write_in=_text(choice, "IsWriteIn") == "true",
            candidate_ids=[c.text or "" for c in choice.findall("CandidateIds")],
            candidates=people,
            source=source,
            where=f"{file}: {where}",
        )
        unique(
            result.selections,
            _object_id(choice, where, file),
            name,
            f"{file}: {where}",
            "ContestSelection",
        )
    return result


def _cvr_contest(cvr: ET.Element, contest_id: str, path: str) -> tuple[ET.Element, str] | None:
    current = _text(cvr, "CurrentSnapshotId")
    for s, snapshot in enumerate(cvr.findall("CVRSnapshot")):
        if snapshot.get("ObjectId") != current:
            continue
        for c, contest in enumerate(snapshot.findall("CVRContest")):
            if _text(contest, "ContestId") == contest_id:
                return contest, f"{path}/CVRSnapshot[{s}]/CVRContest[{c}]"
        return None
    return None  # RCTab skips a CVR whose current snapshot is not there


def _marks(
    selected: ET.Element, contest: Contest, path: str, file: str
) -> list[tuple[int, str, str]]:
    """Each mark of a CVRContest: its rank, the name as the report spells it, its path."""
    marks: list[tuple[int, str, str]] = []
    for s, choice in enumerate(selected.findall("CVRContestSelection")):
        where = f"{path}/CVRContestSelection[{s}]"
        if _text(choice, "Status") == _ADJUDICATE:
            continue
        chosen = _text(choice, "ContestSelectionId")
        name = contest.selections.get(chosen) if chosen is not None else None
        if name is None:
            raise InvalidBallotData(
                f"{file}: {where}/ContestSelectionId",
                f"expected the ObjectId of a ContestSelection of the contest, got {quote(chosen)}",
            )
        rank = _text(choice, "Rank")
        if rank is not None:
            marks.append((rank_of(rank, f"{file}: {where}/Rank"), name, where))
            continue
        for p, position in enumerate(choice.findall("SelectionPosition")):
            at = f"{where}/SelectionPosition[{p}]"
            if position.find("CVRWriteIn") is not None:
                name = UNDECLARED_WRITE_IN
            if "no" in (_text(position, "HasIndication"), _text(position, "IsAllocable")):
                continue
            marks.append((rank_of(_text(position, "Rank"), f"{file}: {at}/Rank"), name, at))
    return marks
