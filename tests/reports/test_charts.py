"""SVG charts of every counting method (spec/counting.md#charts): valid XML, titled, labelled,
and laid out so that no two texts overlap by the chart's own conservative width estimate.

Real elections come from ``SUFFRAGE_ELECTION_DATA`` (see tests/conftest.py); the browser test
(tests/browser/test_charts.py) draws the same charts in Chromium and measures them there.
"""

from __future__ import annotations

import csv
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from suffrage.counting import (
    Result,
    Stage,
    Trail,
    count_debian,
    count_irv,
    count_stv_scottish,
    dhondt,
    droop,
    modified_sainte_lague,
    plurality,
    referendum,
    two_round,
)
from suffrage.counting.readers import parse_abif, parse_blt, parse_debian_tally
from suffrage.errors import InvalidInput
from suffrage.reports import charts
from suffrage.reports.charts import MAX_WIDTH, result_chart, text_width

SVG = "{http://www.w3.org/2000/svg}"
BURLINGTON_AR = {
    "Kiss": "بوب كيس",
    "Wright": "كيرت رايت",
    "Montroll": "آندي مونترول",
    "Smith": "دان سميث",
    "Simpson": "جيمس سيمبسون",
    "Write-in": "مرشح مكتوب",
}


def data() -> Path:
    """The shared folder of real elections."""
    folder = os.environ.get("SUFFRAGE_ELECTION_DATA")
    if not folder:
        pytest.skip("SUFFRAGE_ELECTION_DATA is not set")
    return Path(folder)


def burlington() -> Result:
    return count_irv(parse_abif((data() / "irv_burlington_2009/burl2009.abif").read_text()))


def scottish_ward() -> tuple[Result, str]:
    """The Scottish 2017 ward with the most stages in the official sheets."""
    folder = data() / "stv_scotland_2017"
    rows = list(csv.DictReader((folder / "manifest.csv").read_text(encoding="utf-8").splitlines()))
    row = max(rows, key=lambda r: int(r["official_stages"]))
    text = (folder / row["ballot_file"]).read_text(encoding="utf-8")
    return count_stv_scottish(parse_blt(text)), row["ward_name"]


def oslo() -> Result:
    """Oslo 2021: 23 lists, 20 district seats, modified Sainte-Laguë (first divisor 1.4)."""
    path = data() / "list_norway_2021/2021-09-17_partydist.csv"
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines(), delimiter=";")
    votes = {
        r["Partinavn"]: int(r["Antall stemmer totalt"]) for r in rows if r["Fylkenavn"] == "Oslo"
    }
    return modified_sainte_lague(votes, 19)


def debian_2007() -> Result:
    tally = parse_debian_tally((data() / "condorcet_debian_dpl/leader2007_tally.txt").read_bytes())
    return count_debian(tally.profile, default=tally.default)


def long_stv() -> Result:
    """A synthetic 19-stage STV count: 12 candidates, 2 seats, one exclusion every other stage."""
    names = [f"Candidate number {i:02d} (Independent)" for i in range(12)]
    stages = []
    for n in range(19):
        gone = n // 2 + (n % 2)  # candidates excluded before this stage
        values = {
            c: f"{(900 + 60 * i + 11 * n) if i >= gone else 0}.50000" for i, c in enumerate(names)
        }
        values["(non-transferable)"] = f"{13 * n}.25000"
        events: tuple[str, ...] = (f"excluded {names[n // 2]}",) if n % 2 == 0 else ()
        if n == 18:
            events = (f"elected {names[11]}", f"elected {names[10]}")
        stages.append(Stage(number=n + 1, kind="exclusion", values=values, events=events))
    trail = Trail(method="stv-scottish", stages=tuple(stages))
    return Result(method="stv-scottish", elected=(names[11], names[10]), seats={}, totals={},
                  trail=trail, options={"quota": "1700.00000", "seats": 2})  # fmt: skip


def real_charts() -> dict[str, str]:
    """The charts a person looks at: name -> SVG."""
    ward, ward_name = scottish_ward()
    return {
        "chart-irv-burlington": result_chart(
            burlington(), title="Burlington, Vermont, 3 March 2009", subtitle="Mayor"
        ),
        "chart-stv-scotland": result_chart(
            ward, title="Scottish local government elections 2017", subtitle=ward_name
        ),
        "chart-stv-19-stages": result_chart(
            long_stv(), title="A 19-stage count", subtitle="Test ward"
        ),
        "chart-list-oslo": result_chart(
            oslo(), title="Storting election 2021", subtitle="Oslo (19 district seats)"
        ),
        "chart-referendum": result_chart(
            referendum({"yes": 13, "no": 12, "blank": 2, "invalid": 1}),
            title="Town referendum",
            subtitle="Shall the bridge be rebuilt?",
        ),
        "chart-condorcet-debian": result_chart(
            debian_2007(), title="Debian Project Leader election 2007", subtitle="Leader"
        ),
        "chart-two-round-fr": result_chart(
            two_round(
                {"Dupont": 4120, "Martin": 3610, "Bernard": 2270}, {"Dupont": 4650, "Martin": 5020}
            ),
            title="Élection municipale",
            subtitle="Maire",
            language="fr",
        ),
        "chart-irv-burlington-ar": result_chart(
            burlington(),
            title="برلنغتون، فيرمونت، 3 مارس 2009",
            subtitle="رئيس البلدية",
            language="ar",
            names=BURLINGTON_AR,
        ),
    }


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}text"))


def box(el: ET.Element) -> tuple[float, float, float, float]:
    """The box of a text by the chart's own width estimate: left, top, right, bottom."""
    size = float(el.get("font-size", "13"))
    width = text_width(el.text or "", size, bold=el.get("font-weight") == "bold")
    x, y = float(el.get("x", "0")), float(el.get("y", "0"))
    anchor = el.get("text-anchor", "start")
    if el.get("direction") == "rtl":
        anchor = {"start": "end", "end": "start"}.get(anchor, anchor)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, y - 0.8 * size, left + width, y + 0.25 * size


def overlaps(root: ET.Element) -> list[tuple[str, str]]:
    boxes = [(el.text or "", box(el)) for el in texts(root)]
    out = []
    for i, (a, (l1, t1, r1, b1)) in enumerate(boxes):
        for b, (l2, t2, r2, b2) in boxes[i + 1 :]:
            if l1 < r2 - 0.5 and l2 < r1 - 0.5 and t1 < b2 - 0.5 and t2 < b1 - 0.5:
                out.append((a, b))
    return out


def check_chart(svg: str) -> ET.Element:
    """What every chart must hold: title and desc first, role, size limits, no overlaps, no
    script or external reference."""
    root = parse(svg)
    first, second = list(root)[:2]
    assert first.tag == f"{SVG}title"
    assert (first.text or "").strip()
    assert second.tag == f"{SVG}desc"
    assert (second.text or "").strip()
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    assert float(root.get("width", "0")) <= MAX_WIDTH
    assert "<script" not in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert overlaps(root) == []
    return root


def test_irv_is_one_compact_chart_with_rounds_marks_and_majority() -> None:
    root = check_chart(result_chart(burlington(), title="Burlington 2009", subtitle="Mayor"))
    words = [el.text for el in texts(root)]
    assert [f"Round {n}" for n in range(1, 6)] == [w for w in words if w and w.startswith("Round")]
    assert "✓ Elected" in words
    assert "✕ Eliminated in round 4" in words
    assert "Kiss" in words  # the status says "✓ Elected", the name needs no second mark
    assert "Exhausted ballots" in words
    assert "Majority: 4,187" in words
    assert "4,313 ✓" in words
    assert "2,554 ✕" in words
    assert float(root.get("height", "0")) <= 900
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert "Kiss 4,313" in (desc.text or "")


def test_thirteen_candidates_five_rounds_stay_compact() -> None:
    """A 13-candidate IRV in 5 rounds (batch eliminations): one chart well inside the limits."""
    names = [f"Candidate {chr(65 + i)} with a fairly long name" for i in range(13)]
    counts = [5000 - 300 * i for i in range(13)]
    rounds, left, stages = [13, 9, 5, 3, 2], 13, []
    for n, keep in enumerate(rounds):
        values = {names[i]: counts[i] + 50 * n for i in range(left)} | {"(exhausted)": 40 * n}
        gone = names[rounds[n + 1] : left] if n + 1 < len(rounds) else []
        events = (f"eliminated together (cannot catch up): {', '.join(gone)}",) if gone else ()
        if n == 4:
            events = (f"elected {names[0]}",)
        stages.append(Stage(number=n + 1, kind="round", values=values, events=events))
        left = keep if n + 1 >= len(rounds) else rounds[n + 1]
    result = Result(
        method="irv",
        elected=(names[0],),
        seats={},
        totals={},
        trail=Trail(method="irv", stages=tuple(stages)),
    )
    root = check_chart(result_chart(result, title="City council 2024", subtitle="Mayor"))
    assert float(root.get("width", "0")) <= 1200
    assert float(root.get("height", "0")) <= 700
    words = [el.text for el in texts(root)]
    assert "✕ Eliminated in round 1" in words
    assert "Round 5" in words


def test_colours_meet_contrast_on_white() -> None:
    """Text colours reach 4.5:1 and bar colours 3:1 against the white background."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in (
        charts.INK,
        charts.MUTED,
        charts.WIN,
        charts.BAR,
        charts.OUT,
        charts.GREY,
        charts.LINE,
    ):
        assert 1.05 / (luminance(colour) + 0.05) >= 4.5, colour


def test_eliminated_cells_are_empty_after_elimination() -> None:
    root = check_chart(result_chart(burlington(), title="Burlington 2009"))
    figures = [el.text for el in texts(root) if el.get("class") == "value"]
    assert "35 ✕" in figures  # Simpson, round 1
    assert not any(f and f.startswith("0") for f in figures)


def test_stv_shows_stages_and_the_quota_line() -> None:
    ward, name = scottish_ward()
    root = check_chart(result_chart(ward, title="Scotland 2017", subtitle=name))
    words = [el.text for el in texts(root)]
    assert "Stage 1" in words
    assert "Non-transferable" in words
    assert any(w and w.endswith("Dashed line: the quota (1,155)") for w in words)
    assert float(root.get("height", "0")) <= 900


def test_nineteen_stages_wrap_into_bands_within_the_size_limits() -> None:
    root = check_chart(result_chart(long_stv(), title="A 19-stage count"))
    words = [el.text for el in texts(root)]
    assert all(f"Stage {n}" in words for n in range(1, 20))
    assert words.count("Candidate number 05 (Independent)") == 2  # a second band
    assert float(root.get("height", "0")) <= 900
    assert float(root.get("width", "0")) <= MAX_WIDTH


def test_party_list_shows_seats_per_party() -> None:
    result = oslo()
    root = check_chart(result_chart(result, title="Storting 2021", subtitle="Oslo"))
    words = [el.text for el in texts(root)]
    assert "Seats" in words
    assert "Party list, modified Sainte-Laguë" in words
    assert str(result.seats["Arbeiderpartiet"]) in words
    assert len([el for el in root.iter(f"{SVG}rect") if el.get("width") == "9.0"]) == 19


def test_largest_remainder_draws_its_quota() -> None:
    result = droop({"Red": 5300, "Blue": 3100, "Green": 1600}, 5)
    root = check_chart(result_chart(result, title="Council"))
    assert any((el.text or "").startswith("Quota: ") for el in texts(root))


def test_referendum_is_one_bar_with_the_required_majority() -> None:
    result = referendum({"yes": 13, "no": 12, "blank": 2, "invalid": 1})
    root = check_chart(result_chart(result, title="Referendum"))
    words = [el.text for el in texts(root)]
    assert "Required: more than 50.0%" in words
    assert "Yes: 13 (52.0%)" in words
    assert "✓ Answer: Yes" in words
    assert "Blank: 2 · Invalid: 1" in words


def test_condorcet_shows_pairwise_wins_and_the_winner() -> None:
    root = check_chart(result_chart(debian_2007(), title="Debian 2007"))
    words = [el.text for el in texts(root)]
    assert "Head-to-head wins" in words
    assert "✓ Winner" in words
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert (desc.text or "").startswith("Winner: Sam Hocevar")


def test_two_round_has_two_rounds_and_the_majority_line() -> None:
    result = two_round({"A": 400, "B": 350, "C": 250}, {"A": 480, "B": 520})
    root = check_chart(result_chart(result, title="President", language="fr"))
    words = [el.text for el in texts(root)]
    assert "Tour 1" in words
    assert "Tour 2" in words
    assert "Majorité : 501" in words
    assert "520 ✓" in words


def test_arabic_chart_marks_right_to_left_names() -> None:
    root = check_chart(
        result_chart(burlington(), title="برلنغتون", language="ar", names=BURLINGTON_AR)
    )
    kiss = [el for el in texts(root) if "بوب كيس" in (el.text or "")]
    assert kiss
    assert all(el.get("direction") == "rtl" for el in kiss)
    assert root.get("lang") == "ar"
    assert "الجولة 1" in [el.text for el in texts(root)]


@pytest.mark.parametrize("language", ["ar", "zh", "en", "fr", "ru", "es"])
def test_every_language_lays_out_without_overlap(language: str) -> None:
    check_chart(result_chart(plurality({"Ann": 30, "Bob": 20}), title="T", language=language))
    check_chart(result_chart(dhondt({"Civic": 300, "Green": 200}, 3), title="T", language=language))


def test_long_names_wrap_instead_of_running_into_figures() -> None:
    votes = {"The Extraordinarily Long-Named Alliance for Everything Good": 900, "Short": 100}
    root = check_chart(result_chart(plurality(votes), title="T"))
    names = [el.text for el in texts(root) if el.get("class") == "name"]
    assert len(names) >= 3  # the long name takes two lines
    wide = {"中华人民共和国全国人民代表大会常务委员会委员长候选人名单": 5, "B": 3}
    check_chart(result_chart(plurality(wide), title="T", language="zh"))


def test_width_estimate_is_wider_for_cjk_and_bold() -> None:
    assert text_width("中文", 10) > text_width("ab", 10)
    assert text_width("Kiss", 13, bold=True) > text_width("Kiss", 13)


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (lambda: result_chart(plurality({"A": 1}), title=" "), "title"),
        (lambda: result_chart(plurality({"A": 1}), title="T", language="de"), "--language"),
    ],
)
def test_bad_input_is_refused_by_name(call: Callable[[], str], where: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        call()
    assert raised.value.field == where


def test_a_result_without_figures_is_refused() -> None:
    empty = Result(method="irv", elected=(), seats={}, totals={}, trail=Trail(method="irv"))
    with pytest.raises(InvalidInput, match=r"^result: the irv result has no figures to draw$"):
        result_chart(empty, title="T")


def test_a_malformed_trail_is_refused_by_name() -> None:
    broken = Result(
        method="referendum",
        elected=("yes",),
        seats={},
        totals={"yes": 3},
        trail=Trail(method="referendum"),
    )
    with pytest.raises(InvalidInput, match="referendum result lacks what its chart needs"):
        result_chart(broken, title="T")
    words = Result(
        method="plurality", elected=(), seats={}, totals={"A": "many"}, trail=Trail(method="x")
    )
    with pytest.raises(InvalidInput, match="a figure must be a number, not 'many'"):
        result_chart(words, title="T")


def test_referendum_majority_is_drawn_where_the_share_says() -> None:
    result = referendum({"yes": 70, "no": 30}, majority=Fraction(2, 3))
    root = check_chart(result_chart(result, title="Two thirds"))
    assert "Required: more than 66.7%" in [el.text for el in texts(root)]
