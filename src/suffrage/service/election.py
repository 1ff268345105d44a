"""Running an election in one process: the demo, and the tests' end-to-end runs.

The steps are the ones real guardians, voters and officials take through the CLI; here they
happen in one process with the random source passed in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from suffrage.core.group import Scalar
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput
from suffrage.protocol.ballot import encrypt_ballot, style_contests
from suffrage.protocol.board import BoardEntry, counted_entries
from suffrage.protocol.context import ElectionContext, make_context, manifest_hash
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.key_ceremony import (
    GuardianSecret,
    ceremony_hash,
    combine_shares,
    create_guardian,
    encrypt_share,
    receive_share,
)
from suffrage.protocol.manifest import Contest, Manifest
from suffrage.protocol.mixnet import (
    Mix,
    check_mix,
    check_mix_decryption,
    combine_mix,
    decrypt_mix,
    make_mix,
    mix_input,
    ranked_contests,
)
from suffrage.protocol.tally import (
    PartialDecryption,
    Tally,
    compute_partial_decryption,
    compute_tally,
    tally_hash,
)
from suffrage.protocol.turnout import DEFAULT_THRESHOLD, Turnout, tabulate_turnout
from suffrage.record.files import (
    RECORD_FILES,
    TURNOUT_FILE,
    RankedRecord,
    ranked_file_names,
    ranked_files,
)
from suffrage.record.writing import check_free
from suffrage.service.publish import publish
from suffrage.service.turnout import write_turnout
from suffrage.storage.board import BulletinBoard

__all__ = [
    "ElectionRun",
    "homomorphic_only",
    "key_ceremony",
    "run_election",
    "simulated_groups",
]

Progress = Callable[[int], None]


def homomorphic_only(manifest: Manifest) -> Manifest:
    """The manifest without its ranked contests, for elections (tests, a short demo) that
    need no mix-net: every path carries ranked contests (spec/protocol.md#19)."""
    keep = tuple(c for c in manifest.contests if c.is_homomorphic)
    ids = {c.contest_id for c in keep}
    styles = tuple(
        replace(s, contest_ids=tuple(c for c in s.contest_ids if c in ids))
        for s in manifest.ballot_styles
    )
    return replace(manifest, contests=keep, ballot_styles=tuple(s for s in styles if s.contest_ids))


def key_ceremony(
    manifest: Manifest, *, guardians: int, threshold: int, rng: RandomSource
) -> tuple[list[GuardianSecret], dict[int, Scalar], bytes]:
    """All guardians in one process: create, exchange encrypted shares, check, combine."""
    ceremony = ceremony_hash(
        manifest_hash=manifest_hash(manifest), guardians=guardians, threshold=threshold
    )
    secrets = [
        create_guardian(
            index=i, name=f"guardian-{i}", threshold=threshold, ceremony=ceremony, rng=rng
        )
        for i in range(1, guardians + 1)
    ]
    key_shares: dict[int, Scalar] = {}
    for recipient in secrets:
        received = {}
        for dealer in secrets:
            share = encrypt_share(dealer, recipient.public, ceremony=ceremony, rng=rng)
            received[dealer.index] = receive_share(
                recipient, share, dealer.public, ceremony=ceremony
            )
        key_shares[recipient.index] = combine_shares(received)
    return secrets, key_shares, ceremony


@dataclass(slots=True, kw_only=True)
class ElectionRun:
    """What an in-process election produced."""

    context: ElectionContext
    credentials: list[str]
    entries: list[BoardEntry]
    tally: Tally
    partials: list[PartialDecryption]
    counts: Mapping[str, tuple[int, ...]]
    results: dict[str, Any]
    spoiled: int = 0
    revotes: int = 0
    absent: list[int] = field(default_factory=list)
    turnout: Turnout | None = None
    """Turnout by the simulated voters' groups (:func:`simulated_groups`), suppressed."""
    ranked: dict[str, RankedRecord] = field(default_factory=dict)
    """Each ranked contest that counted ballots hold: its mixes, the guardians' decryptions
    of the last one and the decrypted rows (spec #19)."""
    rankings: dict[str, list[tuple[int, ...]]] = field(default_factory=dict)
    """The rankings the counted ballots hold, per ranked contest, in board order: what the
    simulation knows and an election never publishes (tests compare the count with it)."""


def _random_choice(contest: Any, rng: RandomSource) -> list[int]:
    n, limit = len(contest.options), contest.selection_limit
    picks = rng.token(1)[0] % (limit + 1)
    order = sorted(range(n), key=lambda _: rng.token(4))
    chosen = set(order[:picks])
    return [1 if i in chosen else 0 for i in range(n)]


def _random_ranking(contest: Contest, rng: RandomSource) -> tuple[int, ...]:
    """A simulated voter's ranking (rank 1 first; 0 leaves a rank blank): most rank every
    option or the first few, and some cast what the counting rules must deal with: a blank
    ranking, a skipped rank, an option ranked twice (spec/counting.md)."""
    m = len(contest.options)
    draw = rng.token(2)
    order = [j + 1 for j in sorted(range(m), key=lambda _: rng.token(4))]
    if draw[0] < 8:  # about 3%: a blank ranking
        return (0,) * m
    if draw[0] < 24 and m > 2:  # about 6%: a rank skipped
        order[draw[1] % (m - 1)] = 0
    elif draw[0] < 40 and m > 2:  # about 6%: an option ranked twice
        order[1 + draw[1] % (m - 1)] = order[0]
    elif draw[0] < 140:  # about 40%: only the first few ranked
        keep = 1 + draw[1] % (m - 1) if m > 1 else 1
        order[keep:] = [0] * (m - keep)
    return tuple(order)


_AGE_BANDS = ("18-24", "25-34", "35-49", "50-64", "65+")


def simulated_groups(code: str) -> dict[str, str]:
    """A simulated voter's roll groups, drawn from the voter's credential code (itself from
    the random source) so that they take nothing from the random stream the ballots use:
    sex (a few left empty, "not stated"), age band, first-time voter, assistance requested."""
    draw = hashlib.sha256(b"suffrage/demo-groups\0" + code.encode()).digest()
    return {
        "sex": ("female", "male", "")[0 if draw[0] < 124 else 1 if draw[0] < 250 else 2],
        "age_band": _AGE_BANDS[draw[1] % len(_AGE_BANDS)],
        "first_time": "yes" if draw[2] < 32 else "no",
        "assistance": "yes" if draw[3] < 13 else "no",
    }


def _abstains(code: str, abstention: int) -> bool:
    draw = hashlib.sha256(b"suffrage/demo-abstains\0" + code.encode()).digest()
    return int.from_bytes(draw[:4]) % 100 < abstention


def run_election(
    manifest: Manifest,
    *,
    voters: int,
    rng: RandomSource,
    out: Path | None,
    guardians: int = 3,
    threshold: int = 2,
    absent: Sequence[int] = (2,),
    database: str = "sqlite://",
    progress: Progress | None = None,
    force: bool = False,
    abstention: int = 0,
    suppression: int = DEFAULT_THRESHOLD,
) -> ElectionRun:
    """A whole election: ceremony, credentials, voting (re-votes, spoils), tally, the
    ranked contests mixed by every guardian present and decrypted (spec #19), record with
    turnout by the voters' simulated groups (cells of fewer than ``suppression`` voters
    suppressed).

    About ``abstention`` percent of the voters do not vote (chosen from their codes; 0 by
    default, which leaves the random stream of the ballots as it always was). A record file
    already in ``out`` (a ranked contest's too) is refused before anything runs, unless
    ``force``.
    """
    if not 0 <= abstention <= 100:
        raise ValueError(f"abstention is a percentage, not {abstention}")
    if out is not None:
        ranked = ranked_file_names(ranked_files(out, manifest))
        check_free((out / name for name in (*RECORD_FILES, TURNOUT_FILE, *ranked)), force=force)
    secrets, key_shares, _ = key_ceremony(
        manifest, guardians=guardians, threshold=threshold, rng=rng
    )
    codes = [generate_credential(rng) for _ in range(voters)]
    creds = [Credential.from_code(c, election_id=manifest.election_id) for c in codes]
    styles = [s.style_id for s in manifest.ballot_styles]
    context = make_context(
        manifest=manifest,
        threshold=threshold,
        guardians=[s.public for s in secrets],
        credentials=[
            CredentialKey(c.public, styles[number % len(styles)]) for number, c in enumerate(creds)
        ],
    )
    board = BulletinBoard(context, database)
    # Simulated voters vote in the middle of the manifest's window (the board checks it).
    at = manifest.start_time + (manifest.end_time - manifest.start_time) / 2
    spoiled = revotes = 0
    last: dict[int, Mapping[str, Sequence[int]]] = {}
    for number, credential in enumerate(creds):
        style = styles[number % len(styles)]
        if _abstains(codes[number], abstention):
            if progress is not None:
                progress(1)
            continue
        on_style = style_contests(context, style)
        roll = rng.token(1)[0]
        for attempt in range(2 if roll < 26 else 1):  # about 10% vote twice
            # The homomorphic choices first, as before ranked contests were carried, so
            # that they are drawn as they always were; the rankings after them.
            choices: dict[str, Sequence[int]] = {
                c.contest_id: _random_choice(c, rng) for c in on_style if c.is_homomorphic
            }
            choices |= {
                c.contest_id: _random_ranking(c, rng) for c in on_style if not c.is_homomorphic
            }
            ballot, plain = encrypt_ballot(
                context, style_id=style, choices=choices, credential=credential, rng=rng
            )
            if roll % 20 == 1 and attempt == 0:  # about 5% check a ballot first (Benaloh)
                board.cast(ballot, at=at, reveal=plain)
                spoiled += 1
                ballot, plain = encrypt_ballot(
                    context, style_id=style, choices=choices, credential=credential, rng=rng
                )
            board.cast(ballot, at=at)
            last[number] = choices
            revotes += attempt
        if progress is not None:
            progress(1)
    entries = list(board.entries())
    run = _count(
        context,
        codes=codes,
        entries=entries,
        head=board.head(),
        secrets=secrets,
        key_shares=key_shares,
        absent=absent,
        rng=rng,
        out=out,
        spoiled=spoiled,
        revotes=revotes,
        force=force,
    )
    run.rankings = {
        c.contest_id: [tuple(v[c.contest_id]) for v in last.values() if c.contest_id in v]
        for c in ranked_contests(context)
    }
    run.turnout = _turnout(codes, creds, entries, suppression)
    if out is not None:
        write_turnout(out / TURNOUT_FILE, run.turnout, force=force)
    return run


def _turnout(
    codes: list[str], creds: list[Credential], entries: list[BoardEntry], threshold: int
) -> Turnout:
    """What the credential authority would publish: the groups of the voters whose
    credential cast a counted ballot (the board never sees a group)."""
    voted = {e.ballot.credential.to_bytes() for e in counted_entries(entries)}
    return tabulate_turnout(
        (
            (simulated_groups(code), c.public.to_bytes() in voted)
            for code, c in zip(codes, creds, strict=True)
        ),
        threshold=threshold,
    )


def _count(
    context: ElectionContext,
    *,
    codes: list[str],
    entries: list[BoardEntry],
    head: bytes,
    secrets: list[GuardianSecret],
    key_shares: dict[int, Scalar],
    absent: Sequence[int],
    rng: RandomSource,
    out: Path | None,
    spoiled: int,
    revotes: int,
    force: bool,
) -> ElectionRun:
    tally = compute_tally(context, entries, head)
    present = [s.index for s in secrets if s.index not in absent]
    partials = [
        compute_partial_decryption(context, tally, guardian=i, key_share=key_shares[i], rng=rng)
        for i in present
    ]
    counted = [e.ballot for e in counted_entries(entries)]
    ranked = {
        contest.contest_id: _mix_and_decrypt(
            context,
            tally_hash(context, tally),
            contest,
            mix_input(contest, counted),
            mixers=[s for s in secrets if s.index in present],
            key_shares=key_shares,
            rng=rng,
        )
        for contest in ranked_contests(context)
        if any(p.contest_id == contest.contest_id for b in counted for p in b.contests)
    }
    counts, results = publish(
        out,
        context=context,
        entries=entries,
        tally=tally,
        partials=partials,
        ranked=tuple(ranked.values()),
        force=force,
    )
    return ElectionRun(
        context=context,
        credentials=codes,
        entries=entries,
        tally=tally,
        partials=partials,
        counts=counts,
        results=results,
        spoiled=spoiled,
        revotes=revotes,
        absent=list(absent),
        ranked=ranked,
    )


def _mix_and_decrypt(
    context: ElectionContext,
    tally_digest: bytes,
    contest: Contest,
    inputs: bytes,
    *,
    mixers: Sequence[GuardianSecret],
    key_shares: Mapping[int, Scalar],
    rng: RandomSource,
) -> RankedRecord:
    """A ranked contest through the mix-net (spec #19): each guardian present mixes in index
    order, every mix checked against its input as a server would check it; then the ``k``
    lowest of them decrypt the last mix, and their shares give the plaintext rows."""
    if not mixers:
        raise InvalidInput("absent", f"no guardian is present to mix contest {contest.contest_id}")
    mixes: list[Mix] = []
    digest = b""
    for index, mixer in enumerate(mixers, start=1):
        mix = make_mix(
            context,
            tally_digest,
            contest,
            index=index,
            mixer=mixer.index,
            communication_secret=mixer.communication_secret,
            inputs=inputs,
            rng=rng,
        )
        digest = check_mix(context, tally_digest, contest, mix, index=index, inputs=inputs)
        mixes.append(mix)
        inputs = mix.outputs
    decryptions = tuple(
        decrypt_mix(
            context,
            contest,
            mixes[-1],
            digest,
            guardian=m.index,
            key_share=key_shares[m.index],
            rng=rng,
        )
        for m in mixers[: context.threshold]
    )
    for part in decryptions:
        check_mix_decryption(context, contest, mixes[-1], digest, part)
    return RankedRecord(
        contest=contest,
        mixes=tuple(mixes),
        decryptions=decryptions,
        rows=combine_mix(context, contest, mixes[-1], decryptions),
    )
