"""The election manifest (spec/record-format.md#manifest)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from suffrage.errors import InvalidManifest, UnsupportedOperation
from suffrage.protocol.manifest import (
    MANIFEST_SCHEMA,
    SPEC_VERSION,
    ContestKind,
    ListMethod,
    LocalizedText,
    RankedMethod,
    fraction_text,
    is_rtl,
    load_manifest_text,
    load_sample_manifest,
    manifest_to_dict,
    parse_manifest,
    validate_manifest,
)
from suffrage.record.canonical import canonical_bytes, parse_canonical

# Contests of the sample, by index: 0 mayor (plurality 1 of 4), 1 school-board-north
# (plurality 2 of 5), 2 participatory-budget (approval), 3 charter-assembly (referendum),
# 4 city-council (party list), 5 south-representative (ranked IRV).
SAMPLE = manifest_to_dict(load_sample_manifest())


def sample() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE)


# --- the sample -----------------------------------------------------------------------------


def test_sample_parses_and_round_trips() -> None:
    manifest = load_sample_manifest()
    data = manifest_to_dict(manifest)
    assert parse_manifest(data) == manifest
    assert manifest_to_dict(parse_manifest(data)) == data
    assert load_manifest_text(json.dumps(data, ensure_ascii=False), fmt="json") == manifest
    assert validate_manifest(data) == []


def test_sample_is_accepted_by_the_schema_alone() -> None:
    Draft202012Validator.check_schema(MANIFEST_SCHEMA)
    assert list(Draft202012Validator(MANIFEST_SCHEMA).iter_errors(SAMPLE)) == []


def test_sample_has_canonical_json() -> None:
    data = canonical_bytes(SAMPLE)
    assert parse_manifest(parse_canonical(data, field="manifest.json")) == load_sample_manifest()


def test_sample_covers_every_kind_in_the_six_un_languages() -> None:
    m = load_sample_manifest()
    assert m.spec_version == SPEC_VERSION
    assert set(m.languages) == {"ar", "zh", "en", "fr", "ru", "es"}
    assert m.default_language == "en"
    shapes = [(c.kind, c.votes_allowed, c.seats, len(c.options)) for c in m.contests]
    assert (ContestKind.PLURALITY, 1, 1, 4) in shapes
    assert (ContestKind.PLURALITY, 2, 2, 5) in shapes
    referendum = next(c for c in m.contests if c.kind is ContestKind.REFERENDUM)
    assert (referendum.quorum, referendum.supermajority) == (Fraction(1, 4), Fraction(2, 3))
    assert referendum.option_ids == ("yes", "no")
    party_list = next(c for c in m.contests if c.kind is ContestKind.PARTY_LIST)
    assert party_list.method is ListMethod.DHONDT
    assert (party_list.threshold, party_list.seats, len(party_list.options)) == (
        Fraction(1, 20),
        7,
        5,
    )
    ranked = next(c for c in m.contests if c.kind is ContestKind.RANKED)
    assert ranked.method is RankedMethod.IRV
    assert any(c.kind is ContestKind.APPROVAL for c in m.contests)
    assert [s.districts for s in m.ballot_styles] == [("north",), ("south",)]
    assert m.title["ar"] == "الانتخابات البلدية العامة، 4 مايو 2025"
    assert is_rtl("ar")
    assert not is_rtl("zh")


def test_selection_limits_and_homomorphic_kinds() -> None:
    m = load_sample_manifest()
    limits = {c.contest_id: (c.selection_limit, c.is_homomorphic) for c in m.contests}
    assert limits == {
        "mayor": (1, True),
        "school-board-north": (2, True),
        "participatory-budget": (4, True),
        "charter-assembly": (1, True),
        "city-council": (1, True),
        "south-representative": (4, False),
        "north-district-council": (6, False),
    }


def test_ranked_contests_refuse_a_homomorphic_tally() -> None:
    m = load_sample_manifest()
    m.contest("mayor").require_homomorphic()
    with pytest.raises(UnsupportedOperation, match=r"'south-representative' is ranked.*mix-net"):
        m.contest("south-representative").require_homomorphic()


def test_ballot_styles_by_district() -> None:
    m = load_sample_manifest()
    south = m.ballot_style_for("south")
    assert south.style_id == "south"
    assert [c.contest_id for c in m.contests_of(south)][2] == "south-representative"
    assert "south-representative" not in m.ballot_style_for("north").contest_ids
    with pytest.raises(KeyError):
        m.ballot_style_for("east")
    assert m.start_time.utcoffset() is not None
    assert m.start_time < m.end_time


def test_localized_text_equality_ignores_construction_order() -> None:
    one = LocalizedText.of({"fr": "Maire", "en": "Mayor"})
    two = LocalizedText.of({"en": "Mayor", "fr": "Maire"})
    assert one == two
    assert one.languages == ("en", "fr")
    assert one["fr"] == "Maire"


# --- malformed manifests, each refused with the field named --------------------------------


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting ``path`` (dots and [i]) to ``value``; ``value=...`` deletes."""

    def mutate(data: dict[str, Any]) -> None:
        steps: list[Any] = [
            int(s) if s.isdigit() else s for s in path.replace("[", ".").replace("]", "").split(".")
        ]
        node: Any = data
        for step in steps[:-1]:
            node = node[step]
        if value is ...:
            del node[steps[-1]]
        else:
            node[steps[-1]] = value

    return mutate


def _call(fn: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        fn(data)

    return mutate


YES = {"option_id": "abstain", "name": dict.fromkeys(["en", "ar", "zh", "fr", "ru", "es"], "X")}

MALFORMED: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("missing translation", _set("contests[2].options[0].name.fr", ...),
     "contests[2].options[0].name.fr", "missing the translation into 'fr'"),
    ("translation into another language", _set("title.de", "Kommunalwahl"),
     "title.de", "'de' is not a language of the election"),
    ("unsupported text language", _set("title.xx", "?"), "title.xx", "not a supported language"),
    ("unsupported election language", _call(lambda d: d["languages"].append("xx")),
     "languages[6]", "'xx' is not a supported language tag"),
    ("repeated language", _call(lambda d: d["languages"].append("fr")),
     "languages", "must not repeat"),
    ("blank text", _set("title.en", "   "), "title.en", "must not be blank"),
    ("empty text", _set("title.en", ""), "title.en", "must not be empty"),
    ("text with a newline", _set("contests[0].title.en", "Mayor\nof the city"),
     "contests[0].title.en", "control characters"),
    ("text not in NFC", _set("title.fr", "E\u0301lections"), "title.fr", "NFC"),
    ("unknown kind", _set("contests[0].kind", "borda"), "contests[0].kind",
     "'borda' is not one of"),
    ("N > M", _set("contests[1].votes_allowed", 6), "contests[1].votes_allowed",
     "6 votes allowed but 5 options"),
    ("more votes than seats", _set("contests[1].votes_allowed", 3),
     "contests[1].votes_allowed", "3 votes allowed but 2 seats"),
    ("more seats than candidates", _set("contests[1].seats", 6), "contests[1].seats",
     "6 seats but 5 options"),
    ("approval seats beyond options", _set("contests[2].seats", 5), "contests[2].seats",
     "5 seats but 4 options"),
    ("no seats", _set("contests[0].seats", 0), "contests[0].seats", "must be at least 1"),
    ("boolean for an integer", _set("contests[0].votes_allowed", True),
     "contests[0].votes_allowed", "must be an integer, not true or false"),
    ("float for an integer", _set("contests[0].votes_allowed", 1.0),
     "contests[0].votes_allowed", "must be an integer, not a floating-point number"),
    ("duplicate contest id", _set("contests[5].contest_id", "mayor"),
     "contests[5].contest_id", "repeats 'mayor', already at contests[0].contest_id"),
    ("duplicate option id", _set("contests[0].options[1].option_id", "amina-haddad"),
     "contests[0].options[1].option_id", "repeats 'amina-haddad'"),
    ("bad id", _set("election_id", "Sample 2025"), "election_id", "must be 1 to 64 characters"),
    ("style references unknown contest", _set("ballot_styles[0].contest_ids[0]", "governor"),
     "ballot_styles[0].contest_ids[0]", "no contest has the id 'governor'"),
    ("contest on no ballot style", _call(lambda d: d["ballot_styles"][1]["contest_ids"].remove(
        "south-representative")), "contests[5].contest_id", "on no ballot style"),
    ("contest twice on a style", _call(lambda d: d["ballot_styles"][0]["contest_ids"].append(
        "mayor")), "ballot_styles[0].contest_ids[6]", "repeats 'mayor'"),
    ("district on two styles", _set("ballot_styles[1].districts", ["south", "north"]),
     "ballot_styles[1].districts[1]", "repeats 'north'"),
    ("duplicate style id", _set("ballot_styles[1].style_id", "north"),
     "ballot_styles[1].style_id", "repeats 'north'"),
    ("impossible date", _set("start", "2025-02-30T08:00:00+02:00"), "start",
     "not a real date-time"),
    ("date without timezone", _set("start", "2025-05-04T08:00:00"), "start",
     "must be an ISO 8601 date-time with seconds and a timezone"),
    ("date only", _set("end", "2025-05-04"), "end", "ISO 8601 date-time"),
    ("offset of 60 minutes", _set("end", "2025-05-04T20:00:00+05:60"), "end", "ISO 8601"),
    ("hour 24", _set("end", "2025-05-04T24:00:00Z"), "end", "not a real date-time"),
    ("end before start", _set("end", "2025-05-04T07:59:59+02:00"), "end",
     "must be later than start"),
    ("unknown top-level key", _set("colour", "blue"), "colour", "unknown key"),
    ("unknown option key", _set("contests[0].options[0].photo", "x.png"),
     "contests[0].options[0].photo", "unknown key"),
    ("missing election id", _set("election_id", ...), "election_id", "missing (required)"),
    ("other version", _set("spec_version", "suffrage/manifest/2"), "spec_version",
     "must be 'suffrage/manifest/1'"),
    ("no contests", _set("contests", []), "contests", "must not be empty"),
    ("single option", _set("contests[2].options", [SAMPLE["contests"][2]["options"][0]]),
     "contests[2].options", "needs at least 2 items"),
    ("threshold > 1", _set("contests[4].threshold", "1.5"), "contests[4].threshold",
     "must be a share of the votes in [0, 1)"),
    ("threshold of 1", _set("contests[4].threshold", "1"), "contests[4].threshold", "[0, 1)"),
    ("threshold as a float", _set("contests[4].threshold", 0.05), "contests[4].threshold",
     "must be a string, not a floating-point number"),
    ("missing threshold", _set("contests[4].threshold", ...), "contests[4].threshold",
     "missing (required in party_list contests)"),
    ("unknown list method", _set("contests[4].method", "jefferson"), "contests[4].method",
     "'jefferson' is not one of"),
    ("ranked method on a list", _set("contests[4].method", "stv"), "contests[4].method",
     "'stv' is not one of"),
    ("first divisor with D'Hondt", _set("contests[4].first_divisor", "1.4"),
     "contests[4].first_divisor", "applies only to the method modified_sainte_lague"),
    ("threshold on plurality", _set("contests[0].threshold", "0.05"), "contests[0].threshold",
     "not allowed in plurality contests"),
    ("votes_allowed on approval", _set("contests[2].votes_allowed", 2),
     "contests[2].votes_allowed", "not allowed in approval contests"),
    ("referendum with three options", _call(lambda d: d["contests"][3]["options"].append(YES)),
     "contests[3].options", "exactly two options, 'yes' and 'no' (got 3)"),
    ("referendum options renamed", _set("contests[3].options[0].option_id", "oui"),
     "contests[3].options[0].option_id", "must be 'yes'"),
    ("party on a referendum answer", _set("contests[3].options[0].party", SAMPLE["title"]),
     "contests[3].options[0].party", "not allowed in referendum contests"),
    ("supermajority of one half", _set("contests[3].supermajority", "1/2"),
     "contests[3].supermajority", "in (1/2, 1]"),
    ("supermajority above one", _set("contests[3].supermajority", "1.01"),
     "contests[3].supermajority", "in (1/2, 1]"),
    ("supermajority in words", _set("contests[3].supermajority", "two thirds"),
     "contests[3].supermajority", "must be a fraction written as a string"),
    ("quorum of zero", _set("contests[3].quorum", "0"), "contests[3].quorum", "(0, 1]"),
    ("quorum above one", _set("contests[3].quorum", "5/4"), "contests[3].quorum", "(0, 1]"),
    ("IRV with two seats", _set("contests[5].seats", 2), "contests[5].seats",
     "irv elects one winner"),
    ("unknown ranked method", _set("contests[5].method", "borda"), "contests[5].method",
     "'borda' is not one of"),
    ("missing ranked method", _set("contests[5].method", ...), "contests[5].method",
     "missing (required in ranked contests)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "field", "reason"),
    [pytest.param(m, f, r, id=name) for name, m, f, r in MALFORMED],
)
def test_malformed_manifest_is_refused_naming_the_field(
    mutate: Callable[[dict[str, Any]], None], field: str, reason: str
) -> None:
    data = sample()
    mutate(data)
    with pytest.raises(InvalidManifest) as info:
        parse_manifest(data)
    assert (info.value.field, reason in info.value.reason) == (field, True), info.value
    assert validate_manifest(data)[0].field == field


def test_modified_sainte_lague_takes_a_first_divisor_in_range() -> None:
    data = sample()
    data["contests"][4].update(method="modified_sainte_lague", first_divisor="1.2")
    assert parse_manifest(data).contests[4].first_divisor == Fraction(6, 5)
    data["contests"][4]["first_divisor"] = "3"
    with pytest.raises(InvalidManifest, match=r"contests\[4\].first_divisor: must be in \(1, 3\)"):
        parse_manifest(data)


def test_validate_manifest_collects_every_semantic_error() -> None:
    data = sample()
    del data["contests"][0]["title"]["ru"]
    data["contests"][1]["votes_allowed"] = 6
    data["ballot_styles"][1]["contest_ids"][0] = "governor"
    data["end"] = data["start"]
    fields = [error.field for error in validate_manifest(data)]
    assert fields == [
        "end",
        "contests[0].title.ru",
        "contests[1].votes_allowed",
        "ballot_styles[1].contest_ids[0]",
    ]


def test_validate_manifest_collects_every_schema_error() -> None:
    data = sample()
    data["colour"] = "blue"
    data["contests"][0]["kind"] = "borda"
    data["contests"][3]["quorum"] = 0.25
    del data["ballot_styles"][0]["districts"]
    errors = {error.field: error.reason for error in validate_manifest(data)}
    assert errors == {
        "colour": "unknown key",
        "contests[0].kind": errors["contests[0].kind"],
        "contests[3].quorum": "must be a string, not a floating-point number",
        "ballot_styles[0].districts": "missing (required)",
    }
    assert errors["contests[0].kind"].startswith("'borda' is not one of plurality, approval")


def test_parse_manifest_refuses_what_is_not_a_mapping() -> None:
    with pytest.raises(InvalidManifest) as info:
        parse_manifest([])  # type: ignore[arg-type]
    assert info.value.field == "manifest"
    assert info.value.reason == "must be a mapping, not a list"


# --- text formats ---------------------------------------------------------------------------

MINI_YAML = """\
spec_version: suffrage/manifest/1
election_id: mini
title: {en: Mini}
start: 2025-05-04T08:00:00Z
end: 2025-05-04T20:00:00Z
languages: [en]
contests:
  - contest_id: question
    kind: referendum
    title: {en: Agreed}
    options:
      - {option_id: yes, name: {en: "Yes"}}
      - {option_id: no, name: {en: "No"}}
ballot_styles:
  - {style_id: all, districts: [all], contest_ids: [question]}
"""


def test_yaml_keeps_dates_and_yes_no_as_strings() -> None:
    m = load_manifest_text(MINI_YAML, fmt="yaml")
    assert m.start == "2025-05-04T08:00:00Z"
    assert m.contests[0].option_ids == ("yes", "no")


def test_yaml_integers_are_decimal_only() -> None:
    text = MINI_YAML.replace(
        "kind: referendum", "kind: plurality\n    votes_allowed: 0x1\n    seats: 1"
    )
    with pytest.raises(InvalidManifest, match=r"contests\[0\].votes_allowed: must be an integer"):
        load_manifest_text(text, fmt="yaml")


@pytest.mark.parametrize(
    ("text", "field", "line"),
    [
        (MINI_YAML + "title: {en: Again}\n", "title", 16),
        (MINI_YAML.replace("title: {en: Agreed}", "title: {en: A, en: B}"), "en", 10),
    ],
)
def test_yaml_duplicate_keys_are_refused(text: str, field: str, line: int) -> None:
    with pytest.raises(InvalidManifest) as info:
        load_manifest_text(text, fmt="yaml")
    assert (info.value.field, info.value.reason) == (field, f"duplicate key (line {line})")


def test_json_duplicate_keys_are_refused() -> None:
    text = '{"election_id": "a", "title": {"en": "A"}, "election_id": "b"}'
    with pytest.raises(InvalidManifest) as info:
        load_manifest_text(text, fmt="json")
    assert (info.value.field, info.value.reason) == ("election_id", "duplicate key")


@pytest.mark.parametrize(
    ("text", "fmt", "field", "reason"),
    [
        ("a: [1, 2", "yaml", "manifest", "not YAML"),
        ("- a\n- b\n", "yaml", "manifest", "the document must be a mapping"),
        ("a: 1\n---\nb: 2\n", "yaml", "manifest", "not YAML"),
        ('{"a": 1', "json", "manifest", "not JSON"),
        ('{"a": NaN}', "json", "manifest", "not JSON: NaN"),
        ("[]", "json", "manifest", "the document must be a mapping"),
        ("{}", "toml", "fmt", "unknown format 'toml'"),
    ],
)
def test_unreadable_text_is_refused(text: str, fmt: Any, field: str, reason: str) -> None:
    with pytest.raises(InvalidManifest) as info:
        load_manifest_text(text, fmt=fmt)
    assert info.value.field == field
    assert info.value.reason.startswith(reason)


# --- fractions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("0.250", "0.25"), ("1/4", "0.25"), ("2/3", "2/3"), ("1", "1"), ("3/5", "0.6"),
     ("0", "0"), ("0.05", "0.05"), ("7/5", "1.4"), ("1/3", "1/3"), ("1/80", "0.0125")],
)  # fmt: skip
def test_fraction_text_is_canonical(text: str, canonical: str) -> None:
    assert fraction_text(Fraction(text)) == canonical


@given(st.fractions())
def test_fraction_text_round_trips(value: Fraction) -> None:
    assert Fraction(fraction_text(value)) == value


def test_fractions_are_written_canonically() -> None:
    data = sample()
    data["contests"][3]["quorum"] = "1/4"
    data["contests"][4]["threshold"] = "0.050"
    again = manifest_to_dict(parse_manifest(data))
    assert (again["contests"][3]["quorum"], again["contests"][4]["threshold"]) == ("0.25", "0.05")


# --- any damage is refused cleanly ----------------------------------------------------------

json_leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(node, dict | list):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            found.extend(_paths(child, (*path, key)))
    return found


SAMPLE_PATHS = _paths(SAMPLE)


@given(st.sampled_from(SAMPLE_PATHS), json_values)
def test_any_replaced_value_is_parsed_or_refused_cleanly(path: tuple[Any, ...], value: Any) -> None:
    data = sample()
    node: Any = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    errors = validate_manifest(data)
    if errors:
        assert all(error.field and error.reason for error in errors)
        with pytest.raises(InvalidManifest) as info:
            parse_manifest(data)
        assert info.value is errors[0] or info.value.field == errors[0].field
    else:
        manifest = parse_manifest(data)
        assert parse_manifest(manifest_to_dict(manifest)) == manifest


def _ranked(method: str, **fields: Any) -> dict[str, Any]:
    data = sample()
    contest = data["contests"][5]
    contest["method"] = method
    contest.update(fields)
    return data


@pytest.mark.parametrize(
    ("method", "rule", "expected"),
    [
        ("irv", None, "irv"),
        ("stv", None, "scottish"),
        ("stv", "meek", "meek"),
        ("stv", "gregory", "gregory"),
        ("condorcet", None, "schulze"),
        ("condorcet", "ranked_pairs", "ranked_pairs"),
    ],
)
def test_a_ranked_contest_names_its_counting_rule(
    method: str, rule: str | None, expected: str
) -> None:
    data = _ranked(method, **({} if rule is None else {"rule": rule}))
    manifest = parse_manifest(data)
    contest = manifest.contest("south-representative")
    assert contest.ranked_rule == expected
    assert manifest_to_dict(manifest) == data  # the rule is kept exactly as given


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (_ranked("irv", rule="irv"), "contests[5].rule", "irv has no variants"),
        (_ranked("stv", rule="schulze"), "contests[5].rule", "scottish, meek, gregory"),
        (_ranked("condorcet", rule="meek"), "contests[5].rule", "schulze, ranked_pairs"),
    ],
)
def test_a_wrong_counting_rule_is_refused(data: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(InvalidManifest) as caught:
        parse_manifest(data)
    assert caught.value.field == field
    assert reason in caught.value.reason


def test_only_ranked_contests_have_a_rule() -> None:
    data = sample()
    data["contests"][0]["rule"] = "meek"
    with pytest.raises(InvalidManifest) as caught:
        parse_manifest(data)
    assert caught.value.field == "contests[0].rule"


def test_a_ranked_contest_has_at_most_32_options() -> None:
    data = _ranked("stv")
    template = data["contests"][5]["options"][0]
    data["contests"][5]["options"] = [
        {**template, "option_id": f"candidate-{i}"} for i in range(33)
    ]
    with pytest.raises(InvalidManifest) as caught:
        parse_manifest(data)
    assert caught.value.field == "contests[5].options"
    assert "at most 32 options" in caught.value.reason
    data["contests"][5]["options"].pop()
    assert len(parse_manifest(data).contest("south-representative").options) == 32
