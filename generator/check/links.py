"""Relative links to files that do not exist, and images that are missing or cannot be packed."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote

from generator.check.rules import CheckContext, Finding, rule
from generator.model import SourceLocation
from generator.sources.media import is_remote, unsafe_reason

_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\(\s*(?P<target><[^>]*>|[^\s)]+)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_FENCE = re.compile(r"^\s*(?:>\s*)*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def links_in(text: str):
    """(1-based line, is_image, target) for every inline link and image outside code."""
    fence = None
    for number, line in enumerate(text.split("\n"), start=1):
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        for link in _LINK.finditer(_CODE_SPAN.sub("", line)):
            yield number, bool(link.group("bang")), link.group("target").strip("<>")


@rule("links", "relative links and images that do not resolve inside the notes folder")
def broken_links(context: CheckContext):
    root = context.config.notes_dir.resolve()
    for path, source in sorted(context.sources.items()):
        folder = context.config.notes_dir / PurePosixPath(path).parent
        for line, is_image, target in links_in(source.text):
            where = SourceLocation(path, line)
            if is_remote(target) or target.startswith("#"):
                if is_image and is_remote(target):
                    yield Finding(
                        where,
                        "remote-image",
                        f"remote image {target!r} is never fetched: the card shows a link instead",
                    )
                continue
            relative = unquote(target.split("#", 1)[0].split("?", 1)[0])
            if not relative:
                continue
            kind = "image" if is_image else "link"
            problem = unsafe_reason(relative)
            if is_image and problem:
                yield Finding(where, "unsafe-image", f"image {target!r} {problem}: it will not be packed")
                continue
            try:
                resolved = (folder / relative).resolve()
            except (OSError, RuntimeError):
                yield Finding(where, f"missing-{kind}", f"{kind} {target!r} cannot be resolved")
                continue
            if is_image and not resolved.is_relative_to(root):
                yield Finding(where, "unsafe-image", f"image {target!r} leaves the notes folder: it will not be packed")
            elif not resolved.exists():
                yield Finding(
                    where, f"missing-{kind}" if is_image else "broken-link", f"{kind} target {target!r} does not exist"
                )
