"""The election manifest: what is being decided, in which languages, on which ballots.

The manifest is the first document of the election record (spec/record-format.md#manifest).
It is read from YAML or JSON (:func:`load_manifest_text`) or from plain data
(:func:`parse_manifest`), which is checked first against the JSON Schema
:data:`MANIFEST_SCHEMA` and then against the rules a schema cannot express
(:mod:`suffrage.protocol.manifest_rules`). Every refusal is an
:class:`~suffrage.errors.InvalidManifest` naming the field (``contests[2].options[0].name.fr``)
and the reason. :func:`manifest_to_dict` gives the canonical plain-data form back, and
``parse_manifest(manifest_to_dict(m)) == m``.

Contests of the kinds ``plurality``, ``approval``, ``referendum`` and ``party_list`` are
tallied homomorphically; ``ranked`` contests (IRV, STV, Condorcet) go through the mix-net
(spec/protocol.md#19), never through a homomorphic tally (:meth:`Contest.require_homomorphic`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from importlib import resources
from typing import Any, Literal, NoReturn

from suffrage.errors import InvalidManifest, UnsupportedOperation
from suffrage.protocol.manifest_loaders import load_json, load_yaml, yaml_positions
from suffrage.protocol.manifest_rules import (
    MAX_RANKED_OPTIONS,
    RANKED_RULES,
    schema_errors,
    semantic_errors,
    sorted_errors,
)

__all__ = [
    "CONTEST_ID",
    "LANGUAGES",
    "MANIFEST_SCHEMA",
    "MAX_RANKED_OPTIONS",
    "RANKED_RULES",
    "RTL_LANGUAGES",
    "SPEC_VERSION",
    "BallotStyle",
    "Contest",
    "ContestKind",
    "ListMethod",
    "LocalizedText",
    "Manifest",
    "Option",
    "RankedMethod",
    "fraction_text",
    "is_rtl",
    "load_manifest_text",
    "load_sample_manifest",
    "manifest_to_dict",
    "parse_manifest",
    "starter_manifest_text",
    "validate_manifest",
]

SPEC_VERSION = "suffrage/manifest/1"

MANIFEST_SCHEMA: Mapping[str, Any] = json.loads(
    resources.files(__package__).joinpath("schema/manifest.schema.json").read_text("utf-8")
)
"""The JSON Schema (draft 2020-12) of :data:`SPEC_VERSION`, shipped with the package."""

LANGUAGES: frozenset[str] = frozenset(MANIFEST_SCHEMA["$defs"]["language"]["enum"])
"""The closed list of BCP 47 language tags a manifest may use."""

CONTEST_ID = re.compile(MANIFEST_SCHEMA["$defs"]["id"]["pattern"].strip("^$"))
"""What an id of the manifest (a contest's among them) looks like, whole."""

RTL_LANGUAGES: frozenset[str] = frozenset({"ar", "fa", "he", "ps", "ug", "ur"})
"""The languages of :data:`LANGUAGES` written right to left."""


def is_rtl(language: str) -> bool:
    """Whether text in ``language`` is laid out right to left (for the booth)."""
    return language in RTL_LANGUAGES


class ContestKind(StrEnum):
    PLURALITY = "plurality"
    APPROVAL = "approval"
    REFERENDUM = "referendum"
    PARTY_LIST = "party_list"
    RANKED = "ranked"


class ListMethod(StrEnum):
    """Seat allocation of a party-list contest (spec/counting.md)."""

    DHONDT = "dhondt"
    SAINTE_LAGUE = "sainte_lague"
    MODIFIED_SAINTE_LAGUE = "modified_sainte_lague"
    HARE = "hare"
    DROOP = "droop"
    HAGENBACH_BISCHOFF = "hagenbach_bischoff"
    IMPERIALI = "imperiali"


class RankedMethod(StrEnum):
    IRV = "irv"
    STV = "stv"
    CONDORCET = "condorcet"


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalizedText:
    """One voter-facing string in every language of the election.

    ``texts`` holds ``(language, text)`` pairs; they are kept sorted by language tag, so
    that two equal texts compare equal however they were built.
    """

    texts: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "texts", tuple(sorted(self.texts)))

    @classmethod
    def of(cls, mapping: Mapping[str, str]) -> LocalizedText:
        return cls(texts=tuple(mapping.items()))

    def __getitem__(self, language: str) -> str:
        for tag, text in self.texts:
            if tag == language:
                return text
        raise KeyError(language)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(tag for tag, _ in self.texts)

    def as_dict(self) -> dict[str, str]:
        return dict(self.texts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    """A candidate, answer or party list of a contest."""

    option_id: str
    name: LocalizedText
    party: LocalizedText | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Contest:
    """One question on the ballot; the fields after ``options`` depend on ``kind``.

    plurality: ``votes_allowed``, ``seats``; approval: ``seats``; referendum: options
    ``yes`` and ``no``, optional ``quorum`` and ``supermajority``; party_list: ``seats``,
    ``method`` (a :class:`ListMethod`), ``threshold``, optional ``first_divisor``;
    ranked: ``seats``, ``method`` (a :class:`RankedMethod`), optional ``rule`` (the
    :data:`RANKED_RULES` variant of ``stv`` or ``condorcet``; :meth:`ranked_rule` gives the
    default). Other fields are ``None``.
    """

    contest_id: str
    kind: ContestKind
    title: LocalizedText
    options: tuple[Option, ...]
    seats: int | None = None
    votes_allowed: int | None = None
    method: ListMethod | RankedMethod | None = None
    threshold: Fraction | None = None
    first_divisor: Fraction | None = None
    quorum: Fraction | None = None
    supermajority: Fraction | None = None
    rule: str | None = None

    @property
    def ranked_rule(self) -> str:
        """The counting rule of a ranked contest: ``irv``, or the ``stv`` or ``condorcet``
        variant the manifest names (the first of :data:`RANKED_RULES` when it names none)."""
        if self.kind is not ContestKind.RANKED or not isinstance(self.method, RankedMethod):
            raise UnsupportedOperation(f"contest {self.contest_id!r} is not ranked")
        return self.rule or RANKED_RULES[self.method.value][0]

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.option_id for option in self.options)

    @property
    def is_homomorphic(self) -> bool:
        """Whether the contest is tallied by adding encrypted selections (all but ranked)."""
        return self.kind is not ContestKind.RANKED

    @property
    def selection_limit(self) -> int:
        """How many 1s a voter may put across the options (at most; fewer is allowed).

        plurality: ``votes_allowed``; approval: every option; referendum and party_list: 1;
        ranked: the number of options a voter may rank, every option (ranked ballots are
        not 0/1 vectors and go through the mix-net instead).
        """
        if self.kind is ContestKind.PLURALITY:
            assert self.votes_allowed is not None
            return self.votes_allowed
        if self.kind in (ContestKind.REFERENDUM, ContestKind.PARTY_LIST):
            return 1
        return len(self.options)

    def require_homomorphic(self) -> None:
        """Refuse, with UnsupportedOperation, to tally a ranked contest homomorphically."""
        if not self.is_homomorphic:
            raise UnsupportedOperation(
                f"contest {self.contest_id!r} is ranked ({self.method}): ranked contests are "
                "shuffled by the mix-net and counted as rankings (spec/protocol.md#19), never "
                "tallied by adding ciphertexts"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotStyle:
    """The contests that the voters of some districts see, in ballot order."""

    style_id: str
    districts: tuple[str, ...]
    contest_ids: tuple[str, ...]
    name: LocalizedText | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    """A validated election manifest (spec/record-format.md#manifest)."""

    spec_version: str
    election_id: str
    title: LocalizedText
    start: str
    end: str
    languages: tuple[str, ...]
    contests: tuple[Contest, ...]
    ballot_styles: tuple[BallotStyle, ...]

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def start_time(self) -> datetime:
        return datetime.fromisoformat(self.start)

    @property
    def end_time(self) -> datetime:
        return datetime.fromisoformat(self.end)

    def contest(self, contest_id: str) -> Contest:
        for contest in self.contests:
            if contest.contest_id == contest_id:
                return contest
        raise KeyError(contest_id)

    def ballot_style_for(self, district: str) -> BallotStyle:
        for style in self.ballot_styles:
            if district in style.districts:
                return style
        raise KeyError(district)

    def contests_of(self, style: BallotStyle) -> tuple[Contest, ...]:
        return tuple(self.contest(contest_id) for contest_id in style.contest_ids)


def validate_manifest(data: Mapping[str, Any]) -> list[InvalidManifest]:
    """Every problem of ``data`` (empty if it is a valid manifest), in document order.

    The semantic rules rely on the types the schema checks. When the schema fails only inside
    contests or ballot styles, the semantic rules still run, and their problems are kept
    except inside a contest or style the schema already faulted, so that an official sees a
    misspelt method in one contest and a missing translation in another at once. When the
    schema fails elsewhere (the languages, the times, the title), only its problems are
    reported: the semantic rules would only repeat them.
    """
    errors = schema_errors(data, MANIFEST_SCHEMA)
    if not errors:
        return semantic_errors(data)
    owners = {_owner(e.field) for e in errors}
    if None in owners:
        return errors
    try:
        more = semantic_errors(data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return errors
    kept = [e for e in more if _owner(e.field) not in owners]
    return sorted_errors([*errors, *kept])


def _owner(field: str) -> str | None:
    """The contest or ballot style a field is in (``contests[2]``), or ``None``."""
    for top in ("contests[", "ballot_styles["):
        if field.startswith(top) and "]" in field:
            return field[: field.index("]") + 1]
    return None


def parse_manifest(
    data: Mapping[str, Any], *, where: Mapping[str, tuple[int, int]] | None = None
) -> Manifest:
    """The manifest ``data`` describes; otherwise an InvalidManifest naming the first
    problem, with every problem in its ``problems`` (each with its line and column when
    ``where`` maps field paths to them, as :func:`load_manifest_text` does for YAML)."""
    errors = validate_manifest(data)
    if errors:
        raise _all_of(errors, where or {})
    return Manifest(
        spec_version=data["spec_version"],
        election_id=data["election_id"],
        title=_text(data["title"]),
        start=data["start"],
        end=data["end"],
        languages=tuple(data["languages"]),
        contests=tuple(_contest(item) for item in data["contests"]),
        ballot_styles=tuple(_ballot_style(item) for item in data["ballot_styles"]),
    )


def _all_of(errors: list[InvalidManifest], where: Mapping[str, tuple[int, int]]) -> InvalidManifest:
    def placed(error: InvalidManifest) -> str:
        field = error.field
        while field not in where and field:
            field = field.rpartition(".")[0] if "." in field else field.rpartition("[")[0]
        mark = where.get(field)
        at = f" (line {mark[0]}, column {mark[1]})" if mark else ""
        return f"{error.field}{at}: {error.reason}"

    first = errors[0]
    return InvalidManifest(first.field, first.reason, problems=tuple(map(placed, errors)))


def _text(data: Mapping[str, str]) -> LocalizedText:
    return LocalizedText.of(data)


def _optional_text(data: Mapping[str, str] | None) -> LocalizedText | None:
    return None if data is None else _text(data)


def _fraction(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)


def _method(kind: ContestKind, name: str | None) -> ListMethod | RankedMethod | None:
    if name is None:
        return None
    return ListMethod(name) if kind is ContestKind.PARTY_LIST else RankedMethod(name)


def _contest(data: Mapping[str, Any]) -> Contest:
    kind = ContestKind(data["kind"])
    return Contest(
        contest_id=data["contest_id"],
        kind=kind,
        title=_text(data["title"]),
        options=tuple(_option(item) for item in data["options"]),
        seats=data.get("seats"),
        votes_allowed=data.get("votes_allowed"),
        method=_method(kind, data.get("method")),
        threshold=_fraction(data.get("threshold")),
        first_divisor=_fraction(data.get("first_divisor")),
        quorum=_fraction(data.get("quorum")),
        supermajority=_fraction(data.get("supermajority")),
        rule=data.get("rule"),
    )


def _option(data: Mapping[str, Any]) -> Option:
    return Option(
        option_id=data["option_id"],
        name=_text(data["name"]),
        party=_optional_text(data.get("party")),
    )


def _ballot_style(data: Mapping[str, Any]) -> BallotStyle:
    return BallotStyle(
        style_id=data["style_id"],
        districts=tuple(data["districts"]),
        contest_ids=tuple(data["contest_ids"]),
        name=_optional_text(data.get("name")),
    )


def fraction_text(value: Fraction) -> str:
    """The canonical text of a fraction: its exact decimal if it has one, else ``p/q``."""
    rest, digits = value.denominator, 0
    for prime in (2, 5):
        power = 0
        while rest % prime == 0:
            rest, power = rest // prime, power + 1
        digits = max(digits, power)
    if rest != 1:
        return f"{value.numerator}/{value.denominator}"
    text = str(abs(value.numerator) * 10**digits // value.denominator).rjust(digits + 1, "0")
    whole, decimals = text[: len(text) - digits], text[len(text) - digits :].rstrip("0")
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{decimals}" if decimals else f"{sign}{whole}"


def manifest_to_dict(manifest: Manifest) -> dict[str, Any]:
    """The canonical plain data of ``manifest`` (absent optional fields are left out)."""
    return {
        "spec_version": manifest.spec_version,
        "election_id": manifest.election_id,
        "title": manifest.title.as_dict(),
        "start": manifest.start,
        "end": manifest.end,
        "languages": list(manifest.languages),
        "contests": [_contest_to_dict(contest) for contest in manifest.contests],
        "ballot_styles": [_style_to_dict(style) for style in manifest.ballot_styles],
    }


def _contest_to_dict(contest: Contest) -> dict[str, Any]:
    result: dict[str, Any] = {
        "contest_id": contest.contest_id,
        "kind": str(contest.kind),
        "title": contest.title.as_dict(),
        "options": [_option_to_dict(option) for option in contest.options],
    }
    for key in ("seats", "votes_allowed"):
        if getattr(contest, key) is not None:
            result[key] = getattr(contest, key)
    if contest.method is not None:
        result["method"] = str(contest.method)
    if contest.rule is not None:
        result["rule"] = contest.rule
    for key in ("threshold", "first_divisor", "quorum", "supermajority"):
        if getattr(contest, key) is not None:
            result[key] = fraction_text(getattr(contest, key))
    return result


def _option_to_dict(option: Option) -> dict[str, Any]:
    result: dict[str, Any] = {"option_id": option.option_id, "name": option.name.as_dict()}
    if option.party is not None:
        result["party"] = option.party.as_dict()
    return result


def _style_to_dict(style: BallotStyle) -> dict[str, Any]:
    result: dict[str, Any] = {
        "style_id": style.style_id,
        "districts": list(style.districts),
        "contest_ids": list(style.contest_ids),
    }
    if style.name is not None:
        result["name"] = style.name.as_dict()
    return result


def load_manifest_text(text: str, *, fmt: Literal["yaml", "json"]) -> Manifest:
    """Parse manifest text; duplicate keys are refused in both formats.

    YAML is read with the safe loader, except that only ``true``/``false`` are booleans
    and dates stay strings (so ``yes``, ``no`` and ``2025-05-04T08:00:00Z`` mean what
    they say); JSON is read strictly (no ``NaN``).
    """
    where: Mapping[str, tuple[int, int]] = {}
    if fmt == "yaml":
        data = load_yaml(text)
        where = yaml_positions(text)
    elif fmt == "json":
        data = load_json(text)
    else:
        _unknown_format(fmt)
    if not isinstance(data, Mapping):
        raise InvalidManifest("manifest", "the document must be a mapping")
    return parse_manifest(data, where=where)


def _unknown_format(fmt: str) -> NoReturn:
    raise InvalidManifest("fmt", f"unknown format {fmt!r} (expected 'yaml' or 'json')")


def starter_manifest_text() -> str:
    """The annotated starter manifest of ``suffrage election init``, a
    :class:`string.Template` with ``election_id``, ``start``, ``end`` and ``file`` to fill."""
    resource = resources.files(__package__).joinpath("data/starter-manifest.yaml")
    return resource.read_text("utf-8")


def load_sample_manifest() -> Manifest:
    """The sample election shipped with the package, in the six UN languages."""
    resource = resources.files(__package__).joinpath("data/sample-manifest.yaml")
    return load_manifest_text(resource.read_text("utf-8"), fmt="yaml")
