"""The results of an election as a NIST SP 1500-100 version 2 election results report (JSON).

One ``ElectionReport`` for the whole election: a ``ReportingUnit`` for the election's scope
(registered voters = credentials, participated = ballots counted), the ``Election`` with its
``BallotCounts``, one contest per contest of the manifest (``CandidateContest`` for plurality
and approval, and for a ranked contest (``rcv``: its first preferences as the total, and a
``VoteCounts`` per round or stage with its ``Round``), ``PartyContest`` with seats as
``VoteCounts`` of type ``seats`` for party lists, ``BallotMeasureContest`` for a
referendum), blanks as ``OtherCounts.Undervotes``, and
``Candidate`` and ``Party`` records. It validates against the schema NIST publishes
(``NIST_V2_election_results_reporting.json``); the tests check it with jsonschema.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from suffrage.protocol.manifest import ContestKind
from suffrage.reports.results import ContestResults, ElectionResults
from suffrage.reports.results_text import percent

__all__ = ["results_nist"]

_SCOPE = "gp-election"


def _text(content: str, language: str) -> dict[str, Any]:
    return {
        "@type": "ElectionResults.InternationalizedText",
        "Text": [
            {"@type": "ElectionResults.LanguageString", "Content": content, "Language": language}
        ],
    }


def _id(*parts: str) -> str:
    """An identifier (an XML NCName: letters, digits, ``-``, ``_``, ``.``) from ``parts``."""
    return "-".join(re.sub(r"[^A-Za-z0-9_.-]", "_", p) for p in parts)


def _votes(count: int, *, seats: int | None = None) -> list[dict[str, Any]]:
    counts: list[dict[str, Any]] = [
        {"@type": "ElectionResults.VoteCounts", "Count": count, "GpUnitId": _SCOPE, "Type": "total"}
    ]
    if seats is not None:
        counts.append(
            {
                "@type": "ElectionResults.VoteCounts",
                "Count": seats,
                "GpUnitId": _SCOPE,
                "Type": "seats",
            }
        )
    return counts


def _rounds(contest: ContestResults, option_id: str) -> list[dict[str, Any]]:
    """An option's votes in each round or stage of a ranked count (NIST's ``Round``), as
    long as it stands in the count; none for another kind."""
    if not contest.is_ranked:
        return []
    counts = []
    for stage in contest.count.trail.stages:
        value = stage.values.get(option_id)
        if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
            continue
        counts.append(
            {
                "@type": "ElectionResults.VoteCounts",
                "Count": value if isinstance(value, int) else float(value),
                "GpUnitId": _SCOPE,
                "Round": stage.number,
                "Type": "total",
            }
        )
    return counts


def _other_counts(contest: ContestResults) -> list[dict[str, Any]]:
    if contest.blank is None:
        return []
    return [
        {"@type": "ElectionResults.OtherCounts", "GpUnitId": _SCOPE, "Undervotes": contest.blank}
    ]


def _base(contest: ContestResults, kind: str) -> dict[str, Any]:
    value: dict[str, Any] = {
        "@type": f"ElectionResults.{kind}",
        "@id": _id("contest", contest.contest_id),
        "Name": contest.title,
        "ElectionDistrictId": _SCOPE,
    }
    others = _other_counts(contest)
    if others:
        value["OtherCounts"] = others
    return value


def _candidate_contest(
    contest: ContestResults, language: str, parties: dict[str, str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    candidates, selections = [], []
    for order, o in enumerate(contest.options, start=1):
        ident = _id("cand", contest.contest_id, o.option_id)
        record: dict[str, Any] = {
            "@type": "ElectionResults.Candidate",
            "@id": ident,
            "BallotName": _text(o.name, language),
            "PostElectionStatus": "winner" if o.elected else "defeated",
        }
        if o.party:
            record["PartyId"] = parties[o.party]
        candidates.append(record)
        selections.append(
            {
                "@type": "ElectionResults.CandidateSelection",
                "@id": _id("sel", contest.contest_id, o.option_id),
                "CandidateIds": [ident],
                "SequenceOrder": order,
                "VoteCounts": _votes(o.votes) + _rounds(contest, o.option_id),
            }
        )
    every = contest.kind is ContestKind.APPROVAL or contest.is_ranked
    allowed = len(contest.options) if every else contest.votes_allowed or 1
    value = _base(contest, "CandidateContest")
    value |= {
        "VotesAllowed": allowed,
        "NumberElected": contest.seats,
        "ContestSelection": selections,
    }
    value["VoteVariation"] = (
        "rcv"
        if contest.is_ranked
        else "approval"
        if contest.kind is ContestKind.APPROVAL
        else "n-of-m"
        if allowed > 1
        else "plurality"
    )
    return value, candidates


def _party_contest(
    contest: ContestResults, language: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    parties, selections = [], []
    for order, o in enumerate(contest.options, start=1):
        ident = _id("party", contest.contest_id, o.option_id)
        parties.append(
            {"@type": "ElectionResults.Party", "@id": ident, "Name": _text(o.name, language)}
        )
        selections.append(
            {
                "@type": "ElectionResults.PartySelection",
                "@id": _id("sel", contest.contest_id, o.option_id),
                "PartyIds": [ident],
                "SequenceOrder": order,
                "VoteCounts": _votes(o.votes, seats=o.seats),
            }
        )
    value = _base(contest, "PartyContest")
    value |= {"VoteVariation": "proportional", "ContestSelection": selections}
    return value, parties


def _measure_contest(contest: ContestResults, language: str) -> dict[str, Any]:
    value = _base(contest, "BallotMeasureContest")
    value["Type"] = "referendum"
    majority = next((r for r in contest.rules if r.kind == "majority"), None)
    if majority is not None:
        words = "more than" if majority.strict else "at least"
        value["PassageThreshold"] = _text(
            f"{words} {majority.share.numerator}/{majority.share.denominator} of the yes and no "
            f"votes ({percent(majority.share)}%)",
            "en",
        )
    value["ContestSelection"] = [
        {
            "@type": "ElectionResults.BallotMeasureSelection",
            "@id": _id("sel", contest.contest_id, o.option_id),
            "Selection": _text(o.name, language),
            "SequenceOrder": order,
            "VoteCounts": _votes(o.votes),
        }
        for order, o in enumerate(contest.options, start=1)
    ]
    return value


def _candidate_parties(results: ElectionResults) -> dict[str, str]:
    """The parties of candidates (not lists), each once, by name: name -> id."""
    names = sorted(
        {o.party for c in results.contests if not c.is_party_list for o in c.options if o.party}
    )
    return {name: f"party-{i}" for i, name in enumerate(names, start=1)}


def results_nist(
    results: ElectionResults, *, generated: str, issuer: str, issuer_abbreviation: str
) -> str:
    """The report as NIST SP 1500-100 v2 JSON. ``generated`` is the moment of the report
    (``YYYY-MM-DDTHH:MM:SSZ``: the library reads no clock); ``issuer`` the body that
    publishes it. Status is ``unofficial-complete``: certification is for officials to add."""
    lang = results.language
    parties = _candidate_parties(results)
    party_records = [
        {"@type": "ElectionResults.Party", "@id": ident, "Name": _text(name, lang)}
        for name, ident in parties.items()
    ]
    contests: list[dict[str, Any]] = []
    candidates: list[dict[str, Any]] = []
    for c in results.contests:
        if c.kind is ContestKind.REFERENDUM:
            contests.append(_measure_contest(c, lang))
        elif c.is_party_list:
            contest, lists = _party_contest(c, lang)
            contests.append(contest)
            party_records += lists
        else:
            contest, people = _candidate_contest(c, lang, parties)
            contests.append(contest)
            candidates += people
    election: dict[str, Any] = {
        "@type": "ElectionResults.Election",
        "Name": _text(results.title, lang),
        "StartDate": results.start[:10],
        "EndDate": results.end[:10],
        "Type": "general",
        "ElectionScopeId": _SCOPE,
        "BallotCounts": [
            {
                "@type": "ElectionResults.BallotCounts",
                "GpUnitId": _SCOPE,
                "Type": "total",
                "BallotsCast": results.counted,
                "BallotsRejected": results.invalid,
            }
        ],
        "Contest": contests,
    }
    if candidates:
        election["Candidate"] = candidates
    report: dict[str, Any] = {
        "@type": "ElectionResults.ElectionReport",
        "Format": "summary-contest",
        "GeneratedDate": generated,
        "Issuer": issuer,
        "IssuerAbbreviation": issuer_abbreviation,
        "SequenceStart": 1,
        "SequenceEnd": 1,
        "Status": "unofficial-complete",
        "VendorApplicationId": "suffrage",
        "Notes": f"Election {results.election_id}; base hash {results.base_hash}; "
        f"check it with: suffrage verify RECORD",
        "GpUnit": [
            {
                "@type": "ElectionResults.ReportingUnit",
                "@id": _SCOPE,
                "Type": "other",
                "OtherType": "election",
                "Name": _text(results.title, lang),
                "VotersRegistered": results.eligible,
                "VotersParticipated": results.counted,
            }
        ],
        "Election": [election],
    }
    if party_records:
        report["Party"] = party_records
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
