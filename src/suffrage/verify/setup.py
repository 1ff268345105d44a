"""The election's set-up: checks V2 to V6 (spec/protocol.md#15)."""

from __future__ import annotations

from collections.abc import Sequence

from suffrage.errors import InvalidInput, VerificationFailed
from suffrage.protocol.context import ElectionContext, make_context, manifest_hash
from suffrage.protocol.credentials import CredentialKey
from suffrage.protocol.key_ceremony import ceremony_hash, check_guardian, joint_key_element
from suffrage.protocol.manifest import Manifest
from suffrage.record.files import RawRecord
from suffrage.verify.report import ReportBuilder

__all__ = ["check_setup", "rebuild_context"]


def rebuild_context(raw: RawRecord) -> ElectionContext:
    """The election context recomputed from the record's manifest, guardians and keys.

    A credential key listed twice is taken once, and one bound to a ballot style the manifest
    does not have is left out (V5 reports both).
    """
    if raw.manifest is None or raw.election is None:
        raise InvalidInput("record", "the manifest or election file could not be read")
    return make_context(
        manifest=raw.manifest,
        threshold=raw.election["threshold"],
        guardians=raw.guardians,
        credentials=_distinct(raw.credentials, raw.manifest),
        board_key=raw.election["board_key"],
        log_head=raw.election["log_head"],
    )


def check_setup(raw: RawRecord, report: ReportBuilder) -> ElectionContext | None:
    """V2-V6; the context rebuilt from the record, or ``None`` if it cannot be."""
    if raw.manifest is None or raw.election is None:
        for number in ("V2", "V3", "V4", "V5", "V6"):
            report.fail(number, "not checked: manifest.json or election.json is unreadable (V1)")
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
            report.fail(number, "not checked: the guardians' numbering is wrong (V3)")
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
    _check_credentials(raw.credentials, raw.manifest, report)
    try:
        context = rebuild_context(raw)
    except InvalidInput as exc:
        report.fail("V4", f"{exc.field}: {exc.reason}")
        report.fail("V6", "not checked: no election context can be built from this record (V4)")
        return None
    if context.base_hash != election["base_hash"]:
        report.fail("V6", "the base hash does not match the manifest, guardians and credentials")
    else:
        report.ok("V6")
    return context


def _distinct(credentials: Sequence[CredentialKey], manifest: Manifest) -> list[CredentialKey]:
    """Each key once (its first entry), and only those bound to a style of the manifest."""
    styles = {s.style_id for s in manifest.ballot_styles}
    seen: dict[bytes, CredentialKey] = {}
    for credential in credentials:
        if credential.style_id in styles:
            seen.setdefault(credential.key.to_bytes(), credential)
    return list(seen.values())


def _check_credentials(
    credentials: Sequence[CredentialKey], manifest: Manifest, report: ReportBuilder
) -> None:
    encodings = [c.key.to_bytes() for c in credentials]
    styles = {s.style_id for s in manifest.ballot_styles}
    unknown = sorted({c.style_id for c in credentials} - styles)
    failed = False
    if len(set(encodings)) != len(encodings):
        report.fail("V5", "a credential key is listed twice")
        failed = True
    elif encodings != sorted(encodings):
        report.fail("V5", "credential keys are not in sorted order")
        failed = True
    if unknown:
        report.fail(
            "V5", f"credentials bound to ballot styles the manifest does not have: {unknown}"
        )
        failed = True
    if not failed:
        report.ok("V5", len(credentials))
