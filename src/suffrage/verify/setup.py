"""The election's set-up: checks V2 to V6 (spec/protocol.md#15)."""

from __future__ import annotations

from collections.abc import Sequence

from suffrage._native import Element
from suffrage.errors import InvalidInput, VerificationFailed
from suffrage.protocol.context import ElectionContext, make_context, manifest_hash
from suffrage.protocol.key_ceremony import ceremony_hash, check_guardian, joint_key_element
from suffrage.record.files import RawRecord
from suffrage.verify.report import VerificationReport

__all__ = ["check_setup", "rebuild_context"]


def rebuild_context(raw: RawRecord) -> ElectionContext:
    """The election context recomputed from the record's manifest, guardians and keys.

    A credential key listed twice is taken once (V5 reports the repetition).
    """
    if raw.manifest is None or raw.election is None:
        raise InvalidInput("record", "the manifest or election file could not be read")
    return make_context(
        manifest=raw.manifest,
        threshold=raw.election["threshold"],
        guardians=raw.guardians,
        credential_keys=_distinct(raw.credential_keys),
    )


def check_setup(raw: RawRecord, report: VerificationReport) -> ElectionContext | None:
    """V2-V6; the context rebuilt from the record, or ``None`` if it cannot be."""
    if raw.manifest is None or raw.election is None:
        for number in ("V2", "V3", "V4", "V5", "V6"):
            report.fail(number, "not checked: manifest.json or election.json is unreadable")
        return None
    election = raw.election
    digest = manifest_hash(raw.manifest)
    if digest != election["manifest_hash"]:
        report.fail("V2", "election.json manifest_hash is not the hash of manifest.json")
    else:
        report.ok("V2")
    threshold, n = election["threshold"], len(raw.guardians)
    if not 1 <= threshold <= n or [g.index for g in raw.guardians] != list(range(1, n + 1)):
        report.fail("V3", f"guardians must be numbered 1..n with 1 <= threshold {threshold} <= n")
        for number in ("V4", "V5", "V6"):
            report.fail(number, "not checked: the guardians' numbering is wrong")
        return None
    ceremony = ceremony_hash(manifest_hash=digest, guardians=n, threshold=threshold)
    for guardian in raw.guardians:
        try:
            check_guardian(guardian, ceremony=ceremony, threshold=threshold)
            report.ok("V3")
        except VerificationFailed as exc:
            report.fail("V3", exc.reason)
    if joint_key_element(raw.guardians) != election["joint_key"]:
        report.fail("V4", "the joint key is not the sum of the guardians' public keys")
    else:
        report.ok("V4")
    _check_credentials(raw.credential_keys, report)
    try:
        context = rebuild_context(raw)
    except InvalidInput as exc:
        report.fail("V4", f"{exc.field}: {exc.reason}")
        report.fail("V6", "not checked: no election context can be built from this record")
        return None
    if context.base_hash != election["base_hash"]:
        report.fail("V6", "the base hash does not match the manifest, guardians and credentials")
    else:
        report.ok("V6")
    return context


def _distinct(keys: Sequence[Element]) -> list[Element]:
    seen: dict[bytes, Element] = {}
    for key in keys:
        seen.setdefault(key.to_bytes(), key)
    return list(seen.values())


def _check_credentials(keys: Sequence[Element], report: VerificationReport) -> None:
    encodings = [k.to_bytes() for k in keys]
    if len(set(encodings)) != len(encodings):
        report.fail("V5", "a credential key is listed twice")
    elif encodings != sorted(encodings):
        report.fail("V5", "credential keys are not in sorted order")
    else:
        report.ok("V5", len(keys))
