"""The event log as JSON (spec/record-format.md#eventsjsonl): strict, per kind.

One event is ``{"sequence", "kind", "at", "actor", "body", "previous", "hash"}``; its body
has exactly the fields its kind defines (spec/protocol.md#18.3). Decoding checks shapes
and encodings only; the chain, the hashes and the order are the replay's business
(:class:`~suffrage.protocol.event_log.LifeLog`, check V20).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from suffrage.errors import InvalidEncoding
from suffrage.protocol.event_log import (
    ACTORS,
    GUARDIAN_FILE_NAMES,
    Event,
    EventKind,
    file_kind,
)
from suffrage.protocol.key_ceremony import MAX_GUARDIANS
from suffrage.protocol.manifest import CONTEST_ID
from suffrage.record.canonical import canonical_bytes
from suffrage.record.fields import element, expect_object, flag, hexbytes, integer, items, moment
from suffrage.record.fields import text as text_field
from suffrage.record.writing import write_stream

__all__ = ["event_from_json", "event_to_json", "write_events"]


def event_to_json(event: Event) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "kind": event.kind.value,
        "at": event.at,
        "actor": event.actor,
        "body": dict(event.body),
        "previous": event.previous.hex(),
        "hash": event.hash.hex(),
    }


def write_events(path: Path, events: Iterable[Event], *, force: bool = False) -> None:
    """The log as events.jsonl: one canonical line per event, in order."""
    write_stream(path, (canonical_bytes(event_to_json(e)) + b"\n" for e in events), force=force)


def _hex(size: int) -> Callable[[Any, str], str]:
    def read(value: Any, field: str) -> str:
        return hexbytes(value, field, size=size).hex()

    return read


def _element_hex(value: Any, field: str) -> str:
    return element(value, field).to_bytes().hex()


def _count(value: Any, field: str) -> int:
    return integer(value, field)


def _guardians(value: Any, field: str) -> int:
    return integer(value, field, minimum=1, maximum=MAX_GUARDIANS)


def _manifest(value: Any, field: str) -> dict[str, Any]:
    """An object; the manifest's own rules are checked where it is used (V20 compares it
    with manifest.json, the server parses it before it drafts)."""
    return expect_object(value, field, [], list(value) if isinstance(value, dict) else [])


def _digests(value: Any, field: str) -> list[str]:
    return list(items(value, field, _hex(64)))


def _contest_id(value: Any, field: str) -> str:
    found = text_field(value, field, max_length=64)
    if not CONTEST_ID.fullmatch(found):
        raise InvalidEncoding(field, "not a contest id")
    return found


def _ranked(value: Any, field: str) -> list[dict[str, Any]]:
    """The tally's ranked contests that counted ballots hold, with their number of rows."""

    def one(item: Any, where: str) -> dict[str, Any]:
        o = expect_object(item, where, ["contest_id", "rows"])
        return {
            "contest_id": _contest_id(o["contest_id"], f"{where}.contest_id"),
            "rows": integer(o["rows"], f"{where}.rows", minimum=1),
        }

    return list(items(value, field, one))


def _mixed(value: Any, field: str) -> list[dict[str, Any]]:
    """Each ranked contest's mixes when the mixing closed: how many, and the last digest."""

    def one(item: Any, where: str) -> dict[str, Any]:
        o = expect_object(item, where, ["contest_id", "mixes", "mix_digest"])
        return {
            "contest_id": _contest_id(o["contest_id"], f"{where}.contest_id"),
            "mixes": _guardians(o["mixes"], f"{where}.mixes"),
            "mix_digest": _hex(64)(o["mix_digest"], f"{where}.mix_digest"),
        }

    return list(items(value, field, one))


_BODIES: Mapping[EventKind, tuple[dict[str, Callable[[Any, str], Any]], tuple[str, ...]]] = {
    EventKind.DRAFTED: (
        {
            "manifest": _manifest,
            "guardians": _guardians,
            "threshold": _guardians,
            "board_key": _element_hex,
        },
        (),
    ),
    EventKind.MANIFEST_REPLACED: ({"manifest": _manifest}, ()),
    EventKind.CEREMONY_STARTED: ({"ceremony_hash": _hex(64)}, ()),
    EventKind.GUARDIAN_FILE: (
        {"name": lambda v, f: text_field(v, f, max_length=96), "sha256": _hex(32)},
        ("guardian", "guardian_digest", "mixer", "mix_digest"),
    ),
    EventKind.CEREMONY_COMPLETED: ({"joint_key": _element_hex, "guardian_digests": _digests}, ()),
    EventKind.CREDENTIALS_PUBLISHED: (
        {"credentials": _count, "credentials_hash": _hex(64)},
        (),
    ),
    EventKind.OPENED: ({"base_hash": _hex(64)}, ()),
    EventKind.CLOSED: (
        {"closed_early": flag, "entries": _count, "board_head": _hex(64)},
        (),
    ),
    EventKind.TALLIED: ({"tally_hash": _hex(64), "counted": _count}, ("ranked",)),
    EventKind.MIXED: ({"contests": _mixed}, ()),
    EventKind.PUBLISHED: ({"results_sha256": _hex(32)}, ()),
}


def _body(kind: EventKind, value: Any, field: str) -> dict[str, Any]:
    readers, optional = _BODIES[kind]
    o = expect_object(value, field, list(readers), optional)
    body = {name: read(o[name], f"{field}.{name}") for name, read in readers.items()}
    if kind is EventKind.TALLIED and "ranked" in o:
        body["ranked"] = _ranked(o["ranked"], f"{field}.ranked")
    if kind is EventKind.GUARDIAN_FILE:
        if not GUARDIAN_FILE_NAMES.fullmatch(body["name"]):
            raise InvalidEncoding(f"{field}.name", "not the name of a guardian's file")
        public = file_kind(body["name"]) == "public"
        if public != ("guardian" in o) or public != ("guardian_digest" in o):
            raise InvalidEncoding(
                field, "a public file, and only one, carries guardian and guardian_digest"
            )
        mix = file_kind(body["name"]) == "mix"
        if mix != ("mixer" in o) or mix != ("mix_digest" in o):
            raise InvalidEncoding(field, "a mix, and only one, carries mixer and mix_digest")
        if mix:
            body["mixer"] = _guardians(o["mixer"], f"{field}.mixer")
            body["mix_digest"] = _hex(64)(o["mix_digest"], f"{field}.mix_digest")
        if public:
            body["guardian"] = _guardians(o["guardian"], f"{field}.guardian")
            body["guardian_digest"] = _hex(64)(o["guardian_digest"], f"{field}.guardian_digest")
            if body["name"] != f"guardian-{body['guardian']}.public.json":
                raise InvalidEncoding(f"{field}.guardian", "is not the guardian the name says")
    if kind is EventKind.DRAFTED and body["threshold"] > body["guardians"]:
        raise InvalidEncoding(f"{field}.threshold", "exceeds the number of guardians")
    if value != body:
        raise InvalidEncoding(field, "not in its canonical form")
    return body


def event_from_json(value: Any, field: str) -> Event:
    """One event, strictly: every field present, no other, each in its canonical form."""
    o = expect_object(value, field, ["sequence", "kind", "at", "actor", "body", "previous", "hash"])
    kind_text = text_field(o["kind"], f"{field}.kind", max_length=32)
    try:
        kind = EventKind(kind_text)
    except ValueError:
        raise InvalidEncoding(f"{field}.kind", f"unknown kind {kind_text!r}") from None
    actor = text_field(o["actor"], f"{field}.actor", max_length=16)
    if actor not in ACTORS:
        raise InvalidEncoding(f"{field}.actor", f"must be one of {', '.join(ACTORS)}")
    return Event(
        sequence=integer(o["sequence"], f"{field}.sequence", minimum=1),
        kind=kind,
        at=moment(o["at"], f"{field}.at"),
        actor=actor,
        body=_body(kind, o["body"], f"{field}.body"),
        previous=hexbytes(o["previous"], f"{field}.previous", size=64),
        hash=hexbytes(o["hash"], f"{field}.hash", size=64),
    )
