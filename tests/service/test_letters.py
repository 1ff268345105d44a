"""Credential letters in the six UN languages: one page each, right to left in Arabic, the
code and the voter's ballot in the voter's language; saved as PNG screenshots to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from suffrage.errors import InvalidInput
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.service.letters import LETTER_LANGUAGES, Letter, write_letters
from suffrage.service.roll import Voter

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
"""Where the test suite leaves pictures of what people will see (README: Screenshots)."""
CODE = "K3M9Q-7TZ2W-HX4RD-0NBC8-V"


def letters() -> list[Letter]:
    styles = ["north", "south"]
    return [
        Letter(
            voter=Voter(
                voter_id=f"voter-{lang}",
                style_id=styles[n % 2],
                language=lang,
                name={"ar": "أمينة حداد", "zh": "李伟", "ru": "Ольга Петрова"}.get(
                    lang, "Jean Moreau"
                ),
                address="12 Rue du Marché\n75001 Paris",
            ),
            code=CODE,
        )
        for n, lang in enumerate(LETTER_LANGUAGES)
    ]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("letters")
    write_letters(load_sample_manifest(), letters(), out, booth_url="https://vote.example.org")
    return out


def test_every_un_language_has_a_letter_of_one_page(written: Path) -> None:
    assert set(LETTER_LANGUAGES) == {"ar", "en", "es", "fr", "ru", "zh"}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for lang in LETTER_LANGUAGES:
        pdf = pdfium.PdfDocument(written / f"voter-{lang}.pdf")
        assert len(pdf) == 1
        text = pdf[0].get_textpage().get_text_range()
        assert CODE in text.replace("\r", "").replace("\n", "")
        image = pdf[0].render(scale=1.2).to_pil()
        image.save(SCREENSHOTS / f"letter-{lang}.png")
        assert image.size[0] > 600


def test_the_html_letter_is_in_the_voters_language_and_direction(written: Path) -> None:
    manifest = load_sample_manifest()
    arabic = (written / "voter-ar.html").read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic
    assert manifest.title["ar"] in arabic
    assert "https://vote.example.org" in arabic
    chinese = (written / "voter-zh.html").read_text("utf-8")
    assert 'lang="zh" dir="ltr"' in chinese
    assert manifest.contest("mayor").title["zh"] in chinese
    assert CODE in chinese
    assert not re.search(r"https?://(?!vote\.example\.org)", arabic), "no third-party request"


def test_letters_are_secret_files_and_never_replaced(written: Path) -> None:
    for path in written.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path
    with pytest.raises(InvalidInput, match="--force"):
        write_letters(load_sample_manifest(), letters()[:1], written)


def test_a_letter_that_cannot_fit_one_page_is_refused(tmp_path: Path) -> None:
    long = letters()[0]
    voter = Voter(
        voter_id="long", style_id="north", language="en", address="\n".join(["line"] * 80)
    )
    with pytest.raises(InvalidInput, match="too long to fit one letter on one page"):
        write_letters(load_sample_manifest(), [Letter(voter=voter, code=long.code)], tmp_path)
    assert not any(tmp_path.iterdir()), "nothing is half-written"
