"""Dominion cast-vote-record exports (a folder of JSON files), as RCTab reads them (its
DominionCvrReader; spec/counting.md#rctab-cast-vote-record-providers).

The folder holds ``ContestManifest.json``, ``CandidateManifest.json``,
``PrecinctPortionManifest.json``, optionally ``PrecinctManifest.json``, and either one
``CvrExport.json`` or several ``CvrExport_<n>.json`` (read in the order of their paths). Each
session's current card data (``Original``, or ``Modified`` when the original is not current)
gives one record per card that holds the contest, unless the contest is outstacked there.
Candidates are named by their manifest ``Id``, a code the configuration gives as an alias.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from suffrage.counting.rctab.model import UNDECLARED_WRITE_IN, Candidate, Cvr, CvrSource
from suffrage.counting.rctab.sources._common import Names, json_at, load_json, rankings_of
from suffrage.errors import InvalidBallotData, quote

__all__ = ["read_dominion"]

_EXPORT = "CvrExport.json"
_EXPORT_PART = re.compile(r"CvrExport_\d+\.json")
_OUTSTACKED = 7  # the outstack condition that excludes the contest from a card


def read_dominion(
    source: CvrSource, candidates: Sequence[Candidate], max_rankings: int | None = None
) -> list[Cvr]:
    """Read a Dominion export folder into records in the order of its files and sessions."""
    del max_rankings  # checked after reading
    folder = source.path
    if not folder.is_dir():
        raise InvalidBallotData(str(folder), "expected a Dominion export folder")
    if not source.contest_id:
        raise InvalidBallotData(f"{folder.name}: contestId", "expected the contest's Id")
    reader = _Reader(source, Names(folder.name, candidates))
    for path in _exports(folder):
        reader.read_export(path)
    reader.names.check()
    reader.check_contest_candidates()
    if not reader.records:
        raise InvalidBallotData(
            folder.name, f"no cast vote record holds contest {quote(source.contest_id)}"
        )
    return reader.records


def _exports(folder: Path) -> list[Path]:
    single = folder / _EXPORT
    if single.is_file():
        return [single]
    parts = sorted((p for p in folder.iterdir() if _EXPORT_PART.fullmatch(p.name)), key=str)
    if not parts:
        raise InvalidBallotData(
            folder.name, f"expected {_EXPORT} or CvrExport_<n>.json files: none found"
        )
    return parts


def _get(value: dict[str, Any], key: str, kind: Any, path: str, file: str) -> Any:
    return json_at(value.get(key), f"{path}.{key}", kind, file)


def _manifest(folder: Path, name: str) -> list[tuple[str, dict[str, Any]]]:
    """The entries of a manifest's ``List``, each with its JSON path."""
    path = folder / name
    if not path.is_file():
        raise InvalidBallotData(f"{folder.name}/{name}", "expected this manifest: not found")
    document = json_at(load_json(path), "$", dict, name)
    entries = _get(document, "List", list, "$", name)
    return [(f"List[{i}]", json_at(e, f"List[{i}]", dict, name)) for i, e in enumerate(entries)]


def _id(value: object, path: str, file: str) -> str:
    """An ``Id``: an integer or a string, compared as text (as RCTab compares it)."""
    return str(json_at(value, path, (int, str), file))


class _Reader:
    """The manifests of one export folder and the records read so far."""

    def __init__(self, source: CvrSource, names: Names) -> None:
        folder = source.path
        self.source = source
        self.contest = str(source.contest_id)
        self.names = names
        self.records: list[Cvr] = []
        precincts = folder / "PrecinctManifest.json"
        self.precincts = self._places(folder, precincts.name) if precincts.is_file() else None
        self.portions = self._places(folder, "PrecinctPortionManifest.json")
        self.max_ranks = self._contests(folder)
        self.codes = self._candidates(folder)

    @staticmethod
    def _places(folder: Path, name: str) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for path, entry in _manifest(folder, name):
            description = entry.get("Description")
            found[_id(entry.get("Id"), f"{path}.Id", name)] = (
                None if description is None else str(description)
            )
        return found

    @staticmethod
    def _contests(folder: Path) -> dict[str, int]:
        name = "ContestManifest.json"
        return {
            _id(entry.get("Id"), f"{path}.Id", name): _get(entry, "NumOfRanks", int, path, name)
            for path, entry in _manifest(folder, name)
        }

    def _candidates(self, folder: Path) -> set[str]:
        """The codes of the manifest's candidates of the contest."""
        name = "CandidateManifest.json"
        return {
            _id(entry.get("Id"), f"{path}.Id", name)
            for path, entry in _manifest(folder, name)
            if _id(entry.get("ContestId"), f"{path}.ContestId", name) == self.contest
        }

    def read_export(self, path: Path) -> None:
        file = path.name
        document = json_at(load_json(path), "$", dict, file)
        for s, session in enumerate(_get(document, "Sessions", list, "$", file)):
            where = f"Sessions[{s}]"
            self._session(json_at(session, where, dict, file), where, file)

    def _session(self, session: dict[str, Any], path: str, file: str) -> None:
        tabulator = _id(session.get("TabulatorId"), f"{path}.TabulatorId", file)
        batch = _id(session.get("BatchId"), f"{path}.BatchId", file)
        record = _get(session, "RecordId", int, path, file)
        data_path = f"{path}.Original"
        data = _get(session, "Original", dict, path, file)
        if not _get(data, "IsCurrent", bool, data_path, file):
            if "Modified" not in session:
                return  # no adjudicated data: RCTab skips the session
            data_path = f"{path}.Modified"
            data = _get(session, "Modified", dict, path, file)
        precinct = self._place(data, "PrecinctId", self.precincts, data_path, file)
        portion = self._place(data, "PrecinctPortionId", self.portions, data_path, file)
        if "Cards" in data:
            cards = [
                (f"{data_path}.Cards[{c}]", json_at(card, f"{data_path}.Cards[{c}]", dict, file))
                for c, card in enumerate(_get(data, "Cards", list, data_path, file))
            ]
        else:
            cards = [(data_path, data)]
        computed = "-".join(p for p in (tabulator, batch, str(record)) if p.strip())
        for card_path, card in cards:
            for c, contest in enumerate(_get(card, "Contests", list, card_path, file)):
                where = f"{card_path}.Contests[{c}]"
                marks = self._contest(json_at(contest, where, dict, file), where, file)
                if marks is None:
                    continue
                self.records.append(
                    Cvr(
                        source=self.source.path.name,
                        id=computed,
                        supplied_id=str(record),
                        precinct=precinct,
                        precinct_portion=portion,
                        batch=batch,
                        tabulator=tabulator,
                        rankings=rankings_of(marks),
                        spellings=self.names.take_spellings(),
                    )
                )

    def _place(
        self,
        data: dict[str, Any],
        key: str,
        known: dict[str, str | None] | None,
        path: str,
        file: str,
    ) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        code = str(json_at(value, f"{path}.{key}", int, file))
        if known is None or code not in known:
            raise InvalidBallotData(
                f"{file}: {path}.{key}", f"{quote(value)} is not in the folder's manifest"
            )
        return known[code]

    def _contest(
        self, contest: dict[str, Any], path: str, file: str
    ) -> list[tuple[int, str]] | None:
        """The marks of the contest to count, or ``None`` for another or outstacked contest."""
        if _id(contest.get("Id"), f"{path}.Id", file) != self.contest:
            return None
        if self.contest not in self.max_ranks:
            raise InvalidBallotData(
                f"{file}: {path}.Id", f"contest {quote(self.contest)} is not in ContestManifest"
            )
        outstack = _get(contest, "OutstackConditionIds", list, path, file)
        if _OUTSTACKED in outstack:
            return None
        marks: list[tuple[int, str]] = []
        for m, mark in enumerate(_get(contest, "Marks", list, path, file)):
            where = f"{path}.Marks[{m}]"
            json_at(mark, where, dict, file)
            if _get(mark, "IsAmbiguous", bool, where, file):
                continue
            code = _id(mark.get("CandidateId"), f"{where}.CandidateId", file)
            rank = _get(mark, "Rank", int, where, file)
            if not 1 <= rank <= self.max_ranks[self.contest]:
                raise InvalidBallotData(
                    f"{file}: {where}.Rank",
                    f"expected a rank from 1 to {self.max_ranks[self.contest]} (the contest's "
                    f"NumOfRanks), got {rank}",
                )
            if code == self.source.undeclared_write_in_label:
                marks.append((rank, UNDECLARED_WRITE_IN))
            else:
                marks.append((rank, self.names.resolve(code, f"{file}: {where}.CandidateId")))
        return marks

    def check_contest_candidates(self) -> None:
        """Refuse a mark for a candidate the manifest does not list in the contest."""
        allowed = {self.names.lookup(code) for code in self.codes}
        for record in self.records:
            for _, marked in record.rankings:
                for name in marked:
                    if name != UNDECLARED_WRITE_IN and name not in allowed:
                        raise InvalidBallotData(
                            f"{self.source.path.name}: record {quote(record.id)}",
                            f"candidate {quote(name)} is not a candidate of contest "
                            f"{quote(self.contest)} in CandidateManifest.json",
                        )
