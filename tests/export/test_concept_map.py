"""The concept map in a real browser (Debian's Chromium, headless): offline, searchable, clickable, safe.

These tests fail, never skip, when Chromium or Playwright is missing: the map is a product output.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import copy_seed_notes

from generator.build import build
from generator.config import BuildConfig

CHROMIUM = Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")  # make test finds or installs it
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
XSS = "<img src=x onerror=alert(1)>"
XSS_NOTE = f"""# Security

## What is {XSS} doing in a LoRA note?

LoRA keeps working; the tag above must show as text. Math stays legible: $W + BA$.

The **XSS probe** is a test with {XSS} inside its definition.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("map")
    notes = folder / "notes"
    copy_seed_notes(notes)
    (notes / "zz-security.md").write_text(XSS_NOTE, encoding="utf-8")
    build(BuildConfig(notes, folder / "out"))
    return folder / "out"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run the tests with `make test`, which installs it, or set CHROMIUM"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - environment problem, reported loudly
        pytest.fail(f"Playwright for Python is not installed ({error}); pip install playwright")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Page:
    """A map page opened from file:// with every other request blocked and counted."""

    def __init__(self, browser, site: Path, fragment: str = "", width: int = 1440, height: int = 900) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto((site / "concept-map.html").as_uri() + fragment)
        self.page.wait_for_function("window.deckgraphMap && window.deckgraphMap.ready", timeout=15_000)

    def _route(self, route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def panel_text(self) -> str:
        return self.page.locator("#panel-body").text_content()

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def page(browser, site):
    opened = Page(browser, site)
    yield opened
    opened.close()


def test_opens_offline_without_errors_and_shows_every_concept(page, site):
    graph = json.loads((site / "graph.json").read_text(encoding="utf-8"))
    assert page.outside == []
    assert page.errors == []
    assert page.js("window.deckgraphMap.nodeCount") == len(graph["nodes"])
    assert page.js("window.deckgraphMap.network.body.data.nodes.length") == len(graph["nodes"])
    assert page.js("document.characterSet") == "UTF-8"
    assert page.js("document.querySelectorAll('script[src], link[href], img[src]').length") == 0


def test_typing_in_search_focuses_the_match(page):
    page.page.fill("#search", "")
    page.page.type("#search", "LoRA")
    assert page.js("window.deckgraphMap.selected") == "LoRA"
    assert page.js("window.deckgraphMap.network.getSelectedNodes()") == ["LoRA"]
    assert "LoRA" in page.page.locator("#results").inner_text()
    page.page.fill("#search", "low-rank adapt")  # aliases count too
    assert page.js("window.deckgraphMap.selected") == "LoRA"


def test_clicking_a_concept_shows_its_cards_with_locations_and_legible_math(page):
    page.js("window.deckgraphMap.network.focus('LoRA', {scale: 2.0, animation: false})")
    point = page.js("""(() => { const n = window.deckgraphMap.network;
        const p = n.getPositions(['LoRA']).LoRA; return n.canvasToDOM(p); })()""")
    box = page.page.locator("#map").bounding_box()
    page.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert page.js("window.deckgraphMap.selected") == "LoRA"
    assert page.page.locator("#panel").is_visible()
    text = page.panel_text()
    assert "Cards (" in text and "Explain LoRA: what are the A and B matrices?" in text
    assert "training-finetuning-qa.md:260" in text
    assert "QLoRA extends LoRA" in text and "optimization-alignment-qa.md:97" in text
    page.page.locator("#panel details.card").first.evaluate("d => d.open = true")
    assert page.js("document.querySelectorAll('#panel .tex').length") > 0
    assert page.page.evaluate("location.hash") == "#LoRA"


def test_deep_link_focuses_and_hashchange_follows(browser, site):
    opened = Page(browser, site, "#QLoRA")
    try:
        assert opened.js("window.deckgraphMap.selected") == "QLoRA"
        assert "QLoRA" in opened.panel_text()
        opened.js("location.hash = '#' + encodeURIComponent('KV cache')")
        opened.page.wait_for_function("window.deckgraphMap.selected === 'KV cache'", timeout=5_000)
        assert opened.errors == [] and opened.outside == []
    finally:
        opened.close()


def test_neighbourhood_view_and_filters_hide_the_rest(page):
    total = page.js("window.deckgraphMap.nodeCount")
    page.js("window.deckgraphMap.select('DPO')")
    page.page.fill("#depth", "1")
    near = page.js("window.deckgraphMap.visibleCount()")
    assert 1 < near < total
    visible = page.js("window.deckgraphMap.network.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert {"DPO", "RLHF", "Bradley–Terry"} <= set(visible)
    page.page.fill("#depth", "0")
    assert page.js("window.deckgraphMap.visibleCount()") == total
    page.page.locator("#topic-legend label", has_text="alignment").locator("input").uncheck()
    assert page.js("window.deckgraphMap.visibleCount()") < total
    page.page.locator("#edge-legend label", has_text="related").locator("input").uncheck()
    hidden_related = page.js("""window.deckgraphMap.network.body.data.edges
        .get({filter: e => e.type === 'related' && !e.hidden}).length""")
    assert hidden_related == 0


def test_note_html_shows_as_text_and_never_runs(page):
    assert page.js("window.deckgraphMap.select('LoRA')")
    page.page.locator("#panel details.card", has_text=XSS).evaluate("d => d.open = true")
    assert XSS in page.panel_text()
    assert page.js("document.querySelectorAll('#panel img, #results img').length") == 0
    # A definition holding the tag: panel and hover tooltip show it as text.
    assert page.js("window.deckgraphMap.select('XSS probe')")
    assert XSS in page.page.locator("#panel .definition").text_content()
    page.js("window.deckgraphMap.network.focus('XSS probe', {scale: 2.0, animation: false})")
    point = page.js("""(() => { const n = window.deckgraphMap.network;
        return n.canvasToDOM(n.getPositions(['XSS probe'])['XSS probe']); })()""")
    box = page.page.locator("#map").bounding_box()
    page.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=3_000)
    assert XSS in page.page.locator("div.vis-tooltip").text_content()
    page.page.fill("#search", "onerror")
    page.page.wait_for_timeout(200)
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.dialogs == [] and page.errors == [] and page.outside == []


@pytest.mark.parametrize("name, width, height", [("phone", 360, 740), ("phone-390", 390, 844), ("desktop", 1440, 900)])
def test_screenshots_for_people_to_look_at(browser, site, name, width, height):
    ARTIFACTS.mkdir(exist_ok=True)
    opened = Page(browser, site, width=width, height=height)
    try:
        opened.page.screenshot(path=str(ARTIFACTS / f"concept-map-{name}.png"))
        opened.js("window.deckgraphMap.select('RLHF')")
        opened.page.screenshot(path=str(ARTIFACTS / f"concept-map-{name}-rlhf.png"))
        assert opened.errors == [] and opened.outside == []
    finally:
        opened.close()


def test_large_map_opens_and_search_finds_the_last_concept(browser, tmp_path):
    # How fast it becomes interactive is `make bench`'s figure (a timed test fails on a busy machine).
    import sys

    sys.path.insert(0, str(ROOT))
    from bench.map_bench import measure_map

    result = measure_map(tmp_path, browser)
    assert result["concepts"] == 2000 and result["edges"] == 10_000
    assert result["search_found"] == "concept 1999" and result["outside_requests"] == 0


ZH_NOTE = """# 机器学习笔记

## 什么是过拟合？

过拟合是模型在训练集上表现很好、在测试集上表现差的现象。正则化可以缓解过拟合。

## 过拟合和欠拟合的区别

欠拟合是模型太简单，过拟合是模型太复杂。
"""


@pytest.fixture(scope="module")
def site_zh(tmp_path_factory):
    folder = tmp_path_factory.mktemp("map-zh")
    notes = folder / "notes"
    notes.mkdir()
    (notes / "zh.md").write_text(ZH_NOTE, encoding="utf-8")
    build(BuildConfig(notes, folder / "out"))
    return folder / "out"


def _dom_point(opened: Page, concept: str) -> dict:
    return opened.js(
        """(id) => { const n = window.deckgraphMap.network;
           const p = n.canvasToDOM(n.getPositions([id])[id]);
           const box = document.getElementById('map').getBoundingClientRect();
           return {x: p.x + box.left, y: p.y + box.top}; }""",
        concept,
    )


def test_vocabulary_relations_are_dashed_and_the_legend_says_so(page, site):
    graph = json.loads((site / "graph.json").read_text(encoding="utf-8"))
    vocabulary = [e for e in graph["edges"] if e["origin"] == "vocabulary"]
    assert vocabulary, "the seed notes name pairs the vocabulary relates"
    assert all(e["evidence"][0]["location"] == "built-in vocabulary" for e in vocabulary)
    assert {e["origin"] for e in graph["edges"]} <= {"notes", "registry", "vocabulary"}
    drawn = page.js("window.deckgraphMap.network.body.data.edges.get().map(e => [e.origin, e.dashes])")
    assert all(dashes == [8, 6] for origin, dashes in drawn if origin == "vocabulary")
    assert all(dashes != [8, 6] for origin, dashes in drawn if origin != "vocabulary")
    assert "built-in vocabulary" in page.page.locator("#origin-legend").text_content()


def test_phone_labels_are_readable_and_the_panel_never_hides_the_focused_concept(browser, site):
    opened = Page(browser, site, width=360, height=740)
    try:
        assert opened.js("window.deckgraphMap.labelPixels()") >= 12
        for concept in ("LoRA", "RLHF", "DPO"):
            assert opened.js(f"window.deckgraphMap.select({concept!r})")
            panel = opened.page.locator("#panel").bounding_box()
            point = _dom_point(opened, concept)
            assert 0 <= point["x"] <= 360 and point["y"] < panel["y"], (concept, point, panel)
            assert opened.js("window.deckgraphMap.labelPixels()") >= 12
        ARTIFACTS.mkdir(exist_ok=True)
        opened.page.screenshot(path=str(ARTIFACTS / "concept-map-phone-360-dpo.png"))
        assert opened.errors == [] and opened.outside == []
    finally:
        opened.close()


def test_desktop_panel_sits_beside_the_focused_concept(browser, site):
    opened = Page(browser, site, width=1440, height=900)
    try:
        assert opened.js("window.deckgraphMap.select('RLHF')")
        panel = opened.page.locator("#panel").bounding_box()
        assert _dom_point(opened, "RLHF")["x"] < panel["x"]
    finally:
        opened.close()


def test_chinese_notes_label_concepts_in_chinese_and_search_finds_any_alias(browser, site_zh):
    graph = json.loads((site_zh / "graph.json").read_text(encoding="utf-8"))
    labels = {node["id"]: node["label"] for node in graph["nodes"]}
    assert labels.get("overfitting") == "过拟合", labels
    opened = Page(browser, site_zh, width=360, height=740)
    try:
        for query in ("overfitting", "过拟合", "過学習", "과적합"):
            opened.page.fill("#search", "")
            opened.page.type("#search", query)
            assert opened.js("window.deckgraphMap.selected") == "overfitting", query
        assert "过拟合" in opened.page.locator("#results").inner_text()
        assert opened.js("window.deckgraphMap.select('overfitting')")
        assert opened.page.locator("#panel h2").text_content() == "过拟合"
        assert opened.js("window.deckgraphMap.labelPixels()") >= 12
        ARTIFACTS.mkdir(exist_ok=True)
        opened.page.screenshot(path=str(ARTIFACTS / "concept-map-phone-zh.png"))
        assert opened.errors == [] and opened.outside == []
    finally:
        opened.close()
