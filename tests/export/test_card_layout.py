"""Cards as Anki renders them, shown in a real headless Chromium at phone width: nothing wider than
the screen but the tables and code that scroll sideways, and a night mode."""

from __future__ import annotations

import pytest
from test_concept_map import CHROMIUM, CHROMIUM_ARGS

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run the tests with `make test`, which installs it, or set CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def card_page(chromium, collection, search: str, night: bool = False):
    """The back of the card, as Anki's own templates render it, in a page 360 px wide."""
    note = collection.get_note(collection.find_notes(search)[0])
    html = note.cards()[0].answer()
    page = chromium.new_page(viewport=PHONE)
    outside = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("about:", "data:"))
            else (outside.append(route.request.url), route.abort())
        ),
    )
    body_class = "card nightMode" if night else "card"
    page.set_content(
        f'<!doctype html><meta name="viewport" content="width=device-width"><body class="{body_class}">{html}</body>'
    )
    return page, outside


def test_a_wide_table_scrolls_inside_the_card_not_the_page(chromium, seed_collection):
    page, outside = card_page(chromium, seed_collection, '"Question:vLLM — Primary Focus?"')  # the table is on its back
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("e => e.scrollWidth > e.clientWidth"), "the table should scroll sideways"
        assert wrap.evaluate("e => getComputedStyle(e).overflowX") == "auto"
        assert outside == []
    finally:
        page.close()


def test_code_scrolls_and_keeps_its_own_colours_in_night_mode(chromium, seed_collection):
    page, _ = card_page(chromium, seed_collection, '"Question:What is in-context learning?"', night=True)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        code = page.locator(".code").first
        assert code.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(39, 40, 34)"
        assert code.evaluate("e => getComputedStyle(e).color") == "rgb(248, 248, 242)"
        body = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert body == "rgb(28, 28, 30)", "night mode should darken the card"
    finally:
        page.close()


def test_text_is_readable_at_phone_width(chromium, seed_collection):
    page, _ = card_page(chromium, seed_collection, '"Question:What is AdamW, how it differ from Adam?"')
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.answer p')).fontSize)")
        assert size >= 16
        page.screenshot(path="test-artifacts/card-phone.png", full_page=True)
    finally:
        page.close()
