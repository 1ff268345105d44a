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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from suffrage.core.elgamal import Ciphertext
from suffrage.core.group import (
    ELEMENT_BYTES,
    GENERATOR,
    Element,
    Scalar,
    decode_element,
    multiscalar_mul_vartime,
    scalar_from_int,
    scalar_from_wide,
    sum_elements,
)
from suffrage.core.hashing import Transcript
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
from suffrage.errors import InvalidInput, ProofRejected, VerificationFailed
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


def _alphas(rows: bytes) -> list[Element]:
    """The ``alpha`` of every ciphertext of ``rows``, decoded strictly."""
    return [
        decode_element(rows[i : i + ELEMENT_BYTES], field=f"ciphertext {i // CIPHERTEXT_BYTES}")
        for i in range(0, len(rows), CIPHERTEXT_BYTES)
    ]


def _decryption_statement(
    digest: bytes, guardian: int, public: Element, alphas: Sequence[Element], shares: bytes
) -> ChaumPedersenStatement:
    """The batched statement of spec #19.4: ``log_G K_j = log_A M`` for the weighted sums
    ``A = sum z*alpha`` and ``M = sum z*M_j``, the weights hashed from the shares."""
    seed = (
        Transcript("mix-decryption/shares")
        .append("mix_digest", digest)
        .integer("guardian", guardian)
        .append("shares", shares)
        .digest()
    )
    start = Transcript("mix-decryption/weight").append("shares_digest", seed)
    weights = [
        scalar_from_wide(start.copy().integer("index", i).digest()) for i in range(len(alphas))
    ]
    elements = [
        decode_element(shares[i : i + ELEMENT_BYTES], field=f"shares[{i // ELEMENT_BYTES}]")
        for i in range(0, len(shares), ELEMENT_BYTES)
    ]
    return ChaumPedersenStatement(
        base_1=GENERATOR,
        public_1=public,
        base_2=multiscalar_mul_vartime(weights, alphas),
        public_2=multiscalar_mul_vartime(weights, elements),
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
    alphas = _alphas(last.outputs)
    shares = b"".join((alpha * key_share).to_bytes() for alpha in alphas)
    public = public_share(context.guardians, guardian)
    statement = _decryption_statement(digest, guardian, public, alphas, shares)
    proof = prove_chaum_pedersen(
        statement, secret=key_share, context=digest, rng=rng, purpose=MIX_DECRYPTION
    )
    return MixDecryption(
        contest_id=contest.contest_id, guardian=guardian, shares=shares, proof=proof
    )


def check_mix_decryption(
    context: ElectionContext, contest: Contest, last: Mix, digest: bytes, part: MixDecryption
) -> None:
    """V25 for one guardian's shares of a contest's last mix."""
    who = f"contest {contest.contest_id}, guardian {part.guardian}"
    if part.contest_id != contest.contest_id:
        raise VerificationFailed("V25", f"{who}: the shares are for contest {part.contest_id}")
    if not 1 <= part.guardian <= len(context.guardians):
        raise VerificationFailed("V25", f"{who}: not a guardian of this election")
    alphas = _alphas(last.outputs)
    if len(part.shares) != len(alphas) * ELEMENT_BYTES:
        raise VerificationFailed(
            "V25",
            f"{who}: {len(part.shares) // ELEMENT_BYTES} shares for {len(alphas)} ciphertexts",
        )
    public = public_share(context.guardians, part.guardian)
    try:
        statement = _decryption_statement(digest, part.guardian, public, alphas, part.shares)
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
    values = {(scalar_from_int(v) * GENERATOR).to_bytes(): v for v in range(width + 1)}
    shares = [by_guardian[i].shares for i in chosen]
    rows: list[tuple[int, ...]] = []
    row: list[int] = []
    for n, start in enumerate(range(0, len(last.outputs), CIPHERTEXT_BYTES)):
        beta = decode_element(
            last.outputs[start + ELEMENT_BYTES : start + CIPHERTEXT_BYTES], field="beta"
        )
        at = n * ELEMENT_BYTES
        mask = sum_elements(
            [
                decode_element(s[at : at + ELEMENT_BYTES], field="share") * w
                for s, w in zip(shares, weights, strict=True)
            ]
        )
        value = values.get((beta - mask).to_bytes())
        if value is None:
            raise VerificationFailed(
                "V26",
                f"contest {contest.contest_id}, row {n // width + 1}, rank {n % width + 1}: "
                f"does not decrypt to a value in 0..{width}",
            )
        row.append(value)
        if len(row) == width:
            rows.append(tuple(row))
            row = []
    return tuple(rows)


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
