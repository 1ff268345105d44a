"""Ranked contests through the mix-net: shuffle, decrypt, count (spec/protocol.md#19).

A ranked contest is never added up. After the close, the rank ciphertexts of the counted
ballots are taken apart from the ballots (:func:`mix_input`: rows of ``m`` ciphertexts, in
the order of the counted entries, nothing else), shuffled by a sequence of mixers, each
publishing a proof of shuffle (spec #6.4) and signing its mix with its guardian
communication key (:func:`make_mix`, :func:`check_mix`), then decrypted by ``k`` guardians,
each with one batched proof for all its shares (:func:`decrypt_mix`,
:func:`check_mix_decryption`), and the plaintext rankings are counted by the contest's
method (:func:`combine_mix`, :func:`ranked_result`). Nobody can link a plaintext ranking to
a ballot unless every mixer colludes.

Rows travel as bytes (``rows * width * 64``: each ciphertext ``alpha || beta``), as the
kernel's shuffle takes them, so a national mix never becomes millions of Python objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from suffrage.core.elgamal import Ciphertext
from suffrage.core.group import (
    ELEMENT_BYTES,
    GENERATOR,
    Element,
    Scalar,
    decode_element,
)
from suffrage.core.hashing import Transcript
from suffrage.core.mix_kernel import combine_shares, prove_parts, shares_digest, weighted_sums
from suffrage.core.polynomial import lagrange_coefficient
from suffrage.core.proofs import (
    ChaumPedersenProof,
    ChaumPedersenStatement,
    SchnorrProof,
    check_chaum_pedersen,
    check_schnorr,
    prove_chaum_pedersen,
    prove_schnorr,
)
from suffrage.core.proofs.shuffle import RawShuffleProof
from suffrage.core.randomness import RandomSource
from suffrage.core.shuffle_kernel import CIPHERTEXT_BYTES, shuffle_and_prove, verify_shuffle
from suffrage.core.shuffle_kernel import row_count as _rows
from suffrage.errors import InvalidEncoding, InvalidInput, ProofRejected, VerificationFailed
from suffrage.protocol.ballot import EncryptedBallot, RankedContestCiphertexts
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.key_ceremony import public_share
from suffrage.protocol.manifest import Contest, ContestKind

__all__ = [
    "MIX",
    "MIX_DECRYPTION",
    "MIX_SIGNATURE",
    "Mix",
    "MixDecryption",
    "as_ciphertexts",
    "check_mix",
    "check_mix_decryption",
    "combine_mix",
    "decrypt_mix",
    "generator_seed",
    "make_mix",
    "mix_context",
    "mix_digest",
    "mix_input",
    "mix_rows",
    "ranked_contests",
    "row_count",
]

MIX = "mix"
MIX_SIGNATURE = "mix-signature"
MIX_DECRYPTION = "mix-decryption"


def ranked_contests(context: ElectionContext) -> tuple[Contest, ...]:
    """The manifest's ranked contests, in manifest order: each has its own mix."""
    return tuple(c for c in context.manifest.contests if c.kind is ContestKind.RANKED)


def row_count(rows: bytes, width: int) -> int:
    """The number of rows of ``width`` ciphertexts in ``rows`` (0 for none); InvalidInput
    for a size that is not whole rows."""
    return _rows(rows, width, field="rows") if rows else 0


def mix_input(contest: Contest, counted: Iterable[EncryptedBallot]) -> bytes:
    """The input rows of the first mix of ``contest`` (spec #19.1): for each counted ballot
    that holds it, in the order given (the counted entries' sequence order), its ``m`` rank
    ciphertexts, rank 1 first. Nothing else of the ballot goes in."""
    out = bytearray()
    width = len(contest.options)
    for ballot in counted:
        for part in ballot.contests:
            if part.contest_id != contest.contest_id:
                continue
            if not isinstance(part, RankedContestCiphertexts) or len(part.ranks) != width:
                raise InvalidInput(
                    f"ballot {ballot.ballot_id}, contest {contest.contest_id}",
                    f"expected {width} ranks of a ranked contest",
                )
            for rank in part.ranks:
                out += rank.ciphertext.alpha.to_bytes()
                out += rank.ciphertext.beta.to_bytes()
    return bytes(out)


def mix_rows(contest: Contest, counted: Iterable[EncryptedBallot]) -> int:
    """``N_C`` of spec #19.1: how many counted ballots hold ``contest`` (the rows of its
    first mix), without building them."""
    return sum(any(p.contest_id == contest.contest_id for p in b.contests) for b in counted)


def generator_seed(base_hash: bytes, contest_id: str) -> bytes:
    """The public seed of the contest's shuffle generators (spec #19.2): nobody chooses it."""
    return (
        Transcript("mix/generators")
        .append("base_hash", base_hash)
        .text("contest_id", contest_id)
        .digest()
    )


def mix_context(
    base_hash: bytes, tally_hash: bytes, contest_id: str, *, index: int, mixer: int
) -> bytes:
    """The context of mix ``index`` (from 1) of a contest, by guardian ``mixer`` (#19.2)."""
    return (
        Transcript("mix/context")
        .append("base_hash", base_hash)
        .append("tally_hash", tally_hash)
        .text("contest_id", contest_id)
        .integer("mix", index)
        .integer("mixer", mixer)
        .digest()
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Mix:
    """Mix ``index`` of a ranked contest: the output rows, the proof of shuffle, and the
    mixer's signature on both."""

    contest_id: str
    index: int
    mixer: int
    width: int
    outputs: bytes
    proof: RawShuffleProof
    signature: SchnorrProof

    @property
    def rows(self) -> int:
        return _rows(self.outputs, self.width, field="outputs")


def mix_digest(context_hash: bytes, outputs: bytes, proof: RawShuffleProof) -> bytes:
    """What a mixer signs and the decryption binds (spec #19.3)."""
    transcript = Transcript(MIX).append("context", context_hash).append("outputs", outputs)
    for label, value in zip(RawShuffleProof._fields, proof, strict=True):
        transcript.append(label, value)
    return transcript.digest()


def _contest_mix_context(
    context: ElectionContext, tally_hash: bytes, contest: Contest, index: int, mixer: int
) -> bytes:
    if index < 1:
        raise InvalidInput("mix", f"mixes are numbered from 1, got {index}")
    context.guardian(mixer)  # KeyError for a stranger: the caller names it
    return mix_context(context.base_hash, tally_hash, contest.contest_id, index=index, mixer=mixer)


def make_mix(
    context: ElectionContext,
    tally_hash: bytes,
    contest: Contest,
    *,
    index: int,
    mixer: int,
    communication_secret: Scalar,
    inputs: bytes,
    rng: RandomSource,
) -> Mix:
    """Shuffle ``inputs`` (the previous mix's output, or :func:`mix_input` for the first),
    prove it and sign it as guardian ``mixer`` (spec #19.2, #19.3)."""
    width = len(contest.options)
    _rows(inputs, width, field="inputs")  # no rows: nothing to mix, refused
    mix_ctx = _contest_mix_context(context, tally_hash, contest, index, mixer)
    outputs, proof = shuffle_and_prove(
        inputs,
        width=width,
        key=context.joint_key,
        seed=generator_seed(context.base_hash, contest.contest_id),
        context=mix_ctx,
        purpose=MIX,
        rng=rng,
    )
    public = context.guardian(mixer).communication_key
    signature = prove_schnorr(
        secret=communication_secret,
        public=public,
        context=context.base_hash,
        message=mix_digest(mix_ctx, outputs, proof),
        rng=rng,
        purpose=MIX_SIGNATURE,
    )
    return Mix(
        contest_id=contest.contest_id,
        index=index,
        mixer=mixer,
        width=width,
        outputs=outputs,
        proof=proof,
        signature=signature,
    )


_PROOF_ROW = re.compile(r"proof\.(permutation_commitment|chain|t_hat|s_hat|s_prime)\[(\d+)\]")
_ROW = re.compile(r"\brow (\d+)")
_COLUMN = re.compile(r"\bciphertext (\d+)")


def _file_rows(reason: str) -> str:
    """A proof-of-shuffle reason with its rows numbered from 1, as the mix file numbers them
    (spec #6.4 numbers them from 0), and a row's ciphertexts by rank: ``proof.t_hat[3]``
    becomes ``row 4 t_hat``, ``outputs row 0 ciphertext 1`` ``outputs row 1 rank 2``."""
    reason = _ROW.sub(lambda m: f"row {int(m[1]) + 1}", reason)
    reason = _COLUMN.sub(lambda m: f"rank {int(m[1]) + 1}", reason)
    return _PROOF_ROW.sub(lambda m: f"row {int(m[2]) + 1} {m[1]}", reason)


def check_mix(
    context: ElectionContext,
    tally_hash: bytes,
    contest: Contest,
    mix: Mix,
    *,
    index: int,
    inputs: bytes,
    rng: RandomSource | None = None,
) -> bytes:
    """Check one mix against its input rows; return its digest (what the next step binds).

    Raises :class:`VerificationFailed`: ``V23`` when the mix is not in its place (contest,
    number, a guardian as mixer, the width and number of rows of its input), ``V24`` when
    its proof of shuffle (P4) or its signature (P1) fails, naming which."""
    where = f"contest {contest.contest_id}, mix {index}"
    width = len(contest.options)
    if mix.contest_id != contest.contest_id or mix.index != index:
        raise VerificationFailed(
            "V23", f"{where}: the mix says contest {mix.contest_id}, mix {mix.index}"
        )
    if mix.width != width:
        raise VerificationFailed("V23", f"{where}: width {mix.width}, the contest has {width}")
    try:
        expected = _rows(inputs, width, field="inputs")
        got = _rows(mix.outputs, width, field="outputs")
        mix_ctx = _contest_mix_context(context, tally_hash, contest, index, mix.mixer)
    except InvalidInput as exc:
        raise VerificationFailed("V23", f"{where}: {exc.reason}") from None
    except KeyError:
        raise VerificationFailed("V23", f"{where}: mixer {mix.mixer} is not a guardian") from None
    if got != expected:
        raise VerificationFailed("V23", f"{where}: {got} output rows for {expected} input rows")
    try:
        verify_shuffle(
            mix.proof,
            inputs=inputs,
            outputs=mix.outputs,
            width=width,
            key=context.joint_key,
            seed=generator_seed(context.base_hash, contest.contest_id),
            context=mix_ctx,
            purpose=MIX,
            rng=rng,
        )
    except ProofRejected as exc:
        reason = _file_rows(exc.reason)
        raise VerificationFailed("V24", f"{where}, proof of shuffle: {reason}") from None
    except InvalidInput as exc:
        reason = _file_rows(f"{exc.field}: {exc.reason}")
        raise VerificationFailed("V24", f"{where}, proof of shuffle: {reason}") from None
    digest = mix_digest(mix_ctx, mix.outputs, mix.proof)
    try:
        check_schnorr(
            mix.signature,
            public=context.guardian(mix.mixer).communication_key,
            context=context.base_hash,
            message=digest,
            purpose=MIX_SIGNATURE,
        )
    except ProofRejected as exc:
        raise VerificationFailed(
            "V24", f"{where}, signature of guardian {mix.mixer}: {exc.reason}"
        ) from None
    return digest


@dataclass(frozen=True, slots=True, kw_only=True)
class MixDecryption:
    """Guardian ``guardian``'s shares ``s_j * alpha`` of every ciphertext of a contest's last
    mix (``rows * width * 32`` bytes), with one Chaum-Pedersen proof for all of them."""

    contest_id: str
    guardian: int
    shares: bytes
    proof: ChaumPedersenProof


def _ciphertexts(rows: bytes) -> int:
    """The number of ciphertexts of ``rows``, a last partial one included (its alpha is
    then refused as short)."""
    return -(-len(rows) // CIPHERTEXT_BYTES)


def _decryption_statement(
    digest: bytes, guardian: int, public: Element, rows: bytes, shares: bytes
) -> ChaumPedersenStatement:
    """The batched statement of spec #19.4: ``log_G K_j = log_A M`` for the weighted sums
    ``A = sum z*alpha`` and ``M = sum z*M_j``, the weights hashed from the shares (in the
    kernel, from the digest ``e`` computed here)."""
    base_2, public_2 = weighted_sums(rows, shares, shares_digest(digest, guardian, shares))
    return _statement(public, base_2, public_2)


def _statement(public: Element, base_2: Element, public_2: Element) -> ChaumPedersenStatement:
    return ChaumPedersenStatement(
        base_1=GENERATOR, public_1=public, base_2=base_2, public_2=public_2
    )


def decrypt_mix(
    context: ElectionContext,
    contest: Contest,
    last: Mix,
    digest: bytes,
    *,
    guardian: int,
    key_share: Scalar,
    rng: RandomSource,
) -> MixDecryption:
    """Guardian ``guardian``'s shares of the last mix's output, proven (spec #19.4)."""
    shares, base_2, public_2 = prove_parts(
        last.outputs, key_share, mix_digest=digest, guardian=guardian
    )
    statement = _statement(public_share(context.guardians, guardian), base_2, public_2)
    proof = prove_chaum_pedersen(
        statement, secret=key_share, context=digest, rng=rng, purpose=MIX_DECRYPTION
    )
    return MixDecryption(
        contest_id=contest.contest_id, guardian=guardian, shares=shares, proof=proof
    )


def check_mix_decryption(
    context: ElectionContext, contest: Contest, last: Mix, digest: bytes, part: MixDecryption
) -> None:
    """V25 for one guardian's shares of a contest's last mix.

    An alpha of the last mix that does not decode raises InvalidEncoding (``ciphertext N``):
    the mix itself is wrong, which V23 and V24 report, not the shares."""
    who = f"contest {contest.contest_id}, guardian {part.guardian}"
    if part.contest_id != contest.contest_id:
        raise VerificationFailed("V25", f"{who}: the shares are for contest {part.contest_id}")
    if not 1 <= part.guardian <= len(context.guardians):
        raise VerificationFailed("V25", f"{who}: not a guardian of this election")
    public = public_share(context.guardians, part.guardian)
    try:
        statement = _decryption_statement(digest, part.guardian, public, last.outputs, part.shares)
    except InvalidEncoding as exc:  # a share (``shares[N]``), or an alpha: not V25's
        if not exc.field.startswith("shares["):
            raise
        raise VerificationFailed("V25", f"{who}: the shares are not proven: {exc.reason}") from None
    except InvalidInput as exc:  # the shares' length
        if exc.field != "shares":
            raise
        count = _ciphertexts(last.outputs)
        raise VerificationFailed(
            "V25", f"{who}: {len(part.shares) // ELEMENT_BYTES} shares for {count} ciphertexts"
        ) from None
    try:
        check_chaum_pedersen(part.proof, statement, context=digest, purpose=MIX_DECRYPTION)
    except (ProofRejected, InvalidInput) as exc:
        raise VerificationFailed("V25", f"{who}: the shares are not proven: {exc.reason}") from None


def combine_mix(
    context: ElectionContext, contest: Contest, last: Mix, parts: Iterable[MixDecryption]
) -> tuple[tuple[int, ...], ...]:
    """The plaintext rows (rank values ``0..m``) from the shares of the ``k`` lowest guardian
    indices among ``parts`` (already checked), in the last mix's order (spec #19.4)."""
    by_guardian: Mapping[int, MixDecryption] = {p.guardian: p for p in parts}
    chosen = sorted(by_guardian)[: context.threshold]
    if len(chosen) < context.threshold:
        raise VerificationFailed(
            "V26",
            f"contest {contest.contest_id}: {len(chosen)} guardians decrypted; "
            f"{context.threshold} are needed",
        )
    weights = [lagrange_coefficient(i, chosen) for i in chosen]
    width = len(contest.options)
    shares = [by_guardian[i].shares for i in chosen]
    values, failing = combine_shares(last.outputs, shares, weights, width)
    if failing is not None:
        raise VerificationFailed(
            "V26",
            f"contest {contest.contest_id}, row {failing // width + 1}, "
            f"rank {failing % width + 1}: does not decrypt to a value in 0..{width}",
        )
    whole = len(values) - len(values) % width  # a last partial row is not a row
    return tuple(tuple(values[i : i + width]) for i in range(0, whole, width))


def as_ciphertexts(rows: bytes, width: int) -> list[tuple[Ciphertext, ...]]:
    """``rows`` as Ciphertext objects (tests and small elections)."""
    count = _rows(rows, width, field="rows")
    out = []
    for r in range(count):
        cts = []
        for k in range(width):
            at = (r * width + k) * CIPHERTEXT_BYTES
            cts.append(
                Ciphertext(
                    alpha=decode_element(rows[at : at + ELEMENT_BYTES], field="alpha"),
                    beta=decode_element(
                        rows[at + ELEMENT_BYTES : at + CIPHERTEXT_BYTES], field="beta"
                    ),
                )
            )
        out.append(tuple(cts))
    return out
