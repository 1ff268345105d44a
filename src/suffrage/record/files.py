"""The election record on disk: a directory of canonical JSON (spec/record-format.md).

::

    manifest.json       the manifest (canonical form)
    election.json       group, threshold, guardians' public records, joint key, hashes
    credentials.json    the public credential keys, sorted, each with its ballot style
    ballots.jsonl       every board entry, one canonical JSON document a line, in board order
    tally.json          the encrypted tally and the entries it counted
    decryption.json     the guardians' partial decryptions with proofs, and the counts
    results.json        the results of every contest
    turnout.json        optional: turnout by roll group, small cells suppressed
    mix-C-T.jsonl       mix T of ranked contest C, with its proof of shuffle (JSON Lines)
    mix-decryption-C-J.jsonl  guardian J's shares of C's last mix, proven
    ranked-C.jsonl      C's decrypted rankings, in the last mix's order

Writing produces canonical bytes; reading refuses anything that is not canonical and
reports the file, line and field of each problem (:class:`RecordProblem`), so the verifier
can name every one and go on with the rest.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from suffrage.core.group import Element
from suffrage.errors import InvalidEncoding, InvalidInput, clip
from suffrage.protocol.board import BoardEntry
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.credentials import CredentialKey
from suffrage.protocol.key_ceremony import GuardianPublic
from suffrage.protocol.manifest import Contest, Manifest, manifest_to_dict, parse_manifest
from suffrage.protocol.mixnet import Mix, MixDecryption
from suffrage.protocol.tally import PartialDecryption, Tally
from suffrage.protocol.turnout import TURNOUT_FORMAT, GroupCell, GroupColumn, Turnout
from suffrage.record import codec
from suffrage.record.canonical import canonical_bytes, parse_canonical
from suffrage.record.fields import element, expect_object, hexbytes, integer, items, text
from suffrage.record.ranked import (
    mix_decryption_lines,
    mix_decryption_name,
    mix_lines,
    mix_name,
    ranked_lines,
    ranked_name,
)
from suffrage.record.reading import (
    MAX_CREDENTIAL_LIST,
    MAX_DOCUMENT,
    MAX_LINE,
    Digest,
    bounded_lines,
    open_regular,
    read_regular,
)
from suffrage.record.writing import check_free, write_file, write_stream

__all__ = [
    "FORMAT",
    "RECORD_FILES",
    "TURNOUT_FILE",
    "ContextParts",
    "LineChunk",
    "RankedFiles",
    "RankedRecord",
    "RawRecord",
    "RecordProblem",
    "chunk_lines",
    "context_parts_from_json",
    "context_parts_to_json",
    "decode_entry_line",
    "election_to_json",
    "ranked_file_names",
    "ranked_files",
    "read_chunk",
    "read_record",
    "read_turnout",
    "write_entries",
    "write_record",
]

FORMAT = "suffrage/record/1"
RECORD_FILES = (
    "manifest.json",
    "election.json",
    "credentials.json",
    "ballots.jsonl",
    "tally.json",
    "decryption.json",
    "results.json",
    "events.jsonl",
)
TURNOUT_FILE = "turnout.json"
"""The optional file of turnout by group (spec/record-format.md#turnoutjson). It is not in
:data:`RECORD_FILES`: no hash binds it, so the verifier checks its consistency (V21), not
its truth, and a record without it is complete."""


@dataclass(frozen=True, slots=True)
class RecordProblem:
    """Something in the record that could not be read: where, and why."""

    where: str
    reason: str


@dataclass(slots=True, kw_only=True)
class RawRecord:
    """A record as read: what decoded, and the problems met on the way (not yet verified)."""

    manifest: Manifest | None = None
    election: dict[str, Any] | None = None
    guardians: tuple[GuardianPublic, ...] = ()
    credentials: tuple[CredentialKey, ...] = ()
    tally: Tally | None = None
    counted_sequences: tuple[int, ...] = ()
    partials: tuple[PartialDecryption, ...] = ()
    counts: dict[str, dict[str, int]] | None = None
    results: dict[str, Any] | None = None
    turnout: Turnout | None = None
    has_turnout: bool = False
    """Whether the record has a turnout.json (``turnout`` is ``None`` if it did not decode)."""
    problems: list[RecordProblem] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class RankedRecord:
    """What a ranked contest that counted ballots hold went through (spec #19): its mixes in
    order, the guardians' decryptions of the last one, and the decrypted rows (rank values
    ``0..m``, in the last mix's order). It becomes the contest's files of the record."""

    contest: Contest
    mixes: tuple[Mix, ...]
    decryptions: tuple[MixDecryption, ...]
    rows: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RankedFiles:
    """The files of one ranked contest found in a record directory (spec #19.6), not read:
    mix files can be large, so their checks read them one at a time
    (:mod:`suffrage.record.ranked`)."""

    contest_id: str
    mixes: tuple[Path, ...]
    """``mix-C-1.jsonl``, ``mix-C-2.jsonl``, ... up to the first number that is absent."""
    decryptions: tuple[tuple[int, Path], ...]
    """``(J, mix-decryption-C-J.jsonl)`` by ascending ``J`` (a decimal without leading
    zeros; other names are not listed)."""
    ranked: Path | None
    """``ranked-C.jsonl``, or ``None`` when absent."""


def ranked_files(directory: Path, manifest: Manifest) -> tuple[RankedFiles, ...]:
    """The record files of each ranked contest of ``manifest``, in manifest order. A
    symbolic link is listed (:func:`os.path.lexists`), so that its reader refuses it."""
    names = set(os.listdir(directory)) if directory.is_dir() else set()
    found = []
    for contest in _ranked_contests(manifest):
        c = contest.contest_id
        mixes: list[Path] = []
        while mix_name(c, len(mixes) + 1) in names:
            mixes.append(directory / mix_name(c, len(mixes) + 1))
        before, after = mix_decryption_name(c, 0).rsplit("0", 1)
        pattern = re.compile(re.escape(before) + "([1-9][0-9]{0,8})" + re.escape(after))
        guardians = sorted(int(m.group(1)) for n in names if (m := pattern.fullmatch(n)))
        found.append(
            RankedFiles(
                contest_id=c,
                mixes=tuple(mixes),
                decryptions=tuple((j, directory / mix_decryption_name(c, j)) for j in guardians),
                ranked=directory / ranked_name(c) if ranked_name(c) in names else None,
            )
        )
    return tuple(found)


def ranked_file_names(files: Iterable[RankedFiles]) -> list[str]:
    """The names of every file :func:`ranked_files` found (for the record's subject)."""
    out: list[str] = []
    for f in files:
        out += [p.name for p in f.mixes]
        out += [p.name for _, p in f.decryptions]
        out += [f.ranked.name] if f.ranked is not None else []
    return out


def _ranked_contests(manifest: Manifest) -> tuple[Contest, ...]:
    """The manifest's ranked contests, in manifest order."""
    return tuple(c for c in manifest.contests if not c.is_homomorphic)


def _ranked_streams(ranked: Sequence[RankedRecord]) -> dict[str, Iterable[bytes]]:
    """The lines of every ranked file to write, by file name (generators: nothing is
    encoded before the existing files have been checked)."""
    streams: dict[str, Iterable[bytes]] = {}
    for r in ranked:
        c, width = r.contest.contest_id, len(r.contest.options)
        for mix in r.mixes:
            streams[mix_name(c, mix.index)] = mix_lines(mix)
        for part in r.decryptions:
            streams[mix_decryption_name(c, part.guardian)] = mix_decryption_lines(part, width)
        streams[ranked_name(c)] = ranked_lines(r.contest, r.rows)
    return streams


def _write(path: Path, value: Any, force: bool) -> None:
    write_file(path, canonical_bytes(value) + b"\n", force=force)


def write_record(
    directory: Path,
    *,
    context: ElectionContext,
    entries: Iterable[BoardEntry] | None,
    tally: Tally | None = None,
    counted_sequences: Sequence[int] = (),
    partials: Sequence[PartialDecryption] = (),
    counts: Mapping[str, Mapping[str, int]] | None = None,
    results: Mapping[str, Any] | None = None,
    ranked: Sequence[RankedRecord] = (),
    force: bool = False,
) -> None:
    """Write the record of an election in ``directory``; a file it would write that exists
    already is refused before anything is written, unless ``force`` (then it is replaced).

    With ``entries=None`` ballots.jsonl is left as it is: a caller that streamed the board
    there with :func:`write_entries` (a record too large to hold in memory) passes ``None``.
    ``ranked`` gives the files of the ranked contests (spec #19.6). A ranked file of the
    manifest's contests already there counts as a file it would write: with ``force`` one
    this record does not have (a fourth mix of an earlier run) is removed, since the
    verifier would read it as part of this record.
    """
    documents: dict[str, Any] = {
        "manifest.json": manifest_to_dict(context.manifest),
        "election.json": election_to_json(context),
        "credentials.json": {
            "credentials": [codec.credential_to_json(c) for c in context.credentials]
        },
    }
    if tally is not None:
        documents["tally.json"] = {
            "tally": codec.tally_to_json(tally),
            "counted_sequences": list(counted_sequences),
        }
    if partials:
        documents["decryption.json"] = {
            "partial_decryptions": [codec.partial_to_json(p) for p in partials],
            "counts": {c: dict(v) for c, v in (counts or {}).items()},
        }
    if results is not None:
        documents["results.json"] = {"results": dict(results)}
    streams = _ranked_streams(ranked)
    stale = set(ranked_file_names(ranked_files(directory, context.manifest))) - set(streams)
    names = [*documents, *(["ballots.jsonl"] if entries is not None else []), *streams]
    check_free((directory / name for name in [*names, *sorted(stale)]), force=force)
    for name in sorted(stale):
        (directory / name).unlink()
    for name, value in documents.items():
        _write(directory / name, value, force)
    if entries is not None:
        write_entries(directory / "ballots.jsonl", entries, force=force)
    for name, lines in streams.items():
        write_stream(directory / name, lines, force=force)


def write_entries(path: Path, entries: Iterable[BoardEntry], *, force: bool = False) -> None:
    """Write board entries as ballots.jsonl, one canonical line each, streaming."""
    write_stream(
        path, (canonical_bytes(codec.entry_to_json(e)) + b"\n" for e in entries), force=force
    )


def election_to_json(context: ElectionContext) -> dict[str, Any]:
    """election.json (spec/record-format.md#electionjson): the context's parts, with the
    group, the joint key and the manifest hash a verifier recomputes."""
    return {
        "format": FORMAT,
        "group": "ristretto255",
        "joint_key": context.joint_key.element.to_bytes().hex(),
        "manifest_hash": context.manifest_hash.hex(),
        **context_parts_to_json(context),
    }


def context_parts_to_json(context: ElectionContext) -> dict[str, Any]:
    """The one wire form of what an election context holds beside its manifest and its
    credential list: the threshold, the guardians' public records, the base hash and, when
    the election has them, the board key and the log head. Both election.json and an
    election directory's context.json hold it (spec/record-format.md#election-directory)."""
    value: dict[str, Any] = {
        "threshold": context.threshold,
        "guardians": [codec.guardian_to_json(g) for g in context.guardians],
        "base_hash": context.base_hash.hex(),
    }
    if context.board_key is not None:
        value["board_key"] = context.board_key.to_bytes().hex()
    if context.log_head is not None:
        value["log_head"] = context.log_head.hex()
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class ContextParts:
    """:func:`context_parts_to_json`'s fields, decoded (not yet checked against each other:
    :func:`suffrage.protocol.context.make_context` and the verifier do that)."""

    threshold: int
    guardians: tuple[GuardianPublic, ...]
    base_hash: bytes
    board_key: Element | None
    log_head: bytes | None


def context_parts_from_json(o: Mapping[str, Any], where: str) -> ContextParts:
    """The parts in the object ``o`` (its keys checked by the caller), strictly decoded;
    InvalidInput names the field below ``where``."""
    return ContextParts(
        guardians=items(o["guardians"], f"{where}.guardians", codec.guardian_from_json),
        threshold=integer(o["threshold"], f"{where}.threshold", minimum=1),
        base_hash=hexbytes(o["base_hash"], f"{where}.base_hash", size=64),
        board_key=element(o["board_key"], f"{where}.board_key") if "board_key" in o else None,
        log_head=hexbytes(o["log_head"], f"{where}.log_head", size=64) if "log_head" in o else None,
    )


def _load(path: Path, problems: list[RecordProblem], *, limit: int = MAX_DOCUMENT) -> Any:
    try:
        data = read_regular(path, limit=limit)
    except InvalidInput as exc:
        problems.append(RecordProblem(exc.field, exc.reason))
        return None
    if not data.endswith(b"\n") or data.count(b"\n") != 1:
        problems.append(RecordProblem(path.name, "must be one line ending in a newline"))
        return None
    try:
        return parse_canonical(data[:-1], field=path.name)
    except InvalidEncoding as exc:
        problems.append(RecordProblem(exc.field, exc.reason))
        return None


def _decode(problems: list[RecordProblem], read: Any, *args: Any) -> Any:
    try:
        return read(*args)
    except InvalidInput as exc:
        problems.append(RecordProblem(exc.field, exc.reason))
        return None


def _read_election(raw: RawRecord, value: Any) -> None:
    f = "election.json"
    o = expect_object(
        value,
        f,
        ["format", "group", "threshold", "guardians", "joint_key", "manifest_hash", "base_hash"],
        ("board_key", "log_head"),
    )
    if o["format"] != FORMAT or o["group"] != "ristretto255":
        raise InvalidEncoding(f"{f}.format", f"expected {FORMAT} over ristretto255")
    parts = context_parts_from_json(o, f)
    raw.guardians = parts.guardians
    raw.election = {
        "threshold": parts.threshold,
        "joint_key": element(o["joint_key"], f"{f}.joint_key"),
        "manifest_hash": hexbytes(o["manifest_hash"], f"{f}.manifest_hash", size=64),
        "base_hash": parts.base_hash,
        "board_key": parts.board_key,
        "log_head": parts.log_head,
    }


def _read_tally(raw: RawRecord, value: Any) -> None:
    o = expect_object(value, "tally.json", ["tally", "counted_sequences"])
    raw.tally = codec.tally_from_json(o["tally"], "tally.json.tally")
    raw.counted_sequences = items(o["counted_sequences"], "tally.json.counted_sequences", integer)


def _read_decryption(raw: RawRecord, value: Any) -> None:
    f = "decryption.json"
    o = expect_object(value, f, ["partial_decryptions", "counts"])
    raw.partials = items(
        o["partial_decryptions"], f"{f}.partial_decryptions", codec.partial_from_json
    )
    counts = expect_object(
        o["counts"], f"{f}.counts", [], list(o["counts"]) if isinstance(o["counts"], dict) else []
    )
    raw.counts = {
        c: {
            k: integer(n, f"{f}.counts.{c}.{k}")
            for k, n in expect_object(
                v, f"{f}.counts.{c}", [], list(v) if isinstance(v, dict) else []
            ).items()
        }
        for c, v in counts.items()
    }


def read_record(directory: Path) -> RawRecord:
    """Read every file of the record but the ballots, collecting problems as it goes.

    The ballots stay on disk, to be streamed in chunks (:func:`chunk_lines`), so memory does
    not grow with the number of ballots.
    """
    raw = RawRecord()
    p = raw.problems
    manifest = _load(directory / "manifest.json", p)
    if manifest is not None:
        raw.manifest = _decode(p, parse_manifest, manifest)
        if raw.manifest is not None and manifest_to_dict(raw.manifest) != manifest:
            p.append(
                RecordProblem(
                    "manifest.json",
                    "not the canonical form of the manifest it "
                    "describes (a value is written differently)",
                )
            )
    election = _load(directory / "election.json", p)
    if election is not None:
        _decode(p, _read_election, raw, election)
    creds = _load(directory / "credentials.json", p, limit=MAX_CREDENTIAL_LIST)
    if creds is not None:
        raw.credentials = (
            _decode(
                p,
                lambda v: items(
                    expect_object(v, "credentials.json", ["credentials"])["credentials"],
                    "credentials.json.credentials",
                    codec.credential_from_json,
                ),
                creds,
            )
            or ()
        )
    for name, reader in (("tally.json", _read_tally), ("decryption.json", _read_decryption)):
        value = _load(directory / name, p)
        if value is not None:
            _decode(p, reader, raw, value)
    results = _load(directory / "results.json", p)
    if results is not None:
        raw.results = _decode(p, _read_results, results)
    raw.has_turnout = os.path.lexists(directory / TURNOUT_FILE)
    if raw.has_turnout:
        turnout = _load(directory / TURNOUT_FILE, p)
        if turnout is not None:
            raw.turnout = _decode(p, read_turnout, turnout)
    return raw


def _cell(value: Any, field: str) -> GroupCell:
    o = expect_object(value, field, ["value", "eligible", "voted"])
    figures = {
        k: None if o[k] is None else integer(o[k], f"{field}.{k}") for k in ("eligible", "voted")
    }
    if not text(o["value"], f"{field}.value", max_length=1000):
        raise InvalidEncoding(f"{field}.value", "is empty")
    return GroupCell(value=o["value"], eligible=figures["eligible"], voted=figures["voted"])


def _column(name: str, value: Any, field: str) -> GroupColumn:
    if not 1 <= len(name) <= 64:
        raise InvalidEncoding(field, "a group name is 1 to 64 characters")
    cells = items(value, field, _cell)
    values = [c.value for c in cells]
    if not cells or values != sorted(set(values)):
        raise InvalidEncoding(field, "expected one or more cells, sorted by distinct value")
    return GroupColumn(name=name, cells=cells)


def read_turnout(value: Any) -> Turnout:
    """turnout.json, decoded strictly (its figures are checked by V21, not here)."""
    f = TURNOUT_FILE
    o = expect_object(value, f, ["format", "threshold", "eligible", "voted", "groups"])
    if o["format"] != TURNOUT_FORMAT:
        raise InvalidEncoding(f"{f}.format", f"expected {TURNOUT_FORMAT!r}")
    groups = o["groups"]
    expect_object(groups, f"{f}.groups", [], list(groups) if isinstance(groups, dict) else [])
    return Turnout(
        threshold=integer(o["threshold"], f"{f}.threshold", minimum=1),
        eligible=integer(o["eligible"], f"{f}.eligible"),
        voted=integer(o["voted"], f"{f}.voted"),
        groups=tuple(
            _column(name, cells, f"{f}.groups.{clip(name)}") for name, cells in groups.items()
        ),
    )


def _read_results(value: Any) -> dict[str, dict[str, Any]]:
    """results.json: an object of contests, each an object (compared in full by V17)."""
    f = "results.json.results"
    results = expect_object(value, "results.json", ["results"])["results"]
    contests = expect_object(results, f, [], list(results) if isinstance(results, dict) else [])
    for contest_id, result in contests.items():
        expect_object(
            result, f"{f}.{contest_id}", [], list(result) if isinstance(result, dict) else []
        )
    return contests


@dataclass(frozen=True, slots=True)
class LineChunk:
    """Lines ``first .. first + count - 1`` of ballots.jsonl: bytes ``start .. end``.

    ``previous`` is the byte range of the line before the chunk (``None`` for line 1), so a
    chunk can be checked on its own, on another machine, with the tracking-code chain.
    """

    path: str
    first: int
    count: int
    start: int
    end: int
    previous: tuple[int, int] | None


def chunk_lines(
    path: Path, size: int, *, digest: Digest | None = None
) -> tuple[list[LineChunk], list[RecordProblem]]:
    """Split ballots.jsonl into chunks of ``size`` lines, reading it once (no JSON parsing);
    ``digest`` is given every byte of the file on the way."""
    chunks: list[LineChunk] = []
    problems: list[RecordProblem] = []
    try:
        handle = open_regular(path)
    except InvalidInput as exc:
        return [], [RecordProblem(exc.field, exc.reason)]
    with handle:
        offset, number, first, start = 0, 0, 1, 0
        previous: tuple[int, int] | None = None
        last_line: tuple[int, int] | None = None
        ended = True
        for line, length in bounded_lines(handle, digest=digest):
            number += 1
            ended = line.endswith(b"\n")
            last_line = (offset, offset + length)
            offset += length
            if number - first + 1 == size:
                chunks.append(LineChunk(str(path), first, size, start, offset, previous))
                previous, first, start = last_line, number + 1, offset
        if number >= first:
            chunks.append(LineChunk(str(path), first, number - first + 1, start, offset, previous))
    if not ended:
        problems.append(RecordProblem(path.name, "the last line does not end in a newline"))
    return chunks, problems


def read_chunk(chunk: LineChunk) -> tuple[bytes | None, list[tuple[int, bytes]]]:
    """The line before the chunk (if any) and the chunk's numbered lines, newlines removed.

    A line longer than :data:`MAX_LINE` comes as its first ``MAX_LINE + 1`` bytes (which
    :func:`decode_entry_line` refuses for their length); the file is read in bounded memory.
    """
    with open_regular(Path(chunk.path)) as handle:
        before = None
        if chunk.previous is not None:
            handle.seek(chunk.previous[0])
            before = next(bounded_lines(handle), (b"", 0))[0].rstrip(b"\n")
        handle.seek(chunk.start)
        lines: list[tuple[int, bytes]] = []
        for line, _ in bounded_lines(handle):
            lines.append((chunk.first + len(lines), line.rstrip(b"\n")))
            if len(lines) == chunk.count:
                break
    return before, lines


def decode_entry_line(number: int, line: bytes) -> BoardEntry:
    """Decode line ``number`` of ballots.jsonl strictly (raises InvalidInput naming it)."""
    where = f"ballots.jsonl line {number}"
    if len(line) > MAX_LINE:
        raise InvalidEncoding(where, f"longer than the limit of {MAX_LINE} bytes")
    return codec.entry_from_json(parse_canonical(line, field=where), where)
