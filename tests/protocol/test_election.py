"""An election end to end in process: known choices in, the same counts out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pytest

from suffrage._native import Scalar
from suffrage.core import DiscreteLog, SeededRandom
from suffrage.errors import InvalidInput
from suffrage.protocol.ballot import encrypt_ballot, style_contests
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import (
    Credential,
    CredentialKey,
    generate_credential,
    normalise_credential,
)
from suffrage.protocol.manifest import Manifest, load_sample_manifest
from suffrage.protocol.tally import (
    Tally,
    combine_decryptions,
    compute_partial_decryption,
    compute_tally,
)
from suffrage.service.election import homomorphic_only, key_ceremony
from suffrage.storage.board import BulletinBoard

VOTING = load_sample_manifest().start_time
"""When the test voters vote: as the sample's window opens (the board checks the window)."""

Choices = dict[str, list[int]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Election:
    context: ElectionContext
    voters: list[Credential]
    key_shares: dict[int, Scalar]


def set_up(manifest: Manifest, voters: int, rng: SeededRandom) -> Election:
    secrets, key_shares, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    creds = [
        Credential.from_code(generate_credential(rng), election_id=manifest.election_id)
        for _ in range(voters)
    ]
    context = make_context(
        manifest=manifest,
        threshold=2,
        guardians=[s.public for s in secrets],
        credentials=[CredentialKey(c.public, style_of(i)) for i, c in enumerate(creds)],
    )
    return Election(context=context, voters=creds, key_shares=key_shares)


@pytest.fixture(scope="module")
def election() -> Election:
    return set_up(homomorphic_only(load_sample_manifest()), 6, SeededRandom(31))


def choices_for(context: ElectionContext, style_id: str, voter: int) -> Choices:
    """A deterministic, valid and varied choice per voter and contest."""
    out: Choices = {}
    for contest in style_contests(context, style_id):
        n, limit = len(contest.options), contest.selection_limit
        picks = (voter + len(contest.contest_id)) % (limit + 1)
        out[contest.contest_id] = [1 if (i - voter) % n < picks else 0 for i in range(n)]
    return out


def plaintext_counts(
    context: ElectionContext, ballots: Sequence[Choices]
) -> dict[str, tuple[int, ...]]:
    counts = {c.contest_id: [0] * len(c.options) for c in context.manifest.contests}
    for choices in ballots:
        for contest_id, values in choices.items():
            counts[contest_id] = [a + b for a, b in zip(counts[contest_id], values, strict=True)]
    return {c: tuple(v) for c, v in counts.items()}


def decrypt(e: Election, tally: Tally, guardians: Sequence[int]) -> Mapping[str, tuple[int, ...]]:
    rng = SeededRandom(32)
    partials = [
        compute_partial_decryption(e.context, tally, guardian=g, key_share=e.key_shares[g], rng=rng)
        for g in guardians
    ]
    return combine_decryptions(e.context, tally, partials, DiscreteLog(max(tally.counted, 1)))


def style_of(voter: int) -> str:
    return ("north", "south")[voter % 2]


def test_results_equal_the_plaintext_tally(election: Election) -> None:
    rng = SeededRandom(33)
    board = BulletinBoard(election.context, rng=rng)
    counted: list[Choices] = []
    for number, voter in enumerate(election.voters):
        style = style_of(number)
        if number == 1:  # re-votes: the first ballot must not count
            first = choices_for(election.context, style, number + 7)
            ballot, _ = encrypt_ballot(
                election.context, style_id=style, choices=first, credential=voter, rng=rng
            )
            board.cast(ballot, at=VOTING)
        if number == 2:  # spoils a ballot first: it must never count
            spoilt = choices_for(election.context, style, number + 3)
            ballot, secrets = encrypt_ballot(
                election.context, style_id=style, choices=spoilt, credential=voter, rng=rng
            )
            board.cast(ballot, at=VOTING, reveal=secrets)
        choices = choices_for(election.context, style, number)
        ballot, _ = encrypt_ballot(
            election.context, style_id=style, choices=choices, credential=voter, rng=rng
        )
        board.cast(ballot, at=VOTING)
        counted.append(choices)
    entries = list(board.entries())
    assert len(entries) == len(election.voters) + 2
    tally = compute_tally(election.context, entries, board.head())
    assert tally.counted == len(election.voters)
    assert tally.entries == len(entries)
    expected = plaintext_counts(election.context, counted)
    assert sum(sum(v) for v in expected.values()) > 0
    assert dict(decrypt(election, tally, [1, 3])) == expected
    assert dict(decrypt(election, tally, [2, 3])) == expected
    assert dict(decrypt(election, tally, [1, 2, 3])) == expected


def test_only_the_last_ballot_of_a_credential_counts(election: Election) -> None:
    rng = SeededRandom(34)
    board = BulletinBoard(election.context, rng=rng)
    voter = election.voters[0]
    mayor = [o.option_id for o in election.context.manifest.contests[0].options]
    last: Choices = {}
    for pick in (0, 1, 2):
        last = zero_with(election.context, "north", "mayor", pick)
        ballot, _ = encrypt_ballot(
            election.context, style_id="north", choices=last, credential=voter, rng=rng
        )
        board.cast(ballot, at=VOTING)
    tally = compute_tally(election.context, list(board.entries()), board.head())
    counts = decrypt(election, tally, [1, 2])
    assert tally.counted == 1
    assert dict(zip(mayor, counts["mayor"], strict=True))[mayor[2]] == 1
    assert sum(counts["mayor"]) == 1


def zero_with(context: ElectionContext, style: str, contest_id: str, pick: int) -> Choices:
    out = {c.contest_id: [0] * len(c.options) for c in style_contests(context, style)}
    out[contest_id][pick] = 1
    return out


def test_a_spoiled_ballot_is_never_counted(election: Election) -> None:
    rng = SeededRandom(35)
    board = BulletinBoard(election.context, rng=rng)
    choices = zero_with(election.context, "south", "mayor", 3)
    ballot, secrets = encrypt_ballot(
        election.context, style_id="south", choices=choices, credential=election.voters[1], rng=rng
    )
    board.cast(ballot, at=VOTING, reveal=secrets)
    tally = compute_tally(election.context, list(board.entries()), board.head())
    assert tally.entries == 1
    assert tally.counted == 0
    assert all(sum(v) == 0 for v in decrypt(election, tally, [1, 3]).values())


def test_the_tally_leaves_ranked_contests_to_the_mixnet() -> None:
    """A ranked contest is encrypted on the ballot (tests/protocol/test_ranked_ballot.py) but
    never summed: the tally (and so its hash and decryption) holds the homomorphic contests
    only, and the ranks go through the mix-net (spec #16.1, #19)."""
    manifest = load_sample_manifest()
    ranked = [c.contest_id for c in manifest.contests if not c.is_homomorphic]
    assert ranked == ["south-representative", "north-district-council"]
    e = set_up(manifest, 2, SeededRandom(36))
    tally = compute_tally(e.context, [], b"\0" * 64)
    assert [c.contest_id for c in tally.contests] == [
        c.contest_id for c in manifest.contests if c.is_homomorphic
    ]


@pytest.mark.parametrize(
    ("choices", "words"),
    [
        ({"mayor": [1, 1, 0, 0]}, "2 selections, more than the limit 1"),
        ({"mayor": [2, 0, 0, 0]}, "each selection must be 0 or 1"),
        ({"mayor": [1, 0, 0]}, "expected 4 selections, got 3"),
    ],
)
def test_bad_choices_are_refused_before_encrypting(
    election: Election, choices: Choices, words: str
) -> None:
    full = zero_with(election.context, "north", "mayor", 0)
    full.update(choices)
    with pytest.raises(InvalidInput, match=words) as caught:
        encrypt_ballot(
            election.context,
            style_id="north",
            choices=full,
            credential=election.voters[0],
            rng=SeededRandom(2),
        )
    assert caught.value.field == "choices.mayor"


# --- credentials ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def code() -> str:
    return generate_credential(SeededRandom(50))


def test_generated_code_is_canonical(code: str) -> None:
    assert normalise_credential(code) == code
    assert len(code) == 25
    assert code.count("-") == 4


def test_lower_case_spaces_and_letter_o_are_accepted(code: str) -> None:
    typed = code.lower().replace("-", " ")
    assert normalise_credential(typed) == code
    if "0" in code:
        assert normalise_credential(code.replace("0", "O")) == code
    assert normalise_credential("".join(code.split("-"))) == code


def test_letter_o_reads_as_zero() -> None:
    data = "0" * 19 + "1"
    code = next(
        c for c in (data + check for check in "0123456789ABCDEFGHJKMNPQRSTVWXYZ") if _accepts(c)
    )
    assert normalise_credential(code.replace("0", "o")) == normalise_credential(code)


def _accepts(code: str) -> bool:
    try:
        normalise_credential(code)
    except InvalidInput:
        return False
    return True


def test_wrong_check_character_is_refused(code: str) -> None:
    last = code[-1]
    other = "0" if last != "0" else "1"
    with pytest.raises(InvalidInput, match="check character does not match") as caught:
        normalise_credential(code[:-1] + other)
    assert caught.value.field == "credential"


def test_wrong_length_is_refused(code: str) -> None:
    with pytest.raises(InvalidInput, match="expected 21 characters, got 20"):
        normalise_credential(code[:-1])
    with pytest.raises(InvalidInput, match="expected 21 characters, got 22"):
        normalise_credential(code + "0")


def test_characters_outside_the_alphabet_are_refused(code: str) -> None:
    with pytest.raises(InvalidInput, match="characters not in the alphabet: U"):
        normalise_credential("U" + code[1:])
    with pytest.raises(InvalidInput, match="characters not in the alphabet"):
        normalise_credential("*" + code[1:])


def test_a_single_typing_error_is_caught(code: str) -> None:
    plain = code.replace("-", "")
    for position in range(len(plain) - 1):
        for char in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
            if char != plain[position]:
                typo = plain[:position] + char + plain[position + 1 :]
                assert not _accepts(typo), f"typo at {position} ({char}) was accepted"
