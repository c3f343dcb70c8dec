"""Markdown tokens → HTML that Anki shows well: MathJax delimiters, highlighted code, scrolling tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import Text
from pygments.util import ClassNotFound

from generator.sources.media import MediaContext, is_remote, resolve_image

CODE_STYLE = "monokai"
"""A dark theme with its own background: readable on a white card and in night mode alike."""


def render_tokens(md: MarkdownIt, tokens: Sequence[Token], env: dict | None = None) -> str:
    """`env` may carry a MediaContext under "media": images then resolve against the note's folder."""
    return md.renderer.render(list(tokens), md.options, env if env is not None else {}).strip()


def render_inline(md: MarkdownIt, tokens: Sequence[Token], env: dict | None = None) -> str:
    """The HTML of an inline token's children (a card's front), with the rules `install_rules` set."""
    renderer = md.renderer
    if not isinstance(renderer, RendererHTML):  # the protocol has no renderInline; ours is always HTML
        raise TypeError(f"deckgraph renders with markdown-it's HTML renderer, not {type(renderer).__name__}")
    return renderer.renderInline(list(tokens), md.options, env if env is not None else {}).strip()


def install_rules(md: MarkdownIt, allow_html: bool) -> None:
    md.add_render_rule("math_inline", _math_inline)
    md.add_render_rule("math_inline_double", _math_display)
    md.add_render_rule("math_block", _math_block)
    md.add_render_rule("math_block_label", _math_block)
    md.add_render_rule("fence", _fence)
    md.add_render_rule("code_block", _fence)
    md.add_render_rule("table_open", lambda *_: '<div class="table-wrap"><table>\n')
    md.add_render_rule("table_close", lambda *_: "</table></div>\n")
    md.add_render_rule("front_matter", lambda *_: "")
    md.add_render_rule("image", _image)
    if not allow_html:
        md.add_render_rule("html_block", _escaped_html_block)
        md.add_render_rule("html_inline", _escaped_html_inline)


_TAG = re.compile(r"<[^>]*>")
_PLAIN_TAG = re.compile(r"</?(?:b|i|em|strong|u|sub|sup|br|code|kbd|mark|small|s|del|ins|p)\s*/?>", re.I)


def _plain_formatting(html: str) -> bool:
    """Only tags without attributes that format text (<i>, <sup>, <br> …): safe as they are."""
    return all(_PLAIN_TAG.fullmatch(tag) for tag in _TAG.findall(html))


def _escaped_html_block(self, tokens, idx, options, env) -> str:
    content = tokens[idx].content.strip()
    if _is_comment(content):  # hidden in every Markdown preview, so hidden on the card too
        return ""
    if _plain_formatting(content):
        return f"<p>{_COMMENTS.sub('', content)}</p>\n"
    return f"<p>{escapeHtml(content)}</p>\n"


def _escaped_html_inline(self, tokens, idx, options, env) -> str:
    content = tokens[idx].content
    if _is_comment(content):
        return ""
    return content if _PLAIN_TAG.fullmatch(content) else escapeHtml(content)


_COMMENTS = re.compile(r"<!--.*?-->", re.S)


def _is_comment(html: str) -> bool:
    return html.startswith("<!--") and html.endswith("-->") and "-->" not in html[4:-3]


def _image(self, tokens, idx, options, env) -> str:
    """Local images inside the notes folder become packed media; anything else is never loaded."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env)
    context = (env or {}).get("media")
    if is_remote(src):
        # A remote image would be fetched each time the card is shown (and fails offline): link it.
        return f'<a href="{escapeHtml(src)}">{escapeHtml(alt or src)}</a>'
    name = resolve_image(context, src) if isinstance(context, MediaContext) else None
    if name is None:
        return f'<span class="missing-image">[{escapeHtml(alt or "image")}]</span>'
    title = token.attrGet("title")
    title_attr = f' title="{escapeHtml(title)}"' if title else ""
    return f'<img src="{escapeHtml(name)}" alt="{escapeHtml(alt)}"{title_attr}>'


# MathJax in Anki reads \( \) and \[ \]. The TeX is left as written; only <, > and & are escaped.
def _math_inline(self, tokens, idx, options, env) -> str:
    return "\\(" + escapeHtml(tokens[idx].content) + "\\)"


def _math_display(self, tokens, idx, options, env) -> str:
    return "\\[" + escapeHtml(tokens[idx].content) + "\\]"


def _math_block(self, tokens, idx, options, env) -> str:
    return '<div class="math">\\[' + escapeHtml(tokens[idx].content.strip()) + "\\]</div>\n"


def _fence(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    return highlight_code(token.content, language)


def highlight_code(code: str, language: str) -> str:
    background, foreground = _style_colours()
    body = highlight(code, _lexer(language), _formatter())
    return f'<div class="code" style="background:{background};color:{foreground}">{body}</div>\n'


@lru_cache(maxsize=64)
def _lexer(language: str):
    if not language:
        return TextLexer()
    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return TextLexer()


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter:
    # Inline styles: a card carries no stylesheet of Pygments' and must not load one.
    return HtmlFormatter(style=CODE_STYLE, noclasses=True, nobackground=True)


@lru_cache(maxsize=1)
def _style_colours() -> tuple[str, str]:
    style = get_style_by_name(CODE_STYLE)
    foreground = style.style_for_token(Text)["color"] or "f8f8f2"
    return style.background_color, f"#{foreground}"
