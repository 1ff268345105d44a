"""Complaints in the key ceremony: a dealer is blamed only for a share it signed (spec #10.4).

Every share carries its dealer's signature. A recipient who alters an honest share, invents
one, re-addresses one or passes off another dealer's share cannot get it signed, so its
complaint convicts the recipient; a dealer who signs a bad share is convicted by it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from suffrage.core import SeededRandom
from suffrage.errors import VerificationFailed
from suffrage.protocol.context import manifest_hash
from suffrage.protocol.key_ceremony import (
    EncryptedShare,
    GuardianSecret,
    ceremony_hash,
    create_guardian,
    encrypt_share,
    judge_complaint,
    make_complaint,
    receive_share,
    sign_share,
)
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.service.election import homomorphic_only


@dataclass(frozen=True, slots=True, kw_only=True)
class Ceremony:
    hash: bytes
    guardians: list[GuardianSecret]

    def share(self, dealer: int, recipient: int, seed: int) -> EncryptedShare:
        return encrypt_share(
            self.guardians[dealer - 1],
            self.guardians[recipient - 1].public,
            ceremony=self.hash,
            rng=SeededRandom(seed),
        )

    def judge(self, share: EncryptedShare, dealer: int, recipient: int) -> str:
        complainant = self.guardians[recipient - 1]
        complaint = make_complaint(complainant, share, ceremony=self.hash, rng=SeededRandom(7))
        return judge_complaint(
            complaint,
            dealer=self.guardians[dealer - 1].public,
            recipient=complainant.public,
            ceremony=self.hash,
        )


@pytest.fixture(scope="module")
def ceremony() -> Ceremony:
    manifest = homomorphic_only(load_sample_manifest())
    digest = ceremony_hash(manifest_hash=manifest_hash(manifest), guardians=3, threshold=2)
    rng = SeededRandom(60)
    guardians = [
        create_guardian(index=i, name=f"guardian-{i}", threshold=2, ceremony=digest, rng=rng)
        for i in (1, 2, 3)
    ]
    return Ceremony(hash=digest, guardians=guardians)


def signed_by(dealer: GuardianSecret, share: EncryptedShare, ceremony: bytes) -> EncryptedShare:
    """``share`` as it stands, signed by ``dealer`` (a dealer that sends it knowingly)."""
    return sign_share(dealer, share, ceremony=ceremony, rng=SeededRandom(8))


def flip(data: bytes) -> bytes:
    return bytes([data[0] ^ 1]) + data[1:]


FRAMINGS: dict[str, Callable[[Ceremony, EncryptedShare], EncryptedShare]] = {
    "ciphertext-byte": lambda c, s: replace(s, ciphertext=flip(s.ciphertext)),
    "mac-byte": lambda c, s: replace(s, mac=flip(s.mac)),
    "ephemeral": lambda c, s: replace(s, ephemeral=s.ephemeral + s.ephemeral),
    "invented": lambda c, s: replace(
        c.share(dealer=1, recipient=3, seed=71),
        ciphertext=bytes(32),
        mac=bytes(32),
        signature=s.signature,
    ),
    "re-addressed": lambda c, s: replace(c.share(dealer=1, recipient=2, seed=72), recipient=3),
    "another-dealers-share": lambda c, s: replace(
        c.share(dealer=2, recipient=3, seed=73), dealer=1
    ),
}


@pytest.mark.parametrize("frame", FRAMINGS.values(), ids=FRAMINGS.keys())
def test_an_honest_dealer_cannot_be_framed(
    ceremony: Ceremony, frame: Callable[[Ceremony, EncryptedShare], EncryptedShare]
) -> None:
    honest = ceremony.share(dealer=1, recipient=3, seed=70)
    forged = frame(ceremony, honest)
    recipient, dealer = ceremony.guardians[2], ceremony.guardians[0]
    with pytest.raises(VerificationFailed, match=r"not signed by guardian 1 \(guardian-1\)"):
        receive_share(recipient, forged, dealer.public, ceremony=ceremony.hash)
    assert ceremony.judge(forged, dealer=1, recipient=3) == "guardian-3"


def test_a_dealer_who_signs_a_share_off_its_commitments_is_blamed(ceremony: Ceremony) -> None:
    dealer, recipient = ceremony.guardians[0], ceremony.guardians[2]
    impostor = create_guardian(
        index=1, name="guardian-1", threshold=2, ceremony=ceremony.hash, rng=SeededRandom(74)
    )
    bad = encrypt_share(impostor, recipient.public, ceremony=ceremony.hash, rng=SeededRandom(75))
    bad = signed_by(dealer, bad, ceremony.hash)
    with pytest.raises(VerificationFailed, match="does not match its commitments"):
        receive_share(recipient, bad, dealer.public, ceremony=ceremony.hash)
    assert ceremony.judge(bad, dealer=1, recipient=3) == "guardian-1"


def test_a_dealer_who_signs_garbage_is_blamed(ceremony: Ceremony) -> None:
    dealer, recipient = ceremony.guardians[1], ceremony.guardians[0]
    garbage = signed_by(
        dealer, replace(ceremony.share(2, 1, 76), ciphertext=bytes(32)), ceremony.hash
    )
    with pytest.raises(VerificationFailed, match="does not authenticate"):
        receive_share(recipient, garbage, dealer.public, ceremony=ceremony.hash)
    assert ceremony.judge(garbage, dealer=2, recipient=1) == "guardian-2"


def test_a_complaint_with_a_forged_proof_blames_the_complainant(ceremony: Ceremony) -> None:
    dealer, recipient = ceremony.guardians[1], ceremony.guardians[0]
    garbage = signed_by(
        dealer, replace(ceremony.share(2, 1, 77), ciphertext=bytes(32)), ceremony.hash
    )
    complaint = make_complaint(recipient, garbage, ceremony=ceremony.hash, rng=SeededRandom(9))
    lying = replace(complaint, shared_secret=complaint.shared_secret + complaint.shared_secret)
    verdict = judge_complaint(
        lying, dealer=dealer.public, recipient=recipient.public, ceremony=ceremony.hash
    )
    assert verdict == "guardian-1"


def test_an_honest_share_is_received_and_a_complaint_about_it_fails(ceremony: Ceremony) -> None:
    share = ceremony.share(dealer=3, recipient=2, seed=78)
    dealer, recipient = ceremony.guardians[2], ceremony.guardians[1]
    value = receive_share(recipient, share, dealer.public, ceremony=ceremony.hash)
    assert value == dealer.polynomial.evaluate(2)
    assert ceremony.judge(share, dealer=3, recipient=2) == "guardian-2"


def test_a_false_complaint_names_the_complainer(ceremony: Ceremony) -> None:
    dealer, recipient = ceremony.guardians[2], ceremony.guardians[1]
    share = encrypt_share(dealer, recipient.public, ceremony=ceremony.hash, rng=SeededRandom(46))
    value = receive_share(recipient, share, dealer.public, ceremony=ceremony.hash)
    assert value == dealer.polynomial.evaluate(recipient.index)
    complaint = make_complaint(recipient, share, ceremony=ceremony.hash, rng=SeededRandom(47))
    forged = replace(complaint, shared_secret=complaint.shared_secret + complaint.shared_secret)
    for accusation in (complaint, forged):
        verdict = judge_complaint(
            accusation, dealer=dealer.public, recipient=recipient.public, ceremony=ceremony.hash
        )
        assert verdict == "guardian-2"


def test_a_share_for_someone_else_is_refused(ceremony: Ceremony) -> None:
    dealer = ceremony.guardians[0]
    share = encrypt_share(
        dealer, ceremony.guardians[1].public, ceremony=ceremony.hash, rng=SeededRandom(48)
    )
    with pytest.raises(VerificationFailed, match="addressed to another guardian"):
        receive_share(ceremony.guardians[2], share, dealer.public, ceremony=ceremony.hash)
