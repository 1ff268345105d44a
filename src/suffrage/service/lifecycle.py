"""The election's life, enforced: each administrative step checked and logged.

:class:`ElectionLife` holds an election directory and its event log (in the board's
database). Every step an official, a guardian or the credential authority takes goes
through it: it refuses a step that is out of order (:class:`OutOfOrder`, naming the step to
take), checks the step's content (a guardian's file parsed and its proofs checked, a
credential list against the manifest), and appends the event in the same transaction that
re-reads the log, so the log is the single source of the election's state. The server's
admin routes and the command line's local steps both use it, so an election run offline and
one run on a server leave the same record.

Files in the directory: ``board-key.json`` (the server's signing key, drafted),
``mailbox/`` (the guardians' files), ``credentials.json`` (the public list, as published),
``context.json`` (once the credentials are published: the base hash binds the log's head),
``tally.json`` (tallied), ``record/`` (published, on a server). The mailbox also takes the
mixes of ranked contests (mixing) and the guardians' shares of each last mix (spec #19).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from suffrage.core.group import Element, decode_element_hex
from suffrage.core.randomness import OsRandom, RandomSource
from suffrage.errors import InvalidInput
from suffrage.protocol.board import counted_entries
from suffrage.protocol.context import (
    ElectionContext,
    guardian_digest,
    make_context,
    manifest_hash,
)
from suffrage.protocol.credentials import CredentialKey
from suffrage.protocol.event_log import (
    GUARDIAN_FILE_NAMES,
    Event,
    EventKind,
    LifeLog,
    LifeState,
    OutOfOrder,
    credentials_hash,
    file_kind,
    mix_file,
)
from suffrage.protocol.key_ceremony import (
    MAX_GUARDIANS,
    GuardianPublic,
    ceremony_hash,
    check_guardian,
    joint_key_element,
)
from suffrage.protocol.manifest import Contest, Manifest, manifest_to_dict, parse_manifest
from suffrage.protocol.mixnet import mix_rows, ranked_contests
from suffrage.protocol.tally import (
    check_partial_decryption,
    closing,
    compute_tally,
    tally_hash,
    time_text,
)
from suffrage.record import codec
from suffrage.record.canonical import canonical_bytes, parse_canonical
from suffrage.record.events import write_events
from suffrage.record.fields import expect_object, items
from suffrage.record.files import RankedRecord
from suffrage.record.reading import read_document_line
from suffrage.record.writing import write_file
from suffrage.service import ceremony_files as files
from suffrage.service import election_files as efiles
from suffrage.service.guardian_steps import read_publics
from suffrage.service.mixing import check_posted_mix, check_posted_mix_decryption, ranked_records
from suffrage.service.publish import publish
from suffrage.storage.board import BulletinBoard
from suffrage.storage.event_log import EventLog

__all__ = ["CREDENTIALS_FORMAT", "ElectionLife", "LifeState", "OutOfOrder"]

CREDENTIALS_FORMAT = "suffrage/credentials/1"
MAX_GUARDIAN_FILE = 1024 * 1024
MAX_MIX_FILE = 1024 * 1024 * 1024
"""The largest mix (or mix decryption) the mailbox takes: about 900,000 ballots' rankings of
five ranks (a mix line is about 200 bytes per ciphertext, its proof as much again)."""


class ElectionLife:
    """One election's life (see the module docstring); ``clock`` gives the time of each
    step. ``new`` allows a directory that holds no election yet (to draft one)."""

    def __init__(
        self,
        directory: Path,
        *,
        database: str | None = None,
        clock: Callable[[], datetime],
        rng: RandomSource | None = None,
        new: bool = False,
    ) -> None:
        if not directory.is_dir() or (
            not new and database is None and not (directory / "board.db").exists()
        ):
            raise InvalidInput(
                str(directory),
                "is not an election directory (it has no board.db): `suffrage election "
                "create` makes one; check --election",
            )
        self.directory = directory
        self.url = efiles.database_url(directory, database)
        self.clock = clock
        self.rng: RandomSource = rng or OsRandom()
        self.log = EventLog(self.url)

    def close(self) -> None:
        self.log.close()

    # --- reading -------------------------------------------------------------------------

    def life(self) -> LifeLog:
        return self.log.life()

    def state(self) -> LifeState:
        return self.life().state

    def events(self, after: int = 0, limit: int | None = None) -> list[Event]:
        return self.log.events(after, limit)

    def manifest(self, life: LifeLog | None = None) -> Manifest:
        life = life or self.life()
        if life.manifest is None:
            raise life.refuse("reading the manifest")
        return parse_manifest(life.manifest)

    @property
    def mailbox(self) -> Path:
        return self.directory / "mailbox"

    def context(self) -> ElectionContext:
        """The election context (once the credential list is published)."""
        return efiles.read_context(self.directory)

    # --- the steps -----------------------------------------------------------------------

    def _append(
        self,
        kind: EventKind,
        actor: str,
        body: Callable[[LifeLog], dict[str, Any]],
        *,
        election_id: str | None = None,
        now: datetime | None = None,
    ) -> Event:
        at = time_text(now or self.clock())
        return self.log.append(
            at, lambda life: _checked(life, kind, actor, body), election_id=election_id
        )

    def draft(
        self,
        manifest: Manifest,
        *,
        guardians: int,
        threshold: int,
        actor: str = "admin",
    ) -> Event:
        """The first step: the manifest, the number of guardians and the threshold, and the
        board's signing key (made here; its public half is in the event). Ranked contests
        are mixed after the tally (spec/protocol.md#19), on a server through its mailbox."""
        if not 1 <= guardians <= MAX_GUARDIANS:
            raise InvalidInput(
                "guardians", f"must be between 1 and {MAX_GUARDIANS}, got {guardians}"
            )
        if not 1 <= threshold <= guardians:
            raise InvalidInput("threshold", f"must be between 1 and {guardians}, got {threshold}")
        secret = self.rng.scalar()

        def body(life: LifeLog) -> dict[str, Any]:
            del life
            efiles.write_board_key(self.directory, secret, force=True)
            return {
                "manifest": manifest_to_dict(manifest),
                "guardians": guardians,
                "threshold": threshold,
                "board_key": Element.mul_base(secret).to_bytes().hex(),
            }

        return self._append(EventKind.DRAFTED, actor, body, election_id=manifest.election_id)

    def replace_manifest(self, manifest: Manifest, *, actor: str = "admin") -> Event:
        """A new manifest for the draft (the election's id stays the same)."""

        def body(life: LifeLog) -> dict[str, Any]:
            if manifest.election_id != life.election_id:
                raise InvalidInput(
                    "manifest.election_id",
                    f"is {manifest.election_id!r}; this election is {life.election_id!r} "
                    "(a draft keeps its id: serve another directory for another election)",
                )
            return {"manifest": manifest_to_dict(manifest)}

        return self._append(EventKind.MANIFEST_REPLACED, actor, body)

    def start_ceremony(self, *, actor: str = "admin") -> Event:
        """Freeze the manifest: the guardians make their keys for exactly this one."""

        def body(life: LifeLog) -> dict[str, Any]:
            ceremony = ceremony_hash(
                manifest_hash=manifest_hash(self.manifest(life)),
                guardians=life.guardians,
                threshold=life.threshold,
            )
            return {"ceremony_hash": ceremony.hex()}

        return self._append(EventKind.CEREMONY_STARTED, actor, body)

    def post_file(self, name: str, data: bytes, *, actor: str) -> Event:
        """A guardian's file for the mailbox: checked for what its name says it is (and, for
        a public file, its proofs; for a partial decryption, against the tally; for a mix,
        its proof of shuffle against its input; for a mix decryption, its proof against the
        last mix), kept, and logged. A name already posted is refused; nothing is ever
        replaced."""
        if not GUARDIAN_FILE_NAMES.fullmatch(name):
            raise InvalidInput("name", f"{name[:80]!r} is not the name of a guardian's file")
        self.mailbox.mkdir(exist_ok=True)
        target = self.mailbox / name
        written = []
        inputs = self._first_mix_inputs(name)  # read before the log's write lock is taken

        def body(life: LifeLog) -> dict[str, Any]:
            extra = self._check_file(life, name, data, inputs)
            write_file(target, data)
            written.append(target)
            return {"name": name, "sha256": hashlib.sha256(data).hexdigest(), **extra}

        try:
            return self._append(EventKind.GUARDIAN_FILE, actor, body)
        except BaseException:
            if written and name not in self.life().files:
                target.unlink()
            raise

    def _first_mix_inputs(self, name: str) -> dict[str, tuple[Contest, bytes]]:
        """The counted ballots' rankings, for a first mix (read from the board once the
        tally is there); nothing for any other file."""
        if file_kind(name) != "mix" or mix_file(name)[1] != 1:
            return {}
        if not (self.directory / "tally.json").exists():
            raise self.life().refuse(f"posting {name}")
        context = self.context()
        closed = efiles.read_tally(self.directory, context)
        return efiles.ranked_inputs(self.directory, context, closed, database=self.url)

    def _check_file(
        self,
        life: LifeLog,
        name: str,
        data: bytes,
        inputs: Mapping[str, tuple[Contest, bytes]],
    ) -> dict[str, Any]:
        life.check(EventKind.GUARDIAN_FILE, {"name": name})
        if file_kind(name).startswith("mix"):
            return self._check_mix_file(life, name, data, inputs)
        if len(data) > MAX_GUARDIAN_FILE:
            raise InvalidInput("body", f"larger than {MAX_GUARDIAN_FILE} bytes")
        if not data.endswith(b"\n") or data.count(b"\n") != 1:
            raise InvalidInput(name, "must be one line of canonical JSON ending in a newline")
        parse_canonical(data[:-1], field=name)
        with _Scratch(self.mailbox, data) as scratch:
            kind = file_kind(name)
            if kind == "partial":
                context = self.context()
                closed = efiles.read_tally(self.directory, context)
                partial = efiles.read_partial(scratch, context)
                if name != f"partial-{partial.guardian}.json":
                    raise InvalidInput(name, f"holds the file of partial-{partial.guardian}.json")
                check_partial_decryption(context, closed.tally, partial)
                return {}
            extra: dict[str, Any] = {}
            if kind == "public":
                ceremony, guardian = files.read_public(scratch)
                check_guardian(guardian, ceremony=ceremony.hash, threshold=life.threshold)
                if guardian.index > life.guardians:
                    raise InvalidInput(name, f"the election has {life.guardians} guardians")
                expected = files.public_path(Path(), guardian.index).name
                digest = guardian_digest(guardian).hex()
                extra = {"guardian": guardian.index, "guardian_digest": digest}
            elif kind == "share":
                ceremony, share = files.read_share(scratch)
                expected = files.share_path(Path(), share.dealer, share.recipient).name
            else:
                ceremony, complaint = files.read_complaint(scratch)
                about = complaint.share
                expected = files.complaint_path(Path(), about.recipient, about.dealer).name
        if ceremony.hash.hex() != life.ceremony_hash:
            raise InvalidInput(
                name,
                "was made for another ceremony (manifest, number of guardians or threshold "
                "differ): make it again from the manifest this election's ceremony started with",
            )
        if expected != name:
            raise InvalidInput(name, f"holds the file of {expected}")
        return extra

    def _check_mix_file(
        self,
        life: LifeLog,
        name: str,
        data: bytes,
        inputs: Mapping[str, tuple[Contest, bytes]],
    ) -> dict[str, Any]:
        """A mix (checked against its input) or a mix decryption (against the last mix)."""
        if len(data) > MAX_MIX_FILE:
            raise InvalidInput("body", f"larger than {MAX_MIX_FILE} bytes")
        context = self.context()
        with _Scratch(self.mailbox, data) as scratch:
            try:
                if file_kind(name) == "mix-decryption":
                    check_posted_mix_decryption(life, context, self.mailbox, name, scratch)
                    return {}
                return check_posted_mix(
                    life, context, inputs, self.mailbox, name=name, path=scratch
                )
            except InvalidInput as exc:  # the strict readers name the scratch file
                raise InvalidInput(
                    exc.field.replace(str(scratch), name).replace(scratch.name, name),
                    exc.reason.replace(str(scratch), name).replace(scratch.name, name),
                ) from None

    def complete_ceremony(self, *, actor: str = "admin") -> Event:
        """Every guardian's public file is in and no complaint was made: the joint key."""

        def body(life: LifeLog) -> dict[str, Any]:
            life.check(EventKind.CEREMONY_COMPLETED, {})
            _, publics = self._publics(life)
            return {
                "joint_key": _joint_key(publics),
                "guardian_digests": [guardian_digest(g).hex() for g in publics],
            }

        return self._append(EventKind.CEREMONY_COMPLETED, actor, body)

    def _publics(self, life: LifeLog) -> tuple[files.Ceremony, tuple[GuardianPublic, ...]]:
        ceremony = files.Ceremony(
            manifest_hash=manifest_hash(self.manifest(life)),
            guardians=life.guardians,
            threshold=life.threshold,
        )
        return read_publics(self.mailbox, ceremony)

    def publish_credentials(
        self, credentials: Sequence[CredentialKey], *, actor: str = "authority"
    ) -> ElectionContext:
        """The public credential list (keys and ballot styles), published again to reissue
        a credential; the context (whose base hash binds the log's head) is written."""
        if not credentials:
            raise InvalidInput("credentials", "the list is empty: the roll has no voter")
        path = self.directory / "credentials.json"

        def body(life: LifeLog) -> dict[str, Any]:
            life.check(EventKind.CREDENTIALS_PUBLISHED, {})
            self._build_context(life, credentials, b"\0" * 64)  # refuses a bad list
            value = {
                "format": CREDENTIALS_FORMAT,
                "credentials": [codec.credential_to_json(c) for c in credentials],
            }
            write_file(path, canonical_bytes(value) + b"\n", force=True)
            return {
                "credentials": len(credentials),
                "credentials_hash": credentials_hash(credentials).hex(),
            }

        self._append(EventKind.CREDENTIALS_PUBLISHED, actor, body)
        return self._write_context(self.life())

    def _credentials(self, life: LifeLog) -> tuple[CredentialKey, ...]:
        path = self.directory / "credentials.json"
        o = expect_object(read_document_line(path), str(path), ["format", "credentials"])
        if o["format"] != CREDENTIALS_FORMAT:
            raise InvalidInput(f"{path}.format", f"expected {CREDENTIALS_FORMAT!r}")
        found = items(o["credentials"], f"{path}.credentials", codec.credential_from_json)
        published = life.credentials or {}
        if credentials_hash(found).hex() != published.get("credentials_hash"):
            raise InvalidInput(str(path), "is not the credential list the event log published")
        return found

    def _build_context(
        self, life: LifeLog, credentials: Sequence[CredentialKey], head: bytes
    ) -> ElectionContext:
        _, publics = self._publics(life)
        return make_context(
            manifest=self.manifest(life),
            threshold=life.threshold,
            guardians=publics,
            credentials=credentials,
            board_key=decode_element_hex(life.board_key, field="board key"),
            log_head=head,
        )

    def _write_context(self, life: LifeLog) -> ElectionContext:
        context = self._build_context(life, self._credentials(life), life.head)
        efiles.write_context(self.directory, context, update=True)
        return context

    def open(self, *, actor: str = "admin") -> ElectionContext:
        """Open voting: the context is final; the event carries its base hash. Ballots are
        accepted from now on, within the manifest's voting window."""
        opened: list[ElectionContext] = []

        def body(life: LifeLog) -> dict[str, Any]:
            life.check(EventKind.OPENED, {})
            context = self._write_context(life)
            opened.append(context)
            return {"base_hash": context.base_hash.hex()}

        self._append(EventKind.OPENED, actor, body)
        return opened[0]

    def board(self) -> BulletinBoard:
        """The bulletin board (once the context exists)."""
        return BulletinBoard(self.context(), self.url, rng=self.rng)

    def close_voting(self, *, close_early: bool = False, actor: str = "admin") -> Event:
        """Close voting now: no ballot is accepted afterwards. Before the manifest's end this
        needs ``close_early``, which the log and the tally carry."""
        board = self.board()
        now = self.clock()
        try:

            def body(life: LifeLog) -> dict[str, Any]:
                life.check(EventKind.CLOSED, {})
                _, early = closing(self.manifest(life), now, close_early=close_early)
                size, head = board.last()
                return {"closed_early": early, "entries": size, "board_head": head.hex()}

            return self._append(EventKind.CLOSED, actor, body, now=now)
        finally:
            board.close()

    def close_and_tally(
        self, *, close_early: bool = False, actor: str = "admin"
    ) -> efiles.ClosedTally:
        """Close voting if it is open, then compute the tally (a tally that failed after the
        close is computed by the same call again)."""
        if self.state() is LifeState.OPEN:
            self.close_voting(close_early=close_early, actor=actor)
        return self.tally(actor=actor)

    def tally(self, *, actor: str = "admin") -> efiles.ClosedTally:
        """The encrypted tally of the counted ballots, as the board was at the close."""
        life = self.life()
        life.check(EventKind.TALLIED, {})
        assert life.closed is not None
        context = self.context()
        board = self.board()
        try:
            entries, head = list(board.entries()), board.head()
        finally:
            board.close()
        closed_body = life.closed.body
        if (len(entries), head.hex()) != (closed_body["entries"], closed_body["board_head"]):
            raise InvalidInput("board", "has changed since voting closed")
        closed = efiles.ClosedTally(
            tally=compute_tally(
                context,
                entries,
                head,
                closed_at=datetime.fromisoformat(life.closed.at),
                close_early=bool(closed_body["closed_early"]),
            ),
            counted_sequences=tuple(e.sequence for e in counted_entries(entries)),
        )
        counted = [e.ballot for e in counted_entries(entries)]
        ranked = [
            {"contest_id": c.contest_id, "rows": rows}
            for c in ranked_contests(context)
            if (rows := mix_rows(c, counted))
        ]

        def body(life: LifeLog) -> dict[str, Any]:
            life.check(EventKind.TALLIED, {})
            efiles.write_tally(self.directory, context, closed)
            return {
                "tally_hash": tally_hash(context, closed.tally).hex(),
                "counted": closed.tally.counted,
            } | ({"ranked": ranked} if ranked else {})

        self._append(EventKind.TALLIED, actor, body)
        return closed

    def close_mixing(
        self, contests: Sequence[Mapping[str, Any]] | None = None, *, actor: str = "admin"
    ) -> Event:
        """Close the mixing: each ranked contest's mixes are final (at least ``n - k + 1``
        guardians mixed it), and the guardians decrypt the last ones. On a server the
        mixes are those posted; ``contests`` names those of an election whose mixes came
        by hand (:func:`suffrage.service.mixing.mixing_closed`)."""

        def body(life: LifeLog) -> dict[str, Any]:
            named = contests
            if named is None:
                named = [
                    {"contest_id": c, "mixes": len(m), "mix_digest": m[-1][1] if m else ""}
                    for c in life.ranked
                    for m in [life.mixes.get(c, [])]
                ]
            return {"contests": [dict(c) for c in named]}

        return self._append(EventKind.MIXED, actor, body)

    def publish(
        self,
        out: Path,
        *,
        partial_files: Sequence[Path] | None = None,
        ranked: Sequence[RankedRecord] | None = None,
        actor: str = "admin",
        force: bool = False,
    ) -> dict[str, Any]:
        """Combine the guardians' partial decryptions (those given, or the mailbox's), count,
        and write the record to ``out`` with its event log, ending in ``published``. Once
        published, the same record can be written again elsewhere (with the same results).
        ``ranked`` holds the ranked contests' checked mixes and decryptions (spec #19), which
        the offline path gathers (:func:`suffrage.service.election_steps.publish_record`);
        without it, they are the mailbox's, checked again."""
        life = self.life()
        again = life.state is LifeState.PUBLISHED
        if not again:
            life.check(EventKind.PUBLISHED, {})
        context = self.context()
        closed = efiles.read_tally(self.directory, context)
        if partial_files is None:
            partial_files = sorted(self.mailbox.glob("partial-*.json"))
        if ranked is None:
            found = ranked_records(
                self.directory, partial_files, self.mailbox if life.ranked else None,
                database=self.url,
            )  # fmt: skip
            ranked = [record for record, _ in found]
        partials = [efiles.read_partial(p, context) for p in partial_files]
        guardians = sorted({p.guardian for p in partials})
        if len(guardians) < context.threshold:
            raise InvalidInput(
                "partials",
                f"{len(guardians)} guardian(s) decrypted "
                f"({', '.join(map(str, guardians)) or '-'}), {context.threshold} are needed: "
                "ask more guardians to run `suffrage guardian decrypt` and post or pass their "
                "file",
            )
        for partial in partials:
            check_partial_decryption(context, closed.tally, partial)
        board = self.board()
        try:
            entries, head = list(board.entries()), board.head()
        finally:
            board.close()
        if (len(entries), head) != (closed.tally.entries, closed.tally.board_head):
            raise InvalidInput("board", "has changed since the tally")
        if list(closed.counted_sequences) != [e.sequence for e in counted_entries(entries)]:
            raise InvalidInput("tally.json", "does not match the board's counted ballots")
        _, results = publish(
            out,
            context=context,
            entries=entries,
            tally=closed.tally,
            partials=partials,
            ranked=ranked,
            force=force,
            turnout_from=self.directory,
        )
        digest = hashlib.sha256((out / "results.json").read_bytes()).hexdigest()
        if again and digest != life.results_sha256:
            raise InvalidInput("results.json", "differs from the results the log published")
        if not again:
            self._append(EventKind.PUBLISHED, actor, lambda _: {"results_sha256": digest})
        write_events(out / "events.jsonl", self.events(), force=True)
        return results


def _checked(
    life: LifeLog, kind: EventKind, actor: str, body: Callable[[LifeLog], dict[str, Any]]
) -> tuple[EventKind, str, dict[str, Any]]:
    return kind, actor, body(life)


def _joint_key(publics: Sequence[GuardianPublic]) -> str:
    return str(joint_key_element(publics).to_bytes().hex())


class _Scratch:
    """``data`` in a temporary file of ``directory`` (the strict file readers read paths)."""

    def __init__(self, directory: Path, data: bytes) -> None:
        self.directory, self.data = directory, data

    def __enter__(self) -> Path:
        handle, where = tempfile.mkstemp(prefix=".check-", suffix=".json", dir=self.directory)
        with os.fdopen(handle, "wb") as out:
            out.write(self.data)
        self.path = Path(where)
        return self.path

    def __exit__(self, *_: object) -> None:
        self.path.unlink(missing_ok=True)
