"""Reading the voter roll: the CSV officials actually have, refused whole when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from suffrage.errors import InvalidInput
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.service.letters import LETTER_LANGUAGES
from suffrage.service.roll import read_roll

MANIFEST = load_sample_manifest()


def roll(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "roll.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolons_a_bom_quoted_lines_and_groups_are_read(tmp_path: Path) -> None:
    path = roll(
        tmp_path,
        "\ufeffvoter_id;ballot_style;name;address;language;group:sex;group:age_band\n"
        'A-1;north;"Haddad, Amina";"12 Rue du Marché\n75001 Paris";ar;f;18-24\n'
        "\n"
        "A-2;south;Li Wei;;;m;65+\n",
    )
    first, second = read_roll(path, MANIFEST, languages=LETTER_LANGUAGES)
    assert first.name == "Haddad, Amina"
    assert first.address == "12 Rue du Marché\n75001 Paris"
    assert first.language == "ar"
    assert first.groups == (("age_band", "18-24"), ("sex", "f"))
    assert second.language == "en", "the manifest's first language"
    assert second.style_id == "south"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "the roll is empty"),
        ("voter_id,ballot_style\n", "the roll lists no voter"),
        ("voter_id\nA-1\n", "line 1: the column ballot_style is missing"),
        ("voter_id,ballot_style,voter_id\n", "column 'voter_id' appears twice"),
        ('voter_id,ballot_style\n"A-1,north\n', "not CSV"),
        ("voter_id,ballot_style\nA\x07,north\n", "line 2: voter_id holds a control character"),
        ("voter_id,ballot_style\n" + "A" * 65 + ",north\n", "line 2: the voter id must be"),
    ],
)
def test_bad_rolls_are_refused(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        read_roll(roll(tmp_path, text), MANIFEST, languages=LETTER_LANGUAGES)


def test_a_roll_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = roll(tmp_path, "voter_id,ballot_style,name\nA-1,north,Dvořák\n", "cp1250")
    with pytest.raises(InvalidInput, match="line 2: not UTF-8 text"):
        read_roll(path, MANIFEST, languages=LETTER_LANGUAGES)
