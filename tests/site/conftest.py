"""Browser tests of the built site (``make check-site``).

The site in ``_build/html`` (or ``$DLBOOK_SITE``) is served on 127.0.0.1 and visited with
Debian's Chromium (``/usr/bin/chromium`` or ``$DLBOOK_CHROMIUM``) through Playwright. Nothing is
downloaded: every request that leaves 127.0.0.1 is blocked and reported.

When the site has not been built the tests are skipped (``make test`` runs ``pytest tests``
before the book exists); with ``DLBOOK_CHECK_SITE=1`` (set by ``make check-site``) a missing
site, browser or axe-core is an error instead. Reports and the screenshot go to
``_build/site-report`` (or ``$DLBOOK_SITE_REPORT``).
"""

from __future__ import annotations

import functools
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_helpers import AXE, CHROMIUM, CHROMIUM_ARGS, REPORT, SITE, all_pages, chapter_pages, site_built, unavailable

# --- parametrisation: one test item per page --------------------------------------------------


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for name, pages in (("page", all_pages), ("chapter", chapter_pages)):
        if name in metafunc.fixturenames:
            found = pages() if site_built() else []
            # One placeholder item when the site is missing, so the test skips (or fails).
            metafunc.parametrize(name, found or [None], ids=found or ["no-site"])


@pytest.fixture
def page(request: pytest.FixtureRequest) -> str:
    if request.param is None:
        unavailable(f"the site is not built: no {SITE / 'index.html'} (run `make book`)")
    return request.param


@pytest.fixture
def chapter(request: pytest.FixtureRequest) -> str:
    if request.param is None:
        unavailable(f"the site is not built: no {SITE / 'index.html'} (run `make book`)")
    return request.param


# --- the server and the browser ---------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def base_url() -> str:
    """The built site, served on a free port of 127.0.0.1 for the whole session."""
    if not site_built():
        unavailable(f"the site is not built: no {SITE / 'index.html'} (run `make book`)")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (requirements-site.txt)")
    if not Path(CHROMIUM).is_file():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """What one cold load of a page did."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    requests: int = 0
    bytes: int = 0
    mathjax: bool = False


def is_local(url: str, base_url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or url.startswith(base_url)


@pytest.fixture(scope="session")
def open_page(browser, base_url):
    """``open_page(rel) -> (playwright Page, Visit)``: a cold load in a fresh browser context.

    Requests that leave 127.0.0.1 are aborted and recorded; console errors, failed requests,
    the number of requests and the bytes transferred are recorded. Waits for MathJax to finish
    typesetting. Close the page's context with ``page.context.close()``.
    """

    def _open(rel: str, color_scheme: str = "light"):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, color_scheme=color_scheme, service_workers="block"
        )
        visit = Visit(url=base_url + rel)

        def route(route):
            if is_local(route.request.url, base_url):
                route.continue_()
            else:
                visit.external.append(route.request.url)
                route.abort()

        def finished(request):
            visit.requests += 1
            sizes = request.sizes()
            visit.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            response = request.response()
            if response is not None and response.status >= 400:
                visit.failed.append(f"{response.status} {request.url}")

        def failed(request):
            if is_local(request.url, base_url):
                visit.failed.append(f"{request.failure} {request.url}")

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and visit.console_errors.append(
            f"{msg.text} ({msg.location.get('url', '')}:{msg.location.get('lineNumber', '')})"))
        page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
        page.on("requestfinished", finished)
        page.on("requestfailed", failed)
        page.goto(visit.url, wait_until="load")
        visit.mathjax = page.evaluate(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
            " ? MathJax.startup.promise.then(() => true) : false"
        )
        page.wait_for_load_state("networkidle")
        return page, visit

    return _open


@pytest.fixture(scope="session")
def report_dir() -> Path:
    REPORT.mkdir(parents=True, exist_ok=True)
    return REPORT


# --- one cold load per page, analysed once and shared by the tests -----------------------------

_ANALYSE = """() => {
  const skip = 'pre, code, script, style, mjx-container, .highlight, textarea';
  const images = [...document.querySelectorAll('img')].map(img => ({
    src: img.getAttribute('src'), alt: img.getAttribute('alt'),
  }));
  const math = [...document.querySelectorAll('.math')];
  const untypeset = math.filter(el => !el.querySelector('mjx-container'))
                        .map(el => el.textContent.trim().slice(0, 80));
  const raw = [];
  const root = document.querySelector('main') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {acceptNode: node =>
    node.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  while (walker.nextNode()) {
    const text = walker.currentNode.nodeValue;
    if (text.includes('$$') || text.includes('\\\\[') || text.includes('\\\\(')) raw.push(text.trim().slice(0, 80));
  }
  const scripts = [...document.querySelectorAll('script[src]')].map(s => s.src);
  // Code the reader sees (cell inputs and code blocks, not outputs): lines wider than the box,
  // and book machinery (glue calls) that belongs in cells tagged remove-cell.
  const code = [...document.querySelectorAll('article .highlight pre')]
    .filter(pre => !pre.closest('.cell_output'));
  const longest = pre => pre.textContent.split('\\n').reduce((a, b) => a.length >= b.length ? a : b, '');
  const wide = code.filter(pre => pre.scrollWidth > pre.clientWidth + 1)
    .map(pre => `${pre.scrollWidth}px in ${pre.clientWidth}px: ${longest(pre).slice(0, 100)}`);
  const glue = code.filter(pre => /\\bglue\\(/.test(pre.textContent))
    .map(pre => pre.textContent.split('\\n').find(line => /\\bglue\\(/.test(line)).trim().slice(0, 100));
  return {images, math: math.length, typeset: document.querySelectorAll('mjx-container').length,
          untypeset, raw, scripts, wide, glue};
}"""

_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300)}))}));
}"""


@pytest.fixture(scope="session")
def analyse(open_page):
    """``analyse(rel) -> dict``: load the page once (cold) and gather what the tests check."""
    cache: dict[str, dict] = {}
    chapters = set(chapter_pages())

    def _analyse(rel: str) -> dict:
        if rel not in cache:
            page, visit = open_page(rel)
            try:
                data = page.evaluate(_ANALYSE)
                data["visit"] = visit
                data["axe"] = None
                if rel in chapters:
                    if not AXE.is_file():
                        unavailable(f"no {AXE}: run `npm ci`")
                    page.add_script_tag(path=str(AXE))
                    data["axe"] = page.evaluate(_AXE)
            finally:
                page.context.close()
            cache[rel] = data
        return cache[rel]

    return _analyse
