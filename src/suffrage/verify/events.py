"""The event log with the record: check V20 (spec/protocol.md#18.4).

The log is replayed from events.jsonl: each line strictly decoded, numbered in order,
chained to the one before (the first to the start of the election's id), its hash
recomputed, and each event a step of the state the log is in. What the log established is
then compared with the record: the manifest, the guardians, the board key, the ceremony,
the credential list, the log's head that the base hash binds and the base hash itself,
the close (with the tally's), the tally's hash, the ranked contests mixed and their mixes
(each posted mix the record's file, byte for byte), and the published results.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from suffrage.errors import InvalidInput, SuffrageError
from suffrage.protocol.context import ElectionContext, guardian_digest
from suffrage.protocol.event_log import (
    Event,
    LifeLog,
    LifeState,
    credentials_hash,
    event_hash,
    log_start,
)
from suffrage.protocol.manifest import manifest_to_dict
from suffrage.protocol.tally import tally_hash
from suffrage.record.canonical import parse_canonical
from suffrage.record.events import event_from_json
from suffrage.record.files import RawRecord, ranked_files
from suffrage.record.reading import MAX_LINE, bounded_lines, open_regular
from suffrage.verify.report import ReportBuilder

__all__ = ["check_events"]

V20 = "V20"


def check_events(
    directory: Path, raw: RawRecord, context: ElectionContext, report: ReportBuilder
) -> None:
    """V20 (see the module docstring)."""
    path = directory / "events.jsonl"
    present = path.exists() or path.is_symlink()
    if context.log_head is None:
        if present:
            report.fail(V20, "events.jsonl is in the record but the base hash binds no log")
        else:
            report.ok(V20, 0)
            report.note("the election has no event log (its base hash binds none)")
        return
    if not present:
        report.fail(V20, "events.jsonl is missing: the base hash binds an event log")
        return
    life = _replay(path, context.election_id, report)
    if life is not None:
        for problem in _compare(life, raw, context, directory):
            report.fail(V20, problem)


def _replay(path: Path, election_id: str, report: ReportBuilder) -> LifeLog | None:
    """The log replayed; ``None`` (with V20 failures) if it cannot be."""
    life, previous = LifeLog(), log_start(election_id)
    try:
        handle = open_regular(path)
    except InvalidInput as exc:
        report.fail(V20, f"{exc.field}: {exc.reason}")
        return None
    with handle:
        for number, (line, _) in enumerate(bounded_lines(handle, limit=MAX_LINE), start=1):
            where = f"events.jsonl line {number}"
            try:
                if not line.endswith(b"\n") or len(line) > MAX_LINE:
                    raise InvalidInput(where, "must be one canonical line ending in a newline")
                event = event_from_json(parse_canonical(line[:-1], field=where), where)
                _chained(event, number, previous, where)
                life.apply(event)
            except SuffrageError as exc:
                text = str(exc)
                report.fail(V20, text if text.startswith(where) else f"{where}: {text}")
                return None
            previous = event.hash
    report.ok(V20, life.size)
    return life


def _chained(event: Event, number: int, previous: bytes, where: str) -> None:
    if event.sequence != number:
        raise InvalidInput(where, f"is numbered {event.sequence}, not {number}")
    if event.previous != previous:
        raise InvalidInput(where, "does not chain to the event before it (previous differs)")
    recomputed = event_hash(
        previous=event.previous,
        sequence=event.sequence,
        kind=event.kind.value,
        at=event.at,
        actor=event.actor,
        body=event.body,
    )
    if recomputed != event.hash:
        raise InvalidInput(where, "its hash is not the hash of the event")


def _compare_mixes(life: LifeLog, context: ElectionContext, directory: Path) -> list[str]:
    """The ranked contests the tally named and the mixes the closing of the mixing named
    are the record's; every file posted to the mailbox is the record's file of that name."""
    problems: list[str] = []
    files = {f.contest_id: f for f in ranked_files(directory, context.manifest)}
    held = [c for c, f in files.items() if f.mixes or f.decryptions or f.ranked]
    if life.tally is not None and list(life.ranked) != held:
        problems.append(
            f"the log's ranked contests to mix ({', '.join(life.ranked) or 'none'}) are not "
            f"the record's ({', '.join(held) or 'none'})"
        )
    for item in (life.mixed or {}).get("contests", ()):
        found = files.get(str(item["contest_id"]))
        count = len(found.mixes) if found is not None else 0
        if count != item["mixes"]:
            problems.append(
                f"the log closed the mixing of {item['contest_id']} with {item['mixes']} "
                f"mixes; the record has {count}"
            )
    for name, sha256 in life.files.items():
        if name.startswith("mix-"):
            path = directory / name
            if not path.is_file() or _sha256(path) != sha256:
                problems.append(f"{name} is not the file the log says was posted")
    return problems


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _compare(life: LifeLog, raw: RawRecord, context: ElectionContext, directory: Path) -> list[str]:
    problems: list[str] = []

    def same(what: str, logged: object, recorded: object) -> None:
        if logged != recorded:
            problems.append(f"the log's {what} is not the record's")

    if life.state in (LifeState.NONE, LifeState.DRAFT, LifeState.KEY_CEREMONY):
        return [f"the log ends with the election in state {life.state.value!r}: never opened"]
    same("manifest", life.manifest, manifest_to_dict(context.manifest))
    same("number of guardians", life.guardians, len(context.guardians))
    same("threshold", life.threshold, context.threshold)
    same(
        "board key", life.board_key, context.board_key.to_bytes().hex() if context.board_key else ""
    )
    same("ceremony hash", life.ceremony_hash, context.ceremony_hash.hex())
    digests = [guardian_digest(g).hex() for g in context.guardians]
    same("guardians' public files", [life.publics.get(g.index) for g in context.guardians], digests)
    completed = life.completed or {}
    same("joint key", completed.get("joint_key"), context.joint_key.element.to_bytes().hex())
    same("guardian digests at completion", completed.get("guardian_digests"), digests)
    published = life.credentials or {}
    same(
        "credential list",
        published.get("credentials_hash"),
        credentials_hash(context.credentials).hex(),
    )
    same("number of credentials", published.get("credentials"), len(context.credentials))
    same("head when voting opened (the base hash's log_head)", life.log_head, context.log_head)
    same("base hash when voting opened", life.base_hash, context.base_hash.hex())
    tally = raw.tally
    if tally is not None:
        if life.closed is None or life.tally is None:
            problems.append("the record has a tally but the log never closed voting and tallied")
        else:
            body = life.closed.body
            same("closing time", life.closed.at, tally.closed_at)
            same("early close", body["closed_early"], tally.closed_early)
            same("number of entries at the close", body["entries"], tally.entries)
            same("board head at the close", body["board_head"], tally.board_head.hex())
            same("tally hash", life.tally["tally_hash"], tally_hash(context, tally).hex())
            same("number of counted ballots", life.tally["counted"], tally.counted)
    problems += _compare_mixes(life, context, directory)
    results = directory / "results.json"
    if raw.results is not None and results.is_file():
        if life.state is not LifeState.PUBLISHED:
            problems.append("the record has results but the log never published them")
        else:
            digest = hashlib.sha256(results.read_bytes()).hexdigest()
            same("published results (SHA-256 of results.json)", life.results_sha256, digest)
    return problems
