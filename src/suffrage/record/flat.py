"""A line of ballots.jsonl read straight into encodings, for the verifier's batch path.

:func:`raw_entry` accepts exactly what :func:`~suffrage.record.files.decode_entry_line`
accepts for a cast ballot without a reveal, and returns the values as bytes (a
:class:`~suffrage.protocol.ballot.RawBallot`) instead of decoded objects; it does not decode
points or scalars, which the caller does for a whole chunk at once. For anything else
(a spoiled entry, or any defect at all) it returns ``None`` and the caller reads the line
with ``decode_entry_line``, which names the problem. So this reader only has to be right
when it accepts.
"""

from __future__ import annotations

import sys
from typing import Any, NamedTuple

import orjson

from suffrage.inputs import strict_hex
from suffrage.protocol.ballot import (
    RawBallot,
    RawContest,
    RawRange,
    RawRank,
    RawRankedContest,
    RawSelection,
)
from suffrage.record.entry_format import (
    BALLOT_FIELDS,
    BALLOT_ID_BYTES,
    CIPHERTEXT_FIELDS,
    CONTEST_FIELDS,
    ENTRY_FIELDS,
    MAX_BRANCHES,
    MAX_ID,
    MAX_SEQUENCE,
    MIN_SEQUENCE,
    RANGE_FIELDS,
    RANK_FIELDS,
    RANKED_CONTEST_FIELDS,
    SCHNORR_FIELDS,
    SELECTION_FIELDS,
    TRACKING_CODE_BYTES,
)

__all__ = ["RawEntry", "raw_entry"]

_ENTRY = frozenset(ENTRY_FIELDS)  # a cast entry: no reveal
_BALLOT = frozenset(BALLOT_FIELDS)
_CONTEST = frozenset(CONTEST_FIELDS)
_RANKED = frozenset(RANKED_CONTEST_FIELDS)
_RANK = frozenset(RANK_FIELDS)
_SELECTION = frozenset(SELECTION_FIELDS)
_CIPHERTEXT = frozenset(CIPHERTEXT_FIELDS)
_RANGE = frozenset(RANGE_FIELDS)
_SIGNATURE = frozenset(SCHNORR_FIELDS)


class RawEntry(NamedTuple):
    """A cast board entry as read from its line, values still encoded."""

    sequence: int
    tracking_code: bytes
    ballot: RawBallot


class _Defect(Exception):
    """Anything that makes the line a case for the full decoder."""


class _Part(NamedTuple):
    """Where a contest's values stand among the ballot's hex values: its id, each
    ciphertext's option id (empty for a rank) and proof branches, and its limit proof's
    branches (``None`` for a ranked contest, which has none)."""

    contest_id: str
    ciphertexts: list[tuple[str, int]]
    limit: int | None


def raw_entry(line: bytes) -> RawEntry | None:
    """The cast entry on ``line`` as encodings, or ``None`` (see the module docstring)."""
    # The test of parse_canonical: the bytes must be the sorted, compact encoding of their
    # value (which also refuses duplicate keys). On ASCII without a backslash no string
    # holds an escape, and there orjson's sorted output is byte for byte the standard
    # library's (RFC 8785 for such text); any difference only sends the line elsewhere.
    if not line.isascii() or b"\\" in line:
        return None
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if orjson.dumps(value, option=orjson.OPT_SORT_KEYS) != line:
        return None
    try:
        return _entry(value)
    except _Defect:
        return None


def _object(value: Any, keys: frozenset[str]) -> dict[str, Any]:
    if type(value) is not dict or value.keys() != keys:
        raise _Defect
    return value


def _text(value: Any) -> str:
    """An id (style, contest, option): interned, so the summaries the verifier keeps of a
    million entries share one copy of each."""
    if type(value) is not str or len(value) > MAX_ID:
        raise _Defect
    return sys.intern(value)


def _hex(value: Any, size: int | None = None) -> bytes:
    """The bytes of ``value`` if it is lowercase hex digits only (``2 * size`` of them)."""
    raw = strict_hex(value, size)
    if type(raw) is not bytes:
        raise _Defect
    return raw


def _branches(proof: dict[str, Any]) -> int:
    """The number of branches of a range proof, the same in its four lists."""
    n = len(proof["commitments_g"]) if type(proof["commitments_g"]) is list else 0
    if not 1 <= n <= MAX_BRANCHES:
        raise _Defect
    for name in RANGE_FIELDS[1:]:
        if type(proof[name]) is not list or len(proof[name]) != n:
            raise _Defect
    return n


def _entry(value: Any) -> RawEntry:
    entry = _object(value, _ENTRY)
    sequence = entry["sequence"]
    if type(sequence) is not int or not MIN_SEQUENCE <= sequence <= MAX_SEQUENCE:
        raise _Defect
    if entry["state"] != "cast":
        raise _Defect
    ballot = _object(entry["ballot"], _BALLOT)
    contests = ballot["contests"]
    signature = _object(ballot["signature"], _SIGNATURE)
    if type(contests) is not list:
        raise _Defect
    # Every hex value of the ballot, in order, decoded at once; the layout says where each is.
    hexes = [ballot["credential"], signature["commitment"], signature["response"]]
    layout = [_part(item, hexes) for item in contests]
    try:
        joined = "".join(hexes)  # refuses anything but strings
    except TypeError:
        raise _Defect from None
    if set(map(len, hexes)) != {64}:
        raise _Defect
    raw = _hex(joined)
    return RawEntry(
        sequence=sequence,
        tracking_code=_hex(entry["tracking_code"], TRACKING_CODE_BYTES),
        ballot=RawBallot(
            ballot_id=_hex(ballot["ballot_id"], BALLOT_ID_BYTES).hex(),
            style_id=_text(ballot["style_id"]),
            credential=raw[:32],
            contests=_slice(raw, layout),
            signature_commitment=raw[32:64],
            signature_response=raw[64:96],
        ),
    )


def _part(item: Any, hexes: list[Any]) -> _Part:
    """A contest's part of the ballot (selections and a limit proof, or ranks: spec/
    protocol.md#13.1), its hex values appended to ``hexes`` in order."""
    ranked = type(item) is dict and "ranks" in item
    contest = _object(item, _RANKED if ranked else _CONTEST)
    items = contest["ranks" if ranked else "selections"]
    if type(items) is not list:
        raise _Defect
    ciphertexts: list[tuple[str, int]] = []
    for one in items:
        value = _object(one, _RANK if ranked else _SELECTION)
        ciphertext = _object(value["ciphertext"], _CIPHERTEXT)
        proof = _object(value["proof"], _RANGE)
        ciphertexts.append(("" if ranked else _text(value["option_id"]), _branches(proof)))
        hexes += (ciphertext["alpha"], ciphertext["beta"])
        _add_proof(hexes, proof)
    if ranked:
        return _Part(_text(contest["contest_id"]), ciphertexts, None)
    limit = _object(contest["limit_proof"], _RANGE)
    _add_proof(hexes, limit)
    return _Part(_text(contest["contest_id"]), ciphertexts, _branches(limit))


def _add_proof(hexes: list[Any], proof: dict[str, Any]) -> None:
    hexes += (*proof["commitments_g"], *proof["commitments_k"])
    hexes += (*proof["challenges"], *proof["responses"])


def _slice(raw: bytes, layout: list[_Part]) -> tuple[RawContest | RawRankedContest, ...]:
    """Cut ``raw`` (credential, signature, then per contest each selection's alpha, beta and
    proof, then the limit proof, or each rank's alpha, beta and proof) into the ballot's
    values."""
    at = 96
    contests: list[RawContest | RawRankedContest] = []
    for part in layout:
        cut = []
        for _, n in part.ciphertexts:
            cut.append((raw[at : at + 32], raw[at + 32 : at + 64], _proof(raw, at + 64, n)))
            at += 64 + 128 * n
        if part.limit is None:
            ranks = tuple(RawRank(*one) for one in cut)
            contests.append(RawRankedContest(part.contest_id, ranks))
            continue
        selections = tuple(
            RawSelection(option_id, *one)
            for (option_id, _), one in zip(part.ciphertexts, cut, strict=True)
        )
        contests.append(RawContest(part.contest_id, selections, _proof(raw, at, part.limit)))
        at += 128 * part.limit
    return tuple(contests)


def _proof(raw: bytes, at: int, branches: int) -> RawRange:
    """The range proof of ``branches`` branches whose four lists start at ``raw[at]``."""
    size = 32 * branches
    return RawRange(
        raw[at : at + size],
        raw[at + size : at + 2 * size],
        raw[at + 2 * size : at + 3 * size],
        raw[at + 3 * size : at + 4 * size],
    )
