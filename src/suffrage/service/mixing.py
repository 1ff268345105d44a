"""The mixing phase of an election with ranked contests (spec/protocol.md#19, #18.2): the
checks a server makes of each mix and mix decryption posted to its mailbox, and the
gathering of every ranked contest's checked mixes and decryptions for the record.

A mix posted is read strictly and checked against its input as the verifier checks it
(V23, V24): the first against the counted ballots' rankings, every other against the
output of the mix before it, which the log holds already (its file's SHA-256 is logged, so
a file changed on the server's disk is refused, not mixed from). A guardian's shares of a
contest's last mix are checked against that mix and the digest the closing of the mixing
logged (V25). Both are refused with what is wrong, and nothing refused is kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from suffrage.errors import InvalidInput, VerificationFailed
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.event_log import LifeLog, mix_file
from suffrage.protocol.manifest import Contest
from suffrage.protocol.mixnet import Mix, check_mix, check_mix_decryption, combine_mix
from suffrage.protocol.tally import tally_hash
from suffrage.record.files import RankedRecord
from suffrage.record.ranked import mix_decryption_name, mix_name, read_mix, read_mix_decryption
from suffrage.service import election_files as efiles

__all__ = [
    "check_posted_mix",
    "check_posted_mix_decryption",
    "mixing_closed",
    "ranked_records",
]


def _contest(context: ElectionContext, contest_id: str, name: str) -> Contest:
    for contest in context.manifest.contests:
        if contest.contest_id == contest_id and not contest.is_homomorphic:
            return contest
    raise InvalidInput(name, f"{contest_id!r} is not a ranked contest of this election")


def _logged_mix(mailbox: Path, life: LifeLog, contest: Contest, number: int) -> tuple[Mix, bytes]:
    """Mix ``number`` of ``contest`` as posted (its file the one the log's SHA-256 names),
    and the digest the log recorded when it was checked."""
    name = mix_name(contest.contest_id, number)
    path = mailbox / name
    with path.open("rb") as handle:
        found = hashlib.file_digest(handle, "sha256").hexdigest()
    if found != life.files.get(name):
        raise InvalidInput(str(path), "is not the file the event log says was posted")
    return read_mix(path, contest, index=number), bytes.fromhex(
        life.mixes[contest.contest_id][number - 1][1]
    )


def check_posted_mix(
    life: LifeLog,
    context: ElectionContext,
    inputs: Mapping[str, tuple[Contest, bytes]],
    mailbox: Path,
    *,
    name: str,
    path: Path,
) -> dict[str, Any]:
    """Check a mix posted as ``name`` (its bytes at ``path``) against its input: the counted
    ballots' rankings (``inputs``, for mix 1) or the last mix posted. The event's extra
    fields: the mixer and the chain's digest after this mix."""
    contest_id, number = mix_file(name)
    contest = _contest(context, contest_id, name)
    mix = read_mix(path, contest, index=number)
    if number == 1:
        if contest_id not in inputs:
            raise InvalidInput(name, f"no counted ballot holds {contest_id}: nothing to mix")
        rows = inputs[contest_id][1]
    else:
        rows = _logged_mix(mailbox, life, contest, number - 1)[0].outputs
    assert life.tally is not None
    try:
        digest = check_mix(
            context,
            bytes.fromhex(str(life.tally["tally_hash"])),
            contest,
            mix,
            index=number,
            inputs=rows,
        )
    except VerificationFailed as exc:
        raise InvalidInput(name, f"{exc.reason} ({exc.check})") from None
    return {"mixer": mix.mixer, "mix_digest": digest.hex()}


def check_posted_mix_decryption(
    life: LifeLog, context: ElectionContext, mailbox: Path, name: str, path: Path
) -> None:
    """Check a guardian's shares of a contest's last mix, posted as ``name``."""
    contest_id, guardian = mix_file(name)
    contest = _contest(context, contest_id, name)
    count = len(life.mixes.get(contest_id, ()))
    if count == 0:
        raise InvalidInput(name, f"no mix of {contest_id} was posted to this server")
    last, digest = _logged_mix(mailbox, life, contest, count)
    part = read_mix_decryption(path, contest, rows=last.rows)
    if part.guardian != guardian:
        raise InvalidInput(name, f"holds the shares of guardian {part.guardian}")
    try:
        check_mix_decryption(context, contest, last, digest, part)
    except VerificationFailed as exc:
        raise InvalidInput(name, f"{exc.reason} ({exc.check})") from None


def mixing_closed(records: Sequence[tuple[RankedRecord, bytes]]) -> list[dict[str, Any]]:
    """The body of the closing of the mixing for an election whose mixes came by hand
    (`suffrage election publish --mixes`): each contest's number of mixes and last digest."""
    return [
        {"contest_id": r.contest.contest_id, "mixes": len(r.mixes), "mix_digest": d.hex()}
        for r, d in records
    ]


def ranked_records(
    election: Path,
    partial_files: Sequence[Path],
    mixes: Path | None,
    *,
    database: str | None = None,
) -> tuple[tuple[RankedRecord, bytes], ...]:
    """Each ranked contest's checked mixes (in ``mixes``), its ``k`` (or more) checked
    decryptions of the last one, and the decrypted rows; with the chain's last digest."""
    context = efiles.read_context(election)
    closed = efiles.read_tally(election, context)
    digest = tally_hash(context, closed.tally)
    inputs = efiles.ranked_inputs(election, context, closed, database=database)
    if inputs and mixes is None:
        raise InvalidInput(
            "--mixes",
            f"this election has ranked contests ({', '.join(inputs)}): give the directory of "
            "their mixes (--mixes DIR), made by the guardians with `suffrage guardian mix`",
        )
    guardians = sorted({efiles.read_partial(p, context).guardian: p for p in partial_files}.items())
    records = []
    for contest, rows in inputs.values():
        chain = efiles.read_mixes(mixes, context, digest, contest, rows)
        if not chain.mixes:
            raise InvalidInput(
                str(mixes),
                f"holds no mix of ranked contest {contest.contest_id}: at least one guardian "
                "runs `suffrage guardian mix` before the decryption",
            )
        last = chain.mixes[-1]
        parts = []
        for guardian, partial in guardians:
            path = _mix_decryption_file(contest, guardian, partial, mixes)
            part = read_mix_decryption(path, contest, rows=last.rows)
            if part.guardian != guardian:
                raise InvalidInput(str(path), f"holds the shares of guardian {part.guardian}")
            try:
                check_mix_decryption(context, contest, last, chain.digest, part)
            except VerificationFailed as exc:
                raise VerificationFailed(exc.check, f"{path}: {exc.reason}") from None
            parts.append(part)
        record = RankedRecord(
            contest=contest,
            mixes=chain.mixes,
            decryptions=tuple(parts),
            rows=combine_mix(context, contest, last, parts),
        )
        records.append((record, chain.digest))
    return tuple(records)


def _mix_decryption_file(
    contest: Contest, guardian: int, partial: Path, mixes: Path | None
) -> Path:
    """Guardian ``guardian``'s shares of ``contest``'s last mix: beside its partial file
    (where `guardian decrypt` writes them), or in the mixes' directory."""
    name = mix_decryption_name(contest.contest_id, guardian)
    for place in (partial.parent, mixes):
        if place is not None and ((place / name).exists() or (place / name).is_symlink()):
            return place / name
    raise InvalidInput(
        str(partial.parent / name),
        f"not found (nor in the mixes' directory): guardian {guardian} decrypted the tally "
        "but not the ranked contests' last mix; it runs `suffrage guardian decrypt --mixes "
        "DIR` again",
    )
