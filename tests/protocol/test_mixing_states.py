"""The mixing phase of the event log (spec/protocol.md#18.2, issue 17 point 2): which files
and steps each state takes, replayed as the server and the verifier (V20) replay them."""

from __future__ import annotations

from typing import Any

import pytest

from suffrage.protocol.event_log import (
    Event,
    EventKind,
    LifeLog,
    LifeState,
    OutOfOrder,
    file_kind,
    mix_file,
)

DIGEST = "ab" * 64


def mixing(guardians: int = 3, threshold: int = 2) -> LifeLog:
    """A log just tallied, counted ballots holding ranked contest ``council`` (6 rows)."""
    life = LifeLog(guardians=guardians, threshold=threshold, state=LifeState.CLOSED)
    apply(life, EventKind.TALLIED, {"tally_hash": DIGEST, "counted": 6,
                                    "ranked": [{"contest_id": "council", "rows": 6}]})  # fmt: skip
    return life


def apply(life: LifeLog, kind: EventKind, body: dict[str, Any]) -> None:
    life.apply(Event(sequence=life.size + 1, kind=kind, at="2026-12-06T00:00:00Z",
                     actor="admin", body=body, previous=b"", hash=b"h"))  # fmt: skip


def post(life: LifeLog, name: str, **extra: Any) -> None:
    apply(life, EventKind.GUARDIAN_FILE, {"name": name, "sha256": "00" * 32, **extra})


def closing(mixes: int, digest: str = DIGEST) -> dict[str, Any]:
    return {"contests": [{"contest_id": "council", "mixes": mixes, "mix_digest": digest}]}


def test_a_tally_with_ranked_contests_leads_to_mixing_and_one_without_does_not() -> None:
    assert mixing().state is LifeState.MIXING
    plain = LifeLog(guardians=3, threshold=2, state=LifeState.CLOSED)
    apply(plain, EventKind.TALLIED, {"tally_hash": DIGEST, "counted": 6})
    assert plain.state is LifeState.TALLIED
    with pytest.raises(OutOfOrder, match=r"posting mix-council-1\.jsonl is not a step"):
        post(plain, "mix-council-1.jsonl", mixer=1, mix_digest=DIGEST)


def test_mixes_come_in_order_one_per_guardian() -> None:
    life = mixing()
    with pytest.raises(OutOfOrder, match=r"the next mix of council is mix-council-1\.jsonl"):
        post(life, "mix-council-2.jsonl", mixer=1, mix_digest=DIGEST)
    post(life, "mix-council-1.jsonl", mixer=1, mix_digest="01" * 64)
    with pytest.raises(OutOfOrder, match="guardian 1 has mixed it already"):
        post(life, "mix-council-2.jsonl", mixer=1, mix_digest=DIGEST)
    with pytest.raises(OutOfOrder, match="is not a step"):
        post(life, "mix-other-1.jsonl", mixer=2, mix_digest=DIGEST)
    post(life, "mix-council-2.jsonl", mixer=3, mix_digest="02" * 64)
    assert life.mixes["council"] == [(1, "01" * 64), (3, "02" * 64)]


def test_the_mixing_closes_after_n_minus_k_plus_1_mixes_naming_those_posted() -> None:
    life = mixing(guardians=5, threshold=3)
    assert life.least_mixers() == 3
    for mixer in (2, 4):
        post(life, f"mix-council-{len(life.mixes.get('council', [])) + 1}.jsonl",
             mixer=mixer, mix_digest=f"{mixer:02x}" * 64)  # fmt: skip
    assert "at least 3 guardians mix each ranked contest (council: 2 so far)" in (life.next_step())
    with pytest.raises(OutOfOrder, match="closing the mixing is not a step"):
        apply(life, EventKind.MIXED, closing(2, "04" * 64))
    post(life, "mix-council-3.jsonl", mixer=5, mix_digest="05" * 64)
    with pytest.raises(OutOfOrder, match="name the 3 mixes of council posted"):
        apply(life, EventKind.MIXED, closing(3, "04" * 64))
    with pytest.raises(OutOfOrder, match="close the mixing of exactly council"):
        apply(life, EventKind.MIXED, {"contests": []})
    apply(life, EventKind.MIXED, closing(3, "05" * 64))
    assert life.state is LifeState.TALLIED


def test_shares_of_a_last_mix_wait_for_the_close_and_partials_do_not() -> None:
    life = mixing()
    post(life, "partial-2.json")
    with pytest.raises(OutOfOrder, match=r"mix-decryption-council-1\.jsonl is not a step"):
        post(life, "mix-decryption-council-1.jsonl")
    apply(life, EventKind.MIXED, closing(2))  # mixes that came by hand: not in the log
    post(life, "mix-decryption-council-1.jsonl")
    with pytest.raises(OutOfOrder, match="is posted already"):
        post(life, "mix-decryption-council-1.jsonl")
    with pytest.raises(OutOfOrder, match="is not a step"):
        post(life, "mix-council-3.jsonl", mixer=2, mix_digest=DIGEST)


def test_file_names_read_one_way() -> None:
    assert file_kind("mix-decryption-council-12.jsonl") == "mix-decryption"
    assert file_kind("mix-north-district-council-2.jsonl") == "mix"
    assert mix_file("mix-north-district-council-2.jsonl") == ("north-district-council", 2)
    assert mix_file("mix-decryption-council-12.jsonl") == ("council", 12)
