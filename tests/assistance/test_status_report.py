"""Status reports and the impartiality view (spec/assistance.md#11): the figures of a small
hand-built registry (every count, median and share), the regional groups of the 193 Member
States, the six languages in every format, CSV formula injection, a liaison's report, the
PDF in Arabic and Chinese, and the published report's head check against a rewritten
history. Storage tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from html import escape
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from assistance.kit import PASSWORD
from assistance.status_kit import END, START, Hand, build
from suffrage.assistance.access import NotPermitted
from suffrage.assistance.domain import Authority, Kind, Outcome, Request, State
from suffrage.assistance.history import Entry, check_chain, entry_hash
from suffrage.assistance.regions import STATES, Group, check_member_state, group_of
from suffrage.assistance.service import Registry
from suffrage.assistance.status_json import (
    Published,
    canonical,
    report_from_document,
)
from suffrage.assistance.status_render import report_csv, report_html, report_pdf, safe_cell
from suffrage.assistance.status_report import StatusReport, spread, status_report
from suffrage.assistance.storage import history_entries
from suffrage.cli.main import app
from suffrage.errors import InvalidInput, StorageError, VerificationFailed
from suffrage.i18n import LANGUAGES, Catalog, catalog


@pytest.fixture
def hand(registry_url: str) -> Iterator[Hand]:
    made = build(registry_url)
    yield made
    made.registry.store.close()


def _given(report: StatusReport, group: Group) -> dict[str, int]:
    return {s.value: n for s, n in report.given_by_group[group].counts.items()}


def test_the_figures_of_a_hand_built_registry(hand: Hand) -> None:
    report = hand.registry.status_report(hand.staff, START, END)
    assert report.received == 5  # A, B, C, D, E: not F (before) nor G (after)
    assert dict(report.received_by_group) == {
        Group.AFRICAN: 2,
        Group.ASIA_PACIFIC: 2,
        Group.EASTERN_EUROPEAN: 0,
        Group.LATIN_AMERICAN_CARIBBEAN: 1,
        Group.WESTERN_EUROPEAN_OTHER: 0,
        Group.OTHER: 0,
    }
    assert report.received_by_kind[Kind.TECHNICAL_ASSISTANCE] == 5
    assert report.received_by_kind[Kind.EXPERT_PANEL] == 1
    assert report.received_by_kind[Kind.ELECTION_SITUATION_ROOM] == 0
    assert {s.value: n for s, n in report.status_at_end.items() if n} == {
        "closed": 2,
        "under_way": 1,
        "assessment_planned": 1,
        "received": 1,
    }
    # given: A (closed in the period), B and F (under way); C was declined
    assert _given(report, Group.ASIA_PACIFIC) == {"decided": 0, "under_way": 2, "closed": 1}
    assert report.given_by_group[Group.ASIA_PACIFIC].total == 3
    assert report.given_by_group[Group.AFRICAN].total == 0
    tech = report.given_by_kind[Kind.TECHNICAL_ASSISTANCE].counts
    assert (tech[State.UNDER_WAY], tech[State.CLOSED]) == (2, 1)
    assert report.given_by_kind[Kind.EXPERT_PANEL].counts[State.UNDER_WAY] == 1


def test_the_impartiality_view_side_by_side(hand: Hand) -> None:
    report = hand.registry.status_report(hand.focal, START, END)
    view = {r.group: r for r in report.impartiality}
    assert [r.group for r in report.impartiality] == list(Group)  # every group, even empty
    asia = view[Group.ASIA_PACIFIC]  # A: 10 and 20 days; B: 20 and 30
    assert (asia.received, asia.to_assessment.count, asia.to_assessment.median) == (2, 2, 15.0)
    assert (asia.to_assessment.low, asia.to_assessment.high) == (10, 20)
    assert (asia.to_decision.median, asia.to_decision.low, asia.to_decision.high) == (25.0, 20, 30)
    assert asia.to_assessment.few
    assert asia.to_decision.few
    assert asia.outcomes == {
        Outcome.ASSIST: 1,
        Outcome.ASSIST_WITH_CONDITIONS: 1,
        Outcome.DECLINE: 0,
    }
    assert (asia.share(Outcome.ASSIST), asia.share(Outcome.DECLINE), asia.waiting) == (0.5, 0.0, 0)
    africa = view[Group.AFRICAN]  # C: 20 and 30 days, declined; D still waiting
    assert (africa.received, africa.to_assessment.median, africa.to_decision.median) == (2, 20, 30)
    assert (africa.share(Outcome.DECLINE), africa.waiting) == (1.0, 1)
    latin = view[Group.LATIN_AMERICAN_CARIBBEAN]
    assert (latin.received, latin.decided, latin.waiting, latin.share(Outcome.ASSIST)) == (
        1,
        0,
        1,
        None,
    )
    assert latin.to_decision.median is None
    html = report_html(report, "en")
    assert "15 (only 2)" in html
    assert "10 to 20" in html
    assert "1 (50.0 %)" in html


def test_the_status_at_the_end_of_an_earlier_period(hand: Hand) -> None:
    """At the end of January, A is decided (not started): assistance decided, not yet given."""
    report = hand.registry.status_report(hand.staff, START, date(2026, 1, 31))
    assert report.received == 2
    assert report.status_at_end[State.DECIDED] == 1  # A, decided on 25 January
    assert report.status_at_end[State.ASSESSED] == 1  # B, assessed on 30 January
    assert _given(report, Group.ASIA_PACIFIC) == {"decided": 1, "under_way": 1, "closed": 0}
    asia = report.impartiality[1]
    assert (asia.to_decision.count, asia.waiting) == (1, 1)


def test_assistance_closed_before_the_period_is_not_given_in_it(hand: Hand) -> None:
    """From 5 March: A was closed on 1 March, so it is not assistance given in the period;
    B and F are still under way; C (closed on 10 March) was declined."""
    report = hand.registry.status_report(hand.staff, date(2026, 3, 5), END)
    assert report.received == 0
    assert _given(report, Group.ASIA_PACIFIC) == {"decided": 0, "under_way": 2, "closed": 0}
    assert report.given_by_group[Group.AFRICAN].total == 0


def test_a_request_outside_the_member_states_is_counted_in_no_group(hand: Hand) -> None:
    """A mandate may concern an observer State or a territory: its request is counted under
    "other", and recorded on 2 July it still counts as received in March."""
    request = Request(
        authority=Authority.GENERAL_ASSEMBLY,
        mandate="A/RES/00/000 (fictional)",
        country="PSE",
        received_on=date(2026, 3, 2),
        elections=("general election",),
        kinds=(Kind.TECHNICAL_ASSISTANCE,),
    )
    hand.registry.new_request(hand.staff, request)
    report = hand.registry.status_report(hand.staff, START, END)
    assert (report.received, report.received_by_group[Group.OTHER]) == (6, 1)
    other = report.impartiality[-1]
    assert (other.group, other.received, other.waiting) == (Group.OTHER, 1, 1)
    assert report.status_at_end[State.RECEIVED] == 2


def test_a_period_that_ends_before_it_starts_is_refused(hand: Hand) -> None:
    with pytest.raises(InvalidInput, match="2026-01-01 is before the start of the period"):
        hand.registry.status_report(hand.staff, date(2026, 2, 1), date(2026, 1, 1))


def test_a_median_over_three_or_more_is_not_flagged() -> None:
    assert (spread([30, 10, 20]).median, spread([30, 10, 20]).few) == (20.0, False)
    assert (spread([10, 20]).median, spread([10, 20]).few) == (15.0, True)
    assert (spread([]).median, spread([]).few) == (None, False)


def test_a_liaison_gets_its_own_states_report_and_the_public_only_published_ones(
    hand: Hand,
) -> None:
    mine = hand.registry.status_report(hand.liaison, START, END)
    assert mine.scope == "NPL"
    assert mine.received == 1  # A only: FJI, MWI, TUN and BOL are other States'
    assert mine.received_by_group[Group.ASIA_PACIFIC] == 1
    assert mine.given_by_group[Group.ASIA_PACIFIC].total == 2  # A and F, both Nepal's
    assert sum(r.received for r in mine.impartiality) == 1
    assert "Nepal (NPL) only" in report_html(mine, "en")
    with pytest.raises(NotPermitted, match=r"Anyone \(public\) may read only the published"):
        hand.registry.status_report(hand.public, START, END)
    with pytest.raises(NotPermitted, match=r"only the focal point .* publishes them"):
        hand.registry.publish_report(hand.staff, START, END)
    done = hand.registry.publish_report(hand.focal, START, END)
    seen = hand.registry.published(hand.public)
    assert [p.report_id for p in seen] == [done.report_id]
    now = hand.registry.status_report(hand.staff, START, END)
    assert seen[0].report == replace(
        now, head_sequence=now.head_sequence - 1, head_hash=done.report.head_hash
    )
    assert now.head_sequence == done.report.head_sequence + 1  # the publication's own entry


def test_the_regions_cover_the_193_member_states_each_once() -> None:
    assert len(STATES) == 193
    counts = Counter(group for _, group in STATES.values())
    assert counts == {
        Group.AFRICAN: 54,
        Group.ASIA_PACIFIC: 54,  # with Kiribati; Türkiye counted in WEOG
        Group.EASTERN_EUROPEAN: 23,
        Group.LATIN_AMERICAN_CARIBBEAN: 33,
        Group.WESTERN_EUROPEAN_OTHER: 29,  # with the United States, an observer
    }
    assert all(len(c) == 3 and c.isupper() for c in STATES)
    assert len({name for name, _ in STATES.values()}) == 193
    weog, asia = Group.WESTERN_EUROPEAN_OTHER, Group.ASIA_PACIFIC
    for code, group in (("TUR", weog), ("ISR", weog), ("USA", weog), ("KIR", asia), ("CYP", asia)):
        assert group_of(code) is group
    assert group_of("PSE") is Group.OTHER  # an observer State: counted, in no group
    with pytest.raises(InvalidInput, match="'PSE' is not the ISO 3166-1 alpha-3 code of a Member"):
        check_member_state("PSE")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_renders_in_every_text_format(hand: Hand, language: str) -> None:
    report = hand.registry.status_report(hand.staff, START, END)
    t = catalog("status", language, "suffrage.assistance")
    html = report_html(report, language)
    direction = "rtl" if language == "ar" else "ltr"
    assert html.startswith(f'<!DOCTYPE html><html lang="{language}" dir="{direction}">')
    assert escape(t("section.impartiality")) in html
    assert escape(t("group.african")) in html
    assert html.count("<caption") == html.count("<table>") == 7
    assert 'scope="col"' in html
    assert 'scope="row"' in html
    assert "<script" not in html
    assert t("caption.times") in report_csv(report, language)
    as_json = json.loads(hand_json(report, language))
    assert as_json["labels"]["groups"]["african"] == t("group.african")
    assert report_from_document(json.loads(canonical(report))) == report


def hand_json(report: StatusReport, language: str) -> str:
    from suffrage.assistance.status_json import report_json

    return report_json(report, language, Published(at="2026-04-01T09:00:00+00:00", sha256="ab"))


def test_status_catalogs_have_the_same_keys_and_placeholders() -> None:
    english = catalog("status", "en", "suffrage.assistance").strings
    for language in LANGUAGES:
        strings = catalog("status", language, "suffrage.assistance").strings
        assert set(strings) == set(english), language
        assert all(v.strip() for v in strings.values()), language
        for key, value in strings.items():
            holes = set(re.findall(r"\{(\w+)\}", english[key]))
            assert set(re.findall(r"\{(\w+)\}", value)) == holes, (language, key)


def test_a_csv_cell_that_starts_a_formula_is_prefixed(monkeypatch: pytest.MonkeyPatch) -> None:
    for cell in ("=1+1", "+1", "-2", "@SUM(A1)", "\t=x"):
        assert safe_cell(cell) == "'" + cell
    assert safe_cell("12") == "12"
    assert safe_cell("a=b") == "a=b"
    english = catalog("status", "en", "suffrage.assistance").strings
    evil = {k: ("=HYPERLINK(1)" if k in ("period", "col.group", "group.african") else v)
            for k, v in english.items()}  # fmt: skip
    monkeypatch.setattr(
        "suffrage.assistance.status_render.catalog",
        lambda *_: Catalog("status", "en", evil),
    )
    report = status_report([], [], start=START, end=END)  # every count 0, every group
    lines = report_csv(report, "en").splitlines()
    assert lines[0].startswith("'=HYPERLINK(1),")
    assert "'=HYPERLINK(1),'=HYPERLINK(1)" not in lines  # headings and groups, each prefixed
    assert any(line.startswith("'=HYPERLINK(1),0") for line in lines)
    assert not any(line.startswith("=") for line in lines)


def _pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


@pytest.mark.parametrize("language", ["ar", "zh"])
def test_the_pdf_is_made_in_arabic_and_chinese(hand: Hand, language: str) -> None:
    report = hand.registry.status_report(hand.staff, START, END)
    data = report_pdf(report, language)
    assert data.startswith(b"%PDF")
    assert len(data) > 10_000
    t = catalog("status", language, "suffrage.assistance")
    words = _pdf_text(data)
    words = "".join(words.split())
    heading = t("section.impartiality") if language == "zh" else t("section.received")
    assert "".join(heading.split()) in words
    if language == "ar":
        # Shaped by HarfBuzz: lam + alef became the lam-alef ligature, which pdfium gives back
        # as "ال" + "ا" reversed (الانتخابية -> االنتخابية); unshaped text keeps "الا".
        assert "االنتخابية" in words
        assert "الانتخابية" not in words


def _drop_guards(registry: Registry) -> None:
    with registry.store.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            for op in ("update", "delete"):
                conn.execute(text(f"DROP TRIGGER assist_history_no_{op}"))
        else:
            conn.execute(text("DROP TRIGGER assist_history_append_only ON assist_history"))


def _rewrite_from(registry: Registry, sequence: int, actor: str) -> None:
    """Edit entry ``sequence`` and recompute every hash from there on: the chain holds."""
    with registry.store.engine.connect() as conn:
        entries = list(history_entries(conn))
    previous = entries[sequence - 2].hash
    with registry.store.engine.begin() as conn:
        for entry in entries[sequence - 1 :]:
            fields = {k: getattr(entry, k) for k in Entry.__slots__}
            if entry.sequence == sequence:
                fields["actor"] = actor
            forged = Entry(**{**fields, "previous": previous, "hash": b""})
            previous = entry_hash(forged)
            conn.execute(
                text("UPDATE assist_history SET actor = :a, previous = :p, hash = :h "
                     "WHERE sequence = :s"),
                {"a": fields["actor"], "p": forged.previous, "h": previous, "s": entry.sequence},
            )  # fmt: skip


def test_a_rewritten_history_is_caught_by_the_published_head(hand: Hand) -> None:
    done = hand.registry.publish_report(hand.focal, START, END)
    head = done.report.head_sequence
    assert hand.registry.check_published(hand.focal) == 1
    _drop_guards(hand.registry)
    _rewrite_from(hand.registry, head - 3, "Someone Else")
    with hand.registry.store.engine.connect() as conn:
        assert check_chain(history_entries(conn)) == head + 1  # the chain alone holds
    with pytest.raises(
        VerificationFailed,
        match=rf"published status report 1: entry {head}, the head it was made from, had hash "
        rf"{done.report.head_hash}; the history now holds [0-9a-f]{{64}} there",
    ):
        hand.registry.check_published(hand.focal)


def test_a_cut_history_and_an_edited_publication_are_caught(hand: Hand) -> None:
    done = hand.registry.publish_report(hand.focal, START, END)
    head = done.report.head_sequence
    with pytest.raises(StorageError, match="append-only"), hand.registry.store.writing() as conn:
        conn.execute(text("UPDATE assist_reports SET sha256 = 'x'"))
    _drop_guards(hand.registry)
    with hand.registry.store.engine.begin() as conn:
        conn.execute(text("DELETE FROM assist_history WHERE sequence >= :s"), {"s": head})
    with pytest.raises(
        VerificationFailed, match=rf"history up to entry {head}, but the history now ends at entry"
    ):
        hand.registry.check_published(hand.focal)


def test_the_cli_makes_publishes_renders_and_checks(
    hand: Hand, registry_url: str, tmp_path: Path
) -> None:
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    runner = CliRunner(env={"SUFFRAGE_ASSIST_PASSWORD": None, "SUFFRAGE_ASSIST_TOKEN": None})

    def go(*args: str, user: str | None = "Focal Point", code: int = 0) -> str:
        who = ["--user", user, "--password-file", str(tmp_path / "pw")] if user else []
        result = runner.invoke(app, ["assist", "--db", registry_url, *who, "report", *args])
        assert result.exit_code == code, (args, result.output)
        return result.output

    period = ["--from", "2026-01-01", "--to", "2026-03-31"]
    out = go(*period, "--format", "json")
    assert json.loads(out)["received"]["total"] == 5
    go(*period, "--language", "fr", "--out", str(tmp_path / "r.html"))
    assert 'lang="fr"' in (tmp_path / "r.html").read_text("utf-8")
    assert "already exists" in go(*period, "--out", str(tmp_path / "r.html"), code=2)
    assert "a PDF is written to a file" in go(*period, "--format", "pdf", code=2)
    assert "status report 1 published" in go("publish", *period)
    assert "published reports hold: 1 checked" in go("check")
    listed = go("published", user=None)  # the public
    assert listed.startswith("1  2026-01-01 to 2026-03-31  published")
    shown = json.loads(go("published", "--id", "1", "--format", "json", user=None))
    assert shown["received"]["total"] == 5
    assert shown["published"]["sha256"]
    assert "may read only the published" in go(*period, user=None, code=2)
