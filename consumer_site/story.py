"""The brand's story: Markdown rendered to safe HTML.

Brand content is typed by brand staff, but a compromised staff account must not be able to
run script on every consumer's phone. So: CommonMark with raw HTML off (``<script>``
becomes text), and links and images limited to http(s), mailto and tel — markdown-it's own
validator already refuses ``javascript:``/``vbscript:``/``file:``/most ``data:``; ours is
stricter and also refuses relative tricks like ``//evil.example``.

References: CommonMark 0.31 §6.6 (raw HTML), markdown-it-py ``validateLink``.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
MAX_STORY = 20_000


def safe_link(url: str) -> bool:
    """Absolute http(s)/mailto/tel links only (after trimming; control characters refused)."""
    value = url.strip()
    if any(ord(c) < 0x20 or c == "\\" for c in value):
        return False
    scheme = urlsplit(value).scheme.lower()
    return scheme in ALLOWED_SCHEMES and not value.lower().startswith(("http:///", "https:///"))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


def render_story(markdown: str | None) -> str:
    """Safe HTML for a brand story ('' for none); overlong stories are cut, never rendered raw."""
    if not markdown or not markdown.strip():
        return ""
    return _rendered(markdown[:MAX_STORY])


@lru_cache(maxsize=512)
def _rendered(markdown: str) -> str:
    # A product's story is the same on every scan of every one of its items: parse it once
    # per process (a Markdown parse cost more than the rest of the page).
    md = _parser()
    tokens = md.parse(markdown)
    for token in tokens:
        # The story sits under the page's own <h2>: its headings start one level below.
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
    return md.renderer.render(tokens, md.options, {})
