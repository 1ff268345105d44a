"""What every RCTab provider shares: naming candidates, reading a file within its limits, the
strict JSON and XML loaders, and record ids (spec/counting.md#rctab-cast-vote-record-providers).

A provider maps each name it reads through :class:`Names`, which resolves aliases (and codes)
to the configured candidate's name and collects every name it does not know, with a count and
the place it was first seen; :meth:`Names.check` then refuses the whole source listing them,
as RCTab fails a tabulation over unrecognized candidates rather than stopping at the first.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn
from xml.parsers import expat

from suffrage.counting.rctab.model import OVERVOTE, UNDECLARED_WRITE_IN, Candidate, Cvr
from suffrage.errors import InvalidBallotData, clip, quote
from suffrage.inputs import JsonRefusal, load_strict_json

__all__ = [
    "MAX_FILE_BYTES",
    "Names",
    "check_max_rankings",
    "json_at",
    "load_json",
    "load_xml",
    "local",
    "rankings_of",
    "read_bytes",
    "sanitize",
]

MAX_FILE_BYTES = 2 * 1024**3
"""The largest cast-vote-record file a provider reads (2 GiB)."""

_UNSAFE = re.compile(r"[^a-zA-Z0-9_\-.]")


def sanitize(name: str) -> str:
    """``name`` with every character but ASCII letters, digits, ``_``, ``-`` and ``.`` replaced
    by ``_``, as RCTab writes a file name into a record id."""
    return _UNSAFE.sub("_", name)


class Names:
    """Resolves the names one source uses to configured candidates' names."""

    def __init__(self, source: str, candidates: Iterable[Candidate]) -> None:
        self.source = source
        self._known: dict[str, str] = {OVERVOTE: OVERVOTE, UNDECLARED_WRITE_IN: UNDECLARED_WRITE_IN}
        for candidate in candidates:
            self._known[candidate.name] = candidate.name
        for candidate in candidates:
            for alias in candidate.aliases:
                self._known.setdefault(alias, candidate.name)
        self._unknown: dict[str, list[Any]] = {}
        self._spelled: dict[str, str] = {}

    def lookup(self, name: str) -> str | None:
        """The configured name for ``name``, or ``None`` (nothing is remembered)."""
        return self._known.get(name)

    def resolve(self, name: str, where: str | None = None) -> str:
        """The configured name for ``name`` (a name, alias or code); an unknown name is kept
        as it is and remembered, with ``where`` it was first seen."""
        known = self._known.get(name)
        if known is not None:
            if known != name:
                self._spelled.setdefault(known, name)
            return known
        seen = self._unknown.setdefault(name, [0, where])
        seen[0] += 1
        return name

    def take_spellings(self) -> tuple[tuple[str, str], ...]:
        """The (configured name, spelling) pairs resolved from an alias or a code since the
        last call: a provider takes them for each record it makes."""
        if not self._spelled:
            return ()
        taken = tuple(self._spelled.items())
        self._spelled = {}
        return taken

    def check(self) -> None:
        """Refuse the source if it used any name that is not a configured candidate."""
        if not self._unknown:
            return
        parts = [
            f"{quote(name)} {count} time{'s' if count > 1 else ''}"
            + (f" (first at {where})" if where else "")
            for name, (count, where) in list(self._unknown.items())[:10]
        ]
        more = len(self._unknown) - len(parts)
        listed = "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
        raise InvalidBallotData(
            self.source,
            f"{len(self._unknown)} unrecognized candidate name"
            f"{'s' if len(self._unknown) > 1 else ''}: {listed}; expected the name, an alias "
            "or the code of a configured candidate (check the candidates and the source's "
            "columns, contest id and labels)",
        )


def read_bytes(path: Path, what: str = "file") -> bytes:
    """The bytes of the regular file ``path`` within :data:`MAX_FILE_BYTES`."""
    try:
        if not path.is_file():
            raise InvalidBallotData(str(path), f"expected a {what}: not found or not a file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidBallotData(str(path), f"larger than the limit of {MAX_FILE_BYTES} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise InvalidBallotData(str(path), f"cannot be read: {exc.strerror}") from None


def load_json(path: Path) -> Any:
    """The JSON value of the file ``path``, read strictly (duplicate keys, NaN refused)."""
    data = read_bytes(path)
    name = path.name
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidBallotData(name, f"byte {exc.start} is not UTF-8: expected JSON") from None
    try:
        return load_strict_json(text)
    except json.JSONDecodeError as exc:
        raise InvalidBallotData(
            f"{name} line {exc.lineno} column {exc.colno}", f"not JSON: {exc.msg}"
        ) from None
    except (JsonRefusal, RecursionError) as exc:
        raise InvalidBallotData(name, f"refused JSON: {exc}") from None


def json_at(value: Any, path: str, kind: type | tuple[type, ...], where: str) -> Any:
    """``value`` if it is of ``kind``, else a refusal naming the JSON ``path`` in ``where``."""
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        value_ok = False
    else:
        value_ok = isinstance(value, kind)
    if not value_ok:
        names = kind if isinstance(kind, tuple) else (kind,)
        expected = " or ".join(_JSON_KINDS.get(k, k.__name__) for k in names)
        got = "missing" if value is None else f"got {quote(value, 40)}"
        raise InvalidBallotData(f"{where}: {clip(path)}", f"expected {expected}, {got}")
    return value


_JSON_KINDS: dict[type, str] = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "an integer",
    bool: "true or false",
}


class _NoDtd(Exception):
    """Raised inside the XML parser when the document declares a DTD or an entity."""


def load_xml(path: Path) -> ET.Element:
    """The root element of the XML file ``path``, with namespaces dropped from tag names.

    A document type declaration or an entity declaration is refused (no entity expansion, no
    external resource: the billion-laughs and XXE attacks need one of them)."""
    data = read_bytes(path)
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(*_: object) -> NoReturn:
        raise _NoDtd

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = lambda tag, attrs: builder.start(
        local(tag), {local(k): v for k, v in attrs.items()}
    )
    parser.EndElementHandler = lambda tag: builder.end(local(tag))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except _NoDtd:
        raise InvalidBallotData(
            f"{path.name} line {parser.CurrentLineNumber}",
            "a DOCTYPE or ENTITY declaration is refused: expected plain XML",
        ) from None
    except expat.ExpatError as exc:
        raise InvalidBallotData(
            f"{path.name} line {exc.lineno} column {exc.offset + 1}",
            f"not XML: {expat.ErrorString(exc.code)}",
        ) from None
    return builder.close()


def local(tag: str) -> str:
    """``tag`` without its namespace (the part after ``}``)."""
    return tag.rsplit("}", 1)[-1]


def check_max_rankings(records: list[Cvr], max_rankings: int | None, where: str) -> None:
    """Refuse a record marked at a rank beyond ``max_rankings`` (RCTab's maxRankingsAllowed
    check after reading a source)."""
    if max_rankings is None:
        return
    for record in records:
        if record.rankings and record.rankings[-1][0] > max_rankings:
            raise InvalidBallotData(
                f"{where}: record {quote(record.id)}",
                f"marks rank {record.rankings[-1][0]}, beyond maxRankingsAllowed {max_rankings}",
            )


def rankings_of(marks: list[tuple[int, str]]) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Marks (rank, name) grouped by rank in ascending rank order, names in reading order."""
    grouped: dict[int, list[str]] = {}
    for rank, name in marks:
        grouped.setdefault(rank, []).append(name)
    return tuple((rank, tuple(grouped[rank])) for rank in sorted(grouped))
