"""Answers keep their structure; math reaches MathJax untouched; raw HTML is escaped."""

from __future__ import annotations

from generator.parse.markdown import markdown
from generator.parse.render import render_tokens


def html(text: str, allow_html: bool = False) -> str:
    md = markdown(allow_html)
    return render_tokens(md, md.parse(text))


def test_inline_and_display_math_keep_their_tex():
    out = html("Loss $a_i * b_j < c$ and\n\n$$\n\\sum_{t} x_t * y_t\n$$\n")
    assert r"\(a_i * b_j &lt; c\)" in out
    assert r"\[\sum_{t} x_t * y_t\]" in out
    assert "<em>" not in out


def test_inline_double_dollar_is_display_math():
    assert r"\[E = mc^2\]" in html("so $$E = mc^2$$ holds")


def test_prices_are_not_math():
    out = html("It costs $5 and $10 per hour.")
    assert r"\(" not in out and "$5" in out


def test_nested_lists_bold_links_tables():
    out = html("- **a**\n  - [b](https://x.org)\n\n| h |\n|---|\n| c |\n")
    assert '<ul>\n<li><strong>a</strong>\n<ul>\n<li><a href="https://x.org">b</a></li>' in out
    assert '<div class="table-wrap"><table>' in out and "<td>c</td>" in out


def test_code_is_highlighted_with_inline_styles_on_its_own_background():
    out = html("```python\nx = 1 < 2\n```\n")
    assert out.startswith('<div class="code" style="background:#272822;color:#f8f8f2">')
    assert 'style="color:' in out and 'class="k"' not in out
    assert "&lt;" in out


def test_raw_html_is_escaped_unless_allowed():
    source = "<script>alert(1)</script>\n\nText <b onclick=x>bold</b>\n"
    assert "<script>" not in html(source) and "&lt;script&gt;" in html(source)
    assert "<b onclick=x>" not in html(source)
    assert "<b onclick=x>" in html(source, allow_html=True)


def test_html_comments_never_show_on_a_card():
    assert html("<!-- id: abc -->\n\nText") == "<p>Text</p>"
