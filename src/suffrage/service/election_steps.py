"""An election step by step, each step one command on one machine, through files.

The steps are those of :mod:`suffrage.service.election` (the in-process run), cut where the
people change. The guardians' steps are in :mod:`suffrage.service.guardian_steps`; here are
the credential authority's (create the election from the roll, write the letters, reissue a
lost credential before voting opens, forget the roll afterwards), the voter's (cast), the
officials' (close) and anyone's (publish). Every step that needs the clock takes it as an
argument, so tests control it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput, InvalidManifest
from suffrage.protocol.ballot import encrypt_ballot
from suffrage.protocol.board import BoardEntry
from suffrage.protocol.context import ElectionContext, make_context, manifest_hash
from suffrage.protocol.credentials import Credential, generate_credential
from suffrage.protocol.manifest import Manifest, load_manifest_text
from suffrage.record.files import RECORD_FILES
from suffrage.record.reading import read_regular
from suffrage.record.writing import check_free
from suffrage.service import ceremony_files as files
from suffrage.service import election_files as efiles
from suffrage.service.authority import (
    AuthorityFile,
    path_of,
    read_authority,
    write_authority,
)
from suffrage.service.guardian_steps import read_publics
from suffrage.service.letters import LETTER_LANGUAGES, Letter, write_letters
from suffrage.service.lifecycle import ElectionLife, LifeState
from suffrage.service.mixing import mixing_closed, ranked_records
from suffrage.service.roll import read_roll
from suffrage.service.sealed import check_new_passphrase
from suffrage.storage.board import BulletinBoard

__all__ = [
    "cast_ballot",
    "close_election",
    "create_election",
    "forget_authority",
    "issue_credentials",
    "load_manifest_file",
    "publish_record",
    "reissue_credential",
    "write_voter_letters",
]


def _now() -> datetime:
    return datetime.now(UTC)


def load_manifest_file(path: Path) -> Manifest:
    """Read a YAML or JSON manifest; every problem is reported at once (with its line and
    column for YAML)."""
    try:
        content = read_regular(path, follow=True).decode("utf-8")
    except InvalidInput as exc:
        hint = " (`suffrage election init FILE` writes a starter manifest)"
        raise InvalidInput(str(path), exc.reason + hint) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(str(path), f"not UTF-8 text (byte {exc.start})") from None
    try:
        manifest = load_manifest_text(content, fmt="json" if path.suffix == ".json" else "yaml")
    except InvalidManifest as exc:
        raise InvalidManifest(
            f"{path}: {exc.field}",
            exc.reason,
            problems=tuple(f"{path}: {p}" for p in exc.problems),
        ) from None
    return manifest


def _changed_manifest(publics_dir: Path, ceremony_hash: bytes, manifest: Manifest) -> None:
    if ceremony_hash != manifest_hash(manifest):
        raise InvalidInput(
            str(publics_dir),
            "the guardians' keys were made for another manifest (manifest hash "
            f"{ceremony_hash.hex()[:16]}..., this one {manifest_hash(manifest).hex()[:16]}...): "
            "every key binds the exact manifest it was made for, so a manifest changed after "
            "the key ceremony needs a new ceremony (each guardian runs `suffrage guardian "
            "create`, `shares` and `receive` again with this manifest), or use the manifest "
            "the guardians used",
        )


def create_election(
    manifest: Manifest,
    *,
    publics_dir: Path,
    roll: Path,
    out: Path,
    authority: Path,
    passphrase: str,
    rng: RandomSource,
    clock: Callable[[], datetime] = _now,
    force: bool = False,
) -> tuple[ElectionContext, AuthorityFile]:
    """The credential authority: one credential per voter of the roll, bound to the voter's
    ballot style; the election directory, whose event log records the draft, the guardians'
    public files, the ceremony and the credential list (spec/protocol.md#18); and the
    authority's sealed private file (the roll and who holds which code), which is never
    part of the election or its record. Voting opens with :func:`open_election`.

    Everything is checked before anything is written. An existing authority file is
    replaced only with ``force``; an existing election never is. Its ranked contests are
    mixed by the guardians after the close (`suffrage guardian mix`).
    """
    check_new_passphrase(passphrase)
    if (out / "context.json").exists() or (out / "board.db").exists():
        raise InvalidInput(
            str(out), "already holds an election: choose another directory (it is never replaced)"
        )
    check_free([out / "context.json", path_of(authority)], force=force)
    ceremony, publics = read_publics(publics_dir)
    _changed_manifest(publics_dir, ceremony.manifest_hash, manifest)
    private = _credentials_for(manifest, roll, rng)
    make_context(  # refuses a set-up that cannot be an election before anything is written
        manifest=manifest,
        threshold=ceremony.threshold,
        guardians=publics,
        credentials=private.credentials(),
    )
    write_authority(authority, private, passphrase=passphrase, rng=rng, force=force)
    out.mkdir(parents=True, exist_ok=True)
    life = ElectionLife(out, clock=clock, rng=rng, new=True)
    try:
        life.draft(manifest, guardians=ceremony.guardians, threshold=ceremony.threshold)
        life.start_ceremony()
        for guardian in publics:
            public = files.public_path(publics_dir, guardian.index)
            life.post_file(public.name, public.read_bytes(), actor="admin")
        life.complete_ceremony()
        context = life.publish_credentials(private.credentials())
    finally:
        life.close()
    return context, private


def _credentials_for(manifest: Manifest, roll: Path, rng: RandomSource) -> AuthorityFile:
    voters = read_roll(roll, manifest, languages=LETTER_LANGUAGES)
    codes = tuple(generate_credential(rng) for _ in voters)
    return AuthorityFile(election_id=manifest.election_id, voters=voters, codes=codes)


def issue_credentials(
    manifest: Manifest,
    *,
    roll: Path,
    authority: Path,
    passphrase: str,
    rng: RandomSource,
    force: bool = False,
) -> AuthorityFile:
    """The credential authority of an election run on a server: one credential per voter of
    the roll, sealed in the authority's private file; the public list
    (:meth:`AuthorityFile.credentials`) is what the server publishes."""
    check_new_passphrase(passphrase)
    check_free([path_of(authority)], force=force)
    private = _credentials_for(manifest, roll, rng)
    write_authority(authority, private, passphrase=passphrase, rng=rng, force=force)
    return private


def open_election(election: Path, *, clock: Callable[[], datetime] = _now) -> ElectionContext:
    """Open voting: the context becomes final (ballots are accepted within the manifest's
    window from now on, and the credential list can no longer change)."""
    life = ElectionLife(election, clock=clock)
    try:
        return life.open()
    finally:
        life.close()


def _same_election(private: AuthorityFile, context: ElectionContext, authority: Path) -> None:
    if private.election_id != context.election_id:
        raise InvalidInput(
            str(authority),
            f"belongs to election {private.election_id!r}, not {context.election_id!r}",
        )


def write_voter_letters(
    election: Path,
    authority: Path,
    out: Path,
    *,
    passphrase: str,
    voter_ids: Sequence[str] = (),
    booth_url: str | None = None,
    force: bool = False,
) -> list[Path]:
    """The credential letters (HTML, PDF) and the mail-merge file, for every voter of the
    roll or for ``voter_ids`` only (a reissued credential, for example)."""
    context = efiles.read_context(election)
    private = read_authority(authority, passphrase=passphrase)
    _same_election(private, context, authority)
    positions = [private.voter(v) for v in voter_ids] if voter_ids else range(len(private.voters))
    letters = [Letter(voter=private.voters[i], code=private.codes[i]) for i in positions]
    return write_letters(context.manifest, letters, out, booth_url=booth_url, force=force)


def reissue_credential(
    election: Path,
    authority: Path,
    voter_id: str,
    *,
    passphrase: str,
    at: datetime,
    rng: RandomSource,
) -> ElectionContext:
    """Revoke a voter's credential and issue a new one, before voting opens (at ``at``).

    The new key replaces the old one in the credential list, so the election's base hash
    changes: nothing is bound to it until the first ballot. Once voting has opened (or a
    ballot is on the board) the credential list is final, and this is refused.
    """
    context = efiles.read_context(election)
    life = ElectionLife(election, clock=lambda: at, rng=rng)
    if life.state() is not LifeState.KEY_CEREMONY:
        life.close()
        raise InvalidInput(
            "reissue",
            f"voting has been opened (the election is {life.state().value}): the credential "
            "list is final once voting opens, so a lost credential can no longer be replaced",
        )
    private = read_authority(authority, passphrase=passphrase)
    _same_election(private, context, authority)
    index = private.voter(voter_id)
    old = Credential.from_code(private.codes[index], election_id=private.election_id).public
    codes = list(private.codes)
    codes[index] = generate_credential(rng)
    updated = AuthorityFile(
        election_id=private.election_id,
        voters=private.voters,
        codes=tuple(codes),
        revoked=(*private.revoked, old.to_bytes().hex()),
    )
    try:
        new_context = life.publish_credentials(updated.credentials())
    finally:
        life.close()
    write_authority(authority, updated, passphrase=passphrase, rng=rng, force=True)
    return new_context


def forget_authority(election: Path, authority: Path, letters: Path | None = None) -> list[Path]:
    """Delete the credential authority's private file (and the letters written to
    ``letters``) once voting is closed: the roll and the voter-to-credential mapping are
    personal data kept no longer than the election needs them."""
    efiles.read_context(election)
    if not (election / "tally.json").exists():
        raise InvalidInput(
            str(election),
            "voting is not closed: the authority's file is needed until then (to reissue a "
            "credential before voting opens); run `suffrage election tally` first",
        )
    doomed = [path_of(authority)] if path_of(authority).exists() else []
    if letters is not None and letters.is_dir():
        doomed += sorted(
            p
            for p in letters.iterdir()
            if p.is_file() and (p.suffix in (".html", ".pdf") or p.name == "mailmerge.csv")
        )
    if not doomed:
        raise InvalidInput(str(authority), "holds nothing to delete (already forgotten?)")
    for path in doomed:
        os.unlink(path)
    return doomed


def _board(election: Path, context: ElectionContext) -> BulletinBoard:
    return BulletinBoard(context, efiles.database_url(election))


def cast_ballot(
    election: Path,
    *,
    code: str,
    choices: Mapping[str, Sequence[int]],
    spoil: bool,
    at: datetime,
    rng: RandomSource,
) -> BoardEntry:
    """Encrypt on the voter's device and cast (or spoil, revealing it) on the board, at
    ``at``; the ballot's style is the one the credential is bound to."""
    context = efiles.read_context(election)
    credential = Credential.from_code(code, election_id=context.election_id)
    style_id = context.style_of(credential.public)
    if style_id is None:
        raise InvalidInput(
            "credential",
            "this code is not on the election's credential list: check it letter by letter "
            "(a reissued credential replaces the old code)",
        )
    ballot, plain = encrypt_ballot(
        context, style_id=style_id, choices=choices, credential=credential, rng=rng
    )
    board = _board(election, context)
    try:
        return board.cast(ballot, at=at, reveal=plain if spoil else None)
    finally:
        board.engine.dispose()


def close_election(
    election: Path, *, at: datetime, close_early: bool = False
) -> efiles.ClosedTally:
    """Close voting at ``at``: the encrypted tally of the counted ballots, written to the
    election. Before the manifest's end this needs ``close_early``, which the tally (and so
    the record) carries."""
    life = ElectionLife(election, clock=lambda: at)
    try:
        return life.close_and_tally(close_early=close_early)
    finally:
        life.close()


def publish_record(
    election: Path,
    partial_files: Sequence[Path],
    out: Path,
    *,
    mixes: Path | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Combine ``k`` checked partial decryptions, count, and write the whole record.

    With ranked contests that counted ballots hold, ``mixes`` is the directory of their
    mixes (`suffrage guardian mix`); every mix is checked (V23, V24), the guardians' shares
    of each last mix are read from ``mix-decryption-C-J.jsonl`` beside their partial files
    (or in ``mixes``) and checked (V25), and the rankings are decrypted and counted (spec
    #19.4-19.5). The record goes to its own directory: the election directory itself (or a
    link to it), or any directory holding an election's ``context.json`` or ``board.db``
    (whose ``tally.json`` publishing would replace), is refused even with ``force``.
    """
    _refuse_election_directory(election, out)
    check_free((out / name for name in RECORD_FILES), force=force)
    ranked = ranked_records(election, partial_files, mixes)
    life = ElectionLife(election, clock=_now)
    try:
        if life.state() is LifeState.MIXING:
            life.close_mixing(mixing_closed(ranked))
        records = [record for record, _ in ranked]
        return life.publish(out, partial_files=partial_files, ranked=records, force=force)
    finally:
        life.close()


def _refuse_election_directory(election: Path, out: Path) -> None:
    same = out.exists() and election.exists() and out.resolve() == election.resolve()
    if same or any((out / name).exists() for name in ("context.json", "board.db")):
        raise InvalidInput(
            str(out),
            "holds an election, whose files publishing would replace: "
            "write the record to a directory of its own",
        )
