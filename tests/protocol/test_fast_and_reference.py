"""The two definitions of the ballot checks agree (issue 16, spec/protocol.md#7.2).

The kernel's batch check (:func:`~suffrage.protocol.batch_check.fast_verdicts`) and the
readable reference (strict decoding, then :func:`~suffrage.protocol.ballot_check.check_ballot`
one check after another) must accept the same ballots and refuse the others with the same
first failing check. Hypothesis draws single-field changes to valid ballots of the sample
manifest, whose every style has a ranked contest (so rank proofs, V22, are drawn too): every
point, scalar and id of a ballot, changed to random bytes, to a flipped bit, or to another
valid value (so that an equation fails rather than a decoding), one at a time or a few
ballots at once in one batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suffrage.core import SeededRandom
from suffrage.core.elgamal import Ciphertext
from suffrage.core.group import ORDER, Element, NativeDecodeError, Scalar
from suffrage.core.proofs import RangeProof, SchnorrProof
from suffrage.errors import VerificationFailed
from suffrage.protocol.ballot import (
    BallotContest,
    ContestCiphertexts,
    EncryptedBallot,
    RankCiphertext,
    RankedContestCiphertexts,
    RawBallot,
    RawContest,
    RawRange,
    RawRank,
    RawRankedContest,
    RawSelection,
    SelectionCiphertext,
    encrypt_ballot,
    raw_ballot,
    style_contests,
)
from suffrage.protocol.ballot_check import check_ballot
from suffrage.protocol.batch_check import fast_check
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.credentials import Credential
from suffrage.protocol.manifest import load_sample_manifest
from verify.forge import resign  # tests/ is on sys.path

from .test_election import Election, choices_for, set_up, style_of


@dataclass(frozen=True)
class Valid:
    context: ElectionContext
    ballots: tuple[RawBallot, ...]
    voters: tuple[Credential, ...]

    def signed(self, index: int, raw: RawBallot) -> RawBallot:
        """``raw`` signed again by ballot ``index``'s voter, so that a changed proof is
        refused by its own check rather than by the signature (V8); as it is if it does not
        decode or is not that voter's."""
        voter = self.voters[index]
        if raw.credential != voter.public.to_bytes():
            return raw
        try:
            ballot = _decoded(raw)
        except _Refused:
            return raw
        return raw_ballot(resign(self.context, ballot, voter, SeededRandom(index)))


@pytest.fixture(scope="module")
def valid() -> Valid:
    election: Election = set_up(load_sample_manifest(), 4, SeededRandom(71))
    rng = SeededRandom(72)
    ballots = []
    for number, voter in enumerate(election.voters):
        style = style_of(number)
        choices = choices_for(election.context, style, number)
        for contest in style_contests(election.context, style):
            if not contest.is_homomorphic:  # a ranking: a blank last rank, one repeat for some
                m = len(contest.options)
                ranking = [1 + (number + k) % m for k in range(m - 1)] + [0]
                choices[contest.contest_id] = ranking if number % 3 else [2, 2, *ranking[2:]]
        ballot, _ = encrypt_ballot(
            election.context, style_id=style, choices=choices, credential=voter, rng=rng
        )
        ballots.append(raw_ballot(ballot))
    assert all(any(isinstance(c, RawRankedContest) for c in raw.contests) for raw in ballots), (
        "the sample manifest has a ranked contest on every style"
    )
    return Valid(election.context, tuple(ballots), tuple(election.voters))


# ---- the reference: decode as the record's decoder does, then check one by one ----


class _Refused(Exception):
    pass


def _element(data: bytes) -> Element:
    try:
        element = Element.from_bytes(data)
    except NativeDecodeError:
        raise _Refused from None
    if element.is_identity():
        raise _Refused
    return element


def _scalar(data: bytes) -> Scalar:
    try:
        return Scalar.from_bytes(data)
    except NativeDecodeError:
        raise _Refused from None


def _range(raw: RawRange) -> RangeProof:
    def split(data: bytes) -> list[bytes]:
        return [data[i : i + 32] for i in range(0, len(data), 32)]

    return RangeProof(
        commitments_g=tuple(_element(x) for x in split(raw.commitments_g)),
        commitments_k=tuple(_element(x) for x in split(raw.commitments_k)),
        challenges=tuple(_scalar(x) for x in split(raw.challenges)),
        responses=tuple(_scalar(x) for x in split(raw.responses)),
    )


def _contest(c: RawContest | RawRankedContest) -> BallotContest:
    if isinstance(c, RawRankedContest):
        return RankedContestCiphertexts(
            contest_id=c.contest_id,
            ranks=tuple(
                RankCiphertext(
                    ciphertext=Ciphertext(alpha=_element(r.alpha), beta=_element(r.beta)),
                    proof=_range(r.proof),
                )
                for r in c.ranks
            ),
        )
    return ContestCiphertexts(
        contest_id=c.contest_id,
        selections=tuple(
            SelectionCiphertext(
                option_id=s.option_id,
                ciphertext=Ciphertext(alpha=_element(s.alpha), beta=_element(s.beta)),
                proof=_range(s.proof),
            )
            for s in c.selections
        ),
        limit_proof=_range(c.limit_proof),
    )


def _decoded(raw: RawBallot) -> EncryptedBallot:
    return EncryptedBallot(
        ballot_id=raw.ballot_id,
        style_id=raw.style_id,
        credential=_element(raw.credential),
        contests=tuple(_contest(c) for c in raw.contests),
        signature=SchnorrProof(
            commitment=_element(raw.signature_commitment),
            response=_scalar(raw.signature_response),
        ),
    )


def reference(context: ElectionContext, raw: RawBallot) -> str | None:
    """The first check the reference refuses ``raw`` with (``"decode"`` if it cannot decode
    it), or ``None`` if it accepts it."""
    try:
        ballot = _decoded(raw)
    except _Refused:
        return "decode"
    try:
        check_ballot(context, ballot)
    except VerificationFailed as exc:
        return exc.check
    return None


# ---- single-field changes ----

Path = tuple[str, ...]


def _fields(raw: RawBallot) -> list[tuple[Path, str]]:
    """Every changeable field of ``raw``: its path and its kind (point, scalar or id)."""
    out: list[tuple[Path, str]] = [
        (("credential",), "point"),
        (("signature_commitment",), "point"),
        (("signature_response",), "scalar"),
        (("ballot_id",), "id"),
        (("style_id",), "id"),
    ]
    for c, contest in enumerate(raw.contests):
        out.append((("contests", str(c), "contest_id"), "id"))
        proofs: list[tuple[Path, RawRange]] = []
        if isinstance(contest, RawRankedContest):
            for k, rank in enumerate(contest.ranks):
                here = ("contests", str(c), "ranks", str(k))
                out += [((*here, "alpha"), "point"), ((*here, "beta"), "point")]
                proofs.append(((*here, "proof"), rank.proof))
            _proof_fields(out, proofs)
            continue
        for s, selection in enumerate(contest.selections):
            here = ("contests", str(c), "selections", str(s))
            out += [((*here, "alpha"), "point"), ((*here, "beta"), "point")]
            out.append(((*here, "option_id"), "id"))
            proofs.append(((*here, "proof"), selection.proof))
        proofs.append((("contests", str(c), "limit_proof"), contest.limit_proof))
        _proof_fields(out, proofs)
    return out


def _proof_fields(out: list[tuple[Path, str]], proofs: list[tuple[Path, RawRange]]) -> None:
    kinds = {"commitments_g": "point", "commitments_k": "point"}
    for where, proof in proofs:
        for name in RawRange._fields:
            for branch in range(len(getattr(proof, name)) // 32):
                out.append(((*where, name, str(branch)), kinds.get(name, "scalar")))


def _get(raw: RawBallot, path: Path) -> bytes | str:
    value: object = raw
    for step in path:
        if isinstance(value, tuple) and not hasattr(value, "_fields"):
            value = value[int(step)]
        elif isinstance(value, bytes):
            return value[32 * int(step) : 32 * int(step) + 32]
        else:
            value = getattr(value, step)
    assert isinstance(value, (bytes, str))
    return value


def _set(value: object, path: Path, new: bytes | str) -> object:
    if not path:
        return new
    step, rest = path[0], path[1:]
    if isinstance(value, bytes):
        assert isinstance(new, bytes)
        at = 32 * int(step)
        return value[:at] + new + value[at + 32 :]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        items = list(value)
        items[int(step)] = _set(items[int(step)], rest, new)
        return tuple(items)
    assert isinstance(
        value, (RawBallot, RawContest, RawRankedContest, RawRank, RawSelection, RawRange)
    )
    return value._replace(**{step: _set(getattr(value, step), rest, new)})


@st.composite
def changes(draw: st.DrawFn, raw: RawBallot) -> RawBallot:
    path, kind = draw(st.sampled_from(_fields(raw)))
    old = _get(raw, path)
    if kind == "id":
        assert isinstance(old, str)
        new: bytes | str = draw(st.sampled_from([old + "x", old[:-1], "north", "south", ""]))
    else:
        assert isinstance(old, bytes)
        how = draw(st.sampled_from(["random", "bit", "valid", "order"]))
        if how == "random":
            new = draw(st.binary(min_size=32, max_size=32))
        elif how == "bit":
            bit = draw(st.integers(0, 255))
            new = bytes(b ^ (1 << (bit % 8)) if i == bit // 8 else b for i, b in enumerate(old))
        elif kind == "point":  # another valid element: an equation fails, not the decoding
            k = draw(st.integers(1, 2**64))
            new = Element.generator().__mul__(Scalar.from_int(k)).to_bytes()
        elif how == "valid":
            new = draw(st.integers(0, ORDER - 1)).to_bytes(32, "little")
        else:  # the same scalar plus the group order: not canonical
            value = int.from_bytes(old, "little") + ORDER
            new = value.to_bytes(32, "little") if value < 2**256 else old
    return _set(raw, path, new)  # type: ignore[return-value]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_one_changed_field_gets_the_same_verdict(valid: Valid, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(valid.ballots) - 1))
    changed = data.draw(changes(valid.ballots[index]))
    if data.draw(st.booleans()):
        changed = valid.signed(index, changed)
    want = reference(valid.context, changed)
    got = fast_check(valid.context, [(0, changed)], SeededRandom(5)).verdicts.get(0)
    if got is None:  # not decided by the fast path: the caller checks it one by one
        assert want is not None, "the fast path left a valid ballot undecided"
    else:
        assert got.failed == want
        assert (got.digest is not None) == (want is None)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_changed_ballots_in_one_batch_get_their_own_verdicts(
    valid: Valid, data: st.DataObject
) -> None:
    """A batch that mixes valid and changed ballots fails as a whole; each ballot must still
    get its own verdict, the same as the reference's."""
    ballots = [
        valid.signed(i % len(valid.ballots), data.draw(changes(raw)))
        if data.draw(st.booleans())
        else raw
        for i, raw in enumerate(valid.ballots * 2)
    ]
    got = fast_check(valid.context, list(enumerate(ballots)), SeededRandom(6)).verdicts
    for index, raw in enumerate(ballots):
        want = reference(valid.context, raw)
        if index in got:
            assert got[index].failed == want, index
        else:
            assert want is not None


def test_valid_ballots_pass_with_their_hash_and_the_sum_of_their_ciphertexts(
    valid: Valid,
) -> None:
    checked = fast_check(valid.context, list(enumerate(valid.ballots)), SeededRandom(7))
    assert sorted(checked.verdicts) == list(range(len(valid.ballots)))
    sums: dict[tuple[str, str], Ciphertext] = {}
    for index, raw in enumerate(valid.ballots):
        verdict = checked.verdicts[index]
        assert verdict.failed is None
        ballot = _decoded(raw)
        assert check_ballot(valid.context, ballot) == verdict.digest
        for c in ballot.contests:
            for s in c.selections:  # a ranked contest has none: its ranks are not summed
                key = (c.contest_id, s.option_id)
                sums[key] = s.ciphertext if key not in sums else sums[key] + s.ciphertext
    assert checked.sums == sums


def test_each_field_kind_is_named(valid: Valid) -> None:
    """One change of each kind, with the check both paths must name."""
    raw = valid.ballots[0]
    contest = raw.contests[0]
    selection = contest.selections[0]
    other = valid.ballots[2]
    ranked = next(
        ("contests", str(c)) for c, part in enumerate(raw.contests) if hasattr(part, "ranks")
    )
    cases = {
        "decode": raw._replace(credential=bytes(32)),  # the identity
        "V8": raw._replace(signature_response=other.signature_response),
        "V18": raw._replace(style_id=valid.ballots[1].style_id),
        "V9": valid.signed(
            0, _set(raw, ("contests", "0", "selections", "0", "proof", "responses", "1"), bytes(32))
        ),
        "V10": valid.signed(
            0, _set(raw, ("contests", "0", "limit_proof", "challenges", "0"), bytes(32))
        ),
        "V22": valid.signed(
            0, _set(raw, (*ranked, "ranks", "1", "proof", "responses", "0"), bytes(32))
        ),
        "V8 unsigned": _set(raw, ("contests", "0", "limit_proof", "challenges", "0"), bytes(32)),
    }
    assert selection.proof.responses  # the path above exists
    for check, changed in cases.items():
        assert isinstance(changed, RawBallot)
        want = reference(valid.context, changed)
        got = fast_check(valid.context, [(0, changed)], SeededRandom(8)).verdicts.get(0)
        if check == "V8 unsigned":  # a changed proof not signed again breaks the signature
            assert want == "V8"
        elif check == "V18":  # another style's ids: not decided by the fast path
            assert want in {"V7", "V18"}
            assert got is None or got.failed == want
            continue
        else:
            assert want == check
        assert got is not None
        assert got.failed == want
