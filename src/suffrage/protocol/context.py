"""The election context and its base hash (spec/protocol.md#12).

The base hash binds the manifest, the group, the guardians' public records (keys and proofs),
the threshold, the joint public key and the list of credential keys. Every proof cast or
published during the election binds it, so no part of the set-up can be changed afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import rfc8785

from suffrage._native import Element
from suffrage.core.elgamal import PublicKey
from suffrage.core.hashing import Transcript
from suffrage.errors import InvalidInput
from suffrage.protocol.credentials import sorted_keys
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
    credential_keys: tuple[Element, ...]
    manifest_hash: bytes
    ceremony_hash: bytes
    base_hash: bytes
    joint_key: PublicKey = field(compare=False)
    credential_set: frozenset[bytes] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Refuse a context that would encrypt in the clear (spec #12.4)."""
        for guardian in self.guardians:
            if guardian.public_key.is_identity():
                raise InvalidInput(
                    f"guardian {guardian.index} ({guardian.name})",
                    "its public key (constant commitment) is the identity",
                )
        if self.joint_key.element.is_identity():
            raise InvalidInput(
                "joint key",
                "the guardians' public keys add up to the identity: ballots would be in the clear",
            )
        encodings = frozenset(k.to_bytes() for k in self.credential_keys)
        object.__setattr__(self, "credential_set", encodings)

    def is_eligible(self, credential: Element) -> bool:
        """Whether ``credential`` is on the published list."""
        return credential.to_bytes() in self.credential_set

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
    credential_keys: Sequence[Element],
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
    return (
        t.element("joint_key", joint_key)
        .integer("credentials", len(credential_keys))
        .elements("credential_keys", credential_keys)
        .digest()
    )


def make_context(
    *,
    manifest: Manifest,
    threshold: int,
    guardians: Sequence[GuardianPublic],
    credential_keys: Sequence[Element],
) -> ElectionContext:
    """Build the context; guardians are taken in index order, credential keys sorted.

    Raises InvalidInput for guardians not numbered 1..n, a threshold outside 1..n, a credential
    key listed twice, and a guardian key or joint key equal to the identity.
    """
    ordered = tuple(sorted(guardians, key=lambda g: g.index))
    if [g.index for g in ordered] != list(range(1, len(ordered) + 1)):
        raise InvalidInput("guardians", "guardian indices must be 1..n, each once")
    keys = sorted_keys(credential_keys)
    if len({k.to_bytes() for k in keys}) != len(keys):
        raise InvalidInput("credential keys", "credential keys must be distinct")
    digest = manifest_hash(manifest)
    joint = joint_key_element(ordered)
    return ElectionContext(
        manifest=manifest,
        threshold=threshold,
        guardians=ordered,
        credential_keys=keys,
        manifest_hash=digest,
        ceremony_hash=ceremony_hash(
            manifest_hash=digest, guardians=len(ordered), threshold=threshold
        ),
        base_hash=base_hash(
            manifest_digest=digest,
            threshold=threshold,
            guardians=ordered,
            joint_key=joint,
            credential_keys=keys,
        ),
        joint_key=PublicKey(element=joint),
    )
