"""A guardian's steps, each one command on the guardian's own machine, through files.

create (keys) -> shares (deal, encrypted to each guardian) -> receive (check the shares dealt
to it, keep its key share) -> mix (after the close, its shuffle of each ranked contest,
spec/protocol.md#19.3) -> decrypt (its part of the tally's decryption, and its shares of each
ranked contest's last mix). The secret file
is sealed under the guardian's passphrase (:mod:`suffrage.service.sealed`), read only by the
guardian's own commands, and never part of the election or its record. The files are those
of :mod:`suffrage.service.ceremony_files`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from suffrage.core.group import Element
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput, VerificationFailed
from suffrage.protocol.context import ElectionContext, manifest_hash
from suffrage.protocol.key_ceremony import (
    EncryptedShare,
    GuardianPublic,
    check_guardian,
    check_share_signature,
    combine_shares,
    create_guardian,
    encrypt_share,
    make_complaint,
    public_share,
    receive_share,
)
from suffrage.protocol.manifest import Manifest
from suffrage.protocol.mixnet import decrypt_mix, make_mix, row_count
from suffrage.protocol.tally import compute_partial_decryption, tally_hash
from suffrage.record.ranked import mix_decryption_lines, mix_decryption_name, mix_lines, mix_name
from suffrage.record.writing import check_free, write_stream
from suffrage.service import ceremony_files as files
from suffrage.service import election_files as efiles
from suffrage.service.sealed import check_new_passphrase

__all__ = [
    "DecryptionSummary",
    "MixPlan",
    "create_guardian_files",
    "deal_shares",
    "decrypt_tally",
    "decryption_summary",
    "mix_contests",
    "mix_plan",
    "read_publics",
    "receive_shares",
]


def create_guardian_files(
    manifest: Manifest,
    *,
    index: int,
    name: str,
    guardians: int,
    threshold: int,
    out: Path,
    passphrase: str,
    rng: RandomSource,
    force: bool = False,
) -> tuple[Path, Path]:
    """Step 1 for one guardian: its secret file (sealed, 0600) and its public file (an
    existing public file is replaced only with ``force``; a secret file never is).

    Ranked contests are carried: after the close each guardian mixes them
    (:func:`mix_contests`).
    """
    check_new_passphrase(passphrase)
    if not 1 <= threshold <= guardians:
        raise InvalidInput("threshold", f"must be between 1 and {guardians}, got {threshold}")
    if not 1 <= index <= guardians:
        raise InvalidInput("index", f"must be between 1 and {guardians}, got {index}")
    secret_file = files.secret_path(out, index)
    if secret_file.exists() or secret_file.is_symlink():
        raise InvalidInput(
            str(secret_file),
            "already exists: a guardian's secret is never overwritten (choose another --out "
            "to start a new ceremony)",
        )
    check_free([files.public_path(out, index)], force=force)
    ceremony = files.Ceremony(
        manifest_hash=manifest_hash(manifest), guardians=guardians, threshold=threshold
    )
    secret = create_guardian(
        index=index, name=name, threshold=threshold, ceremony=ceremony.hash, rng=rng
    )
    files.write_guardian_file(
        secret_file,
        files.GuardianFile(ceremony=ceremony, secret=secret),
        passphrase=passphrase,
        rng=rng,
    )
    files.write_public(files.public_path(out, index), ceremony, secret.public, force=force)
    return secret_file, files.public_path(out, index)


def read_publics(
    directory: Path, ceremony: files.Ceremony | None = None
) -> tuple[files.Ceremony, tuple[GuardianPublic, ...]]:
    """Every guardian's public file in ``directory``: one ceremony, guardians 1..n, proven."""
    if not directory.is_dir():
        raise InvalidInput(
            str(directory),
            "is not a directory: gather every guardian's guardian-I.public.json in one "
            "directory (each guardian writes it with `suffrage guardian create`)",
        )
    paths = sorted(directory.glob("guardian-*.public.json"))
    if not paths:
        raise InvalidInput(
            str(directory),
            "holds no guardian-*.public.json file: each guardian runs `suffrage guardian "
            "create` and sends the public file it writes",
        )
    read = [files.read_public(p) for p in paths]
    expected = ceremony or read[0][0]
    for path, (other, _) in zip(paths, read, strict=True):
        if other != expected:
            raise InvalidInput(
                str(path),
                "belongs to another ceremony (manifest, number of guardians or threshold "
                "differ): every guardian must create its keys from the same manifest with the "
                "same --guardians and --threshold",
            )
    publics = tuple(sorted((g for _, g in read), key=lambda g: g.index))
    indices = [g.index for g in publics]
    if indices != list(range(1, expected.guardians + 1)):
        missing = sorted(set(range(1, expected.guardians + 1)) - set(indices))
        raise InvalidInput(
            str(directory),
            f"expected the public files of guardians 1..{expected.guardians}, found {indices}"
            + (
                f": ask guardian(s) {', '.join(map(str, missing))} to run `suffrage guardian "
                "create` and send their public file"
                if missing
                else ""
            ),
        )
    for guardian in publics:
        check_guardian(guardian, ceremony=expected.hash, threshold=expected.threshold)
    return expected, publics


def _open(secret_file: Path, passphrase: str) -> files.GuardianFile:
    if not secret_file.exists():
        raise InvalidInput(
            str(secret_file),
            "not found: a guardian's secret file is written by `suffrage guardian create`",
        )
    return files.read_guardian_file(secret_file, passphrase=passphrase)


def deal_shares(
    secret_file: Path,
    publics_dir: Path,
    out: Path,
    rng: RandomSource,
    *,
    passphrase: str,
    force: bool = False,
) -> list[tuple[GuardianPublic, Path]]:
    """Step 2: one share for every guardian (this one included), encrypted to it; each
    recipient with the file to send it. Existing share files are refused before any is
    written, unless ``force``."""
    mine = _open(secret_file, passphrase)
    ceremony, publics = read_publics(publics_dir, mine.ceremony)
    _require_listed(mine, publics, publics_dir)
    paths = [files.share_path(out, mine.secret.index, r.index) for r in publics]
    check_free(paths, force=force)
    for recipient, path in zip(publics, paths, strict=True):
        share = encrypt_share(mine.secret, recipient, ceremony=ceremony.hash, rng=rng)
        files.write_share(path, ceremony, share, force=force)
    return list(zip(publics, paths, strict=True))


def _require_listed(
    mine: files.GuardianFile, publics: Sequence[GuardianPublic], where: Path
) -> None:
    if publics[mine.secret.index - 1] != mine.secret.public:
        raise InvalidInput(
            str(where),
            f"the public file of guardian {mine.secret.index} there is not this guardian's: "
            "put this guardian's own guardian-I.public.json there",
        )


def _share_for_me(
    shares_dir: Path, dealer: GuardianPublic, me: int, ceremony: files.Ceremony
) -> EncryptedShare:
    path = files.share_path(shares_dir, dealer.index, me)
    if not path.exists():
        raise InvalidInput(
            str(path),
            f"not found: guardian {dealer.index} ({dealer.name}) has not sent its share for "
            f"guardian {me} yet; it writes it with `suffrage guardian shares`",
        )
    share_ceremony, share = files.read_share(path)
    if share_ceremony != ceremony or (share.dealer, share.recipient) != (dealer.index, me):
        raise InvalidInput(
            str(path), f"is not a share of guardian {dealer.index} for guardian {me} here"
        )
    return share


def receive_shares(
    secret_file: Path,
    publics_dir: Path,
    shares_dir: Path,
    rng: RandomSource,
    *,
    passphrase: str,
    force: bool = False,
) -> Path:
    """Step 3: check every share addressed to this guardian, then store its key share.

    A share that does not check raises :class:`VerificationFailed` naming its dealer. If the
    dealer signed it as it stands, a complaint file (``complaint-R-about-D.json``) is first
    written to ``shares_dir`` for publication; an unsigned or altered share is only refused
    (it may have been changed on its way, and a complaint about it would blame this guardian).
    A secret file that holds a key share already, or a complaint file that exists already, is
    replaced only with ``force``; every complaint is checked before the first is written.
    """
    mine = _open(secret_file, passphrase)
    if mine.key_share is not None and not force:
        raise InvalidInput(
            str(secret_file),
            "already holds a key share: this guardian has received its shares (pass --force "
            "to receive them again)",
        )
    ceremony, publics = read_publics(publics_dir, mine.ceremony)
    _require_listed(mine, publics, publics_dir)
    received, bad, complaints = {}, [], []
    for dealer in publics:
        share = _share_for_me(shares_dir, dealer, mine.secret.index, ceremony)
        try:
            check_share_signature(share, dealer, ceremony.hash)
        except VerificationFailed as exc:
            # Not the dealer's own share as it stands: a complaint would blame no one but us.
            bad.append(f"{exc.reason}; ask guardian {dealer.index} to send it again")
            continue
        try:
            received[dealer.index] = receive_share(
                mine.secret, share, dealer, ceremony=ceremony.hash
            )
        except VerificationFailed as exc:
            complaint = make_complaint(mine.secret, share, ceremony=ceremony.hash, rng=rng)
            where = files.complaint_path(shares_dir, mine.secret.index, dealer.index)
            complaints.append((where, complaint))
            bad.append(exc.reason)
    check_free((where for where, _ in complaints), force=force)
    for where, complaint in complaints:
        files.write_complaint(where, ceremony, complaint, force=force)
    if bad:
        raise VerificationFailed(
            "share",
            "; ".join(bad) + f" (complaints written to {shares_dir}: publish them; the "
            "ceremony cannot finish until the guardian at fault deals again)",
        )
    key_share = combine_shares(received)
    files.write_guardian_file(
        secret_file,
        files.GuardianFile(ceremony=ceremony, secret=mine.secret, key_share=key_share),
        passphrase=passphrase,
        rng=rng,
        update=True,
    )
    return secret_file


@dataclass(frozen=True, slots=True, kw_only=True)
class DecryptionSummary:
    """What a guardian is shown before decrypting: which election, which tally."""

    election_id: str
    title: str
    base_hash: bytes
    entries: int
    counted: int
    tally_hash: bytes
    closed_at: str
    closed_early: bool


def decryption_summary(election: Path) -> DecryptionSummary:
    """The election and the tally that ``guardian decrypt`` would decrypt."""
    context = efiles.read_context(election)
    return _summary(context, efiles.read_tally(election, context))


def _summary(context: ElectionContext, closed: efiles.ClosedTally) -> DecryptionSummary:
    manifest = context.manifest
    return DecryptionSummary(
        election_id=context.election_id,
        title=manifest.title[manifest.default_language],
        base_hash=context.base_hash,
        entries=closed.tally.entries,
        counted=closed.tally.counted,
        tally_hash=tally_hash(context, closed.tally),
        closed_at=closed.tally.closed_at,
        closed_early=closed.tally.closed_early,
    )


def _election_guardian(
    secret_file: Path, passphrase: str, context: ElectionContext
) -> files.GuardianFile:
    """This guardian's secret file, which must be that of a guardian of the election."""
    mine = _open(secret_file, passphrase)
    index = mine.secret.index
    if index > len(context.guardians) or context.guardian(index) != mine.secret.public:
        raise InvalidInput(
            str(secret_file),
            "is not the secret of a guardian of this election (a guardian of another "
            "ceremony, or the election was created with other guardians' public files)",
        )
    return mine


def _ranked_mixes(
    election: Path, context: ElectionContext, closed: efiles.ClosedTally, mixes: Path | None
) -> list[efiles.CheckedMixes]:
    """Each ranked contest that counted ballots hold, with its mixes in ``mixes`` checked."""
    digest = tally_hash(context, closed.tally)
    return [
        efiles.read_mixes(mixes, context, digest, contest, rows)
        for contest, rows in efiles.ranked_inputs(election, context, closed).values()
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class MixPlan:
    """What ``guardian mix`` would do for one ranked contest: mix number ``index`` of its
    ``rows`` rows (the counted ballots' rankings, or the previous mix's output), from the
    mixes ``checked`` already, so that the mix is made from exactly what was checked and
    shown, and nothing is checked twice."""

    checked: efiles.CheckedMixes

    @property
    def contest_id(self) -> str:
        return self.checked.contest.contest_id

    @property
    def width(self) -> int:
        return len(self.checked.contest.options)

    @property
    def rows(self) -> int:
        return row_count(self.checked.last, self.width)

    @property
    def index(self) -> int:
        return len(self.checked.mixes) + 1


def mix_plan(election: Path, mixes: Path | None) -> tuple[DecryptionSummary, tuple[MixPlan, ...]]:
    """The election and tally (as ``guardian decrypt`` shows them) and the mix this guardian
    would make of each ranked contest, every earlier mix checked first."""
    context = efiles.read_context(election)
    closed = efiles.read_tally(election, context)
    summary = _summary(context, closed)
    plans = tuple(MixPlan(checked=c) for c in _ranked_mixes(election, context, closed, mixes))
    return summary, plans


def mix_contests(
    secret_file: Path,
    election: Path,
    out: Path,
    rng: RandomSource,
    *,
    passphrase: str,
    plans: Sequence[MixPlan],
    expected_tally: bytes,
    force: bool = False,
) -> list[Path]:
    """This guardian's mix of each ranked contest that counted ballots hold (spec
    #19.2-19.3), as :func:`mix_plan` planned it: its input is the last mix checked there
    (V23 and V24) or, with none, the counted ballots' rankings; ``mix-C-T.jsonl`` is written
    to ``out``. ``expected_tally`` is the tally hash the plan was made against.

    A guardian who mixed a contest already is refused (one mix each), as is an election
    without a ranked contest to mix; nothing is written unless every contest can be mixed.
    """
    context = efiles.read_context(election)
    mine = _election_guardian(secret_file, passphrase, context)
    index = mine.secret.index
    closed = efiles.read_tally(election, context)
    digest = tally_hash(context, closed.tally)
    if digest != expected_tally:
        raise InvalidInput(
            str(election / "tally.json"), "changed after it was shown: nothing was mixed"
        )
    chains = [plan.checked for plan in plans]
    if not chains:
        raise InvalidInput(
            str(election),
            "has no ranked contest that counted ballots hold: there is nothing to mix",
        )
    for chain in chains:
        if any(m.mixer == index for m in chain.mixes):
            raise InvalidInput(
                str(secret_file),
                f"guardian {index} has mixed contest {chain.contest.contest_id} already "
                "(each guardian mixes once): send the mix to the next guardian",
            )
    paths = [out / mix_name(c.contest.contest_id, len(c.mixes) + 1) for c in chains]
    check_free(paths, force=force)
    out.mkdir(parents=True, exist_ok=True)
    for chain, path in zip(chains, paths, strict=True):
        mix = make_mix(
            context,
            digest,
            chain.contest,
            index=len(chain.mixes) + 1,
            mixer=index,
            communication_secret=mine.secret.communication_secret,
            inputs=chain.last,
            rng=rng,
        )
        write_stream(path, mix_lines(mix), force=force)
    return paths


def decrypt_tally(
    secret_file: Path,
    election: Path,
    out: Path,
    rng: RandomSource,
    *,
    passphrase: str,
    mixes: Path | None = None,
    expected_tally: bytes | None = None,
    force: bool = False,
) -> list[Path]:
    """A guardian's partial decryption of the closed tally, with its proofs, and, when the
    election has ranked contests that counted ballots hold, its shares of each one's last
    mix in ``mixes`` (every mix checked first), each with one batched proof
    (spec/protocol.md#19.4), written beside ``out`` as ``mix-decryption-C-J.jsonl``.

    ``expected_tally`` is the tally hash the guardian was shown and confirmed: if the tally
    changed since, nothing is decrypted. Returns the files written, the partial first.
    """
    check_free([out], force=force)
    context = efiles.read_context(election)
    mine = _election_guardian(secret_file, passphrase, context)
    index = mine.secret.index
    if mine.key_share is None:
        raise InvalidInput(
            str(secret_file),
            "holds no key share yet: run `suffrage guardian receive` first",
        )
    if Element.mul_base(mine.key_share) != public_share(context.guardians, index):
        raise InvalidInput(str(secret_file), "its key share does not match the ceremony")
    closed = efiles.read_tally(election, context)
    if expected_tally is not None and tally_hash(context, closed.tally) != expected_tally:
        raise InvalidInput(
            str(election / "tally.json"), "changed after it was shown: nothing was decrypted"
        )
    chains = _ranked_mixes(election, context, closed, mixes)
    if chains and mixes is None:
        raise InvalidInput(
            "--mixes",
            "this election has ranked contests ("
            + ", ".join(c.contest.contest_id for c in chains)
            + "): give the directory of their mixes (--mixes DIR), made by the guardians "
            "with `suffrage guardian mix`",
        )
    for chain in chains:
        if not chain.mixes:
            raise InvalidInput(
                str(mixes),
                f"holds no mix of ranked contest {chain.contest.contest_id} "
                f"({mix_name(chain.contest.contest_id, 1)}): at least one guardian runs "
                "`suffrage guardian mix` before the decryption",
            )
    shares = [out.parent / mix_decryption_name(c.contest.contest_id, index) for c in chains]
    check_free(shares, force=force)
    partial = compute_partial_decryption(
        context, closed.tally, guardian=index, key_share=mine.key_share, rng=rng
    )
    for chain, path in zip(chains, shares, strict=True):
        part = decrypt_mix(
            context,
            chain.contest,
            chain.mixes[-1],
            chain.digest,
            guardian=index,
            key_share=mine.key_share,
            rng=rng,
        )
        write_stream(path, mix_decryption_lines(part, len(chain.contest.options)), force=force)
    efiles.write_partial(out, context, partial, force=force)
    return [out, *shares]
