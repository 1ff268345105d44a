"""The manifest loader's limits (spec/protocol.md#1.1): depth, integers, text, aliases."""

from __future__ import annotations

import contextlib
import json
import tempfile
import time
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage.errors import InvalidManifest, SuffrageError
from suffrage.inputs import MAX_LINE
from suffrage.protocol.manifest import load_manifest_text, load_sample_manifest, manifest_to_dict
from suffrage.service.election_steps import load_manifest_file

Format = Literal["yaml", "json"]


def refused(text: str, fmt: Format) -> InvalidManifest:
    start = time.perf_counter()
    with pytest.raises(InvalidManifest) as caught:
        load_manifest_text(text, fmt=fmt)
    assert time.perf_counter() - start < 10
    assert len(str(caught.value)) < 300
    return caught.value


def sample() -> dict[str, Any]:
    return manifest_to_dict(load_sample_manifest())


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_nesting_100000_deep_is_refused_without_recursion(fmt: Format) -> None:
    error = refused("[" * 100_000 + "]" * 100_000, fmt)
    assert "nested more than 64 levels deep (line 1, column 65)" in error.reason


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_nesting_inside_a_manifest_is_refused_naming_its_place(fmt: Format) -> None:
    text = 'spec_version: "x"\ntitle: ' + "[" * 70 + "]" * 70
    if fmt == "json":
        text = '{"spec_version": "x",\n "title": ' + "[" * 70 + "]" * 70 + "}"
    error = refused(text, fmt)
    assert error.reason.startswith("nested more than 64 levels deep (line 2, column")


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    data = sample()
    data["title"]["en"] = "[" * 100 + '{\\"' + "{" * 100
    assert load_manifest_text(json.dumps(data), fmt="json").title["en"] == data["title"]["en"]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [('{"election_id": ' + "9" * 5000 + "}", "json"), ("election_id: " + "9" * 5000, "yaml")],
)
def test_a_5000_digit_integer_is_refused(text: str, fmt: Format) -> None:
    reason = refused(text, fmt).reason
    assert "integer" in reason
    assert "(line 1, column " in reason


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_huge_duplicate_key_is_not_echoed(fmt: Format) -> None:
    key = "k" * 200_000
    # A YAML simple key holds at most 1024 characters: a long key is an explicit one.
    text = f'{{"{key}": 1, "{key}": 2}}' if fmt == "json" else f"? {key}\n: 1\n? {key}\n: 2\n"
    error = refused(text, fmt)
    assert error.reason.startswith("duplicate key")
    assert error.field.endswith("... (200000 characters)")


@pytest.mark.parametrize("field", ["kind", "language"])
def test_a_huge_value_is_not_echoed_by_the_schema(field: str) -> None:
    data = sample()
    if field == "kind":
        data["contests"][0]["kind"] = "v" * 500_000
    else:
        data["languages"][1] = "v" * 500_000
    assert "... (500000 characters)" in refused(json.dumps(data), "json").reason


def test_a_huge_unknown_key_is_not_echoed() -> None:
    data = sample()
    data["contests"][0]["x" * 500_000] = 1
    error = refused(json.dumps(data), "json")
    assert error.reason == "unknown key"


def test_a_yaml_line_over_1_mib_is_refused_naming_it() -> None:
    error = refused("spec_version: x\ntitle: " + "t" * MAX_LINE + "\n", "yaml")
    assert error.reason == f"line 2 is longer than the limit of {MAX_LINE} bytes"


@pytest.mark.parametrize("char", ["\x00", "\udc80"])
def test_a_character_yaml_refuses_is_named_by_its_code_and_place(char: str) -> None:
    error = refused(f"spec_version: x\ntitle: a{char}\n", "yaml")
    assert (
        error.reason == f"not YAML: character #x{ord(char):04x} is not allowed (line 2, column 9)"
    )


def test_a_yaml_syntax_error_does_not_quote_the_input() -> None:
    error = refused("spec_version: x\n" + "y" * 500_000 + "\n: [", "yaml")
    assert error.reason.startswith("not YAML: ")
    assert "(line " in error.reason


def test_a_lone_surrogate_in_a_json_manifest_is_refused() -> None:
    error = refused('{"election_id": "x\\ud800"}', "json")
    assert error.field == "election_id"
    assert "lone surrogate" in error.reason


def test_a_lone_surrogate_in_a_key_is_refused_printably() -> None:
    error = refused('{"title": {"e\\ud800n": "x"}}', "json")
    assert error.field == "title.e\\ud800n"
    error.field.encode("utf-8")  # the message can be printed


def test_a_lone_surrogate_in_a_yaml_manifest_is_refused() -> None:
    error = refused('title: {en: "x\\ud800"}\n', "yaml")
    assert error.field == "title.en"


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_the_manifest_file_is_named_with_the_line(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"m{suffix}"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InvalidManifest) as caught:
        load_manifest_file(path)
    assert caught.value.field == f"{path}: manifest"
    assert caught.value.reason == "nested more than 64 levels deep (line 1, column 65)"


def test_yaml_aliases_are_refused() -> None:
    error = refused("a: &x [1, 2]\nb: *x\n", "yaml")
    assert "aliases are not allowed (line 2" in error.reason


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=300), fmt=st.sampled_from(["json", "yaml"]))
def test_random_bytes_raise_only_the_projects_errors(data: bytes, fmt: Format) -> None:
    with contextlib.suppress(SuffrageError):
        load_manifest_text(data.decode("utf-8", errors="surrogateescape"), fmt=fmt)


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".json", ".yaml"]))
def test_random_bytes_in_a_manifest_file_raise_only_the_projects_errors(
    data: bytes, suffix: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"m{suffix}"
        path.write_bytes(data)
        with contextlib.suppress(SuffrageError):
            load_manifest_file(path)


def damaged(fmt: Format) -> st.SearchStrategy[str]:
    """The sample manifest cut and spliced with structural characters, deep brackets or long
    digit runs: near misses rather than noise."""
    data = sample()
    base = yaml.safe_dump(data, allow_unicode=True) if fmt == "yaml" else json.dumps(data)
    noise = st.one_of(
        st.text(alphabet=st.sampled_from(list("[]{}:-,&*!|>'\"#\n 09\\u")), max_size=20),
        st.integers(0, 3000).map(lambda n: "[" * n + "{" * n),
        st.integers(0, 6000).map(lambda n: "9" * n),
    )
    return st.tuples(st.integers(0, len(base)), st.integers(0, 40), noise).map(
        lambda cut: base[: cut[0]] + cut[2] + base[cut[0] + cut[1] :]
    )


@settings(max_examples=80, deadline=None)
@given(data=st.data(), fmt=st.sampled_from(["json", "yaml"]))
def test_damaged_manifests_raise_only_the_projects_errors(data: st.DataObject, fmt: Format) -> None:
    text = data.draw(damaged(fmt))
    with contextlib.suppress(SuffrageError):
        load_manifest_text(text, fmt=fmt)
