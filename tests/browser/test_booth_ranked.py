"""The booth's ranking screen in Debian's Chromium (issue 17, point 1): a voter ranks the
instant-runoff contest by keyboard alone and the ballot really holds that ranking (spoiled,
its reveal read back from the board, and shown in rank order by the check page), then casts;
axe-core finds no WCAG 2.2 AA violation on the ranking screen and the review in three
languages; nothing reorders without an explicit command (VVSG 2.0 7.2-C); the live region
says where a moved option now stands; touch targets, and no sideways scrolling at 200 %.
Screenshots in English and Arabic, desktop and phone, go to tests/browser/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from browser.chromium import PHONE_VIEWPORT, save_screenshot
from browser.test_booth import Booth, enter_code, entry, no_violations, open_booth, say
from suffrage.core import SeededRandom
from suffrage.service.demo_election import make_demo_election
from web.serving import free_port, start

IRV = "south-representative"
OPTIONS = ["Aisha Rahman", "Pierre Dubois", "Elena Sokolova", "Wang Fang"]


@pytest.fixture(scope="module")
def ranked_booth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Booth]:
    """The demo election with its ranked contests (voters alternate styles north, south:
    the odd ones have the IRV contest, the even ones the STV one)."""
    directory = tmp_path_factory.mktemp("ranked") / "election"
    codes = make_demo_election(
        directory, voters=10, now=datetime.now(UTC), rng=SeededRandom(17), ranked=True
    )
    port = free_port()
    server = start(directory, port)
    try:
        yield Booth(f"http://127.0.0.1:{port}", codes)
    finally:
        server.terminate()
        server.wait()


def south(booth: Booth, n: int) -> str:
    """The code of the n-th voter (from 0) of style south, the IRV contest's."""
    return [code for code, style in booth.codes if style == "south"][n]


def to_ranked_contest(page: Page, language: str) -> None:
    """From the first contest, Next until the ranking screen."""
    for _ in range(8):
        expect(page.locator("fieldset legend h1")).to_be_visible()
        if page.locator("#rule").inner_text() == say(language, "rule.ranked"):
            return
        page.get_by_role("button", name=say(language, "nav.next")).click()
    raise AssertionError("no ranked contest on this ballot")


def command(page: Page, language: str, key: str, name: str) -> Any:
    """The command button `key` (rank.add, rank.up, ...) of option `name`, by its name."""
    label = say(language, f"{key}_named").replace("{name}", name)
    return page.get_by_role("button", name=label, exact=True)


def ranking(page: Page) -> list[str]:
    return page.locator(".ranking .name").all_inner_texts()


def tab_to(page: Page, name: str) -> None:
    """Press Tab until the focused element's accessible name is ``name``."""
    for _ in range(80):
        focused = page.evaluate(
            "(e => e.getAttribute('aria-label') || e.textContent)(document.activeElement)"
        )
        if focused == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {name!r}")


def focused_id(page: Page) -> str:
    found = page.evaluate("document.activeElement.id")
    assert isinstance(found, str)
    return found


def test_a_keyboard_ranking_is_the_ballot_spoiled_and_shown_in_rank_order_then_cast(
    page: Page, ranked_booth: Booth
) -> None:
    open_booth(page, ranked_booth, "en")
    enter_code(page, "en", south(ranked_booth, 0))
    for _ in range(8):
        expect(page.locator("fieldset legend h1")).to_be_focused()
        if page.locator("#rule").inner_text() == say("en", "rule.ranked"):
            break
        tab_to(page, say("en", "nav.next"))
        page.keyboard.press("Enter")
    named = say("en", "rank.add_named").replace("{name}", "")
    tab_to(page, named + "Pierre Dubois")
    page.keyboard.press("Enter")
    assert focused_id(page) == "rank-add-2", "the focus stays where the ranked option was"
    tab_to(page, named + "Wang Fang")
    page.keyboard.press("Space")
    assert focused_id(page) == "rank-add-2", "the last unranked: the one before it"
    tab_to(page, named + "Aisha Rahman")
    page.keyboard.press("Enter")
    assert ranking(page) == ["Pierre Dubois", "Wang Fang", "Aisha Rahman"]
    tab_to(page, say("en", "rank.up_named").replace("{name}", "Aisha Rahman"))
    page.keyboard.press("Enter")
    assert ranking(page) == ["Pierre Dubois", "Aisha Rahman", "Wang Fang"]
    assert focused_id(page) == "rank-up-0", "the moved option's same button"
    expect(page.get_by_role("status")).to_contain_text("Aisha Rahman is now 2nd of 4.")
    tab_to(page, say("en", "rank.remove_named").replace("{name}", "Pierre Dubois"))
    page.keyboard.press("Enter")
    assert ranking(page) == ["Aisha Rahman", "Wang Fang"]
    assert focused_id(page) == "rank-remove-0", "the option that took the removed one's rank"
    expect(page.locator(".ranking .rank")).to_have_text(["1st", "2nd"])
    tab_to(page, say("en", "nav.review"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(say("en", "review.heading"))
    reviewed = page.locator(".summary-item", has_text="South district representative")
    expect(reviewed.locator("ol.ranked-list li")).to_have_text(["Aisha Rahman", "Wang Fang"])
    tab_to(page, say("en", "review.seal"))
    page.keyboard.press("Enter")
    tab_to(page, say("en", "sealed.check"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(say("en", "checked.heading"))
    expect(page.locator(".good")).to_have_text(say("en", "checked.matches"))
    opened = page.locator(".summary-item", has_text="South district representative")
    expect(opened.locator("ol.ranked-list li")).to_have_text(["Aisha Rahman", "Wang Fang"])
    published = page.locator(".inline-code").inner_text()
    spoiled = entry(ranked_booth, published)["entry"]
    assert spoiled["state"] == "spoiled"
    assert spoiled["reveal"][IRV]["values"] == [1, 4, 0, 0], "rank k holds the k-th option"
    ranks = next(c for c in spoiled["ballot"]["contests"] if c["contest_id"] == IRV)["ranks"]
    assert len(ranks) == 4
    checker = page.context.new_page()
    checker.goto(f"{ranked_booth.url}/check#{published}")
    expect(checker.get_by_text(say("en", "checked.matches"))).to_be_visible()
    shown = checker.locator(".summary-item", has_text="South district representative")
    expect(shown.locator("ol.ranked-list li")).to_have_text(["Aisha Rahman", "Wang Fang"])
    values = shown.locator("ol.ranked-list li").evaluate_all("items => items.map(i => i.value)")
    assert values == [1, 2]
    no_violations(checker, "en check page, ranked")
    save_screenshot(checker, "check-en-ranked")
    checker.close()
    page.get_by_role("button", name=say("en", "checked.again")).click()
    page.get_by_role("button", name=say("en", "review.seal")).click()
    page.get_by_role("button", name=say("en", "sealed.cast")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say("en", "receipt.heading"))
    cast = entry(ranked_booth, page.locator(".code-display").inner_text())["entry"]
    assert cast["state"] == "cast"
    assert "reveal" not in cast


@pytest.mark.parametrize("language", ["en", "ar", "zh"])
def test_the_ranking_screen_and_the_review_have_no_violation(
    page: Page, ranked_booth: Booth, language: str
) -> None:
    open_booth(page, ranked_booth, language)
    enter_code(page, language, south(ranked_booth, 2))
    to_ranked_contest(page, language)
    no_violations(page, f"{language} ranking, empty")
    names = page.locator(".unranked .name").all_inner_texts()
    for name in (names[2], names[0], names[3]):
        command(page, language, "rank.add", name).click()
    command(page, language, "rank.up", names[0]).click()
    command(page, language, "rank.up", names[0]).focus()  # already first: said, not moved
    page.keyboard.press("Enter")
    expect(page.locator(".event")).to_have_text(
        say(language, "rank.top").replace("{name}", names[0])
    )
    no_violations(page, f"{language} ranking")
    if language in ("en", "ar"):
        save_screenshot(page, f"booth-{language}-ranking")
    page.get_by_role("button", name=say(language, "nav.review")).click()
    expect(page.locator("ol.ranked-list li")).to_have_text([names[0], names[2], names[3]])
    no_violations(page, f"{language} review, ranked")
    if language in ("en", "ar"):
        save_screenshot(page, f"booth-{language}-review-ranked")


def test_nothing_reorders_without_a_command(page: Page, ranked_booth: Booth) -> None:
    open_booth(page, ranked_booth, "en")
    enter_code(page, "en", south(ranked_booth, 3))
    to_ranked_contest(page, "en")
    command(page, "en", "rank.add", "Wang Fang").click()
    command(page, "en", "rank.add", "Pierre Dubois").click()
    before = (ranking(page), page.locator(".unranked .name").all_inner_texts())
    said = page.get_by_role("status").inner_text()
    for name in OPTIONS:
        page.locator(".name", has_text=name).click()
        page.locator(".name", has_text=name).dblclick()
    for key in ("rank.up", "rank.down", "rank.remove"):
        command(page, "en", key, "Pierre Dubois").focus()
        command(page, "en", key, "Wang Fang").focus()
    command(page, "en", "rank.add", "Aisha Rahman").focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    page.locator(".ranking li").first.hover()
    assert (ranking(page), page.locator(".unranked .name").all_inner_texts()) == before
    assert page.get_by_role("status").inner_text() == said
    assert page.locator("[draggable=true]").count() == 0


def test_the_live_region_says_where_a_moved_option_stands(page: Page, ranked_booth: Booth) -> None:
    open_booth(page, ranked_booth, "fr")
    enter_code(page, "fr", south(ranked_booth, 4))
    to_ranked_contest(page, "fr")
    for name in ("Aisha Rahman", "Pierre Dubois", "Elena Sokolova"):
        command(page, "fr", "rank.add", name).click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Elena Sokolova est maintenant au 3e rang sur 4.")
    command(page, "fr", "rank.down", "Aisha Rahman").click()
    expect(status).to_contain_text("Aisha Rahman est maintenant au 2e rang sur 4.")
    expect(status).to_contain_text("Rangs attribués : 3 sur 4.")
    command(page, "fr", "rank.up", "Aisha Rahman").click()
    expect(status).to_contain_text("Aisha Rahman est maintenant au 1er rang sur 4.")
    assert status.get_attribute("aria-live") == "polite"
    command(page, "fr", "rank.remove", "Elena Sokolova").click()
    expect(status).to_contain_text("Elena Sokolova ne figure plus dans le classement.")
    page.get_by_role("button", name=say("fr", "settings.audio")).click()
    spoken = page.evaluate("document.documentElement.dataset.spoken")
    assert "Aisha Rahman, au 1er rang. Pierre Dubois, au 2e rang. Elena Sokolova, sans rang." in (
        spoken
    )


def test_ranking_on_a_phone_at_200_percent_never_scrolls_sideways(
    browser: Browser, ranked_booth: Booth
) -> None:
    for language in ("en", "ar"):
        for viewport in (None, PHONE_VIEWPORT):
            context = browser.new_context(viewport=viewport) if viewport else browser.new_context()
            page = context.new_page()
            try:
                open_booth(page, ranked_booth, language)
                enter_code(page, language, south(ranked_booth, 0))
                to_ranked_contest(page, language)
                names = page.locator(".unranked .name").all_inner_texts()
                for name in names[:3]:
                    command(page, language, "rank.add", name).click()
                where = "phone" if viewport else "desktop"
                if viewport:
                    save_screenshot(page, f"booth-{language}-ranking-phone")
                else:
                    targets_are_big_and_apart(page)
                for _ in range(4):
                    page.get_by_role("button", name=say(language, "settings.larger")).click()
                assert page.evaluate("document.documentElement.dataset.textSize") == "200"
                width = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                assert width[0] <= width[1], (language, where, width)
                if viewport:
                    save_screenshot(page, f"booth-{language}-ranking-phone-200")
            finally:
                context.close()


def targets_are_big_and_apart(page: Page) -> None:
    """Every command at least 48 x 48 CSS px (WCAG 2.5.5's 44, and the booth's 48), and
    no two closer than 10 px."""
    boxes = [b for b in (t.bounding_box() for t in page.locator(".contest button").all()) if b]
    assert len(boxes) >= 10
    for box in boxes:
        assert box["height"] >= 48, box
        assert box["width"] >= 48, box
    for i, one in enumerate(boxes):
        for other in boxes[i + 1 :]:
            apart_x = max(
                other["x"] - (one["x"] + one["width"]), one["x"] - (other["x"] + other["width"])
            )
            apart_y = max(
                other["y"] - (one["y"] + one["height"]), one["y"] - (other["y"] + other["height"])
            )
            assert max(apart_x, apart_y) >= 10, ("targets closer than 10 px", one, other)


def test_the_stv_contest_is_ranked_and_cast_in_russian(page: Page, ranked_booth: Booth) -> None:
    """The north style's STV contest (six options, three seats), ranked and cast."""
    north = next(code for code, style in ranked_booth.codes if style == "north")
    open_booth(page, ranked_booth, "ru")
    enter_code(page, "ru", north)
    to_ranked_contest(page, "ru")
    names = page.locator(".unranked .name").all_inner_texts()
    assert len(names) == 6
    for name in (names[4], names[0]):
        command(page, "ru", "rank.add", name).click()
    expect(page.locator(".ranking .rank")).to_have_text(["1-е место", "2-е место"])
    expect(page.get_by_role("status")).to_contain_text(f"{names[0]}: теперь 2-е место из 6.")
    page.get_by_role("button", name=say("ru", "nav.review")).click()
    expect(page.locator("ol.ranked-list li")).to_have_text([names[4], names[0]])
    page.get_by_role("button", name=say("ru", "review.seal")).click()
    page.get_by_role("button", name=say("ru", "sealed.cast")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say("ru", "receipt.heading"))
    cast = entry(ranked_booth, page.locator(".code-display").inner_text())["entry"]
    assert cast["state"] == "cast"
