"""A ranked council through the offline commands (issue 17): mixed by the guardians present.

The manifest of ``election init`` with a ranked council (STV, 3 seats) on the north ballots;
three guardians; the voters rank the council; after the close guardians 1 and 3 each mix it
on their own machine (guardian 2 is absent), decrypt the tally and the last mix, and the
record is published and verified: the council's result is the count of the rankings cast.
Bad input is refused with its reason by `guardian mix` and by `election publish` (issue 17,
point 7): a previous mix with a row dropped, a non-canonical element, a proof of the wrong
length, a mix of another election; and a guardian's shares with one changed.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from suffrage.protocol.results import lot_seed, ranked_count
from suffrage.record.ranked import read_ranked
from suffrage.service.election_files import read_context
from suffrage.verify.record import verify_record

from .kit import (
    as_guardian,
    decrypt_args,
    ok,
    ranked_election,
    refused,
    secret,
)

VOTERS = 12


@dataclass
class Ranked:
    base: Path
    election: Path
    mixes: Path
    record: Path
    cast: list[tuple[int, ...]]
    mix_output: str


def mix_args(base: Path, index: int, election: Path, mixes: Path, out: Path) -> list[str | Path]:
    return ["guardian", "mix", "--secret", secret(base, index), "--election", election,
            "--mixes", mixes, "--out", out, *as_guardian(base, index)]  # fmt: skip


def publish_args(base: Path, election: Path, mixes: Path, out: Path) -> list[str | Path]:
    return ["election", "publish", "--election", election, "--partials", base / "partial-1.json",
            base / "partial-3.json", "--mixes", mixes, "--out", out]  # fmt: skip


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> Ranked:
    base = tmp_path_factory.mktemp("cli-ranked")
    election, cast = ranked_election(base, VOTERS)
    ok(["election", "tally", "--election", election, "--close-early"])
    mixes = base / "mixes"
    mixed = ok([*mix_args(base, 1, election, mixes, mixes), "--yes"])
    ok(mix_args(base, 3, election, mixes, mixes), input="y\n")
    for i in (1, 3):
        ok([*decrypt_args(base, i, election, base / f"partial-{i}.json"), "--mixes", mixes,
            "--yes"])  # fmt: skip
    record = base / "record"
    ok(publish_args(base, election, mixes, record))
    return Ranked(base, election, mixes, record, cast, mixed.output)


def test_the_ranked_council_is_mixed_decrypted_and_counted(ranked: Ranked) -> None:
    report = verify_record(ranked.record)
    assert report.passed, report.failed_checks()
    for number in ("V22", "V23", "V24", "V25", "V26"):
        assert report.checks[number].checked > 0, number
    names = {p.name for p in ranked.record.iterdir()}
    assert {"mix-council-1.jsonl", "mix-council-2.jsonl", "ranked-council.jsonl"} <= names
    assert {"mix-decryption-council-1.jsonl", "mix-decryption-council-3.jsonl"} <= names
    assert "mix-council-3.jsonl" not in names
    assert "mix-decryption-council-2.jsonl" not in names
    context = read_context(ranked.election)
    council = next(c for c in context.manifest.contests if c.contest_id == "council")
    rows = read_ranked(ranked.record / "ranked-council.jsonl", council)
    assert Counter(rows) == Counter(ranked.cast)
    result = json.loads((ranked.record / "results.json").read_text())["results"]["council"]
    expected = ranked_count(council, ranked.cast, seed=lot_seed(context, "council"))
    assert result["ballots"] == len(ranked.cast) == VOTERS // 2
    assert result["elected"] == list(expected.elected)
    assert len(result["elected"]) == 3
    mixers = [
        json.loads((ranked.mixes / f"mix-council-{t}.jsonl").read_text().splitlines()[0])["mixer"]
        for t in (1, 2)
    ]
    assert mixers == [1, 3]


def test_the_mixer_is_shown_what_it_mixes(ranked: Ranked) -> None:
    assert "contest council: mix 1 of 6 rows of 4 ranks (from the counted ballots)" in (
        ranked.mix_output
    )
    assert "counted ballots: 12" in ranked.mix_output


def test_a_guardian_mixes_once_and_a_mix_is_never_overwritten(
    ranked: Ranked, tmp_path: Path
) -> None:
    line = refused([*mix_args(ranked.base, 1, ranked.election, ranked.mixes, tmp_path), "--yes"])
    assert "guardian 1 has mixed contest council already" in line
    line = refused(
        [*mix_args(ranked.base, 2, ranked.election, ranked.mixes / "none", ranked.mixes), "--yes"]
    )
    assert "mix-council-1.jsonl" in line
    assert "exists" in line


def test_decrypting_a_ranked_election_needs_the_mixes(ranked: Ranked, tmp_path: Path) -> None:
    line = refused(
        [*decrypt_args(ranked.base, 1, ranked.election, tmp_path / "partial.json"), "--yes"]
    )
    assert "--mixes" in line
    assert "council" in line
    assert not (tmp_path / "partial.json").exists()
    without_mixes = publish_args(ranked.base, ranked.election, ranked.mixes, tmp_path)[:-4]
    line = refused([*without_mixes, "--out", tmp_path / "r"])
    assert "--mixes" in line


def _bad_mixes(ranked: Ranked, tmp_path: Path, change: str) -> Path:
    """A copy of the mixes whose first mix is changed as ``change`` says."""
    mixes = tmp_path / "mixes"
    shutil.copytree(ranked.mixes, mixes)
    path = mixes / "mix-council-1.jsonl"
    lines = path.read_text().splitlines()
    header = json.loads(lines[0])
    if change == "row dropped":
        header["rows"] -= 1
        lines = [json.dumps(header, separators=(",", ":"), sort_keys=True), *lines[1:-1]]
    elif change == "non-canonical":
        row = json.loads(lines[2])
        row["ciphertexts"][1]["beta"] = "ff" * 32  # not the encoding of any element
        lines[2] = json.dumps(row, separators=(",", ":"), sort_keys=True)
    elif change == "proof length":
        header["proof"]["s4"].append(header["proof"]["s4"][0])
        lines[0] = json.dumps(header, separators=(",", ":"), sort_keys=True)
    path.write_text("\n".join(lines) + "\n")
    return mixes


BAD_MIXES = {
    "row dropped": "V23: ",
    "non-canonical": "V24: ",
    "proof length": "mix-council-1.jsonl:1.proof.s4",
}


@pytest.mark.parametrize("change", sorted(BAD_MIXES))
def test_a_bad_previous_mix_is_refused_with_its_reason(
    ranked: Ranked, tmp_path: Path, change: str
) -> None:
    mixes = _bad_mixes(ranked, tmp_path, change)
    line = refused([*mix_args(ranked.base, 2, ranked.election, mixes, tmp_path / "out"), "--yes"])
    assert BAD_MIXES[change] in line, line
    assert "mix-council-1.jsonl" in line
    assert not (tmp_path / "out").exists()
    line = refused(publish_args(ranked.base, ranked.election, mixes, tmp_path / "record"))
    assert BAD_MIXES[change] in line, line
    assert "mix-council-1.jsonl" in line
    assert not (tmp_path / "record" / "results.json").exists()


def test_the_reasons_name_what_is_wrong(ranked: Ranked, tmp_path: Path) -> None:
    line = refused(
        publish_args(
            ranked.base,
            ranked.election,
            _bad_mixes(ranked, tmp_path, "row dropped"),
            tmp_path / "record",
        )
    )
    assert "5 output rows for 6 input rows" in line
    non_canonical = _bad_mixes(ranked, tmp_path / "b", "non-canonical")
    line = refused(publish_args(ranked.base, ranked.election, non_canonical, tmp_path / "r"))
    assert "row 2" in line, line
    assert "rank 2" in line


def test_a_mix_of_another_election_is_refused(ranked: Ranked, tmp_path: Path) -> None:
    """The same election's mix 2 put in mix 1's place stands for a mix made for another
    context: its proof binds another input and context, and fails P4."""
    mixes = tmp_path / "mixes"
    mixes.mkdir()
    text = (ranked.mixes / "mix-council-2.jsonl").read_text()
    (mixes / "mix-council-1.jsonl").write_text(text.replace('"mix":2', '"mix":1', 1))
    line = refused([*mix_args(ranked.base, 2, ranked.election, mixes, tmp_path / "out"), "--yes"])
    assert "V24: " in line
    assert "mix-council-1.jsonl" in line
    assert "proof of shuffle" in line
    line = refused(publish_args(ranked.base, ranked.election, mixes, tmp_path / "record"))
    assert "V24: " in line


def test_changed_shares_are_refused_by_publish(ranked: Ranked, tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    for i in (1, 3):
        shutil.copy(ranked.base / f"partial-{i}.json", base)
        name = f"mix-decryption-council-{i}.jsonl"
        shutil.copy(ranked.base / name, base / name)
    path = base / "mix-decryption-council-3.jsonl"
    lines = path.read_text().splitlines()
    first, second = json.loads(lines[1]), json.loads(lines[2])
    first["shares"][0], second["shares"][0] = second["shares"][0], first["shares"][0]
    lines[1:3] = [json.dumps(r, separators=(",", ":"), sort_keys=True) for r in (first, second)]
    path.write_text("\n".join(lines) + "\n")
    line = refused(publish_args(base, ranked.election, ranked.mixes, tmp_path / "record"))
    assert "V25: " in line
    assert "mix-decryption-council-3.jsonl" in line
    assert "guardian 3: the shares are not proven" in line
