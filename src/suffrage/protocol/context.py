"""The election context and its base hash (spec/protocol.md#12).

The base hash binds the manifest, the group, the guardians' public records (keys and proofs),
the threshold, the joint public key and the list of credential keys. Every proof cast or
published during the election binds it, so no part of the set-up can be changed afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import rfc8785

from suffrage.core.elgamal import PublicKey
from suffrage.core.group import Element
from suffrage.core.hashing import Transcript
from suffrage.errors import InvalidInput
from suffrage.protocol.credentials import CredentialKey, sorted_credentials
from suffrage.protocol.key_ceremony import GuardianPublic, ceremony_hash, joint_key_element
from suffrage.protocol.manifest import Manifest, manifest_to_dict

__all__ = ["GROUP_NAME", "ElectionContext", "guardian_digest", "make_context", "manifest_hash"]

GROUP_NAME = "ristretto255"


def manifest_hash(manifest: Manifest) -> bytes:
    """SHA-512 transcript of the manifest's canonical JSON (RFC 8785) (spec #12.1)."""
    return (
        Transcript("manifest")
        .append("manifest", rfc8785.dumps(manifest_to_dict(manifest)))
        .digest()
    )


def guardian_digest(guardian: GuardianPublic) -> bytes:
    """The hash of one guardian's public record (spec #12.2)."""
    t = (
        Transcript("guardian")
        .integer("index", guardian.index)
        .text("name", guardian.name)
        .elements("commitments", guardian.commitments)
    )
    for proof in guardian.coefficient_proofs:
        t.element("proof_commitment", proof.commitment).scalar("proof_response", proof.response)
    return (
        t.element("communication_key", guardian.communication_key)
        .element("communication_proof_commitment", guardian.communication_proof.commitment)
        .scalar("communication_proof_response", guardian.communication_proof.response)
        .digest()
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ElectionContext:
    """Everything a ballot, a proof and the verifier need to know about the election."""

    manifest: Manifest
    threshold: int
    guardians: tuple[GuardianPublic, ...]
    credentials: tuple[CredentialKey, ...]
    board_key: Element | None
    log_head: bytes | None
    manifest_hash: bytes
    ceremony_hash: bytes
    base_hash: bytes
    joint_key: PublicKey = field(compare=False)
    credential_styles: dict[bytes, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Refuse a context that would encrypt in the clear (spec #12.4)."""
        for guardian in self.guardians:
            if guardian.public_key.is_identity():
                raise InvalidInput(
                    f"guardian {guardian.index} ({guardian.name})",
                    "its public key (constant commitment) is the identity",
                )
        if self.log_head is not None and len(self.log_head) != 64:
            raise InvalidInput("log head", "must be 64 bytes")
        if self.board_key is not None and self.board_key.is_identity():
            raise InvalidInput("board key", "is the identity")
        if self.joint_key.element.is_identity():
            raise InvalidInput(
                "joint key",
                "the guardians' public keys add up to the identity: ballots would be in the clear",
            )
        styles = {c.key.to_bytes(): c.style_id for c in self.credentials}
        object.__setattr__(self, "credential_styles", styles)

    @property
    def credential_keys(self) -> tuple[Element, ...]:
        """The published credential keys, sorted by their encoding."""
        return tuple(c.key for c in self.credentials)

    def is_eligible(self, credential: Element) -> bool:
        """Whether ``credential`` is on the published list."""
        return credential.to_bytes() in self.credential_styles

    def style_of(self, credential: Element) -> str | None:
        """The ballot style the voter of ``credential`` is entitled to (``None``: not listed)."""
        return self.credential_styles.get(credential.to_bytes())

    @property
    def election_id(self) -> str:
        return self.manifest.election_id

    def guardian(self, index: int) -> GuardianPublic:
        for g in self.guardians:
            if g.index == index:
                return g
        raise KeyError(f"no guardian with index {index}")


def base_hash(
    *,
    manifest_digest: bytes,
    threshold: int,
    guardians: Sequence[GuardianPublic],
    joint_key: Element,
    credentials: Sequence[CredentialKey],
    board_key: Element | None = None,
    log_head: bytes | None = None,
) -> bytes:
    """The election base hash (spec #12.3)."""
    t = (
        Transcript("election/base-hash")
        .append("manifest_hash", manifest_digest)
        .text("group", GROUP_NAME)
        .integer("guardians", len(guardians))
        .integer("threshold", threshold)
    )
    for guardian in guardians:
        t.append("guardian", guardian_digest(guardian))
    t.element("joint_key", joint_key).integer("credentials", len(credentials))
    for credential in credentials:
        t.element("credential_key", credential.key).text("credential_style", credential.style_id)
    if board_key is not None:
        t.element("board_key", board_key)
    if log_head is not None:
        t.append("log_head", log_head)
    return t.digest()


def _is_unicode(text: str) -> bool:
    """Whether ``text`` encodes as UTF-8, as every text a transcript hashes must."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def make_context(
    *,
    manifest: Manifest,
    threshold: int,
    guardians: Sequence[GuardianPublic],
    credentials: Sequence[CredentialKey],
    board_key: Element | None = None,
    log_head: bytes | None = None,
) -> ElectionContext:
    """Build the context; guardians are taken in index order, credentials sorted by key.
    ``board_key`` is the key the board server signs its heads with, if it has one;
    ``log_head`` the hash of the event log's last event before voting opened (spec #18).

    Raises InvalidInput, naming the field, for guardians not numbered 1..n or with a name
    that is not Unicode text, a threshold outside 1..n, a credential key listed twice or bound
    to a ballot style the manifest does not have, and a guardian key or joint key equal to the
    identity; never a bare ValueError.
    """
    ordered = tuple(sorted(guardians, key=lambda g: g.index))
    if [g.index for g in ordered] != list(range(1, len(ordered) + 1)):
        raise InvalidInput("guardians", "guardian indices must be 1..n, each once")
    for guardian in ordered:
        if not _is_unicode(guardian.name):
            raise InvalidInput(
                f"guardian {guardian.index}", "its name holds a lone surrogate (not Unicode text)"
            )
    keys = sorted_credentials(credentials)
    if len({c.key.to_bytes() for c in keys}) != len(keys):
        raise InvalidInput("credential keys", "credential keys must be distinct")
    styles = {s.style_id for s in manifest.ballot_styles}
    unknown = sorted({c.style_id for c in keys} - styles)
    if unknown:
        raise InvalidInput(
            "credential keys", f"bound to ballot styles the manifest does not have: {unknown}"
        )
    digest = manifest_hash(manifest)
    joint = joint_key_element(ordered)
    return ElectionContext(
        manifest=manifest,
        threshold=threshold,
        guardians=ordered,
        credentials=keys,
        board_key=board_key,
        log_head=log_head,
        manifest_hash=digest,
        ceremony_hash=ceremony_hash(
            manifest_hash=digest, guardians=len(ordered), threshold=threshold
        ),
        base_hash=base_hash(
            manifest_digest=digest,
            threshold=threshold,
            guardians=ordered,
            joint_key=joint,
            credentials=keys,
            board_key=board_key,
            log_head=log_head,
        ),
        joint_key=PublicKey(element=joint),
    )
