"""The booth in Debian's Chromium, as voters use it (issue 14): a whole ballot cast in each
of the six UN languages with axe-core finding no WCAG 2.2 AA violation on any screen, the
Benaloh challenge, typing errors caught at once, the selection rules, keyboard only, by
accessible names and roles only, text at 200 % with no horizontal scrolling, contrast and
touch targets, the audio texts, switching language mid-ballot, and privacy (no other
origin, nothing left in storage, no CSP refusal). Screenshots of every screen in English
and Arabic go to tests/browser/screenshots/."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from browser.chromium import (
    PHONE_VIEWPORT,
    axe_violations,
    other_origin_requests,
    save_screenshot,
    watch,
)
from suffrage.core import SeededRandom
from suffrage.protocol.credentials import generate_credential
from suffrage.service.demo_election import make_demo_election
from web.serving import free_port, start

CATALOGS = Path(__file__).resolve().parents[2] / "web" / "booth" / "src" / "ui" / "i18n"
LANGUAGE_NAMES = {
    "ar": "العربية", "zh": "中文", "en": "English", "fr": "Français", "ru": "Русский",
    "es": "Español",
}  # fmt: skip


def say(language: str, key: str) -> str:
    text = json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))[key]
    assert isinstance(text, str)
    return text


def exact(language: str, key: str) -> re.Pattern[str]:
    """The interface string as a pattern (placeholders match anything)."""
    parts = re.split(r"\{\w+\}", say(language, key))
    return re.compile("^" + ".*".join(re.escape(p) for p in parts) + "$")


@dataclass(frozen=True)
class Booth:
    url: str
    codes: list[tuple[str, str]]


@pytest.fixture(scope="module")
def booth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Booth]:
    directory = tmp_path_factory.mktemp("booth") / "election"
    codes = make_demo_election(directory, voters=8, now=datetime.now(UTC), rng=SeededRandom(14))
    port = free_port()
    server = start(directory, port)
    try:
        yield Booth(f"http://127.0.0.1:{port}", codes)
    finally:
        server.terminate()
        server.wait()


def no_violations(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: " + "; ".join(
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}" for v in violations
    )


def screen(page: Page, language: str, name: str, shots: bool) -> None:
    no_violations(page, f"{language} {name}")
    if shots:
        save_screenshot(page, f"booth-{language}-{name}")


def open_booth(page: Page, booth: Booth, language: str) -> None:
    page.goto(booth.url + "/booth")
    page.get_by_role("button", name=LANGUAGE_NAMES[language]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say(language, "credential.heading"))


def enter_code(page: Page, language: str, code: str) -> None:
    page.get_by_label(say(language, "credential.label")).fill(code)
    page.get_by_role("button", name=say(language, "credential.continue")).click()


def vote_through(page: Page, language: str, shots: bool = False) -> list[str]:
    """Mark the first option of every contest (screens checked on the way); the titles."""
    titles = []
    while True:
        expect(page.locator("fieldset legend h1")).to_be_visible()
        titles.append(page.locator("fieldset legend h1").inner_text())
        page.locator(".option label").first.click()
        screen(page, language, f"contest-{len(titles)}", shots)
        review = page.get_by_role("button", name=say(language, "nav.review"))
        if review.count():
            review.click()
            break
        page.get_by_role("button", name=say(language, "nav.next")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say(language, "review.heading"))
    return titles


def entry(booth: Booth, display_code: str) -> dict[str, Any]:
    answer = httpx.get(f"{booth.url}/api/entries/{display_code}", timeout=10)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert isinstance(found, dict)
    return found


@pytest.mark.parametrize("language", ["en", "ar", "zh", "fr", "ru", "es"])
def test_a_voter_casts_a_whole_ballot_in_each_language(
    page: Page, booth: Booth, language: str
) -> None:
    shots = language in ("en", "ar")
    log = watch(page)
    page.goto(booth.url + "/booth")
    expect(page.get_by_role("button", name=LANGUAGE_NAMES[language])).to_be_visible()
    screen(page, language, "1-language", shots)
    page.get_by_role("button", name=LANGUAGE_NAMES[language]).click()
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    screen(page, language, "2-credential", shots)
    closes = page.get_by_text(exact(language, "credential.closes"))
    expect(closes).to_be_visible()
    year = str(datetime.now(UTC).year)
    digits = "".join("٠١٢٣٤٥٦٧٨٩"[int(d)] for d in year)
    assert year in closes.inner_text() or digits in closes.inner_text()
    enter_code(page, language, "0000-bad")
    expect(page.get_by_role("alert")).not_to_be_empty()
    screen(page, language, "2-credential-error", shots)
    enter_code(page, language, booth.codes[0][0].lower())
    vote_through(page, language, shots)
    screen(page, language, "4-review", shots)
    page.get_by_role("button", name=say(language, "review.seal")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say(language, "sealed.heading"))
    fingerprint = page.locator(".code-display").inner_text()
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){4}", fingerprint)
    screen(page, language, "5-encrypted", shots)
    page.get_by_role("button", name=say(language, "sealed.cast")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say(language, "receipt.heading"))
    code = page.locator(".code-display").inner_text()
    screen(page, language, "6-receipt", shots)
    on_board = entry(booth, code)
    assert on_board["entry"]["state"] == "cast"
    assert other_origin_requests(log.requests, booth.url) == []
    assert [e for e in log.console_errors if "favicon" not in e] == []
    assert log.page_errors == []
    page.get_by_role("button", name=say(language, "receipt.done")).click()
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert booth.codes[0][0] not in page.content()


def test_checking_an_encryption_opens_it_publishes_it_and_votes_afresh(
    page: Page, booth: Booth
) -> None:
    open_booth(page, booth, "en")
    enter_code(page, "en", booth.codes[1][0])
    titles = vote_through(page, "en")
    page.get_by_role("button", name=say("en", "review.seal")).click()
    first = page.locator(".code-display").inner_text()
    page.get_by_role("button", name=say("en", "sealed.check")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say("en", "checked.heading"))
    expect(page.locator(".good")).to_have_text(say("en", "checked.matches"))
    opened = page.locator(".summary-item h2").all_inner_texts()
    assert opened == titles, "the opening shows every contest by name"
    screen(page, "en", "7-checked", True)
    page.get_by_role("combobox", name=say("en", "settings.language")).select_option("ar")
    expect(page.get_by_role("heading", level=1)).to_have_text(say("ar", "checked.heading"))
    assert page.locator(".summary-item h2").count() == len(titles)
    screen(page, "ar", "7-checked", True)
    page.get_by_role("combobox", name=say("ar", "settings.language")).select_option("en")
    published = page.locator(".inline-code").inner_text()
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){4}", published)
    assert published != first, "the tracking code, not the fingerprint"
    spoiled = entry(booth, published)
    assert spoiled["entry"]["state"] == "spoiled"
    assert "reveal" in spoiled["entry"]
    with page.context.expect_page() as opened_page:
        page.get_by_role("link", name=say("en", "checked.verify")).click()
    checker = opened_page.value
    expect(checker.get_by_role("heading", level=1)).to_have_text(say("en", "check.heading"))
    expect(checker.get_by_text(say("en", "checked.matches"))).to_be_visible()
    expect(checker.get_by_text(say("en", "check.signature"))).to_be_visible()
    assert first in checker.locator("#result").inner_text(), "the same fingerprint"
    assert checker.locator(".summary-item h2").all_inner_texts() == titles
    no_violations(checker, "en check page")
    save_screenshot(checker, "check-en-opened")
    checker.get_by_role("combobox", name=say("en", "settings.language")).select_option("ar")
    expect(checker.get_by_text(say("ar", "checked.matches"))).to_be_visible()
    no_violations(checker, "ar check page")
    save_screenshot(checker, "check-ar-opened")
    checker.close()
    page.get_by_role("button", name=say("en", "checked.again")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say("en", "review.heading"))
    page.get_by_role("button", name=say("en", "review.seal")).click()
    second = page.locator(".code-display").inner_text()
    assert second != first, "a fresh encryption"
    page.get_by_role("button", name=say("en", "sealed.cast")).click()
    receipt = page.locator(".code-display").inner_text()
    cast = entry(booth, receipt)
    assert cast["entry"]["state"] == "cast"
    page.goto(f"{booth.url}/check#{receipt}")
    expect(page.get_by_text(say("en", "check.cast"))).to_be_visible()
    page.goto(f"{booth.url}/check#0000-0000-0000-0000-0000")
    expect(page.get_by_role("alert")).to_have_text(say("en", "check.not_found"))


def test_typing_errors_are_caught_at_once_and_named(page: Page, booth: Booth) -> None:
    open_booth(page, booth, "en")
    code = booth.codes[2][0]
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    cases = [
        ("", exact("en", "credential.error.empty")),
        (code[:-3], exact("en", "credential.error.length")),
        (code[:4] + "U" + code[5:], exact("en", "credential.error.character")),
        (wrong, exact("en", "credential.error.check")),
        (generate_credential(SeededRandom(99)), exact("en", "credential.error.unknown")),
    ]
    field = page.get_by_label(say("en", "credential.label"))
    for typed, message in cases:
        enter_code(page, "en", typed)
        expect(page.get_by_role("alert")).to_have_text(message)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_be_focused()
    enter_code(page, "en", code.replace("-", " ").replace("0", "o").replace("1", "l").lower())
    expect(page.locator("fieldset legend h1")).to_be_visible()


def test_vote_for_one_replaces_and_n_of_m_stops_at_the_limit(page: Page, booth: Booth) -> None:
    open_booth(page, booth, "en")
    enter_code(page, "en", booth.codes[0][0])  # style north: mayor (1 of 4) first
    options = page.locator(".option label")
    options.nth(0).click()
    options.nth(1).click()
    expect(page.locator(".event")).to_have_text(exact("en", "status.replaced"))
    expect(page.get_by_role("status")).to_contain_text(page.locator(".event").inner_text())
    assert page.locator(".option input:checked").count() == 1
    expect(page.locator(".option input").nth(1)).to_be_checked()
    while "up to 2" not in page.locator("#rule").inner_text():
        page.get_by_role("button", name=say("en", "nav.next")).click()
    options = page.locator(".option label")
    options.nth(0).click()
    options.nth(1).click()
    options.nth(2).click()
    expect(page.locator(".event")).to_have_text(exact("en", "status.limit"))
    expect(page.get_by_role("status")).to_contain_text(page.locator(".event").inner_text())
    assert page.locator(".option input:checked").count() == 2
    expect(page.locator(".option input").nth(2)).not_to_be_checked()
    save_screenshot(page, "booth-en-limit-reached")


def test_a_keyboard_alone_votes_a_whole_ballot(page: Page, booth: Booth) -> None:
    page.goto(booth.url + "/booth")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    for _ in range(60):
        if page.evaluate("document.activeElement.textContent") == "English":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    for _ in range(30):
        if page.evaluate("document.activeElement.id") == "code":
            break
        page.keyboard.press("Tab")
    page.keyboard.type(booth.codes[3][0])
    page.keyboard.press("Enter")
    for _ in range(10):
        expect(page.locator("fieldset legend h1")).to_be_focused()
        page.keyboard.press("Tab")  # the contest's first option
        page.keyboard.press("Space")
        if page.get_by_role("button", name=say("en", "nav.review")).count():
            target = say("en", "nav.review")
        else:
            target = say("en", "nav.next")
        for _ in range(30):
            if page.evaluate("document.activeElement.textContent") == target:
                break
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        if target == say("en", "nav.review"):
            break
    expect(page.get_by_role("heading", level=1)).to_have_text(say("en", "review.heading"))
    assert page.locator(".notice").count() == 0, "every contest was marked"
    for _ in range(60):
        if page.evaluate("document.activeElement.textContent") == say("en", "review.seal"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    cast = page.get_by_role("button", name=say("en", "sealed.cast"))
    expect(cast).to_be_visible()
    cast.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(say("en", "receipt.heading"))


def test_switching_language_keeps_the_marks_and_the_place(page: Page, booth: Booth) -> None:
    open_booth(page, booth, "en")
    enter_code(page, "en", booth.codes[0][0])
    page.get_by_role("button", name=say("en", "nav.next")).click()
    page.locator(".option label").nth(1).click()
    page.get_by_role("combobox", name=say("en", "settings.language")).select_option("ar")
    expect(page.locator(".progress")).to_have_text(re.compile("2"))
    assert page.evaluate("document.documentElement.dir") == "rtl"
    expect(page.locator(".option input").nth(1)).to_be_checked()
    save_screenshot(page, "booth-ar-switched")
    page.get_by_role("combobox", name=say("ar", "settings.language")).select_option("zh")
    expect(page.locator(".option input").nth(1)).to_be_checked()
    expect(page.locator("#rule")).to_have_text(re.compile("[一-龥]"))


def test_text_up_to_200_percent_never_scrolls_sideways(browser: Browser, booth: Booth) -> None:
    for viewport in [None, PHONE_VIEWPORT]:
        context = browser.new_context(viewport=viewport) if viewport else browser.new_context()
        page = context.new_page()
        try:
            open_booth(page, booth, "ar")
            enter_code(page, "ar", booth.codes[4][0])
            for step in range(5):
                expect(page.locator("fieldset legend h1")).to_be_visible()
                width = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                assert width[0] <= width[1], f"step {step}: {width}"
                if step < 4:
                    page.get_by_role("button", name=say("ar", "settings.larger")).click()
            size = page.evaluate("document.documentElement.dataset.textSize")
            assert size == "200"
            if viewport:
                save_screenshot(page, "booth-ar-phone-200")
        finally:
            context.close()


def contrast(page: Page, selector: str) -> float:
    ratio = page.evaluate(
        """(selector) => {
        const element = document.querySelector(selector);
        const style = getComputedStyle(element);
        const channel = (c) => {
            c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        const luminance = (rgb) => { const [r, g, b] = rgb.match(/\\d+/g).map(Number);
            return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b); };
        let back = element, background = "rgba(0, 0, 0, 0)";
        while (back && /rgba\\(.*, 0\\)$|transparent/.test(background)) {
            background = getComputedStyle(back).backgroundColor; back = back.parentElement; }
        if (/rgba\\(.*, 0\\)$/.test(background)) background = "rgb(255, 255, 255)";
        const [a, b] = [luminance(style.color), luminance(background)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    }""",
        selector,
    )
    assert isinstance(ratio, float | int)
    return float(ratio)


def test_contrast_and_touch_targets_meet_the_vvsg(page: Page, booth: Booth) -> None:
    open_booth(page, booth, "en")
    enter_code(page, "en", booth.codes[0][0])
    expect(page.locator("fieldset legend h1")).to_be_visible()
    for selector in ["body", ".rule", ".name", "button.primary", "button.secondary", ".progress"]:
        assert contrast(page, selector) >= 10, selector  # VVSG 2.0 7.1-C
    page.get_by_role("button", name=say("en", "settings.contrast")).click()
    for selector in ["body", ".rule", ".name", "button.primary", "button.secondary"]:
        assert contrast(page, selector) >= 17.5, selector  # 7.1-D
    save_screenshot(page, "booth-en-high-contrast")
    boxes = [
        b
        for b in (t.bounding_box() for t in page.locator("button, select, .option").all())
        if b is not None
    ]
    assert boxes
    for box in boxes:
        assert box["height"] >= 48, box
        assert box["width"] >= 48, box
    for one in boxes:
        for other in boxes:
            if one is other:
                continue
            apart_x = max(
                other["x"] - (one["x"] + one["width"]), one["x"] - (other["x"] + other["width"])
            )
            apart_y = max(
                other["y"] - (one["y"] + one["height"]), one["y"] - (other["y"] + other["height"])
            )
            if apart_x < 10 and apart_y < 10:
                assert not (apart_x < 0 and apart_y < 0), ("overlapping targets", one, other)
                assert max(apart_x, apart_y) >= 10, ("targets closer than 10 px", one, other)


def test_the_audio_mode_reads_the_contest_its_rule_and_the_marks(page: Page, booth: Booth) -> None:
    open_booth(page, booth, "fr")
    enter_code(page, "fr", booth.codes[0][0])
    page.get_by_role("button", name=say("fr", "settings.audio")).click()
    title = page.locator("fieldset legend h1").inner_text()
    spoken = ""
    for _ in range(100):  # the booth speaks the contest a moment after the click (5 s at most)
        spoken = page.evaluate("document.documentElement.dataset.spoken") or ""
        if title in spoken:
            break
        page.wait_for_timeout(50)
    assert title in spoken
    assert say("fr", "rule.one") in spoken
    assert "Amina Haddad" in spoken
    assert say("fr", "audio.not_chosen") in spoken
    page.locator(".option label").first.click()
    page.get_by_role("button", name=say("fr", "audio.repeat")).click()
    spoken = page.evaluate("document.documentElement.dataset.spoken")
    assert f"Amina Haddad (Alliance verte), {say('fr', 'audio.chosen')}" in spoken
    expect(page.get_by_role("button", name=say("fr", "audio.pause"))).to_be_visible()


def test_a_ballot_is_voted_by_accessible_names_and_roles_alone(page: Page, booth: Booth) -> None:
    """What a screen reader offers: headings, radios and checkboxes by their names, buttons
    by theirs; no CSS selector, no position on the screen."""
    page.goto(booth.url + "/booth")
    page.get_by_role("button", name="Español").click()
    page.get_by_role("textbox", name=say("es", "credential.label")).fill(booth.codes[0][0])
    page.get_by_role("button", name=say("es", "credential.continue")).click()
    expect(page.get_by_role("heading", name="Alcaldía")).to_be_focused()
    page.get_by_role("radio", name=re.compile("^Li Wei")).click()
    expect(page.get_by_role("radio", name=re.compile("^Li Wei"))).to_be_checked()
    expect(page.get_by_role("status")).to_contain_text("1")
    page.get_by_role("button", name=say("es", "nav.next")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consejo escolar")
    page.get_by_role("checkbox", name="Chen Jing").click()
    expect(page.get_by_role("checkbox", name="Chen Jing")).to_be_checked()
    page.get_by_role("checkbox", name="Sophie Laurent").click()
    expect(page.get_by_role("checkbox", name="Sophie Laurent")).to_be_checked()
    while page.get_by_role("button", name=say("es", "nav.next")).count():
        page.get_by_role("button", name=say("es", "nav.next")).click()
    page.get_by_role("button", name=say("es", "nav.review")).click()
    review = page.get_by_role("list").first
    expect(review).to_contain_text("Li Wei")
    expect(review).to_contain_text("Chen Jing")
    expect(page.get_by_text(say("es", "review.none")).first).to_be_visible()
    page.get_by_role("button", name=say("es", "review.seal")).click()
    page.get_by_role("button", name=say("es", "sealed.cast")).click()
    expect(page.get_by_role("heading", name=say("es", "receipt.heading"))).to_be_visible()
    expect(page.get_by_role("link", name=say("es", "receipt.lookup"))).to_be_visible()


def test_an_idle_voter_is_offered_more_time_and_loses_nothing(page: Page, booth: Booth) -> None:
    page.clock.install()
    open_booth(page, booth, "ru")
    enter_code(page, "ru", booth.codes[0][0])
    page.locator(".option label").nth(2).click()
    page.clock.fast_forward("09:00")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.clock.fast_forward("01:30")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text(say("ru", "idle.heading"))
    no_violations(page, "ru idle")
    dialog.get_by_role("button", name=say("ru", "idle.more")).click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".option input").nth(2)).to_be_checked()
