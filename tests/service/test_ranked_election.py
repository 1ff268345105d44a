"""An election with ranked contests, run in one process (spec/protocol.md#19).

The sample manifest's instant-runoff contest (south) and 3-seat STV contest (north) go
through the mix-net: every guardian present mixes, two decrypt, and the count of the
decrypted rankings must be the count of the rankings the voters cast (which the simulation
knows, and the record never says). The record holds the mixes, the shares and the rankings,
and gives them back as they were written.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from suffrage.core.randomness import SeededRandom
from suffrage.errors import InvalidInput
from suffrage.protocol.manifest import Contest, load_sample_manifest
from suffrage.protocol.mixnet import ranked_contests
from suffrage.protocol.results import lot_seed, ranked_count, ranked_result
from suffrage.protocol.tally import tally_hash
from suffrage.record.files import RankedFiles, ranked_file_names, ranked_files, read_record
from suffrage.record.ranked import mix_name, read_mix, read_mix_decryption, read_ranked
from suffrage.reports.html import results_html
from suffrage.reports.results import load_results
from suffrage.reports.results_text import results_table
from suffrage.service.election import ElectionRun, run_election

IRV, STV = "south-representative", "north-district-council"


@pytest.fixture(scope="module")
def election(tmp_path_factory: pytest.TempPathFactory) -> tuple[ElectionRun, Path]:
    out = tmp_path_factory.mktemp("ranked") / "record"
    run = run_election(load_sample_manifest(), voters=60, rng=SeededRandom(17), out=out)
    return run, out


def contest(run: ElectionRun, contest_id: str) -> Contest:
    return next(c for c in ranked_contests(run.context) if c.contest_id == contest_id)


def test_the_counted_rankings_are_the_ones_the_voters_cast(
    election: tuple[ElectionRun, Path],
) -> None:
    run, _ = election
    assert set(run.ranked) == {IRV, STV}
    for contest_id, mixed in run.ranked.items():
        cast = run.rankings[contest_id]
        assert len(cast) == len(mixed.rows) > 0
        assert Counter(mixed.rows) == Counter(cast)
        c = contest(run, contest_id)
        seed = lot_seed(run.context, contest_id)
        assert run.results[contest_id] == ranked_result(run.context, c, mixed.rows)
        assert run.results[contest_id]["elected"] == list(ranked_count(c, cast, seed=seed).elected)


def test_the_simulated_voters_cast_every_kind_of_ranking(
    election: tuple[ElectionRun, Path],
) -> None:
    run, _ = election
    rows = run.rankings[IRV] + run.rankings[STV]
    assert any(all(v == 0 for v in r) for r in rows)  # blank
    assert any(all(v for v in r) and len(set(r)) == len(r) for r in rows)  # full
    assert any(r[0] and not r[-1] for r in rows)  # partial
    assert any(len({v for v in r if v}) < sum(1 for v in r if v) for r in rows)  # repeated
    assert any(0 in r[: max(i for i, v in enumerate(r) if v)] for r in rows if any(r))  # skipped


def test_every_guardian_present_mixes_and_k_decrypt(election: tuple[ElectionRun, Path]) -> None:
    run, _ = election
    for mixed in run.ranked.values():
        assert [m.mixer for m in mixed.mixes] == [1, 3]  # guardian 2 is absent
        assert [m.index for m in mixed.mixes] == [1, 2]
        assert [d.guardian for d in mixed.decryptions] == [1, 3]  # k = 2


def test_the_tally_holds_only_the_homomorphic_contests(election: tuple[ElectionRun, Path]) -> None:
    run, _ = election
    assert IRV not in {c.contest_id for c in run.tally.contests}
    assert set(run.counts) == {c.contest_id for c in run.tally.contests}
    assert STV not in run.counts


def test_the_results_carry_the_rule_and_the_whole_count(
    election: tuple[ElectionRun, Path],
) -> None:
    run, _ = election
    irv, stv = run.results[IRV], run.results[STV]
    assert (irv["kind"], irv["rule"], len(irv["elected"])) == ("ranked", "irv", 1)
    assert (stv["kind"], stv["rule"], len(stv["elected"])) == ("ranked", "meek", 3)
    assert irv["count"]["trail"]["stages"][0]["kind"] == "round"
    assert int(stv["count"]["trail"]["seed"]) == lot_seed(run.context, STV)
    assert sum(irv["counts"].values()) <= irv["ballots"] == len(run.ranked[IRV].rows)


def test_the_record_gives_back_what_was_written(election: tuple[ElectionRun, Path]) -> None:
    run, out = election
    raw = read_record(out)
    assert raw.problems == []
    assert raw.results == run.results
    files = {f.contest_id: f for f in ranked_files(out, run.context.manifest)}
    for contest_id, mixed in run.ranked.items():
        c = contest(run, contest_id)
        found: RankedFiles = files[contest_id]
        assert [read_mix(p, c, index=i) for i, p in enumerate(found.mixes, 1)] == list(mixed.mixes)
        rows = mixed.mixes[-1].rows
        assert [j for j, _ in found.decryptions] == [1, 3]
        assert [read_mix_decryption(p, c, rows=rows) for _, p in found.decryptions] == list(
            mixed.decryptions
        )
        assert found.ranked is not None
        assert read_ranked(found.ranked, c) == mixed.rows
    names = ranked_file_names(files.values())
    assert "mix-south-representative-2.jsonl" in names
    assert "mix-decryption-north-district-council-3.jsonl" in names
    assert "ranked-north-district-council.jsonl" in names
    assert len(names) == 10


def test_the_mixes_bind_the_published_tally(election: tuple[ElectionRun, Path]) -> None:
    run, out = election
    raw = read_record(out)
    assert raw.tally is not None
    assert tally_hash(run.context, raw.tally) == tally_hash(run.context, run.tally)


def test_an_existing_ranked_file_is_refused_and_force_removes_a_stale_one(
    tmp_path: Path,
) -> None:
    manifest = load_sample_manifest()
    run_election(manifest, voters=6, rng=SeededRandom(3), out=tmp_path)
    stale = tmp_path / mix_name(IRV, 3)
    stale.write_bytes((tmp_path / mix_name(IRV, 1)).read_bytes())
    for name in ("manifest.json", "election.json", "credentials.json", "ballots.jsonl"):
        (tmp_path / name).unlink()  # the ranked files alone still stop a run
    for name in ("tally.json", "decryption.json", "results.json", "turnout.json"):
        (tmp_path / name).unlink()
    with pytest.raises(InvalidInput, match=f"{mix_name(IRV, 1)}: already exists"):
        run_election(manifest, voters=6, rng=SeededRandom(3), out=tmp_path)
    assert stale.exists()
    run_election(manifest, voters=6, rng=SeededRandom(3), out=tmp_path, force=True)
    assert not stale.exists()
    assert (tmp_path / mix_name(IRV, 2)).exists()


def test_the_results_report_shows_the_rounds_and_stages(
    election: tuple[ElectionRun, Path],
) -> None:
    run, out = election
    results = load_results(out)
    by_id = {c.contest_id: c for c in results.contests}
    assert by_id[IRV].count.method == "irv"
    assert by_id[STV].count.method == "stv-meek"
    assert tuple(by_id[STV].outcome) == tuple(run.results[STV]["elected"])
    text = results_table(results, width=200)
    assert "The count, round by round" in text
    assert "Eliminated in round 1" in text
    assert "Excluded at stage" in text
    assert "preferences" in text  # the heading "First preferences", set on two lines
    assert "Instant-runoff voting" in text
    assert "Single transferable vote (Meek)" in text
    assert "✓ Elected" in text
    page = results_html(load_results(out, language="ar"), charts=False)
    assert "الفرز جولةً بجولة" in page
    assert page.count("<table>") >= len(results.contests) + 2
