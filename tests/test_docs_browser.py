"""The built site in a real browser: headless Chromium from Debian, driven by playwright.

The site is built into a temporary folder, served on 127.0.0.1 on a free port,
and opened as a reader would open it. For the pilot design page and one other
design page it checks every section heading, that the Mermaid process diagram
has been drawn as SVG (from the site's own copy of Mermaid: requests to any
other host are refused), that search finds the design, and that nothing is
logged as an error. A full-page screenshot of the pilot page is saved to
``artefacts/design-page.png``. The same pages are audited against WCAG 2.2 A
and AA with axe-core (installed from npm into a temporary folder), in the light
and the dark scheme.

Skipped when ``/usr/bin/chromium`` is absent, unless SHAREDSVC_REQUIRE_BROWSER
is set (CI sets it), in which case a missing browser is a failure.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from sharedsvc.docgen import DESIGN_SECTIONS, design_page_path
from sharedsvc.registry import Registry

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = REPO / "artefacts"
PILOT = "adult-social-care/contact"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Material draws each diagram into a closed shadow root, which no script can see into;
#: opening it lets the test find the SVG. It changes nothing else about the page.
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attachShadow.call(this, { ...init, mode: "open" });
};
"""

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def build_site(out: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` into ``out`` (not --quiet, which hides warnings)."""
    env = {**os.environ, "DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("SHAREDSVC_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(f"{CHROMIUM} is required (SHAREDSVC_REQUIRE_BROWSER is set)")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    _require_browser()
    root = tmp_path_factory.mktemp("browser-site")
    result = build_site(root)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(served_site: tuple[str, Path]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _other_design(registry: Registry) -> str | None:
    """A care design besides the pilot, if one exists (designs are added over time)."""
    others = [d for d in registry.ids if d != PILOT]
    care = [d for d in others if "care" in d.split("/", 1)[0]]
    return (care or others or [None])[0]


def _designs_under_test(registry: Registry) -> list[str]:
    assert PILOT in registry.ids, "the pilot design must exist"
    other = _other_design(registry)
    return [PILOT] + ([other] if other else [])


class _Page:
    """A browser tab that records errors and refuses requests to other hosts."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1440, "height": 1000})
        self.context.add_init_script(OPEN_SHADOW_ROOTS)
        self.errors: list[str] = []
        self.offsite: list[str] = []
        host = urlsplit(base).netloc
        self.context.route("**/*", functools.partial(self._route, host))
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def _route(self, host: str, route: Any) -> None:
        url = route.request.url
        if urlsplit(url).netloc == host or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.offsite.append(url)
            route.abort()

    def _failed(self, request: Any) -> None:
        # A request the browser cancels because the reader moved to another page is not a fault.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"failed: {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any, served_site: tuple[str, Path]) -> Iterator[_Page]:
    page = _Page(browser, served_site[0])
    yield page
    page.close()


def _page_url(base: str, design_id: str) -> str:
    return f"{base}/{design_page_path(design_id).replace('.md', '.html')}"


def test_pilot_and_another_design_page_render_every_section_and_the_diagram(
    tab: _Page, served_site: tuple[str, Path], registry: Registry
) -> None:
    base, _ = served_site
    for design_id in _designs_under_test(registry):
        design = registry.get(design_id)
        tab.page.goto(_page_url(base, design_id), wait_until="load")
        title = tab.page.eval_on_selector("article h1", "h => h.firstChild.textContent.trim()")
        assert title == design.title
        sections = tab.page.eval_on_selector_all(
            "article h2", "hs => hs.map(h => h.firstChild.textContent.trim())"
        )
        assert sections == list(DESIGN_SECTIONS), f"{design_id}: {sections}"
        for section in DESIGN_SECTIONS:
            assert tab.page.get_by_role("heading", name=section, level=2).is_visible()
        # Material replaces the <pre class="mermaid"> source with the drawn diagram.
        svg = tab.page.locator("div.mermaid svg").first
        svg.wait_for(state="attached", timeout=20_000)
        drawn = " ".join(svg.evaluate("s => s.textContent").split())
        for state in design.process.states:
            assert state.title in drawn, f"{design_id}: state {state.title!r} not drawn"
        assert tab.page.locator("pre.mermaid").count() == 0
        if design_id == PILOT:
            ARTEFACTS.mkdir(exist_ok=True)
            tab.page.screenshot(path=str(ARTEFACTS / "design-page.png"), full_page=True)
    assert not tab.offsite, f"requests to other hosts: {tab.offsite}"
    assert not tab.errors, tab.errors


def _rare_summary_word(site_root: Path, summary: str) -> str:
    """The word of a summary that the fewest pages contain (so search ranks its design)."""
    index = json.loads((site_root / "search" / "search_index.json").read_text("utf-8"))
    pages: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#", 1)[0]
        pages[page] = pages.get(page, "") + " " + (doc["title"] + " " + doc["text"]).lower()
    words = set(re.findall(r"[a-z]{6,}", summary.lower()))
    counts = {w: sum(w in text for text in pages.values()) for w in words}
    return min(sorted(counts), key=lambda w: counts[w])


def test_search_finds_a_design_by_a_word_from_its_summary(
    tab: _Page, served_site: tuple[str, Path], registry: Registry
) -> None:
    base, root = served_site
    for design_id in _designs_under_test(registry):
        word = _rare_summary_word(root, registry.get(design_id).summary)
        tab.page.goto(f"{base}/index.html", wait_until="load")
        search = tab.page.locator("input.md-search__input")
        search.click()
        search.press_sequentially(word, delay=20)
        target = design_page_path(design_id).replace(".md", ".html")
        result = tab.page.locator(f'.md-search-result__list a[href*="{target}"]').first
        result.wait_for(state="attached", timeout=20_000)
        result.click()
        tab.page.wait_for_url(re.compile(re.escape(target)), timeout=20_000)
    assert not tab.offsite, f"requests to other hosts: {tab.offsite}"
    assert not tab.errors, tab.errors


def test_palette_toggle_switches_between_light_and_dark(
    tab: _Page, served_site: tuple[str, Path]
) -> None:
    base, _ = served_site
    tab.page.emulate_media(color_scheme="light")
    tab.page.goto(_page_url(base, PILOT), wait_until="load")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert tab.page.evaluate(scheme) == "default"
    tab.page.get_by_title("Switch to dark mode").first.click()
    assert tab.page.evaluate(scheme) == "slate"
    tab.page.get_by_title("Switch to light mode").first.click()
    assert tab.page.evaluate(scheme) == "default"
    assert not tab.errors, tab.errors


def test_keyboard_reaches_the_skip_link_and_the_search(
    tab: _Page, served_site: tuple[str, Path]
) -> None:
    base, _ = served_site
    tab.page.goto(_page_url(base, PILOT), wait_until="load")
    tab.page.keyboard.press("Tab")
    focused = tab.page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    tab.page.keyboard.press("/")  # Material's shortcut for search
    assert tab.page.evaluate("document.activeElement.classList.contains('md-search__input')")


#: axe-core rule tags for WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def axe_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("SHAREDSVC_REQUIRE_BROWSER", "") not in ("", "0"):
            pytest.fail("npm is required for the accessibility audit")
        pytest.skip("npm is not installed; the axe-core accessibility audit is not run")
    prefix = tmp_path_factory.mktemp("axe")
    install = subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "axe-core@4"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    return prefix / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_design_pages_pass_an_automated_wcag_audit(
    browser: Any,
    served_site: tuple[str, Path],
    registry: Registry,
    axe_script: Path,
    scheme: str,
) -> None:
    base, _ = served_site
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, color_scheme=scheme)
    try:
        page = context.new_page()
        problems = []
        for design_id in _designs_under_test(registry):
            page.goto(_page_url(base, design_id), wait_until="load")
            page.locator("div.mermaid").first.wait_for(state="attached", timeout=20_000)
            page.add_script_tag(path=str(axe_script))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
            )
            problems += [
                f"{design_id}: {v['id']} ({v['help']}) at {v['nodes'][0]['target']}"
                for v in result["violations"]
            ]
        assert not problems, "\n".join(problems)
    finally:
        context.close()
