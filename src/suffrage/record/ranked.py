"""The record files of ranked contests: mixes, decryption shares, plaintext rankings
(spec/record-format.md#ranked-contests).

Each is JSON Lines, so that a national mix (a hundred thousand rows and more) is written and
read a row at a time: the first line is a header, each further line one row. The readers
check the structure, the row numbers, the counts and the hex of every value, and keep the
values as their encodings (``bytes``): the group decoding is the check's (the kernel's
proof-of-shuffle verifier decodes every element strictly and names the row and field of a
bad one, spec/protocol.md#6.4), as for the ballots' fast path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from suffrage.core.proofs.shuffle import RawShuffleProof
from suffrage.errors import InvalidEncoding
from suffrage.protocol.manifest import Contest
from suffrage.protocol.mixnet import Mix, MixDecryption
from suffrage.record.canonical import canonical_bytes, parse_canonical
from suffrage.record.codec import cp_from_json, cp_to_json, schnorr_from_json, schnorr_to_json
from suffrage.record.fields import expect_object, hexbytes, integer, items, text
from suffrage.record.reading import MAX_LINE, bounded_lines, open_regular

__all__ = [
    "MIX_DECRYPTION_FORMAT",
    "MIX_FORMAT",
    "RANKED_FORMAT",
    "mix_decryption_lines",
    "mix_decryption_name",
    "mix_lines",
    "mix_name",
    "ranked_lines",
    "ranked_name",
    "read_mix",
    "read_mix_decryption",
    "read_ranked",
]

MIX_FORMAT = "suffrage/mix/1"
MIX_DECRYPTION_FORMAT = "suffrage/mix-decryption/1"
RANKED_FORMAT = "suffrage/ranked-ballots/1"
_MAX_ROWS = 2**32
"""More rows than any election has ballots: a header claiming more is refused outright."""


def mix_name(contest_id: str, index: int) -> str:
    """The file of mix ``index`` (from 1) of a contest: ``mix-CONTEST-INDEX.jsonl``."""
    return f"mix-{contest_id}-{index}.jsonl"


def mix_decryption_name(contest_id: str, guardian: int) -> str:
    """The file of a guardian's shares of a contest's last mix."""
    return f"mix-decryption-{contest_id}-{guardian}.jsonl"


def ranked_name(contest_id: str) -> str:
    """The file of a contest's decrypted rankings."""
    return f"ranked-{contest_id}.jsonl"


def _h(data: bytes) -> str:
    return data.hex()


def _pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def _line(value: Any) -> bytes:
    return canonical_bytes(value) + b"\n"


def _ciphertexts_json(data: bytes) -> list[dict[str, str]]:
    return [{"alpha": _h(c[:32]), "beta": _h(c[32:])} for c in _pieces(data, 64)]


def mix_lines(mix: Mix) -> Iterator[bytes]:
    """The lines of a mix file: the header, then one line per output row."""
    p = mix.proof
    yield _line(
        {
            "format": MIX_FORMAT,
            "contest_id": mix.contest_id,
            "mix": mix.index,
            "mixer": mix.mixer,
            "rows": mix.rows,
            "width": mix.width,
            "proof": {
                "t1": _h(p.t1),
                "t2": _h(p.t2),
                "t3": _h(p.t3),
                "t4": _ciphertexts_json(p.t4),
                "s1": _h(p.s1),
                "s2": _h(p.s2),
                "s3": _h(p.s3),
                "s4": [_h(s) for s in _pieces(p.s4, 32)],
            },
            "signature": schnorr_to_json(mix.signature),
        }
    )
    row_bytes = mix.width * 64
    columns = [_pieces(getattr(p, name), 32) for name in _ROW_FIELDS]
    for row in range(mix.rows):
        line: dict[str, Any] = {
            "row": row + 1,
            "ciphertexts": _ciphertexts_json(mix.outputs[row * row_bytes : (row + 1) * row_bytes]),
        }
        for name, values in zip(_ROW_FIELDS, columns, strict=True):
            line[name] = _h(values[row])
        yield _line(line)


_ROW_FIELDS = ("permutation_commitment", "chain", "t_hat", "s_hat", "s_prime")
"""The proof's values of one row, in the order of spec/protocol.md#6.4."""


def _rows(path: Path) -> Iterator[tuple[str, Any]]:
    """Each line of a JSON Lines file as ``(where, value)``, strictly canonical."""
    with open_regular(path) as handle:
        for number, (line, _size) in enumerate(bounded_lines(handle), start=1):
            where = f"{path.name}:{number}"
            if len(line) > MAX_LINE or not line.endswith(b"\n"):
                raise InvalidEncoding(where, "a line must be at most 1 MiB and end in a newline")
            yield where, parse_canonical(line[:-1], field=where)


def _hex_list(value: Any, field: str, size: int, count: int) -> bytes:
    return b"".join(items(value, field, lambda v, f: hexbytes(v, f, size=size), size=count))


def _ciphertexts(value: Any, field: str, width: int) -> bytes:
    def one(v: Any, f: str) -> bytes:
        o = expect_object(v, f, ["alpha", "beta"])
        return hexbytes(o["alpha"], f"{f}.alpha", size=32) + hexbytes(
            o["beta"], f"{f}.beta", size=32
        )

    return b"".join(items(value, field, one, size=width))


def _header(where: str, value: Any, keys: Sequence[str], contest: Contest) -> dict[str, Any]:
    o = expect_object(value, where, keys)
    fmt = {"mix": MIX_FORMAT, "guardian": MIX_DECRYPTION_FORMAT}
    expected = next((f for k, f in fmt.items() if k in keys), RANKED_FORMAT)
    if o["format"] != expected:
        raise InvalidEncoding(f"{where}.format", f"expected {expected!r}")
    if text(o["contest_id"], f"{where}.contest_id", max_length=64) != contest.contest_id:
        raise InvalidEncoding(
            f"{where}.contest_id", f"expected {contest.contest_id!r}, got {o['contest_id']!r}"
        )
    return o


def _opened(
    path: Path, keys: Sequence[str], contest: Contest
) -> tuple[Iterator[tuple[str, Any]], str, dict[str, Any]]:
    """The file's lines after its header, the header's place and the header, checked."""
    lines = _rows(path)
    try:
        where, value = next(lines)
    except StopIteration:
        raise InvalidEncoding(path.name, "empty: expected a header line") from None
    return lines, where, _header(where, value, keys, contest)


def read_mix(path: Path, contest: Contest, *, index: int) -> Mix:
    """Read mix file ``path`` of ``contest``, expected to be mix ``index``; InvalidInput
    (InvalidEncoding) naming the file, line and field of the first problem."""
    width = len(contest.options)
    keys = ["format", "contest_id", "mix", "mixer", "rows", "width", "proof", "signature"]
    lines, where, o = _opened(path, keys, contest)
    if integer(o["mix"], f"{where}.mix", minimum=1) != index:
        raise InvalidEncoding(f"{where}.mix", f"expected mix {index}, got {o['mix']}")
    if integer(o["width"], f"{where}.width", minimum=1) != width:
        raise InvalidEncoding(f"{where}.width", f"expected {width} (the contest's options)")
    rows = integer(o["rows"], f"{where}.rows", minimum=1, maximum=_MAX_ROWS)
    pk = ["t1", "t2", "t3", "t4", "s1", "s2", "s3", "s4"]
    p = expect_object(o["proof"], f"{where}.proof", pk)
    head = {
        k: hexbytes(p[k], f"{where}.proof.{k}", size=32)
        for k in ("t1", "t2", "t3", "s1", "s2", "s3")
    }
    t4 = _ciphertexts(p["t4"], f"{where}.proof.t4", width)
    s4 = _hex_list(p["s4"], f"{where}.proof.s4", 32, width)
    outputs = bytearray()
    columns: dict[str, bytearray] = {name: bytearray() for name in _ROW_FIELDS}
    count = 0
    for where, value in lines:
        count += 1
        if count > rows:
            raise InvalidEncoding(where, f"more rows than the header's {rows}")
        r = expect_object(value, where, ["row", "ciphertexts", *_ROW_FIELDS])
        if integer(r["row"], f"{where}.row", minimum=1) != count:
            raise InvalidEncoding(f"{where}.row", f"expected row {count}, got {r['row']}")
        outputs += _ciphertexts(r["ciphertexts"], f"{where}.ciphertexts", width)
        for name in _ROW_FIELDS:
            columns[name] += hexbytes(r[name], f"{where}.{name}", size=32)
    if count != rows:
        raise InvalidEncoding(path.name, f"{count} rows, the header says {rows}")
    proof = RawShuffleProof(
        permutation_commitment=bytes(columns["permutation_commitment"]),
        chain=bytes(columns["chain"]),
        t1=head["t1"],
        t2=head["t2"],
        t3=head["t3"],
        t4=t4,
        t_hat=bytes(columns["t_hat"]),
        s1=head["s1"],
        s2=head["s2"],
        s3=head["s3"],
        s4=s4,
        s_hat=bytes(columns["s_hat"]),
        s_prime=bytes(columns["s_prime"]),
    )
    return Mix(
        contest_id=contest.contest_id,
        index=index,
        mixer=integer(o["mixer"], f"{where}.mixer", minimum=1, maximum=999),
        width=width,
        outputs=bytes(outputs),
        proof=proof,
        signature=schnorr_from_json(o["signature"], f"{path.name}:1.signature"),
    )


def mix_decryption_lines(part: MixDecryption, width: int) -> Iterator[bytes]:
    """The lines of a guardian's decryption file: the header with the proof, then one line
    of ``width`` shares per row."""
    yield _line(
        {
            "format": MIX_DECRYPTION_FORMAT,
            "contest_id": part.contest_id,
            "guardian": part.guardian,
            "proof": cp_to_json(part.proof),
        }
    )
    shares = _pieces(part.shares, 32)
    for row in range(len(shares) // width):
        yield _line(
            {"row": row + 1, "shares": [_h(s) for s in shares[row * width : (row + 1) * width]]}
        )


def read_mix_decryption(path: Path, contest: Contest, *, rows: int) -> MixDecryption:
    """Read a guardian's decryption file of ``contest`` whose last mix has ``rows`` rows."""
    width = len(contest.options)
    lines, where, o = _opened(path, ["format", "contest_id", "guardian", "proof"], contest)
    guardian = integer(o["guardian"], f"{where}.guardian", minimum=1, maximum=999)
    proof = cp_from_json(o["proof"], f"{where}.proof")
    shares = bytearray()
    count = 0
    for where, value in lines:
        count += 1
        if count > rows:
            raise InvalidEncoding(where, f"more rows than the last mix's {rows}")
        r = expect_object(value, where, ["row", "shares"])
        if integer(r["row"], f"{where}.row", minimum=1) != count:
            raise InvalidEncoding(f"{where}.row", f"expected row {count}, got {r['row']}")
        shares += _hex_list(r["shares"], f"{where}.shares", 32, width)
    if count != rows:
        raise InvalidEncoding(path.name, f"{count} rows of shares for the last mix's {rows}")
    return MixDecryption(
        contest_id=contest.contest_id, guardian=guardian, shares=bytes(shares), proof=proof
    )


def ranked_lines(contest: Contest, rows: Sequence[Sequence[int]]) -> Iterator[bytes]:
    """The lines of a contest's decrypted rankings: a header, then per row the option at
    each rank (``null`` for a rank left blank), in the last mix's order."""
    ids = contest.option_ids
    yield _line({"format": RANKED_FORMAT, "contest_id": contest.contest_id, "rows": len(rows)})
    for number, row in enumerate(rows, start=1):
        yield _line({"row": number, "ranks": [ids[v - 1] if v else None for v in row]})


def read_ranked(path: Path, contest: Contest) -> tuple[tuple[int, ...], ...]:
    """Read a contest's decrypted rankings as rank values (``0`` blank, ``j`` option j)."""
    width = len(contest.options)
    position = {option_id: j for j, option_id in enumerate(contest.option_ids, start=1)}
    lines, where, o = _opened(path, ["format", "contest_id", "rows"], contest)
    rows = integer(o["rows"], f"{where}.rows", maximum=_MAX_ROWS)
    out: list[tuple[int, ...]] = []

    def rank(v: Any, f: str) -> int:
        if v is None:
            return 0
        if not isinstance(v, str) or v not in position:
            raise InvalidEncoding(f, f"expected an option of {contest.contest_id} or null")
        return position[v]

    for where, value in lines:
        if len(out) == rows:
            raise InvalidEncoding(where, f"more rows than the header's {rows}")
        r = expect_object(value, where, ["row", "ranks"])
        if integer(r["row"], f"{where}.row", minimum=1) != len(out) + 1:
            raise InvalidEncoding(f"{where}.row", f"expected row {len(out) + 1}, got {r['row']}")
        out.append(items(r["ranks"], f"{where}.ranks", rank, size=width))
    if len(out) != rows:
        raise InvalidEncoding(path.name, f"{len(out)} rows, the header says {rows}")
    return tuple(out)
