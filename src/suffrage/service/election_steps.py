"""An election step by step, each step one command on one machine, through files.

The steps are those of :mod:`suffrage.service.election` (the in-process run), cut where the
people change: each guardian creates its keys, deals its shares and receives the shares
dealt to it on its own machine; the credential authority creates the election; voters cast;
the officials close; each guardian decrypts; anyone publishes the record. The files are
those of :mod:`suffrage.service.ceremony_files`; a guardian's secret file is read only by
that guardian's own commands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suffrage._native import Element
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput, InvalidManifest, VerificationFailed
from suffrage.protocol.ballot import encrypt_ballot
from suffrage.protocol.board import BoardEntry, counted_entries
from suffrage.protocol.context import ElectionContext, make_context, manifest_hash
from suffrage.protocol.credentials import Credential, generate_credential
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
from suffrage.protocol.manifest import Manifest, load_manifest_text
from suffrage.protocol.tally import (
    check_partial_decryption,
    compute_partial_decryption,
    compute_tally,
)
from suffrage.record.files import RECORD_FILES
from suffrage.record.reading import read_regular
from suffrage.record.writing import check_free
from suffrage.service import ceremony_files as files
from suffrage.service import election_files as efiles
from suffrage.service.election import homomorphic_only
from suffrage.service.publish import publish
from suffrage.storage.board import BulletinBoard

__all__ = [
    "LoadedManifest",
    "cast_ballot",
    "close_election",
    "create_election",
    "create_guardian_files",
    "deal_shares",
    "decrypt_tally",
    "load_manifest_file",
    "publish_record",
    "read_publics",
    "receive_shares",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedManifest:
    """The manifest an election runs, and the ranked contests left out of it (no mix-net)."""

    manifest: Manifest
    left_out: tuple[str, ...]


def load_manifest_file(path: Path) -> LoadedManifest:
    """Read a YAML or JSON manifest; ranked contests are left out (homomorphic tally only)."""
    try:
        content = read_regular(path, follow=True).decode("utf-8")
    except InvalidInput as exc:
        raise InvalidInput(str(path), exc.reason) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(str(path), f"not UTF-8 text (byte {exc.start})") from None
    try:
        full = load_manifest_text(content, fmt="json" if path.suffix == ".json" else "yaml")
    except InvalidManifest as exc:
        raise InvalidManifest(f"{path}: {exc.field}", exc.reason) from None
    left_out = tuple(c.contest_id for c in full.contests if not c.is_homomorphic)
    return LoadedManifest(manifest=homomorphic_only(full), left_out=left_out)


# --- the key ceremony, one guardian at a time ----------------------------------------------


def create_guardian_files(
    manifest: Manifest,
    *,
    index: int,
    name: str,
    guardians: int,
    threshold: int,
    out: Path,
    rng: RandomSource,
    force: bool = False,
) -> tuple[Path, Path]:
    """Step 1 for one guardian: its secret file (0600) and its public file (an existing
    public file is replaced only with ``force``; a secret file never is)."""
    if not 1 <= threshold <= guardians:
        raise InvalidInput("threshold", f"must be between 1 and {guardians}, got {threshold}")
    if not 1 <= index <= guardians:
        raise InvalidInput("index", f"must be between 1 and {guardians}, got {index}")
    secret_file = files.secret_path(out, index)
    if secret_file.exists() or secret_file.is_symlink():
        raise InvalidInput(
            str(secret_file), "already exists: a guardian's secret is never overwritten"
        )
    check_free([files.public_path(out, index)], force=force)
    ceremony = files.Ceremony(
        manifest_hash=manifest_hash(manifest), guardians=guardians, threshold=threshold
    )
    secret = create_guardian(
        index=index, name=name, threshold=threshold, ceremony=ceremony.hash, rng=rng
    )
    files.write_guardian_file(secret_file, files.GuardianFile(ceremony=ceremony, secret=secret))
    files.write_public(files.public_path(out, index), ceremony, secret.public, force=force)
    return secret_file, files.public_path(out, index)


def read_publics(
    directory: Path, ceremony: files.Ceremony | None = None
) -> tuple[files.Ceremony, tuple[GuardianPublic, ...]]:
    """Every guardian's public file in ``directory``: one ceremony, guardians 1..n, proven."""
    paths = sorted(directory.glob("guardian-*.public.json"))
    if not paths:
        raise InvalidInput(str(directory), "holds no guardian-*.public.json files")
    read = [files.read_public(p) for p in paths]
    expected = ceremony or read[0][0]
    for path, (other, _) in zip(paths, read, strict=True):
        if other != expected:
            raise InvalidInput(
                str(path),
                "belongs to another ceremony (manifest, number of guardians or threshold differ)",
            )
    publics = tuple(sorted((g for _, g in read), key=lambda g: g.index))
    indices = [g.index for g in publics]
    if indices != list(range(1, expected.guardians + 1)):
        raise InvalidInput(
            str(directory),
            f"expected the public files of guardians 1..{expected.guardians}, found {indices}",
        )
    for guardian in publics:
        check_guardian(guardian, ceremony=expected.hash, threshold=expected.threshold)
    return expected, publics


def deal_shares(
    secret_file: Path, publics_dir: Path, out: Path, rng: RandomSource, *, force: bool = False
) -> list[tuple[GuardianPublic, Path]]:
    """Step 2: one share for every guardian (this one included), encrypted to it; each
    recipient with the file to send it. Existing share files are refused before any is
    written, unless ``force``."""
    mine = files.read_guardian_file(secret_file)
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
            f"the public file of guardian {mine.secret.index} there is not this guardian's",
        )


def _share_for_me(
    shares_dir: Path, dealer: GuardianPublic, me: int, ceremony: files.Ceremony
) -> EncryptedShare:
    path = files.share_path(shares_dir, dealer.index, me)
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
    mine = files.read_guardian_file(secret_file)
    if mine.key_share is not None and not force:
        raise InvalidInput(
            str(secret_file), "already holds a key share: pass --force to replace it"
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
        raise VerificationFailed("share", "; ".join(bad) + f" (complaints written to {shares_dir})")
    key_share = combine_shares(received)
    files.write_guardian_file(
        secret_file,
        files.GuardianFile(ceremony=ceremony, secret=mine.secret, key_share=key_share),
        update=True,
    )
    return secret_file


# --- the election ----------------------------------------------------------------------------


def create_election(
    manifest: Manifest,
    *,
    publics_dir: Path,
    credentials: int,
    out: Path,
    codes_out: Path,
    rng: RandomSource,
    force: bool = False,
) -> ElectionContext:
    """The credential authority: codes for the voters, and the election directory.

    An existing codes file is replaced only with ``force``; an existing election never is.
    """
    if credentials < 1:
        raise InvalidInput("credentials", "at least one voter is needed")
    if (out / "context.json").exists():
        raise InvalidInput(
            str(out), "already holds an election: choose another directory (it is never replaced)"
        )
    check_free([codes_out, out / "context.json"], force=force)
    expected = manifest_hash(manifest)
    ceremony, publics = read_publics(publics_dir)
    if ceremony.manifest_hash != expected:
        raise InvalidInput(str(publics_dir), "the guardians' keys were made for another manifest")
    codes = [generate_credential(rng) for _ in range(credentials)]
    keys = [Credential.from_code(c, election_id=manifest.election_id).public for c in codes]
    context = make_context(
        manifest=manifest, threshold=ceremony.threshold, guardians=publics, credential_keys=keys
    )
    efiles.write_codes(codes_out, manifest.election_id, codes, force=force)
    efiles.write_context(out, context)
    return context


def _board(election: Path, context: ElectionContext) -> BulletinBoard:
    return BulletinBoard(context, f"sqlite:///{(election / 'board.db').resolve()}")


def _snapshot(election: Path, context: ElectionContext) -> tuple[list[BoardEntry], bytes]:
    """Every entry on the board, and its head."""
    board = _board(election, context)
    try:
        return list(board.entries()), board.head()
    finally:
        board.engine.dispose()


def cast_ballot(
    election: Path,
    *,
    code: str,
    style_id: str,
    choices: Mapping[str, Sequence[int]],
    spoil: bool,
    rng: RandomSource,
) -> BoardEntry:
    """Encrypt on the voter's device and cast (or spoil, revealing it) on the board."""
    context = efiles.read_context(election)
    if (election / "tally.json").exists():
        raise InvalidInput(str(election), "voting is closed: the tally has been computed")
    credential = Credential.from_code(code, election_id=context.election_id)
    ballot, plain = encrypt_ballot(
        context, style_id=style_id, choices=choices, credential=credential, rng=rng
    )
    board = _board(election, context)
    try:
        return board.cast(ballot, reveal=plain if spoil else None)
    finally:
        board.engine.dispose()


def close_election(election: Path) -> efiles.ClosedTally:
    """Close voting: the encrypted tally of the counted ballots, written to the election."""
    context = efiles.read_context(election)
    if (election / "tally.json").exists():
        raise InvalidInput(str(election / "tally.json"), "already exists: voting is closed")
    entries, head = _snapshot(election, context)
    closed = efiles.ClosedTally(
        tally=compute_tally(context, entries, head),
        counted_sequences=tuple(e.sequence for e in counted_entries(entries)),
    )
    efiles.write_tally(election, context, closed)
    return closed


def decrypt_tally(
    secret_file: Path, election: Path, out: Path, rng: RandomSource, *, force: bool = False
) -> Path:
    """A guardian's partial decryption of the closed tally, with its proofs."""
    check_free([out], force=force)
    mine = files.read_guardian_file(secret_file)
    context = efiles.read_context(election)
    index = mine.secret.index
    if index > len(context.guardians) or context.guardian(index) != mine.secret.public:
        raise InvalidInput(str(secret_file), "is not the secret of a guardian of this election")
    if mine.key_share is None:
        raise InvalidInput(str(secret_file), "holds no key share yet: run 'guardian receive'")
    if Element.mul_base(mine.key_share) != public_share(context.guardians, index):
        raise InvalidInput(str(secret_file), "its key share does not match the ceremony")
    closed = efiles.read_tally(election, context)
    partial = compute_partial_decryption(
        context, closed.tally, guardian=index, key_share=mine.key_share, rng=rng
    )
    efiles.write_partial(out, context, partial, force=force)
    return out


def publish_record(
    election: Path, partial_files: Sequence[Path], out: Path, *, force: bool = False
) -> dict[str, Any]:
    """Combine ``k`` checked partial decryptions, count, and write the whole record.

    The record goes to its own directory: the election directory itself (or a link to it),
    or any directory holding an election's ``context.json`` or ``board.db`` (whose
    ``tally.json`` publishing would replace), is refused even with ``force``.
    """
    _refuse_election_directory(election, out)
    check_free((out / name for name in RECORD_FILES), force=force)
    context = efiles.read_context(election)
    closed = efiles.read_tally(election, context)
    entries, head = _snapshot(election, context)
    if (len(entries), head) != (closed.tally.entries, closed.tally.board_head):
        raise InvalidInput(str(election / "board.db"), "has changed since the tally")
    partials = [efiles.read_partial(p, context) for p in partial_files]
    for partial in partials:
        check_partial_decryption(context, closed.tally, partial)
    if list(closed.counted_sequences) != [e.sequence for e in counted_entries(entries)]:
        raise InvalidInput(
            str(election / "tally.json"), "does not match the board's counted ballots"
        )
    _, results = publish(
        out, context=context, entries=entries, tally=closed.tally, partials=partials, force=force
    )
    return results


def _refuse_election_directory(election: Path, out: Path) -> None:
    same = out.exists() and election.exists() and out.resolve() == election.resolve()
    if same or any((out / name).exists() for name in ("context.json", "board.db")):
        raise InvalidInput(
            str(out),
            "holds an election, whose files publishing would replace: "
            "write the record to a directory of its own",
        )
