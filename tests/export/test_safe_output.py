"""Card HTML is safe to run in Anki: raw HTML escaped, images only from inside the notes folder."""

from __future__ import annotations

import base64
import json
import os
import zipfile
from pathlib import Path

import pytest

from generator.build import build
from generator.check import check
from generator.config import BuildConfig

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def build_notes(notes: Path, out: Path, **options) -> tuple[object, Path]:
    report = build(BuildConfig(notes_dir=notes, output_dir=out, **options))
    return report, report.outputs[0]


def anki_cards(package: Path, tmp_path: Path) -> tuple[list[tuple[str, str]], Path]:
    """Import `package` into a fresh Anki collection: (question, answer) HTML of each card, media folder."""
    from anki.collection import Collection, ImportAnkiPackageRequest

    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(package)))
        cards = [collection.get_card(cid) for cid in sorted(collection.find_cards(""))]
        return [(card.question(), card.answer()) for card in cards], Path(collection.media.dir())
    finally:
        collection.close()


XSS_NOTE = """# Security

## What does <script>alert(1)</script> do?

It runs <img src=x onerror=alert(1)> unless escaped.

<script>document.body.innerHTML = 'pwned'</script>
"""


def test_raw_html_and_scripts_are_escaped_in_anki(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "xss.md").write_text(XSS_NOTE, encoding="utf-8")
    _, package = build_notes(notes, tmp_path / "out")
    [(question, answer)] = anki_cards(package, tmp_path)[0]
    for side in (question, answer):
        assert "<script>alert" not in side
        assert "<img src=x" not in side and 'onerror="alert' not in side
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in question
    assert "&lt;img src=x onerror=alert(1)&gt;" in answer
    assert "&lt;script&gt;document.body" in answer
    assert "<script>document" not in answer


def test_allow_html_passes_html_through(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "x.md").write_text("# T\n\n## What is bold?\n\nIt is <b>bold</b>.\n", encoding="utf-8")
    _, package = build_notes(notes, tmp_path / "out", allow_html=True)
    [(_, answer)] = anki_cards(package, tmp_path)[0]
    assert "<b>bold</b>" in answer


def _image_notes(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    (notes / "img").mkdir(parents=True)
    (notes / "sub").mkdir()
    (notes / "img" / "x.png").write_bytes(PNG)
    (notes / "sub" / "x.png").write_bytes(PNG + b"other")  # same name, other content
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"secret bytes")
    os.symlink(outside, notes / "sub" / "link.png")
    (notes / "a.md").write_text(
        "# A\n\n## What is in the picture?\n\n![diagram](img/x.png)\n\n"
        "## What else?\n\n![other](sub/x.png) and ![again](img/x.png)\n",
        encoding="utf-8",
    )
    (notes / "sub" / "b.md").write_text(
        "# B\n\n## What is relative to the note?\n\n![same](x.png)\n\n"
        "## What escapes?\n\n![abs](/etc/passwd) ![up](../../secret.png) ![link](link.png)\n"
        "![remote](https://example.com/track.png) ![gone](missing.png)\n",
        encoding="utf-8",
    )
    return notes


def test_images_are_packed_with_flat_collision_free_names(tmp_path):
    notes = _image_notes(tmp_path)
    _report, package = build_notes(notes, tmp_path / "out")
    with zipfile.ZipFile(package) as archive:
        index = json.loads(archive.read("media"))
        names = sorted(index.values())
        assert len(names) == 2 and len(set(names)) == 2
        assert all(name.endswith("-x.png") and "/" not in name for name in names)
        assert sorted(index) == ["0", "1"]
        assert {archive.read(key) for key in index} == {PNG, PNG + b"other"}
        assert b"secret bytes" not in b"".join(archive.read(key) for key in index)
    cards, media_dir = anki_cards(package, tmp_path)
    assert sorted(p.name for p in media_dir.iterdir()) == names
    html = "\n".join(answer for _, answer in cards)
    for name in names:
        assert f'src="{name}"' in html


def test_images_outside_the_folder_are_refused_and_remote_ones_linked(tmp_path):
    notes = _image_notes(tmp_path)
    report, package = build_notes(notes, tmp_path / "out")
    messages = [str(d) for d in report.diagnostics]
    assert any("sub/b.md:9" in m and "/etc/passwd" in m and "absolute" in m for m in messages)
    assert any("sub/b.md:9" in m and "../../secret.png" in m and "outside" in m for m in messages)
    assert any("sub/b.md:9" in m and "'link.png'" in m and "leaves the notes folder" in m for m in messages)
    assert any("sub/b.md:10" in m and "missing.png" in m and "not found" in m for m in messages)
    assert not any("example.com" in m for m in messages)
    cards, media_dir = anki_cards(package, tmp_path)
    html = "\n".join(answer for _, answer in cards)
    assert '<a href="https://example.com/track.png">remote</a>' in html
    assert '<img src="https://' not in html and '/etc/passwd"' not in html
    assert not any("secret" in p.name or "link" in p.name for p in media_dir.iterdir())


def test_package_is_deterministic_with_media(tmp_path):
    notes = _image_notes(tmp_path)
    _, first = build_notes(notes, tmp_path / "one")
    _, second = build_notes(notes, tmp_path / "two")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("src", ["/abs/x.png", "../x.png", "a/../../x.png", "C:\\x.png", ""])
def test_unsafe_paths_are_recognised(src):
    from generator.sources.media import unsafe_reason

    assert unsafe_reason(src)


# -- fuzz: random Markdown never crashes the parser, and every card renders in Anki ---------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    [
        "# ",
        "## ",
        "### ",
        "- ",
        "* ",
        "1. ",
        "> ",
        "```",
        "```python",
        "~~~",
        "$",
        "$$",
        "**",
        "__",
        "*",
        "_",
        "`",
        "|",
        "| a | b |\n|---|---|\n",
        "---",
        "Q: ",
        "A: ",
        "**A:**",
        "?",
        "What is ",
        "Why ",
        "<details>",
        "<summary>",
        "</summary>",
        "</details>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "![i](x.png)",
        "![r](http://e.com/a.png)",
        "[l](../a.md)",
        "<!-- id: x -->",
        '!!! question "Q?"',
        "??? note",
        "    ",
        "\t",
        "\\",
        "&amp;",
        "&",
        "<",
        ">",
        "Ã©",
        "ðŸ",
        "\u200b",
        "\ufeff",
        "中文",
        "？",
        "：",
        "+++",
        "title: x",
        "[^1]",
        "[x]: http://a",
        "\r",
        "\n",
        "\n\n",
    ]
)
_MARKDOWN = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=60).map("".join)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(documents=st.lists(_MARKDOWN, min_size=1, max_size=4))
def test_random_markdown_builds_and_renders_in_anki(tmp_path_factory, documents):
    tmp_path = tmp_path_factory.mktemp("fuzz")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "x.png").write_bytes(PNG)
    for index, text in enumerate(documents):
        (notes / f"n{index}.md").write_text(text, encoding="utf-8")
    (notes / "anchor.md").write_text("# A\n\n## What is fixed?\n\nThis.\n", encoding="utf-8")
    report, package = build_notes(notes, tmp_path / "out")
    assert not [d for d in report.errors if d.code == "parse-error"], report.errors
    cards, _ = anki_cards(package, tmp_path)
    assert len(cards) == len(report.cards)
    for question, answer in cards:
        assert question and answer
        assert "<script>alert" not in question + answer
        assert "<img src=x" not in question + answer
    check(BuildConfig(notes_dir=notes, output_dir=tmp_path / "out"))  # the linter copes too
