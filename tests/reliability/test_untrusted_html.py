"""Untrusted strings reach reports only as text, and reports load nothing remote.

A report is built from a notebook that prints and displays (as a DataFrame) a
country name, a deal description and a poll question carrying ``<script>`` and an
``onerror`` image; the same string is the parameter value, the report title, and
part of the catalog's publisher, edition and terms (the footer) and of a failing
cell's error message. The HTML must contain it only escaped; headless Chromium
must run none of it and request nothing but ``file:`` and ``data:`` URLs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.reliability.project import EVIL, FAULT, INJECT, build, make_project

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
RAW_MARKERS = ("<script>window.kzPwned", "<img src=x onerror")
ESCAPED = "&lt;script&gt;window.kzPwned = 1&lt;/script&gt;"
LOADING_ATTRS = {"src", "srcset", "data", "poster", "background", "action", "formaction"}
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)


class Resources(HTMLParser):
    """Collect URLs an HTML page would load (not plain links a reader may click)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []
        self.in_style = False
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LOADING_ATTRS or (tag == "link" and name == "href"):
                self.loads.append(value)
            if name == "style":
                self.styles.append(value)
            if tag == "meta" and name == "content" and "url=" in value.lower():
                self.loads.append(value)
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.styles.append(data)


class Active(HTMLParser):
    """Collect injected markup that a browser would run: script text, ``on*`` handlers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") and "kzPwned" in (value or ""):
                self.found.append(f"<{tag} {name}=...>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "kzPwned" in data:
            self.found.append("<script>…kzPwned…</script>")


def active_markup(page: str) -> list[str]:
    """Injected elements the page would run (empty when everything is text)."""
    parser = Active()
    parser.feed(page)
    return parser.found


def remote_loads(page: str) -> list[str]:
    """URLs the page would fetch from elsewhere than itself (``data:`` is inline)."""
    parser = Resources()
    parser.feed(page)
    urls = [u for u in parser.loads if REMOTE.match(u) and not u.startswith("data:")]
    for css in parser.styles:
        urls += [u for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) if REMOTE.match(u)]
        urls += re.findall(r"@import\s+['\"]?([^'\";]+)", css)
    return [u for u in urls if not u.startswith("data:")]


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(
        tmp_path_factory.mktemp("inject") / "proj",
        {"inject.ipynb": INJECT, "fault.ipynb": FAULT},
        [
            {
                "name": "inject-KAZ",
                "notebook": "inject.ipynb",
                "title": "Report " + EVIL,
                "parameters": {"label": EVIL},
                "show_code": True,
            },
            {"name": "error-KAZ", "notebook": "fault.ipynb", "parameters": {"mode": EVIL}},
        ],
    )
    # error-KAZ prints the mode, then succeeds: build it, then make it fail with EVIL text
    code, out, exc = build(root, "--jobs", "2")
    assert exc is None and code == 0, out
    fault = (root / "notebooks" / "fault.ipynb").read_text()
    evil_raise = 'raise RuntimeError(\\"deliberate failure\\")'
    assert evil_raise in fault
    (root / "notebooks" / "fault.ipynb").write_text(
        fault.replace(evil_raise, "raise RuntimeError(mode)").replace(
            'if mode == \\"raise\\":', "if mode.startswith('<'):"
        )
    )
    code, out, exc = build(root, "error-KAZ")
    assert exc is None and code == 1, out
    return root / "reports"


PAGES = ["inject-KAZ.html", "index.html", "error-KAZ.error.html", "error-KAZ.html"]


@pytest.mark.parametrize("page", PAGES)
def test_untrusted_strings_appear_only_escaped(injected: Path, page: str, tally):
    html = (injected / page).read_text(encoding="utf-8")
    for marker in RAW_MARKERS:
        assert marker not in html, f"{page}: raw {marker!r} in the HTML"
    assert active_markup(html) == [], page
    assert ESCAPED in html or "&lt;script&gt;" in html, f"{page}: the text is not shown"
    tally("pages checked for injected markup", 1)


def test_every_untrusted_field_is_shown_as_text(injected: Path):
    html = (injected / "inject-KAZ.html").read_text(encoding="utf-8")
    for context in (
        "Report &lt;script&gt;",  # title (reports.yaml)
        "Alpha Office &lt;script&gt;",  # publisher (catalog footer)
        "2025 edition &lt;script&gt;",  # edition
        "CC BY 4.0 &lt;script&gt;",  # terms
        "Su-30SM &lt;script&gt;",  # deal description in a DataFrame
        "Do you trust &lt;script&gt;",  # poll question in a DataFrame
    ):
        assert context in html, context
    assert html.count(ESCAPED) >= 4  # country cell, print, parameter, header


@pytest.mark.parametrize("page", PAGES)
def test_reports_load_no_remote_resources(injected: Path, page: str):
    html = (injected / page).read_text(encoding="utf-8")
    assert remote_loads(html) == []
    assert not re.search(r"<script[^>]+src=", html)
    assert "cdn." not in html.lower() and "googleapis" not in html


def test_the_checkers_would_catch_active_markup_and_remote_loads():
    assert active_markup(EVIL) == ["<script>…kzPwned…</script>", "<img onerror=...>", "<img src=x>"]
    assert active_markup("<p>&lt;script&gt;window.kzPwned = 1&lt;/script&gt;</p>") == []
    page = (
        '<img src="https://x.org/a.png"><link rel=stylesheet href="//cdn.x/a.css">'
        '<style>@import "https://x/y.css"; a{background:url(http://x/b.png)}</style>'
        '<a href="https://example.org">a link is fine</a><img src="data:image/png;base64,AA">'
    )
    assert remote_loads(page) == [
        "https://x.org/a.png",
        "//cdn.x/a.css",
        "http://x/b.png",
        "https://x/y.css",
    ]


@pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}")
def test_chromium_runs_none_of_it_and_requests_nothing_remote(injected: Path):
    playwright = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    dialogs: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for name in PAGES:
                page.goto((injected / name).as_uri())
                page.wait_for_load_state("load")
                assert page.evaluate("window.kzPwned") is None, name
                if name == "inject-KAZ.html":
                    text = page.inner_text("body")
                    assert "<script>window.kzPwned = 1</script>" in text
        finally:
            browser.close()
    assert dialogs == []
    assert [u for u in requests if not u.startswith(("file:", "data:", "about:"))] == []
