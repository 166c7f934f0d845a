"""Brand stories: Markdown in, safe HTML out (no raw HTML, no script links)."""

from __future__ import annotations

import pytest

from consumer_site.story import render_story, safe_link


def test_markdown_renders_with_headings_below_the_section_heading() -> None:
    html = render_story("# Our farm\n\nPicked **by hand**. [Visit](https://acme.example/farm)")
    assert html == ('<h3>Our farm</h3>\n<p>Picked <strong>by hand</strong>. '
                    '<a href="https://acme.example/farm">Visit</a></p>\n')


def test_raw_html_is_shown_as_text_never_run() -> None:
    html = render_story('Hello <script>alert(1)</script> <img src=x onerror="alert(2)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html


@pytest.mark.parametrize("target", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "file:///etc/passwd",
    "//evil.example/x", "https:///evil",
])
def test_dangerous_link_targets_are_not_links(target: str) -> None:
    html = render_story(f"[click](<{target}>) ![img](<{target}>)")
    assert "href=" not in html and "src=" not in html
    assert not safe_link(target)


def test_safe_link_targets_stay_links() -> None:
    for target in ("https://acme.example/a?b=c", "http://acme.example", "mailto:care@acme.example", "tel:+8657100000"):
        assert safe_link(target)
    assert 'href="mailto:care@acme.example"' in render_story("[mail](mailto:care@acme.example)")


def test_empty_story_renders_nothing() -> None:
    assert render_story(None) == "" and render_story("  \n") == ""
