"""Protocol objects to and from their JSON form in the record (spec/record-format.md).

``*_to_json`` gives plain data ready for :func:`~suffrage.record.canonical.canonical_bytes`;
``*_from_json`` decodes strictly, naming the field of the first thing that is wrong.
"""

from __future__ import annotations

from typing import Any

from suffrage.core.elgamal import Ciphertext
from suffrage.core.proofs import MAX_RANGE, ChaumPedersenProof, RangeProof, SchnorrProof
from suffrage.errors import InvalidEncoding
from suffrage.protocol.ballot import (
    BallotContest,
    BallotSecrets,
    ContestCiphertexts,
    EncryptedBallot,
    RankCiphertext,
    RankedContestCiphertexts,
    SelectionCiphertext,
)
from suffrage.protocol.board import BoardEntry, EntryState, SignedHead
from suffrage.protocol.credentials import CredentialKey
from suffrage.protocol.key_ceremony import GuardianPublic
from suffrage.protocol.tally import ContestTally, PartialDecryption, Tally
from suffrage.record.entry_format import (
    BALLOT_FIELDS,
    BALLOT_ID_BYTES,
    CIPHERTEXT_FIELDS,
    CONTEST_FIELDS,
    ENTRY_FIELDS,
    ENTRY_OPTIONAL,
    MAX_BRANCHES,
    MAX_ID,
    MAX_SEQUENCE,
    MIN_SEQUENCE,
    RANGE_FIELDS,
    RANK_FIELDS,
    RANKED_CONTEST_FIELDS,
    SCHNORR_FIELDS,
    SELECTION_FIELDS,
    STATES,
    TRACKING_CODE_BYTES,
)
from suffrage.record.fields import (
    element,
    element_list,
    element_or_identity,
    expect_object,
    flag,
    hexbytes,
    integer,
    items,
    moment,
    scalar,
    scalar_list,
    text,
)

__all__ = [
    "ballot_from_json",
    "ballot_to_json",
    "credential_from_json",
    "credential_to_json",
    "entry_from_json",
    "entry_to_json",
    "guardian_from_json",
    "guardian_to_json",
    "partial_from_json",
    "partial_to_json",
    "signed_head_from_json",
    "signed_head_to_json",
    "tally_from_json",
    "tally_to_json",
]


def _h(x: Any) -> str:
    return str(x.to_bytes().hex())


def credential_to_json(c: CredentialKey) -> dict[str, Any]:
    return {"key": _h(c.key), "style_id": c.style_id}


def credential_from_json(v: Any, f: str) -> CredentialKey:
    o = expect_object(v, f, ["key", "style_id"])
    return CredentialKey(
        key=element(o["key"], f"{f}.key"), style_id=text(o["style_id"], f"{f}.style_id")
    )


def signed_head_to_json(h: SignedHead) -> dict[str, Any]:
    return {"size": h.size, "head": h.head.hex(), "signature": schnorr_to_json(h.signature)}


def signed_head_from_json(v: Any, f: str) -> SignedHead:
    o = expect_object(v, f, ["size", "head", "signature"])
    return SignedHead(
        size=integer(o["size"], f"{f}.size"),
        head=hexbytes(o["head"], f"{f}.head", size=64),
        signature=schnorr_from_json(o["signature"], f"{f}.signature"),
    )


def schnorr_to_json(p: SchnorrProof) -> dict[str, Any]:
    return {"commitment": _h(p.commitment), "response": _h(p.response)}


def schnorr_from_json(v: Any, f: str) -> SchnorrProof:
    o = expect_object(v, f, SCHNORR_FIELDS)
    return SchnorrProof(
        commitment=element(o["commitment"], f"{f}.commitment"),
        response=scalar(o["response"], f"{f}.response"),
    )


def cp_to_json(p: ChaumPedersenProof) -> dict[str, Any]:
    return {
        "commitment_1": _h(p.commitment_1),
        "commitment_2": _h(p.commitment_2),
        "response": _h(p.response),
    }


def cp_from_json(v: Any, f: str, *, second_may_be_identity: bool = False) -> ChaumPedersenProof:
    """A Chaum-Pedersen proof; ``second_may_be_identity`` for a decryption share, whose
    second commitment is the identity when the tallied alpha is (a contest nobody voted in)."""
    o = expect_object(v, f, ["commitment_1", "commitment_2", "response"])
    second = element_or_identity if second_may_be_identity else element
    return ChaumPedersenProof(
        commitment_1=element(o["commitment_1"], f"{f}.commitment_1"),
        commitment_2=second(o["commitment_2"], f"{f}.commitment_2"),
        response=scalar(o["response"], f"{f}.response"),
    )


def range_to_json(p: RangeProof) -> dict[str, Any]:
    return {
        "commitments_g": [_h(x) for x in p.commitments_g],
        "commitments_k": [_h(x) for x in p.commitments_k],
        "challenges": [_h(x) for x in p.challenges],
        "responses": [_h(x) for x in p.responses],
    }


def range_from_json(v: Any, f: str) -> RangeProof:
    o = expect_object(v, f, RANGE_FIELDS)
    branches = o["commitments_g"]
    if not isinstance(branches, list) or not 1 <= len(branches) <= MAX_BRANCHES:
        raise InvalidEncoding(
            f"{f}.commitments_g", f"a range proof has a list of 1 to {MAX_BRANCHES} branches"
        )
    n = len(branches)
    return RangeProof(
        commitments_g=element_list(branches, f"{f}.commitments_g"),
        commitments_k=element_list(o["commitments_k"], f"{f}.commitments_k", size=n),
        challenges=scalar_list(o["challenges"], f"{f}.challenges", size=n),
        responses=scalar_list(o["responses"], f"{f}.responses", size=n),
    )


def ciphertext_to_json(c: Ciphertext) -> dict[str, Any]:
    return {"alpha": _h(c.alpha), "beta": _h(c.beta)}


def ciphertext_from_json(v: Any, f: str, *, sums: bool = False) -> Ciphertext:
    o = expect_object(v, f, CIPHERTEXT_FIELDS)
    read = element_or_identity if sums else element
    return Ciphertext(alpha=read(o["alpha"], f"{f}.alpha"), beta=read(o["beta"], f"{f}.beta"))


def guardian_to_json(g: GuardianPublic) -> dict[str, Any]:
    return {
        "index": g.index,
        "name": g.name,
        "commitments": [_h(c) for c in g.commitments],
        "coefficient_proofs": [schnorr_to_json(p) for p in g.coefficient_proofs],
        "communication_key": _h(g.communication_key),
        "communication_proof": schnorr_to_json(g.communication_proof),
    }


def guardian_from_json(v: Any, f: str) -> GuardianPublic:
    o = expect_object(
        v,
        f,
        [
            "index",
            "name",
            "commitments",
            "coefficient_proofs",
            "communication_key",
            "communication_proof",
        ],
    )
    commitments = items(o["commitments"], f"{f}.commitments", element)
    return GuardianPublic(
        index=integer(o["index"], f"{f}.index", minimum=1, maximum=1000),
        name=text(o["name"], f"{f}.name"),
        commitments=commitments,
        coefficient_proofs=items(
            o["coefficient_proofs"],
            f"{f}.coefficient_proofs",
            schnorr_from_json,
            size=len(commitments),
        ),
        communication_key=element(o["communication_key"], f"{f}.communication_key"),
        communication_proof=schnorr_from_json(o["communication_proof"], f"{f}.communication_proof"),
    )


def selection_to_json(s: SelectionCiphertext) -> dict[str, Any]:
    return {
        "option_id": s.option_id,
        "ciphertext": ciphertext_to_json(s.ciphertext),
        "proof": range_to_json(s.proof),
    }


def selection_from_json(v: Any, f: str) -> SelectionCiphertext:
    o = expect_object(v, f, SELECTION_FIELDS)
    return SelectionCiphertext(
        option_id=text(o["option_id"], f"{f}.option_id", max_length=MAX_ID),
        ciphertext=ciphertext_from_json(o["ciphertext"], f"{f}.ciphertext"),
        proof=range_from_json(o["proof"], f"{f}.proof"),
    )


def rank_to_json(r: RankCiphertext) -> dict[str, Any]:
    return {"ciphertext": ciphertext_to_json(r.ciphertext), "proof": range_to_json(r.proof)}


def rank_from_json(v: Any, f: str) -> RankCiphertext:
    o = expect_object(v, f, RANK_FIELDS)
    return RankCiphertext(
        ciphertext=ciphertext_from_json(o["ciphertext"], f"{f}.ciphertext"),
        proof=range_from_json(o["proof"], f"{f}.proof"),
    )


def contest_to_json(c: BallotContest) -> dict[str, Any]:
    if isinstance(c, RankedContestCiphertexts):
        return {"contest_id": c.contest_id, "ranks": [rank_to_json(r) for r in c.ranks]}
    return {
        "contest_id": c.contest_id,
        "selections": [selection_to_json(s) for s in c.selections],
        "limit_proof": range_to_json(c.limit_proof),
    }


def contest_from_json(v: Any, f: str) -> BallotContest:
    """A contest's part of a ballot: selections and a limit proof, or (ranked) ranks only."""
    if isinstance(v, dict) and ("ranks" in v) == ("selections" in v):
        which = "both selections and" if "ranks" in v else "neither selections nor"
        raise InvalidEncoding(f, f"has {which} ranks: a contest holds exactly one of them")
    if isinstance(v, dict) and "ranks" in v:
        o = expect_object(v, f, RANKED_CONTEST_FIELDS)
        return RankedContestCiphertexts(
            contest_id=text(o["contest_id"], f"{f}.contest_id", max_length=MAX_ID),
            ranks=items(o["ranks"], f"{f}.ranks", rank_from_json),
        )
    o = expect_object(v, f, CONTEST_FIELDS)
    return ContestCiphertexts(
        contest_id=text(o["contest_id"], f"{f}.contest_id", max_length=MAX_ID),
        selections=items(o["selections"], f"{f}.selections", selection_from_json),
        limit_proof=range_from_json(o["limit_proof"], f"{f}.limit_proof"),
    )


def ballot_to_json(b: EncryptedBallot) -> dict[str, Any]:
    return {
        "ballot_id": b.ballot_id,
        "style_id": b.style_id,
        "credential": _h(b.credential),
        "contests": [contest_to_json(c) for c in b.contests],
        "signature": schnorr_to_json(b.signature),
    }


def ballot_from_json(v: Any, f: str) -> EncryptedBallot:
    o = expect_object(v, f, BALLOT_FIELDS)
    return EncryptedBallot(
        ballot_id=hexbytes(o["ballot_id"], f"{f}.ballot_id", size=BALLOT_ID_BYTES).hex(),
        style_id=text(o["style_id"], f"{f}.style_id", max_length=MAX_ID),
        credential=element(o["credential"], f"{f}.credential"),
        contests=items(o["contests"], f"{f}.contests", contest_from_json),
        signature=schnorr_from_json(o["signature"], f"{f}.signature"),
    )


def reveal_to_json(r: BallotSecrets) -> dict[str, Any]:
    return {
        cid: {"values": list(r.values[cid]), "nonces": [_h(n) for n in r.nonces[cid]]}
        for cid in r.values
    }


def reveal_from_json(v: Any, f: str) -> BallotSecrets:
    if not isinstance(v, dict):
        expect_object(v, f, [])
    values, nonces = {}, {}
    for cid, entry in v.items():
        o = expect_object(entry, f"{f}.{cid}", ["values", "nonces"])
        # 0/1 for a selection, 0..m for a rank (m <= MAX_RANGE): V13 checks which applies
        values[cid] = items(
            o["values"], f"{f}.{cid}.values", lambda x, g: integer(x, g, maximum=MAX_RANGE)
        )
        nonces[cid] = items(o["nonces"], f"{f}.{cid}.nonces", scalar)
    return BallotSecrets(values=values, nonces=nonces)


def entry_to_json(e: BoardEntry) -> dict[str, Any]:
    out: dict[str, Any] = {
        "sequence": e.sequence,
        "state": e.state.value,
        "tracking_code": e.tracking_code.hex(),
        "ballot": ballot_to_json(e.ballot),
    }
    if e.reveal is not None:
        out["reveal"] = reveal_to_json(e.reveal)
    return out


def entry_from_json(v: Any, f: str) -> BoardEntry:
    o = expect_object(v, f, ENTRY_FIELDS, ENTRY_OPTIONAL)
    state_text = text(o["state"], f"{f}.state")
    if state_text not in STATES:
        raise InvalidEncoding(f"{f}.state", "expected 'cast' or 'spoiled'")
    state = EntryState(state_text)
    reveal = reveal_from_json(o["reveal"], f"{f}.reveal") if "reveal" in o else None
    return BoardEntry(
        sequence=integer(
            o["sequence"], f"{f}.sequence", minimum=MIN_SEQUENCE, maximum=MAX_SEQUENCE
        ),
        state=state,
        tracking_code=hexbytes(o["tracking_code"], f"{f}.tracking_code", size=TRACKING_CODE_BYTES),
        ballot=ballot_from_json(o["ballot"], f"{f}.ballot"),
        reveal=reveal,
    )


def tally_to_json(t: Tally) -> dict[str, Any]:
    return {
        "entries": t.entries,
        "counted": t.counted,
        "board_head": t.board_head.hex(),
        "closed_at": t.closed_at,
        "closed_early": t.closed_early,
        "contests": [
            {
                "contest_id": c.contest_id,
                "options": [
                    {"option_id": o, **ciphertext_to_json(ct)}
                    for o, ct in zip(c.option_ids, c.ciphertexts, strict=True)
                ],
            }
            for c in t.contests
        ],
    }


def _tally_option(v: Any, f: str) -> tuple[str, Ciphertext]:
    o = expect_object(v, f, ["option_id", "alpha", "beta"])
    return (
        text(o["option_id"], f"{f}.option_id", max_length=64),
        ciphertext_from_json({"alpha": o["alpha"], "beta": o["beta"]}, f, sums=True),
    )


def _tally_contest(v: Any, f: str) -> ContestTally:
    o = expect_object(v, f, ["contest_id", "options"])
    options = items(o["options"], f"{f}.options", _tally_option)
    return ContestTally(
        contest_id=text(o["contest_id"], f"{f}.contest_id", max_length=64),
        option_ids=tuple(x[0] for x in options),
        ciphertexts=tuple(x[1] for x in options),
    )


def tally_from_json(v: Any, f: str) -> Tally:
    o = expect_object(
        v, f, ["entries", "counted", "board_head", "closed_at", "closed_early", "contests"]
    )
    return Tally(
        entries=integer(o["entries"], f"{f}.entries"),
        counted=integer(o["counted"], f"{f}.counted"),
        board_head=hexbytes(o["board_head"], f"{f}.board_head", size=64),
        contests=items(o["contests"], f"{f}.contests", _tally_contest),
        closed_at=moment(o["closed_at"], f"{f}.closed_at"),
        closed_early=flag(o["closed_early"], f"{f}.closed_early"),
    )


def partial_to_json(p: PartialDecryption) -> dict[str, Any]:
    return {
        "guardian": p.guardian,
        "shares": [
            [{"share": _h(m), "proof": cp_to_json(pr)} for m, pr in zip(row, prow, strict=True)]
            for row, prow in zip(p.shares, p.proofs, strict=True)
        ],
    }


def _share(v: Any, f: str) -> tuple[Any, ChaumPedersenProof]:
    o = expect_object(v, f, ["share", "proof"])
    proof = cp_from_json(o["proof"], f"{f}.proof", second_may_be_identity=True)
    return element_or_identity(o["share"], f"{f}.share"), proof


def partial_from_json(v: Any, f: str) -> PartialDecryption:
    o = expect_object(v, f, ["guardian", "shares"])
    rows = items(o["shares"], f"{f}.shares", lambda r, g: items(r, g, _share))
    return PartialDecryption(
        guardian=integer(o["guardian"], f"{f}.guardian", minimum=1),
        shares=tuple(tuple(s for s, _ in row) for row in rows),
        proofs=tuple(tuple(p for _, p in row) for row in rows),
    )
