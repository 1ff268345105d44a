"""Real elections reproduced from their official figures (../shared/data/elections).

Expected figures come from each folder's expected.json; names there are sometimes written
without diacritics, so names are compared after ASCII folding.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from suffrage.counting.apportion import (
    by_district,
    hare_apportionment,
    open_list,
    pooled_remainders,
    seats_by_district,
)
from suffrage.counting.divisors import dhondt, modified_sainte_lague, sainte_lague
from suffrage.counting.mmp import bundestag_2013, constituency_wins, mmp
from suffrage.counting.remainders import (
    droop,
    hagenbach_bischoff,
    hare,
    imperiali,
)
from suffrage.counting.simple import plurality, runoff_candidates, two_round
from suffrage.counting.thresholds import passing_votes, threshold


def fold(name: str) -> str:
    """ASCII form of a name, as expected.json writes some of them."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def won(seats: dict[str, int] | Any) -> dict[str, int]:
    """Seats of the lists that won any, names folded."""
    return {fold(k): v for k, v in seats.items() if v}


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def real(election_data: Path) -> Path:
    return election_data / "list_real_elections"


@pytest.fixture
def cases(real: Path) -> dict[str, Any]:
    return load(real / "expected.json")["cases"]  # type: ignore[no-any-return]


@pytest.fixture
def inline(real: Path) -> dict[str, Any]:
    return load(real / "inline_votes.json")  # type: ignore[no-any-return]


def rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def test_norway_2021_district_seats_in_all_19_districts(election_data: Path) -> None:
    folder = election_data / "list_norway_2021"
    expected = load(folder / "expected.json")["district_seats_by_district"]
    with (folder / "2021-09-17_partydist.csv").open(encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle, delimiter=";"))
    districts: dict[str, list[dict[str, str]]] = {}
    for line in lines:
        districts.setdefault(line["Fylkenavn"], []).append(line)
    assert len(districts) == 19
    for name, lists in districts.items():
        votes = {x["Partikode"]: int(x["Antall stemmer totalt"]) for x in lists}
        seats = sum(int(x["Antall mandater"]) - int(x["Antall utjevningsmandater"]) for x in lists)
        result = modified_sainte_lague(votes, seats, first_divisor=Fraction(7, 5))
        assert {k: v for k, v in result.seats.items() if v} == expected[name], name


def test_textbook_examples(election_data: Path) -> None:
    book = load(election_data / "list_textbook" / "expected.json")
    v1, s1 = book["example_1_votes"], book["example_1_seats"]
    runs = {
        "example_1_dhondt": dhondt(v1, s1),
        "example_1_sainte_lague": sainte_lague(v1, s1),
        "example_1_modified_sainte_lague_1.4": modified_sainte_lague(v1, s1),
        "example_1_sweden_2018_first_divisor_1.2": modified_sainte_lague(
            v1, s1, first_divisor=Fraction(6, 5)
        ),
    }
    for key, result in runs.items():
        assert result.seats == book[key]["seats"], key
        assert list(result.elected) == book[key]["seat_order"], key
    v2, s2 = book["example_2_votes"], book["example_2_seats"]
    quota_runs = {
        "example_2_largest_remainder_hare": hare(v2, s2),
        "example_2_largest_remainder_droop_integer": droop(v2, s2),
        "example_2_largest_remainder_hagenbach_bischoff": hagenbach_bischoff(v2, s2),
    }
    for key, result in quota_runs.items():
        assert result.seats == book[key]["seats"], key
        assert str(result.options["quota_value"]) == book[key]["quota"], key
    assert dhondt(v2, s2).seats == book["example_2_dhondt"]["seats"]
    assert sainte_lague(v2, s2).seats == book["example_2_sainte_lague"]["seats"]


def test_cz_ep_2019_dhondt_with_threshold(cases: dict[str, Any], inline: dict[str, Any]) -> None:
    votes = inline["test_real_proportional:votes:L79"]
    passed = threshold(votes, party_share=Fraction(5, 100))
    result = dhondt(passing_votes(votes, passed), 21)
    assert won(result.seats) == cases["cz_ep_2019"]["expected"]


def czech_regions(path: Path) -> dict[str, dict[str, int]]:
    table = rows(path)
    regions = table[0][1:]
    return {r: {row[0]: int(row[i + 1]) for row in table[1:]} for i, r in enumerate(regions)}


def national(regions: dict[str, dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for votes in regions.values():
        for party, n in votes.items():
            out[party] = out.get(party, 0) + n
    return out


def test_cz_psp_2017_hare_regions_then_dhondt(real: Path, cases: dict[str, Any]) -> None:
    regions = czech_regions(real / "data" / "cz_psp_2017.csv")
    region_seats = hare_apportionment({r: sum(v.values()) for r, v in regions.items()}, 200)
    passed = threshold(national(regions), party_share=Fraction(5, 100))
    kept = {r: {p: n for p, n in v.items() if p in passed.elected} for r, v in regions.items()}
    result = by_district(kept, region_seats.seats, dhondt, method="dhondt_by_region")
    case = cases["cz_psp_2017"]
    assert won(result.seats) == case["expected_national"]
    per = seats_by_district(result)
    assert won(per["Hlavní město Praha"]) == case["expected_Hlavni_mesto_Praha"]
    assert won(per["Karlovarský kraj"]) == case["expected_Karlovarsky_kraj"]


def test_cz_psp_2021_imperiali_then_pooled_droop(real: Path, cases: dict[str, Any]) -> None:
    regions = czech_regions(real / "data" / "cz_psp_2021.csv")
    region_seats = hare_apportionment({r: sum(v.values()) for r, v in regions.items()}, 200)
    passed = threshold(
        national(regions),
        party_share=Fraction(5, 100),
        coalitions={"SPOLU": ("ODS", "KDU-ČSL", "TOP 09"), "Piráti+STAN": ("Piráti", "STAN")},
        coalition_shares={2: Fraction(8, 100), 3: Fraction(11, 100)},
    )
    kept = {r: {p: n for p, n in v.items() if p in passed.elected} for r, v in regions.items()}
    result = pooled_remainders(kept, region_seats.seats, rounding="half_up")
    case = cases["cz_psp_2021"]
    assert won(result.seats) == case["expected_national"]
    praha = seats_by_district(result)["Hlavní město Praha"]
    assert won(praha) == case["expected_Hlavni_mesto_Praha"]


def test_sk_nr_2020_hagenbach_bischoff_with_coalition_thresholds(real: Path) -> None:
    table = rows(real / "data" / "sk_nr_2020.csv")
    votes = {r[0]: int(r[2]) for r in table}
    coalitions = {r[0]: tuple(r[0].split("-")) for r in table if r[1] == "1"}
    passed = threshold(
        votes,
        party_share=Fraction(5, 100),
        coalitions=coalitions,
        coalition_shares={2: Fraction(7, 100), 4: Fraction(10, 100)},
    )
    assert "Progresívne Slovensko-SPOLU" not in passed.elected  # 6.96 % < 7 %
    result = hagenbach_bischoff(passing_votes(votes, passed), 150, rounding="ceil")
    assert won(result.seats) == won({r[0]: int(r[3]) for r in table})


def nz_wins(real: Path) -> dict[str, int]:
    table = rows(real / "data" / "nz_leg_2014_electorate.csv")
    parties = table[0][1:]
    winners = {
        r[0]: plurality(dict(zip(parties, map(int, r[1:]), strict=True))).elected[0]
        for r in table[1:]
    }
    return constituency_wins(winners)


def test_nz_2014_and_2008_mmp(real: Path, cases: dict[str, Any], inline: dict[str, Any]) -> None:
    wins = nz_wins(real)
    assert won(wins) == cases["nz_leg_2014"]["expected_electorates"]
    result = mmp(inline["test_real_mmp:NZ_LEG_2014_PARTY_VOTE:L18"], wins, 120)
    assert won(result.seats) == cases["nz_leg_2014"]["expected_total"]
    old = mmp(
        inline["test_real_mmp:NZ_LEG_2008_PARTY_VOTE:L36"],
        inline["test_real_mmp:elect_res:L126"],
        120,
    )
    assert won(old.seats) == cases["nz_leg_2008"]["expected_total"]
    assert sum(old.seats.values()) == 122  # two overhang seats (Māori Party)


def test_bundestag_2017(real: Path, cases: dict[str, Any], inline: dict[str, Any]) -> None:
    table = rows(real / "data" / "de_bdt_2017.csv")
    parties = [x for x in table[0][2:] if x]
    land_votes: dict[str, dict[str, int]] = {}
    land_wins: dict[str, dict[str, int]] = {}
    for row in table[2:]:
        land, numbers = row[1], [int(x) if x else 0 for x in row[2:]]
        second = land_votes.setdefault(land, dict.fromkeys(parties, 0))
        for party, n in zip(parties, numbers[1::2], strict=True):
            second[party] += n
        winner = plurality(dict(zip(parties, numbers[0::2], strict=True))).elected[0]
        land_wins.setdefault(land, {})
        land_wins[land][winner] = land_wins[land].get(winner, 0) + 1
    result = bundestag_2013(inline["test_real_mmp:land_inhab:L177"], land_votes, land_wins)
    case = cases["de_bdt_2017"]
    german = {k.replace("Ü", "UE"): v for k, v in result.seats.items()}  # expected.json spelling
    assert won(german) == case["expected_national"]
    assert result.options["house_size"] == 709
    mv = seats_by_district(result)["Mecklenburg-Vorpommern"]
    mv = {k.replace("Ü", "UE"): v for k, v in mv.items()}
    assert won(mv) == case["expected_Mecklenburg-Vorpommern"]


def test_mexico_2018_plurality(cases: dict[str, Any], inline: dict[str, Any]) -> None:
    result = plurality(inline["test_real_majority:votes:L11"])
    assert [fold(n) for n in result.elected] == [cases["mex_prez_2018"]["expected"]]


def test_czech_senate_2018_two_round(inline: dict[str, Any]) -> None:
    open_ = two_round(inline["test_real_runoff:votes:L10"])
    assert open_.elected == ()
    assert runoff_candidates(open_) == ("Pavera Herbert Mgr.", "Horáková Simona Mgr.")
    decided = two_round(inline["test_real_runoff:votes:L23"])
    assert decided.elected == ("Drahoš Jiří prof. Ing. DrSc.",)


def test_slovak_president_2019_goes_to_runoff(real: Path) -> None:
    table = rows(real / "data" / "sk_prez_2019.csv", encoding="cp1250")
    result = two_round({r[0]: int(r[1]) for r in table})
    assert result.elected == ()
    assert runoff_candidates(result) == ("Zuzana Čaputová", "Maroš Šefčovič")


def test_czech_municipal_2018_dhondt_and_open_lists(real: Path, inline: dict[str, Any]) -> None:
    lists: dict[str, list[tuple[str, int]]] = {}
    for party, name, n in rows(real / "data" / "nmnmet_cc_2018.csv"):
        lists.setdefault(party, []).append((name, int(n)))
    votes = {p: sum(n for _, n in c) for p, c in lists.items()}
    seats = dhondt(passing_votes(votes, threshold(votes, party_share=Fraction(5, 100))), 21)
    elected = {p: list(open_list(lists[p], n).elected) for p, n in seats.seats.items() if n}
    assert elected == inline["test_real_listbased:results_noobj:L36"]


def test_irish_president_1990_irv(cases: dict[str, Any], inline: dict[str, Any]) -> None:
    irv = pytest.importorskip("suffrage.counting.irv")
    ballots_mod = pytest.importorskip("suffrage.counting.ballots")
    data = inline["test_real_stv:votes:L11"]["ranked_ballots"]
    names = sorted({n for b in data for n in b["ranking"]})
    ballots = tuple(
        ballots_mod.make_ballot([[names.index(n)] for n in b["ranking"]], b["count"]) for b in data
    )
    profile = ballots_mod.Profile(candidates=tuple(names), ballots=ballots)
    result = irv.count_irv(profile)
    assert list(result.elected) == [cases["ie_pres_1990"]["expected"]]


def test_imperiali_runs_on_real_votes(inline: dict[str, Any]) -> None:
    votes = inline["test_real_proportional:votes:L79"]
    result = imperiali(votes, 21)
    assert sum(result.seats.values()) == 21
