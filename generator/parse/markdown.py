"""The one configured Markdown parser every stage shares."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from generator.parse import render


@lru_cache(maxsize=2)
def markdown(allow_html: bool = False) -> MarkdownIt:
    """CommonMark + tables, strikethrough, `$` math, admonitions and front matter.

    Raw HTML is always *parsed* (so `<details>` blocks can be found), and escaped when rendered
    unless `allow_html` is set.
    """
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    # "text\n---" in study notes is a separator after a paragraph far more often than a
    # setext heading; reading it as a heading would cut a card in two.
    md.disable("lheading")
    md.use(front_matter_plugin)
    md.use(admon_plugin)
    md.use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    render.install_rules(md, allow_html=allow_html)
    return md
