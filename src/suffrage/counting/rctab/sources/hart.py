"""Hart cast-vote records (a folder of XML files, one ballot each), as RCTab reads them (its
HartCvrReader; spec/counting.md#rctab-cast-vote-record-providers).

Each file whose name ends in ``xml`` (but not ``.sig.xml``), in name order, is one ballot; each
of its ``Contests/Contest`` elements whose ``Id`` is the source's ``contestId`` is one record.
An ``Option`` names a candidate by its ``Id`` (a code the configuration gives as an alias); its
``Value`` holds one character per rank, ``1`` where the option is marked.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from suffrage.counting.rctab.model import UNDECLARED_WRITE_IN, Candidate, Cvr, CvrSource
from suffrage.counting.rctab.sources._common import Names, load_xml, rankings_of
from suffrage.errors import InvalidBallotData

__all__ = ["read_hart"]


def read_hart(
    source: CvrSource, candidates: Sequence[Candidate], max_rankings: int | None = None
) -> list[Cvr]:
    """Read a Hart folder: the records of its files in file-name order."""
    del max_rankings  # checked after reading
    folder = source.path
    if not folder.is_dir():
        raise InvalidBallotData(str(folder), "expected a folder of Hart XML files")
    if not source.contest_id:
        raise InvalidBallotData(f"{folder.name}: contestId", "expected the contest's Id")
    names = Names(folder.name, candidates)
    files = sorted(
        p
        for p in folder.iterdir()
        if p.name.lower().endswith("xml") and not p.name.lower().endswith(".sig.xml")
    )
    records: list[Cvr] = []
    for path in files:
        records.extend(_read_file(path, source, names))
    names.check()
    return records


def _text(element: ET.Element, path: str) -> str | None:
    child = element.find(path)
    return None if child is None else (child.text or "")


def _read_file(path: Path, source: CvrSource, names: Names) -> list[Cvr]:
    file = path.name
    root = load_xml(path)
    found: list[Cvr] = []
    for c, contest in enumerate(root.findall("Contests/Contest")):
        if _text(contest, "Id") != source.contest_id:
            continue
        where = f"{file}: Contests/Contest[{c}]"
        marks: list[tuple[int, str]] = []
        for o, option in enumerate(contest.findall("Options/Option")):
            at = f"{where}/Options/Option[{o}]"
            code = _text(option, "Id")
            value = _text(option, "Value")
            if code is None or value is None:
                raise InvalidBallotData(at, "expected an Id and a Value element")
            name = (
                UNDECLARED_WRITE_IN
                if code == source.undeclared_write_in_label
                else names.resolve(code, at)
            )
            marks.extend((rank, name) for rank, flag in enumerate(value, start=1) if flag == "1")
        guid = _text(root, "CvrGuid")
        if guid is None:
            raise InvalidBallotData(f"{file}: Cvr", "expected a CvrGuid element")
        if root.find("PrecinctSplit") is None:
            raise InvalidBallotData(f"{file}: Cvr", "expected a PrecinctSplit element")
        found.append(
            Cvr(
                source=source.path.name,
                id=guid,
                supplied_id=guid,
                precinct=_text(root, "PrecinctSplit/Name"),
                precinct_portion=_text(root, "PrecinctSplit/Id"),
                batch=_text(root, "BatchNumber"),
                rankings=rankings_of(marks),
                spellings=names.take_spellings(),
            )
        )
    return found
