"""RCTab's cast-vote-record providers (spec/counting.md#rctab-cast-vote-record-providers).

The real cases of RCTab's regression suite (``SUFFRAGE_RCTAB_DATA``) check the number of
records and, for one case per provider, round 1 as a first-choice count; small hand-written
files check each label, rule and refusal.
"""

from __future__ import annotations

import functools
import json
import os
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from suffrage.counting.rctab.model import OVERVOTE, UNDECLARED_WRITE_IN, Candidate, Cvr, CvrSource
from suffrage.counting.rctab.sources import PROVIDERS, read_source
from suffrage.errors import InvalidBallotData

_ROOT = Path(__file__).resolve().parents[2]
_DATA = Path(os.environ.get("SUFFRAGE_RCTAB_DATA", _ROOT / "../shared/data/rctab/test_data"))
_MISSING = {
    "2018_maine_governor_primary": "its ES&S workbook is not in the published test data",
    "dominion_kansas": "its CvrExport.json is not in the published test data",
}
# one case per provider whose round 1 is a plain first-choice count
_FIRST_CHOICE = {
    "2015_portland_mayor_codes",
    "test_set_8_multi_cdf",
    "unisyn_xml_cdf_city_mayor",
    "generic_csv_test",
    "dominion_wyoming",
    "hart_cedar_park_school_board",
    "clear_ballot_kansas_primary",
}


# --- a tiny configuration reader for these tests (the real one is rctab/config.py) ------


def _source(folder: Path, raw: dict[str, Any], rules: dict[str, Any]) -> CvrSource:
    def index(key: str) -> int | None:
        value = raw.get(key)
        return None if value in (None, "") else int(value)

    def label(*keys: str) -> str | None:
        for place in (raw, rules):
            for key in keys:
                if place.get(key) not in (None, ""):
                    return str(place[key])
        return None

    blank = raw.get("treatBlankAsUndeclaredWriteIn") or rules.get("treatBlankAsUndeclaredWriteIn")
    return CvrSource(
        provider=raw["provider"],
        path=(folder / raw["filePath"]).resolve(),
        contest_id=str(raw["contestId"]) if raw.get("contestId") not in (None, "") else None,
        first_vote_column=index("firstVoteColumnIndex"),
        first_vote_row=index("firstVoteRowIndex"),
        id_column=index("idColumnIndex"),
        batch_column=index("batchColumnIndex"),
        precinct_column=index("precinctColumnIndex"),
        overvote_delimiter=raw.get("overvoteDelimiter") or None,
        overvote_label=label("overvoteLabel"),
        skipped_rank_label=label("skippedRankLabel", "undervoteLabel"),
        undeclared_write_in_label=label("undeclaredWriteInLabel"),
        treat_blank_as_undeclared_write_in=bool(blank),
    )


def _config(case: Path) -> tuple[list[CvrSource], tuple[Candidate, ...], int | None]:
    raw = json.loads((case / f"{case.name}_config.json").read_text())
    rules = raw["rules"]
    candidates = tuple(
        Candidate(
            name=c["name"],
            aliases=tuple(c.get("aliases") or ()) + ((c["code"],) if c.get("code") else ()),
            excluded=bool(c.get("excluded")),
        )
        for c in raw.get("candidates", [])
    )
    most = rules.get("maxRankingsAllowed")
    max_rankings = None if most in (None, "", "max") else int(most)
    sources = [_source(case, s, rules) for s in raw["cvrFileSources"]]
    return sources, candidates, max_rankings


def _cases() -> list[Any]:
    if not _DATA.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no RCTab data at {_DATA}"))]
    found = []
    for case in sorted(p for p in _DATA.iterdir() if p.is_dir()):
        if not (case / f"{case.name}_config.json").is_file() or not _report(case):
            continue
        marks = [pytest.mark.skip(reason=_MISSING[case.name])] if case.name in _MISSING else []
        if case.name.endswith("_scale"):  # a million records: test_rctab_cases reads them once
            marks.append(pytest.mark.skip(reason="read and counted in full by test_rctab_cases"))
        found.append(pytest.param(case, id=case.name, marks=marks))
    return found


def _report(case: Path) -> Path | None:
    reports = sorted(case.glob("*expected*detailed_report*.json"))
    return reports[0] if reports else None  # a sequential case: pass 1


@functools.lru_cache(maxsize=8)
def _read(source: CvrSource, candidates: tuple[Candidate, ...], most: int | None) -> list[Cvr]:
    """A source read once for the cases that share it (four Minneapolis park cases)."""
    return read_source(source, candidates, max_rankings=most)


def _read_case(case: Path) -> tuple[list[Cvr], dict[str, Any]]:
    sources, candidates, max_rankings = _config(case)
    assert {s.provider for s in sources} <= set(PROVIDERS)
    records: list[Cvr] = []
    for source in sources:
        records.extend(_read(source, candidates, max_rankings))
    report_path = _report(case)
    assert report_path is not None
    report = json.loads(report_path.read_text())
    return records, report[0] if isinstance(report, list) else report


@pytest.mark.parametrize("case", _cases())
def test_real_case_record_count(case: Path) -> None:
    records, report = _read_case(case)
    assert len(records) == int(report["summary"]["totalNumBallots"])
    ids = [(r.source, r.id) for r in records]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", [c for c in _cases() if c.id in _FIRST_CHOICE])
def test_real_case_first_choices(case: Path) -> None:
    records, report = _read_case(case)
    firsts = [r.rankings[0][1] for r in records if r.rankings]
    counted = Counter(names[0] for names in firsts if len(names) == 1)
    overvotes = counted.pop(OVERVOTE, 0) + sum(len(names) > 1 for names in firsts)
    assert overvotes == int(report["results"][0]["inactiveBallots"]["overvotes"])
    tally = {name: int(votes) for name, votes in report["results"][0]["tally"].items()}
    assert {n: v for n, v in tally.items() if v} == dict(counted)


# --- ES&S ---------------------------------------------------------------------------------


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


_ABC = (Candidate(name="Alice", aliases=("A",)), Candidate(name="Bob"), Candidate(name="Carol"))


def _ess(path: Path, **fields: Any) -> CvrSource:
    values: dict[str, Any] = {"first_vote_column": 2, "first_vote_row": 2} | fields
    return CvrSource(provider="ess", path=path, **values)


def test_ess_labels_aliases_and_ids(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "cvr one.xlsx",
        [
            ["Precinct", "Choice 1", "Choice 2", "Choice 3"],
            ["P1", "A", "undervote", " Bob "],
            ["P2", "OVER", "UWI", None],
            [None, None, None, None],
        ],
    )
    source = _ess(
        path,
        precinct_column=1,
        overvote_label="OVER",
        skipped_rank_label="undervote",
        undeclared_write_in_label="UWI",
    )
    records = read_source(source, _ABC)
    assert [r.id for r in records] == ["cvr_one.xlsx-1", "cvr_one.xlsx-2", "cvr_one.xlsx-3"]
    assert records[0].rankings == ((1, ("Alice",)), (3, ("Bob",)))
    assert records[1].rankings == ((1, (OVERVOTE,)), (2, (UNDECLARED_WRITE_IN,)))
    assert records[0].precinct == "P1"
    assert records[2].rankings == ()
    assert records[2].precinct == "missing_precinct_id"


def test_ess_delimiter_blank_as_write_in_and_max_rankings(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "c.xlsx",
        [["Id", "1", "2", "3", "4"], [7, "Alice|Bob", None, "Carol", "Bob"], [8, None]],
    )
    source = _ess(
        path, id_column=1, overvote_delimiter="|", treat_blank_as_undeclared_write_in=True
    )
    first, second = read_source(source, _ABC, max_rankings=3)
    assert first.supplied_id == "7"
    assert first.rankings == (
        (1, ("Alice", "Bob")),
        (2, (UNDECLARED_WRITE_IN,)),
        (3, ("Carol",)),
    )
    assert second.rankings == tuple((r, (UNDECLARED_WRITE_IN,)) for r in (1, 2, 3))
    unlimited = read_source(source, _ABC)
    assert unlimited[0].rankings[-1] == (4, ("Bob",))
    assert unlimited[1].rankings == ()


def test_ess_row_elements_without_cells_are_records(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "c.xlsx", [["h", "1"], [1, "Bob"], [2, "Carol"]])
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    empty_rows = b'<row r="4"/><row r="1048576"/></sheetData>'
    parts[sheet] = parts[sheet].replace(b"</sheetData>", empty_rows)
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    records = read_source(_ess(path), _ABC)
    assert [r.id for r in records] == ["c.xlsx-1", "c.xlsx-2", "c.xlsx-3", "c.xlsx-4"]
    assert [r.rankings for r in records[2:]] == [(), ()]


def test_ess_refuses_unknown_candidates_listing_them(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "c.xlsx", [["h", "1"], [1, "Dave"], [2, "Eve"], [3, "Dave"]])
    with pytest.raises(InvalidBallotData, match=r"c\.xlsx: 2 unrecognized candidate names") as e:
        read_source(_ess(path), _ABC)
    assert "'Dave' 2 times (first at c.xlsx: row 2, column B)" in str(e.value)
    assert "'Eve' 1 time" in str(e.value)


def test_ess_refuses_blank_part_of_a_split_cell(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "c.xlsx", [["h", "1", "2"], [1, "Bob", "Alice| |Bob"]])
    with pytest.raises(InvalidBallotData, match=r"c\.xlsx: row 2, column C: 'Alice\| \|Bob'"):
        read_source(_ess(path, overvote_delimiter="|"), _ABC)


def test_ess_refuses_a_row_without_its_id(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "c.xlsx", [["Id", "1"], [1, "Bob"], [None, "Bob"]])
    with pytest.raises(InvalidBallotData, match=r"c\.xlsx: row 3, column A: expected the record"):
        read_source(_ess(path, id_column=1), _ABC)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"first_vote_column": 0}, r"firstVoteColumnIndex: expected an integer from 1 to 1000"),
        ({"first_vote_row": None}, r"firstVoteRowIndex: expected an integer from 1 to 100000"),
        ({"precinct_column": 1001}, r"precinctColumnIndex: expected an integer from 1 to 1000"),
    ],
)
def test_ess_refuses_bad_column_indices(tmp_path: Path, fields: Any, message: str) -> None:
    path = _xlsx(tmp_path / "c.xlsx", [["h", "1"], [1, "Bob"]])
    with pytest.raises(InvalidBallotData, match=message):
        read_source(_ess(path, **fields), _ABC)


@pytest.mark.parametrize("content", [b"", b"not a zip file", b"PK\x03\x04broken"])
def test_ess_refuses_what_is_not_a_workbook(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(InvalidBallotData, match=r"bad\.xlsx: not a readable Excel workbook"):
        read_source(_ess(path), _ABC)


def test_ess_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidBallotData, match=r"nothere\.xlsx: expected an ES&S \.xlsx file"):
        read_source(_ess(tmp_path / "nothere.xlsx"), _ABC)


def test_unknown_provider_refused(tmp_path: Path) -> None:
    source = CvrSource(provider="diebold", path=tmp_path / "x")
    with pytest.raises(InvalidBallotData, match=r"x: provider: expected one of .*'diebold'"):
        read_source(source, _ABC)


# --- CDF JSON -----------------------------------------------------------------------------


def _cdf_report(cvrs: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    selections = [
        {"@id": "cs-a", "CandidateIds": ["c-a"]},
        {"@id": "cs-b", "CandidateIds": ["c-b"]},
        {"@id": "cs-o", "CandidateIds": ["c-o"]},
        {"@id": "cs-w", "IsWriteIn": "true"},
    ]
    report: dict[str, Any] = {
        "GpUnit": [{"@id": "u1", "Name": "Precinct 1"}],
        "Election": [
            {
                "Candidate": [
                    {"@id": "c-a", "Name": "A"},
                    {"@id": "c-b", "Name": "Bob"},
                    {"@id": "c-o", "Name": "OVER"},
                ],
                "Contest": [{"@id": "k1", "Name": "Mayor", "ContestSelection": selections}],
            }
        ],
        "CVR": cvrs,
    }
    return report | extra


def _cdf_cvr(selections: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    snapshot = {"@id": "s1", "CVRContest": [{"ContestId": "k1", "CVRContestSelection": selections}]}
    return {"CurrentSnapshotId": "s1", "CVRSnapshot": [snapshot]} | fields


def _position(rank: int, **fields: Any) -> dict[str, Any]:
    return {"SelectionPosition": [{"Rank": rank, "HasIndication": "yes"} | fields]}


def _cdf(tmp_path: Path, report: Any, name: str = "r.json", **fields: Any) -> CvrSource:
    path = tmp_path / name
    path.write_text(report if isinstance(report, str) else json.dumps(report))
    values: dict[str, Any] = {"contest_id": "Mayor", "overvote_label": "OVER"} | fields
    return CvrSource(provider="cdf", path=path, **values)


def test_cdf_json_selections_positions_and_labels(tmp_path: Path) -> None:
    cvrs = [
        _cdf_cvr(
            [
                {"ContestSelectionId": "cs-a"} | _position(1),
                {"ContestSelectionId": "cs-b", "Rank": 2},
                {"ContestSelectionId": "cs-o"} | _position(3),
                {"ContestSelectionId": "cs-w"} | _position(4),
                {"ContestSelectionId": "cs-b"} | _position(5, HasIndication="no"),
                {"ContestSelectionId": "cs-b"} | _position(6, IsAllocable="no"),
                {"ContestSelectionId": "cs-b"} | _position(7, CVRWriteIn={"Text": "Zed"}),
            ],
            BallotPrePrintedId="b-1",
            BallotStyleUnitId="u1",
            BatchSequenceId="9",
        ),
        {"CurrentSnapshotId": "s2", "CVRSnapshot": [{"@id": "s2", "CVRContest": []}]},
        _cdf_cvr([]),
    ]
    records = read_source(_cdf(tmp_path, _cdf_report(cvrs)), _ABC)
    assert [r.id for r in records] == ["r.json(1)", "r.json(2)"]
    first = records[0]
    assert first.rankings == (
        (1, ("Alice",)),
        (2, ("Bob",)),
        (3, (OVERVOTE,)),
        (4, (UNDECLARED_WRITE_IN,)),
        (7, (UNDECLARED_WRITE_IN,)),
    )
    assert (first.supplied_id, first.precinct, first.batch) == ("b-1", "Precinct 1", "9")
    assert records[1].rankings == ()
    with pytest.raises(InvalidBallotData, match=r"r\.json: record 'r\.json\(1\)': marks rank 7"):
        read_source(_cdf(tmp_path, _cdf_report(cvrs)), _ABC, max_rankings=6)


@pytest.mark.parametrize(
    ("report", "message"),
    [
        ("{", r"r\.json line 1 column 2: not JSON"),
        ('{"a": 1, "a": 2}', r"r\.json: refused JSON: duplicate key 'a'"),
        ("[]", r"r\.json: \$: expected an object, got \[\]"),
        (_cdf_report([], GpUnit=None), r"r\.json: GpUnit: expected an array, missing"),
        (
            _cdf_report([_cdf_cvr([{"ContestSelectionId": "cs-x", "Rank": 1}])]),
            r"CVR\[0\]\.CVRSnapshot\[0\]\.CVRContest\[0\]\.CVRContestSelection\[0\]"
            r"\.ContestSelectionId: expected the @id of a ContestSelection",
        ),
        (
            _cdf_report([_cdf_cvr([{"ContestSelectionId": "cs-a", "Rank": 0}])]),
            r"CVRContestSelection\[0\]\.Rank: expected a positive integer Rank, got 0",
        ),
        (
            _cdf_report([_cdf_cvr([], BallotStyleUnitId="u9")]),
            r"CVR\[0\]\.BallotStyleUnitId: expected the @id of a GpUnit, got 'u9'",
        ),
        (
            _cdf_report([], GpUnit=[{"@id": "u1"}, {"@id": "u1"}]),
            r"GpUnit\[1\]\.@id: GpUnit 'u1' appears more than once",
        ),
    ],
)
def test_cdf_json_refusals(tmp_path: Path, report: Any, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        read_source(_cdf(tmp_path, report), _ABC)


def test_cdf_refuses_an_unknown_contest_and_candidate(tmp_path: Path) -> None:
    with pytest.raises(InvalidBallotData, match=r"no contest has the Name 'Dog catcher'"):
        read_source(_cdf(tmp_path, _cdf_report([]), contest_id="Dog catcher"), _ABC)
    people = (Candidate(name="Alice", aliases=("A",)),)
    report = _cdf_report([_cdf_cvr([{"ContestSelectionId": "cs-b", "Rank": 1}])])
    with pytest.raises(InvalidBallotData, match=r"r\.json: 1 unrecognized candidate name: 'Bob'"):
        read_source(_cdf(tmp_path, report), people)
    with pytest.raises(InvalidBallotData, match=r"x\.txt: expected a CDF file named \.json or"):
        read_source(_cdf(tmp_path, "{}", name="x.txt"), _ABC)


# --- CDF XML ------------------------------------------------------------------------------

_XML = """<?xml version="1.0" encoding="UTF-8"?>
<CastVoteRecordReport xmlns="NIST_V0_cast_vote_records.xsd">
  <CVR>
    <BallotStyleUnitId>u1</BallotStyleUnitId>
    <CurrentSnapshotId>s1</CurrentSnapshotId>
    <CVRSnapshot ObjectId="s1"><CVRContest><ContestId>k1</ContestId>
      <CVRContestSelection><ContestSelectionId>cs-b</ContestSelectionId>
        <SelectionPosition><HasIndication>yes</HasIndication><Rank>1</Rank></SelectionPosition>
      </CVRContestSelection>
      <CVRContestSelection><ContestSelectionId>cs-a</ContestSelectionId>
        <Status>needs-adjudication</Status><Rank>2</Rank>
      </CVRContestSelection>
      <CVRContestSelection><ContestSelectionId>cs-w</ContestSelectionId>
        <SelectionPosition><HasIndication>yes</HasIndication><Rank>3</Rank></SelectionPosition>
      </CVRContestSelection>
    </CVRContest></CVRSnapshot>
    <UniqueId>17</UniqueId>
  </CVR>
  <CVR><CurrentSnapshotId>s9</CurrentSnapshotId><CVRSnapshot ObjectId="s9"/></CVR>
  <Election>
    <Candidate ObjectId="c-a"><Name>A</Name></Candidate>
    <Candidate ObjectId="c-b"><Name>Bob</Name></Candidate>
    <Candidate ObjectId="c-nameless"/>
    <Contest ObjectId="k1"><Name>Mayor</Name>
      <ContestSelection ObjectId="cs-a"><CandidateIds>c-a</CandidateIds></ContestSelection>
      <ContestSelection ObjectId="cs-b"><CandidateIds>c-b</CandidateIds></ContestSelection>
      <ContestSelection ObjectId="cs-w"><IsWriteIn>true</IsWriteIn></ContestSelection>
    </Contest>
  </Election>
  <GpUnit ObjectId="u1"><Name>Ward 1</Name></GpUnit>
</CastVoteRecordReport>
"""


def test_cdf_xml_reads_unisyn_style_reports(tmp_path: Path) -> None:
    (record,) = read_source(_cdf(tmp_path, _XML, name="u.xml"), _ABC)
    assert record.id == "u.xml(1)"
    assert record.supplied_id == "17"
    assert record.precinct == "Ward 1"
    assert record.rankings == ((1, ("Bob",)), (3, (UNDECLARED_WRITE_IN,)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><a>&lol;</a>',
            r"u\.xml line 1: a DOCTYPE or ENTITY declaration is refused",
        ),
        ("<CastVoteRecordReport><CVR>", r"u\.xml line 1 column \d+: not XML: no element found"),
        ("<Other/>", r"u\.xml: Other: expected the root element CastVoteRecordReport"),
        ("<CastVoteRecordReport/>", r"expected GpUnit, CVR, Election elements"),
        (
            _XML.replace("<Rank>1</Rank>", "<Rank>first</Rank>"),
            r"CVR\[0\]/CVRSnapshot\[0\]/CVRContest\[0\]/CVRContestSelection\[0\]/"
            r"SelectionPosition\[0\]/Rank: expected a positive integer Rank, got 'first'",
        ),
        (
            _XML.replace(
                "<CandidateIds>c-b</CandidateIds>", "<CandidateIds>c-nameless</CandidateIds>"
            ),
            r"ContestSelection\[1\]: Candidate 'c-nameless' has no Name",
        ),
    ],
)
def test_cdf_xml_refusals(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        read_source(_cdf(tmp_path, text, name="u.xml"), _ABC)


# --- generic CSV --------------------------------------------------------------------------


def _csv(tmp_path: Path, text: str, **fields: Any) -> CvrSource:
    path = tmp_path / "g.csv"
    path.write_text(text)
    values: dict[str, Any] = {
        "first_vote_column": 3,
        "first_vote_row": 2,
        "undeclared_write_in_label": "Write-In",
    } | fields
    return CvrSource(provider="genericCsv", path=path, **values)


def test_generic_csv_ranks_write_ins_and_blank_ids(tmp_path: Path) -> None:
    text = "id,precinct,A,Bob,Write-In\nr1,p1,2,1,\n\nr2,,, ,1\nr3,p2,,,\n"
    source = _csv(tmp_path, text, id_column=1, precinct_column=2)
    records = read_source(source, _ABC)
    assert [r.id for r in records] == ["1", "2", "3"]
    assert [r.supplied_id for r in records] == ["r1", "r2", "r3"]
    assert [r.precinct for r in records] == ["p1", "no precinct id", "p2"]
    assert records[0].rankings == ((1, ("Bob",)), (2, ("Alice",)))
    assert records[1].rankings == ((1, (UNDECLARED_WRITE_IN,)),)
    assert records[2].rankings == ()


@pytest.mark.parametrize(
    ("text", "fields", "message"),
    [
        ("id,p,A,,Bob\n", {}, r"g\.csv line 1, column D: expected a candidate name"),
        ("id,p,A,Bob\nr,p,x,\n", {}, r"g\.csv line 2, column C: expected a rank .* got 'x'"),
        ("id,p,A,Bob\nr,p,0,\n", {}, r"g\.csv line 2, column C: expected a rank .* got '0'"),
        ("id,p,A,Bob\nr,p,1,2,3\n", {}, r"g\.csv line 2: 5 cells: expected at most 4"),
        ("id,p,A,Dave\nr,p,1,2\n", {}, r"g\.csv: 1 unrecognized candidate name: 'Dave' 1 time"),
        ("id,p,A\n", {"first_vote_column": 9}, r"g\.csv line 1: 3 columns: expected candidate"),
        ("id,p,A\n", {"first_vote_column": None}, r"firstVoteColumnIndex: expected an integer"),
        ('id,p,"A\n', {}, r"g\.csv line \d+: not CSV"),
        ("id,p,A\nr,p,1\n", {"id_column": 7}, r"g\.csv line 2: 3 cells: expected a cell in col"),
    ],
)
def test_generic_csv_refusals(tmp_path: Path, text: str, fields: Any, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        read_source(_csv(tmp_path, text, **fields), _ABC)


# --- Clear Ballot -------------------------------------------------------------------------

_CB_HEADER = (
    "RowNumber,BoxID,BoxPosition,BallotID,PrecinctID,BallotStyleID,PrecinctStyleName,"
    "ScanComputerName,Status,Remade,"
    '"Choice_1_1:City, Mayor:1:Vote For 1:A:NON","Choice_2_1:City, Mayor:1:Vote For 1:UWI:NON",'
    '"Choice_1_2:City, Mayor:2:Vote For 1:Bob:NON",Choice_9_1:Other:1:Vote For 1:Zed:NON'
)


def _clear(tmp_path: Path, rows: list[str]) -> CvrSource:
    path = tmp_path / "cb.csv"
    path.write_text("\n".join([_CB_HEADER, *rows]) + "\n")
    return CvrSource(
        provider="clearBallot",
        path=path,
        contest_id="City, Mayor",
        undeclared_write_in_label="UWI",
    )


def test_clear_ballot_columns_labels_and_ids(tmp_path: Path) -> None:
    rows = ['1,B,1,"B+1",7,1,"P 7",Scan,0,0,1,0,1,1', "2,B,2,B+2,8,1,P,Scan,0,0,0,1,0,0"]
    first, second = read_source(_clear(tmp_path, rows), _ABC)
    assert (first.id, first.precinct, first.tabulator) == ('"B+1"', "7", "Scan")
    assert first.rankings == ((1, ("Alice",)), (2, ("Bob",)))
    assert second.rankings == ((1, (UNDECLARED_WRITE_IN,)),)
    cut = read_source(_clear(tmp_path, rows), _ABC, max_rankings=1)
    assert cut[0].rankings == ((1, ("Alice",)),)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["1,B,1,B+1,7,1,P,Scan,0,0,1,0,x,0"], r"cb\.csv line 2, column M: expected 0 or 1"),
        (["1,B,1,B+1,7,1,P,Scan,0,0,1"], r"cb\.csv line 2: 11 fields: expected at least 13"),
    ],
)
def test_clear_ballot_refusals(tmp_path: Path, rows: list[str], message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        read_source(_clear(tmp_path, rows), _ABC)


def test_clear_ballot_refuses_a_bad_choice_header(tmp_path: Path) -> None:
    path = tmp_path / "cb.csv"
    path.write_text(_CB_HEADER.replace("Choice_9_1:Other:1:Vote For 1:Zed:NON", "Zed") + "\n")
    source = CvrSource(provider="clearBallot", path=path, contest_id="City, Mayor")
    with pytest.raises(InvalidBallotData, match=r"cb\.csv line 1, column N: 'Zed': expected id:"):
        read_source(source, _ABC)


# --- Dominion -----------------------------------------------------------------------------


def _session(record: int, marks: list[dict[str, Any]], **original: Any) -> dict[str, Any]:
    contest = {"Id": 5, "OutstackConditionIds": [], "Marks": marks}
    data = {"IsCurrent": True, "PrecinctPortionId": 1, "Contests": [contest]} | original
    return {"TabulatorId": 3, "BatchId": 4, "RecordId": record, "Original": data}


def _mark(code: int, rank: int, ambiguous: bool = False) -> dict[str, Any]:
    return {"CandidateId": code, "Rank": rank, "IsAmbiguous": ambiguous}


def _dominion(tmp_path: Path, sessions: list[dict[str, Any]], **skip: bool) -> CvrSource:
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    manifests = {
        "ContestManifest.json": [{"Id": 5, "Description": "Mayor", "NumOfRanks": 3}],
        "CandidateManifest.json": [
            {"Id": 10, "Description": "A", "ContestId": 5},
            {"Id": 11, "Description": "Bob", "ContestId": 5},
            {"Id": 20, "Description": "Carol", "ContestId": 6},
        ],
        "PrecinctPortionManifest.json": [{"Id": 1, "Description": "Portion 1"}],
        "PrecinctManifest.json": [{"Id": 2, "Description": "Precinct 2"}],
    }
    for name, entries in manifests.items():
        if not skip.get(name.split(".")[0]):
            (folder / name).write_text(json.dumps({"List": entries}))
    half = len(sessions) // 2
    (folder / "CvrExport_10.json").write_text(json.dumps({"Sessions": sessions[half:]}))
    (folder / "CvrExport_9.json").write_text(json.dumps({"Sessions": sessions[:half]}))
    return CvrSource(
        provider="dominion", path=folder, contest_id="5", undeclared_write_in_label="99"
    )


_CODES = (
    Candidate(name="Alice", aliases=("10",)),
    Candidate(name="Bob", aliases=("11",)),
    Candidate(name="Carol", aliases=("20",)),
)


def test_dominion_sessions_cards_and_outstacks(tmp_path: Path) -> None:
    sessions = [
        _session(1, [_mark(11, 1), _mark(10, 1, ambiguous=True), _mark(99, 2)], PrecinctId=2),
        _session(2, [_mark(10, 1)], IsCurrent=False),  # no Modified: skipped
        _session(3, [], Contests=[{"Id": 5, "OutstackConditionIds": [7], "Marks": []}]),
        _session(
            4,
            [],
            Cards=[
                {"Contests": [{"Id": 6, "OutstackConditionIds": [], "Marks": []}]},
                {"Contests": [{"Id": 5, "OutstackConditionIds": [], "Marks": []}]},
            ],
        ),
    ]
    records = read_source(_dominion(tmp_path, sessions), _CODES)
    # CvrExport_10.json sorts before CvrExport_9.json, as in RCTab
    assert [r.id for r in records] == ["3-4-4", "3-4-1"]
    last = records[1]
    assert last.rankings == ((1, ("Bob",)), (2, (UNDECLARED_WRITE_IN,)))
    assert (last.precinct, last.precinct_portion, last.tabulator, last.batch) == (
        "Precinct 2",
        "Portion 1",
        "3",
        "4",
    )
    assert last.supplied_id == "1"


@pytest.mark.parametrize(
    ("sessions", "skip", "message"),
    [
        ([_session(1, [_mark(10, 1)])], {"ContestManifest": True}, r"export/ContestManifest\.json"),
        ([_session(1, [_mark(10, 4)])], {}, r"Marks\[0\]\.Rank: expected a rank from 1 to 3"),
        ([_session(1, [_mark(20, 1)])], {}, r"candidate 'Carol' is not a candidate of contest"),
        ([_session(1, [_mark(12, 1)])], {}, r"export: 1 unrecognized candidate name: '12'"),
        ([_session(1, [], PrecinctId=8)], {}, r"Original\.PrecinctId: 8 is not in the folder"),
        ([_session(1, [], Contests=[])], {}, r"export: no cast vote record holds contest '5'"),
    ],
)
def test_dominion_refusals(tmp_path: Path, sessions: Any, skip: Any, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        read_source(_dominion(tmp_path, sessions, **skip), _CODES)


def test_dominion_refuses_malformed_export(tmp_path: Path) -> None:
    source = _dominion(tmp_path, [_session(1, [_mark(10, 1)])])
    (source.path / "CvrExport_9.json").write_text('{"Sessions": [}')
    with pytest.raises(InvalidBallotData, match=r"CvrExport_9\.json line 1 column 15: not JSON"):
        read_source(source, _CODES)


# --- Hart ---------------------------------------------------------------------------------


def _hart_file(guid: str, options: str, contest: str = "k1") -> str:
    return (
        '\ufeff<?xml version="1.0" encoding="utf-8"?>'
        '<Cvr xmlns="http://tempuri.org/CVRDesign.xsd"><Contests>'
        f"<Contest><Name>Mayor</Name><Id>{contest}</Id><Options>{options}</Options></Contest>"
        "</Contests><PrecinctSplit><Name>10-1</Name><Id>ps-1</Id></PrecinctSplit>"
        f"<BatchNumber>2</BatchNumber><CvrGuid>{guid}</CvrGuid></Cvr>"
    )


def _option(code: str, value: str) -> str:
    return f"<Option><Id>{code}</Id><Value>{value}</Value></Option>"


def test_hart_folder_values_and_write_ins(tmp_path: Path) -> None:
    folder = tmp_path / "hart"
    folder.mkdir()
    (folder / "b.xml").write_text(_hart_file("g-b", _option("10", "01") + _option("w", "1")))
    (folder / "a.xml").write_text(_hart_file("g-a", _option("11", "100")))
    (folder / "a.xml.sig.xml").write_text("<not a cvr")
    (folder / "c.xml").write_text(_hart_file("g-c", _option("10", "1"), contest="k2"))
    source = CvrSource(provider="hart", path=folder, contest_id="k1", undeclared_write_in_label="w")
    records = read_source(source, _CODES)
    assert [r.id for r in records] == ["g-a", "g-b"]
    assert records[1].rankings == ((1, (UNDECLARED_WRITE_IN,)), (2, ("Alice",)))
    assert (records[0].precinct, records[0].precinct_portion, records[0].batch) == (
        "10-1",
        "ps-1",
        "2",
    )


def test_hart_refusals(tmp_path: Path) -> None:
    folder = tmp_path / "hart"
    source = CvrSource(provider="hart", path=folder, contest_id="k1")
    with pytest.raises(InvalidBallotData, match=r"hart: expected a folder of Hart XML files"):
        read_source(source, _CODES)
    folder.mkdir()
    (folder / "a.xml").write_text('<!DOCTYPE x SYSTEM "http://example.org/x.dtd"><Cvr/>')
    with pytest.raises(InvalidBallotData, match=r"a\.xml line 1: a DOCTYPE or ENTITY decl"):
        read_source(source, _CODES)
    (folder / "a.xml").write_text(_hart_file("g", "<Option><Id>10</Id></Option>"))
    with pytest.raises(InvalidBallotData, match=r"Option\[0\]: expected an Id and a Value"):
        read_source(source, _CODES)
