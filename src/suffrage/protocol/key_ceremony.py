"""The key ceremony: n guardians, threshold k, Feldman VSS (spec/protocol.md#10).

1. Each guardian ``i`` draws a secret polynomial of degree ``k-1`` and a communication key,
   and publishes the Feldman commitments with a Schnorr proof for every coefficient and for
   the communication key (:func:`create_guardian`, checked by :func:`check_guardian`).
2. Each guardian sends every other guardian ``j`` the share ``P_i(j)``, encrypted to ``j``'s
   communication key (:func:`encrypt_share`).
3. Each recipient decrypts and checks every share against the dealer's commitments
   (:func:`receive_share`); a bad share names its dealer, and the recipient can publish a
   :class:`Complaint` that anyone can judge (:func:`judge_complaint`).
4. The joint key is the sum of the guardians' constant commitments; guardian ``j``'s key
   share is ``s_j = sum_i P_i(j)`` and its public share ``s_j*G`` is computable by anyone.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from suffrage.core.group import Element, Scalar, decode_scalar, sum_elements
from suffrage.core.hashing import Transcript
from suffrage.core.polynomial import Polynomial, commitment_at
from suffrage.core.proofs import (
    ChaumPedersenProof,
    ChaumPedersenStatement,
    SchnorrProof,
    check_chaum_pedersen,
    check_schnorr,
    prove_chaum_pedersen,
    prove_schnorr,
)
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidEncoding, InvalidInput, ProofRejected, VerificationFailed

__all__ = [
    "MAX_GUARDIANS",
    "SHARE_SIGNATURE",
    "Complaint",
    "EncryptedShare",
    "GuardianPublic",
    "GuardianSecret",
    "ceremony_hash",
    "check_guardian",
    "check_share_signature",
    "combine_shares",
    "create_guardian",
    "encrypt_share",
    "joint_key_element",
    "judge_complaint",
    "make_complaint",
    "public_share",
    "receive_share",
    "share_digest",
    "sign_share",
]

MAX_GUARDIANS = 999
"""The most guardians an election has (a guardian's number has at most three digits, as in
the names of its files: spec/protocol.md#18.3)."""

COEFFICIENT = "guardian-coefficient"
COMMUNICATION = "guardian-communication-key"


def ceremony_hash(*, manifest_hash: bytes, guardians: int, threshold: int) -> bytes:
    """The context of every key-ceremony proof (spec #10.1)."""
    if not 1 <= threshold <= guardians:
        raise InvalidInput("threshold", f"must be in 1..{guardians}, got {threshold}")
    return (
        Transcript("key-ceremony")
        .append("manifest_hash", manifest_hash)
        .integer("guardians", guardians)
        .integer("threshold", threshold)
        .digest()
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class GuardianPublic:
    """What a guardian publishes: commitments, proofs and a communication key."""

    index: int
    name: str
    commitments: tuple[Element, ...]
    coefficient_proofs: tuple[SchnorrProof, ...]
    communication_key: Element
    communication_proof: SchnorrProof

    @property
    def public_key(self) -> Element:
        return self.commitments[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class GuardianSecret:
    """What a guardian keeps in its own file and never publishes."""

    index: int
    name: str
    polynomial: Polynomial
    communication_secret: Scalar
    public: GuardianPublic

    def __repr__(self) -> str:
        return f"GuardianSecret(index={self.index}, name={self.name!r}, <secret>)"


def _coefficient_message(index: int, j: int) -> bytes:
    return index.to_bytes(8, "big") + j.to_bytes(8, "big")


def create_guardian(
    *, index: int, name: str, threshold: int, ceremony: bytes, rng: RandomSource
) -> GuardianSecret:
    """Step 1: a guardian's polynomial, communication key and public record."""
    if index < 1:
        raise InvalidInput("index", "guardian indices start at 1")
    poly = Polynomial.random(degree=threshold - 1, rng=rng)
    commitments = poly.commitments()
    proofs = tuple(
        prove_schnorr(
            secret=a,
            public=A,
            context=ceremony,
            rng=rng,
            purpose=COEFFICIENT,
            message=_coefficient_message(index, j),
        )
        for j, (a, A) in enumerate(zip(poly.coefficients, commitments, strict=True))
    )
    comm_secret = rng.scalar()
    comm_key = Element.mul_base(comm_secret)
    comm_proof = prove_schnorr(
        secret=comm_secret,
        public=comm_key,
        context=ceremony,
        rng=rng,
        purpose=COMMUNICATION,
        message=_coefficient_message(index, 0),
    )
    public = GuardianPublic(
        index=index,
        name=name,
        commitments=commitments,
        coefficient_proofs=proofs,
        communication_key=comm_key,
        communication_proof=comm_proof,
    )
    return GuardianSecret(
        index=index, name=name, polynomial=poly, communication_secret=comm_secret, public=public
    )


def check_guardian(guardian: GuardianPublic, *, ceremony: bytes, threshold: int) -> None:
    """Check V3 for one guardian: ``k`` commitments, each proven, and the communication key."""
    who = f"guardian {guardian.index} ({guardian.name})"
    if len(guardian.commitments) != threshold or len(guardian.coefficient_proofs) != threshold:
        raise VerificationFailed("V3", f"{who} must publish {threshold} commitments and proofs")
    for j, (commitment, proof) in enumerate(
        zip(guardian.commitments, guardian.coefficient_proofs, strict=True)
    ):
        try:
            check_schnorr(
                proof,
                public=commitment,
                context=ceremony,
                purpose=COEFFICIENT,
                message=_coefficient_message(guardian.index, j),
            )
        except ProofRejected as exc:
            raise VerificationFailed("V3", f"{who}, coefficient {j}: {exc.reason}") from None
    try:
        check_schnorr(
            guardian.communication_proof,
            public=guardian.communication_key,
            context=ceremony,
            purpose=COMMUNICATION,
            message=_coefficient_message(guardian.index, 0),
        )
    except ProofRejected as exc:
        raise VerificationFailed("V3", f"{who}, communication key: {exc.reason}") from None


SHARE_SIGNATURE = "share-signature"


@dataclass(frozen=True, slots=True, kw_only=True)
class EncryptedShare:
    """``P_dealer(recipient)`` encrypted to the recipient's communication key and signed
    with the dealer's (spec #10.3): a recipient cannot alter it and still blame the dealer."""

    dealer: int
    recipient: int
    ephemeral: Element
    ciphertext: bytes
    mac: bytes
    signature: SchnorrProof


def share_digest(
    *,
    ceremony: bytes,
    dealer: int,
    recipient: int,
    ephemeral: Element,
    ciphertext: bytes,
    mac: bytes,
) -> bytes:
    """What the dealer signs: every field of the encrypted share (spec #10.3, step 6)."""
    return (
        Transcript("share")
        .append("context", ceremony)
        .integer("dealer", dealer)
        .integer("recipient", recipient)
        .element("ephemeral", ephemeral)
        .append("ciphertext", ciphertext)
        .append("mac", mac)
        .digest()
    )


def _digest_of(share: EncryptedShare, ceremony: bytes) -> bytes:
    return share_digest(
        ceremony=ceremony,
        dealer=share.dealer,
        recipient=share.recipient,
        ephemeral=share.ephemeral,
        ciphertext=share.ciphertext,
        mac=share.mac,
    )


def _signature(
    dealer: GuardianSecret, digest: bytes, ceremony: bytes, rng: RandomSource
) -> SchnorrProof:
    return prove_schnorr(
        secret=dealer.communication_secret,
        public=dealer.public.communication_key,
        context=ceremony,
        rng=rng,
        purpose=SHARE_SIGNATURE,
        message=digest,
    )


def sign_share(
    dealer: GuardianSecret, share: EncryptedShare, *, ceremony: bytes, rng: RandomSource
) -> EncryptedShare:
    """``share`` as it stands, signed anew by ``dealer`` (spec #10.3, step 7)."""
    return replace(share, signature=_signature(dealer, _digest_of(share, ceremony), ceremony, rng))


def check_share_signature(share: EncryptedShare, dealer: GuardianPublic, ceremony: bytes) -> None:
    """Raise VerificationFailed unless ``dealer`` signed ``share`` as it stands."""
    try:
        check_schnorr(
            share.signature,
            public=dealer.communication_key,
            context=ceremony,
            purpose=SHARE_SIGNATURE,
            message=_digest_of(share, ceremony),
        )
    except ProofRejected:
        raise VerificationFailed(
            "share",
            f"the share is not signed by guardian {dealer.index} ({dealer.name}): "
            "it was altered or made by someone else",
        ) from None


def _share_keys(
    ceremony: bytes, dealer: int, recipient: int, ephemeral: Element, shared: Element
) -> tuple[bytes, bytes]:
    digest = (
        Transcript("share-encryption")
        .append("context", ceremony)
        .integer("dealer", dealer)
        .integer("recipient", recipient)
        .element("ephemeral", ephemeral)
        .element("shared_secret", shared)
        .digest()
    )
    return digest[:32], digest[32:]


def _mac(mac_key: bytes, ciphertext: bytes) -> bytes:
    return hmac.new(mac_key, ciphertext, "sha512").digest()[:32]


def encrypt_share(
    dealer: GuardianSecret, recipient: GuardianPublic, *, ceremony: bytes, rng: RandomSource
) -> EncryptedShare:
    """Step 2: encrypt ``P_dealer(recipient)`` for the recipient only."""
    share = dealer.polynomial.evaluate(recipient.index).to_bytes()
    e = rng.scalar()
    ephemeral = Element.mul_base(e)
    pad, mac_key = _share_keys(
        ceremony, dealer.index, recipient.index, ephemeral, recipient.communication_key * e
    )
    ciphertext = bytes(a ^ b for a, b in zip(share, pad, strict=True))
    mac = _mac(mac_key, ciphertext)
    digest = share_digest(
        ceremony=ceremony,
        dealer=dealer.index,
        recipient=recipient.index,
        ephemeral=ephemeral,
        ciphertext=ciphertext,
        mac=mac,
    )
    signature = _signature(dealer, digest, ceremony, rng)
    return EncryptedShare(
        dealer=dealer.index,
        recipient=recipient.index,
        ephemeral=ephemeral,
        ciphertext=ciphertext,
        mac=mac,
        signature=signature,
    )


def _open(
    share: EncryptedShare, shared: Element, ceremony: bytes, dealer: GuardianPublic
) -> Scalar:
    """Decrypt with the shared secret and check against the dealer's commitments."""
    who = f"guardian {dealer.index} ({dealer.name})"
    pad, mac_key = _share_keys(ceremony, share.dealer, share.recipient, share.ephemeral, shared)
    if not hmac.compare_digest(_mac(mac_key, share.ciphertext), share.mac):
        raise VerificationFailed("share", f"{who} sent a share that does not authenticate")
    raw = bytes(a ^ b for a, b in zip(share.ciphertext, pad, strict=True))
    try:
        value = decode_scalar(raw, field="share")
    except InvalidEncoding:
        raise VerificationFailed("share", f"{who} sent a share that is not a scalar") from None
    if Element.mul_base(value) != commitment_at(dealer.commitments, share.recipient):
        raise VerificationFailed(
            "share",
            f"{who} sent guardian {share.recipient} a share that does not match its commitments",
        )
    return value


def receive_share(
    recipient: GuardianSecret, share: EncryptedShare, dealer: GuardianPublic, *, ceremony: bytes
) -> Scalar:
    """Step 3: check the dealer's signature, decrypt and check a share; a bad one raises
    naming the dealer (an unsigned one may have been altered on its way: no one is blamed)."""
    if share.recipient != recipient.index or share.dealer != dealer.index:
        raise VerificationFailed("share", "the share is addressed to another guardian")
    check_share_signature(share, dealer, ceremony)
    shared = share.ephemeral * recipient.communication_secret
    return _open(share, shared, ceremony, dealer)


@dataclass(frozen=True, slots=True, kw_only=True)
class Complaint:
    """A recipient's public accusation: the shared secret, proven correct (spec #10.4)."""

    share: EncryptedShare
    shared_secret: Element
    proof: ChaumPedersenProof


def make_complaint(
    recipient: GuardianSecret, share: EncryptedShare, *, ceremony: bytes, rng: RandomSource
) -> Complaint:
    """Publish the shared secret of a bad share with a proof that it is the right one."""
    shared = share.ephemeral * recipient.communication_secret
    statement = ChaumPedersenStatement(
        base_1=Element.generator(),
        public_1=recipient.public.communication_key,
        base_2=share.ephemeral,
        public_2=shared,
    )
    proof = prove_chaum_pedersen(
        statement,
        secret=recipient.communication_secret,
        context=ceremony,
        rng=rng,
        purpose="share-complaint",
    )
    return Complaint(share=share, shared_secret=shared, proof=proof)


def judge_complaint(
    complaint: Complaint, *, dealer: GuardianPublic, recipient: GuardianPublic, ceremony: bytes
) -> str:
    """Anyone can judge a complaint: returns the name of the guardian at fault (spec #10.4).

    The dealer is blamed only for a share it signed itself: a share that its dealer did not
    sign as it stands (altered, invented, re-addressed) puts the complainant at fault.
    """
    share = complaint.share
    if (share.dealer, share.recipient) != (dealer.index, recipient.index):
        return recipient.name
    try:
        check_share_signature(share, dealer, ceremony)
    except VerificationFailed:
        return recipient.name
    statement = ChaumPedersenStatement(
        base_1=Element.generator(),
        public_1=recipient.communication_key,
        base_2=complaint.share.ephemeral,
        public_2=complaint.shared_secret,
    )
    try:
        check_chaum_pedersen(
            complaint.proof, statement, context=ceremony, purpose="share-complaint"
        )
        _open(complaint.share, complaint.shared_secret, ceremony, dealer)
    except ProofRejected:
        return recipient.name
    except VerificationFailed:
        return dealer.name
    return recipient.name


def joint_key_element(guardians: Sequence[GuardianPublic]) -> Element:
    """The election public key: the sum of the guardians' constant commitments."""
    return sum_elements([g.public_key for g in guardians])


def public_share(guardians: Sequence[GuardianPublic], index: int) -> Element:
    """``s_index * G`` for guardian ``index``'s key share, from public data only."""
    return sum_elements([commitment_at(g.commitments, index) for g in guardians])


def combine_shares(received: Mapping[int, Scalar]) -> Scalar:
    """A guardian's key share ``s_j``: the sum of the shares it received (its own included)."""
    total = Scalar.zero()
    for value in received.values():
        total = total + value
    return total
