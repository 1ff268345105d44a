"""Strict readers of manifest text, YAML and JSON, within the limits of spec/protocol.md#1.1.

:func:`load_yaml` reads YAML with the safe loader, with only ``true``/``false`` as booleans,
decimal integers within ``±(2^63 - 1)`` and no implicit timestamps; :func:`load_json` reads
JSON without NaN or Infinity. Both refuse duplicate keys, nesting deeper than 64 levels (found
before parsing), over-long integers (refused by their length) and text that is not Unicode,
naming the line and column where they are known.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from suffrage.errors import InvalidManifest, clip, quote
from suffrage.inputs import (
    BeyondLimits,
    DuplicateKey,
    JsonRefusal,
    NotANumber,
    integer_problem,
    load_strict_json,
    lone_surrogate_path,
    position,
    yaml_problem,
)

__all__ = ["load_json", "load_yaml", "yaml_positions"]

_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _StrictLoader(yaml.SafeLoader):
    """The safe loader with YAML 1.2 booleans and decimal integers only, no implicit
    timestamps, and duplicate keys refused."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    line = key_node.start_mark.line + 1
                    raise InvalidManifest(clip(str(key)), f"duplicate key (line {line})")
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _INT_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_implicit_resolver(
    _INT_TAG, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)


def load_yaml(text: str) -> Any:
    """One YAML document as plain data; InvalidManifest("manifest", ...) if it is not YAML
    or is beyond the limits of spec/protocol.md#1.1 (depth, aliases, integers, text)."""
    problem = yaml_problem(text)
    if problem is not None:
        raise InvalidManifest("manifest", problem)
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise InvalidManifest("manifest", f"not YAML: {_yaml_reason(exc, text)}") from None
    return _plain_text(data)


def yaml_positions(text: str) -> dict[str, tuple[int, int]]:
    """The line and column (from 1) of every value of a YAML document that :func:`load_yaml`
    accepted, by its field path (``contests[2].options[0].name.fr``; ``manifest`` for the
    whole document), so that a validation error can say where to look."""
    positions: dict[str, tuple[int, int]] = {}

    def walk(node: yaml.Node, path: str) -> None:
        positions[path or "manifest"] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    name = clip(str(key.value))
                    walk(value, f"{path}.{name}" if path else name)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{path}[{index}]")

    root = yaml.compose(text, Loader=_StrictLoader)
    if root is not None:
        walk(root, "")
    return positions


def _yaml_reason(exc: yaml.YAMLError, text: str) -> str:
    """PyYAML's reason with its line and column, without its quotation of the input (its
    sentences hold at most a character or a tag of the input: cut to 120 characters)."""
    if isinstance(exc, yaml.reader.ReaderError):
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return f"character #x{code:04x} is not allowed ({position(text, exc.position)})"
    if not isinstance(exc, yaml.MarkedYAMLError):
        return clip(" ".join(str(exc).split()), 120)
    words = " ".join(part for part in (exc.context, exc.problem) if part)
    mark = exc.problem_mark or exc.context_mark
    where = "" if mark is None else f" (line {mark.line + 1}, column {mark.column + 1})"
    return clip(words or "malformed", 120) + where


def load_json(text: str) -> Any:
    """One JSON document as plain data, duplicate keys and NaN/Infinity refused, within the
    limits of spec/protocol.md#1.1."""
    try:
        data = load_strict_json(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InvalidManifest("manifest", f"not JSON: {exc.msg} ({where})") from None
    except JsonRefusal as exc:
        raise _json_refusal(exc) from None
    return _plain_text(data)


def _json_refusal(exc: JsonRefusal) -> InvalidManifest:
    """The manifest's wording of a refusal: a duplicate key is named as the field."""
    if isinstance(exc, DuplicateKey):
        return InvalidManifest(clip(exc.key), "duplicate key")
    if isinstance(exc, NotANumber):
        return InvalidManifest("manifest", f"not JSON: {exc.text}")
    if isinstance(exc, BeyondLimits):
        return InvalidManifest("manifest", exc.problem)
    return InvalidManifest("manifest", exc.reason)  # an integer beyond ±(2^63 - 1)


def _plain_text(data: Any) -> Any:
    where = lone_surrogate_path(data)
    if where is not None:
        raise InvalidManifest(where, "holds a lone surrogate (not Unicode text)")
    return data


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """Integers within ±(2^63 - 1), refused by their length before any conversion."""
    text = str(loader.construct_scalar(node)).replace("_", "")
    mark = node.start_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}"
    if len(text) > 24:
        raise InvalidManifest("manifest", f"integer {quote(text, 24)} is too long ({where})")
    value = loader.construct_yaml_int(node)
    problem = integer_problem(str(value))
    if problem is not None:
        raise InvalidManifest("manifest", f"{problem} ({where})")
    return value


_StrictLoader.add_constructor(_INT_TAG, _construct_int)
