"""What the election server gives a voter's browser (issue 14): the booth's page and assets
under a strict Content-Security-Policy, the fonts a device may lack, and the style of one
credential key (the device derives the key from the code, which never leaves it)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from suffrage.core import SeededRandom
from suffrage.protocol.credentials import Credential
from suffrage.service.demo_election import make_demo_election
from suffrage.service.lifecycle import ElectionLife
from suffrage.web.app import create_app
from suffrage.web.booth import BOOTH_FILES, CJK_FONT

NOW = datetime.fromisoformat("2026-12-05T12:00:00+00:00")
CSP = "default-src 'self'"


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, list[tuple[str, str]], str]]:
    directory = tmp_path_factory.mktemp("booth") / "election"
    codes = make_demo_election(directory, voters=4, now=NOW, rng=SeededRandom(7))
    life = ElectionLife(directory, clock=lambda: NOW)
    election_id = life.context().election_id
    with TestClient(create_app(life)) as client:
        yield client, codes, election_id
    life.close()


def test_the_booth_page_and_assets_forbid_every_other_origin(
    served: tuple[TestClient, list[tuple[str, str]], str],
) -> None:
    client, _, _ = served
    assert (BOOTH_FILES / "booth.js").is_file(), "`make booth` builds the booth before the tests"
    for path, kind in [
        ("/booth", "text/html"),
        ("/booth/booth.js", "text/javascript"),
        ("/booth/booth.css", "text/css"),
        ("/check", "text/html"),
        ("/booth/check.js", "text/javascript"),
    ]:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].startswith(kind)
        policy = answer.headers["content-security-policy"]
        assert policy.startswith(CSP)
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
    page = client.get("/booth").text
    assert '<script type="module" src="/booth/booth.js"></script>' in page
    assert "http://" not in page
    assert "https://" not in page
    assert "http://" not in client.get("/booth/booth.css").text.replace("http://www.w3.org", "")


def test_a_credential_key_is_looked_up_for_its_ballot_style(
    served: tuple[TestClient, list[tuple[str, str]], str],
) -> None:
    client, codes, election_id = served
    code, style = codes[0]
    key = Credential.from_code(code, election_id=election_id).public.to_bytes().hex()
    assert client.get(f"/api/credentials/{key}").json() == {"key": key, "style_id": style}
    unknown = client.get(f"/api/credentials/{'ab' * 32}")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    for bad in ["AB" * 32, "ab" * 31, "zz" * 32]:
        refused = client.get(f"/api/credentials/{bad}")
        assert refused.status_code == 400, bad
        assert refused.json()["error"]["field"] == "key"


def test_the_fonts_a_device_may_lack_are_served_here(
    served: tuple[TestClient, list[tuple[str, str]], str],
) -> None:
    client, _, _ = served
    arabic = client.get("/booth/fonts/arabic.ttf")
    assert arabic.status_code == 200
    assert arabic.headers["content-type"] == "font/ttf"
    assert ord("ب") in TTFont(io.BytesIO(arabic.content)).getBestCmap()
    assert CJK_FONT.is_file(), "make test installs Debian's fonts-noto-cjk"
    cjk = client.get("/booth/fonts/cjk.otf")
    assert cjk.status_code == 200
    assert len(cjk.content) < 1_000_000, "a subset, not the 19 MB collection"
    covered = TTFont(io.BytesIO(cjk.content)).getBestCmap()
    manifest_title = client.get("/api/manifest").json()["title"]["zh"]
    interface = (Path(BOOTH_FILES) / "characters.txt").read_text(encoding="utf-8")
    wanted = {c for c in manifest_title + interface if ord(c) > 0x2E80}
    assert wanted
    assert [c for c in wanted if ord(c) not in covered] == []
