"""What a reader does: copy code, open solutions, switch light/dark, search. Plus a screenshot."""

from __future__ import annotations

import html
import re

import pytest
from site_helpers import SITE, chapter_pages, matches, site_built, unavailable

# Key terms and the chapter (glob under the site root) that search must find for each, in its
# first results. A term is skipped while no page of the build matches its glob.
SEARCH_TERMS = {
    "eigenvalue": "book/part1-math/linear-algebra.html",
    "backpropagation": "book/part3-neural-networks/backpropagation.html",
    "convolution": "book/part6-cnn/*.html",
    "derivative": "book/part1-math/calculus.html",
    "logistic regression": "book/part2-ml-basics/logistic-regression.html",
}
TOP = 5

_LUMINANCE = """(color) => {
  const m = color.match(/[\\d.]+/g).map(Number);
  if (m.length > 3 && m[3] === 0) return null;  // transparent
  const [r, g, b] = m.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}"""

# For each figure: the luminance of what the reader sees at its corners (image pixels composited
# on the element's own background, else the page's), so a transparent figure on a dark page fails.
_FIGURES = """() => {
  const lum = LUMINANCE;
  const pageBg = lum(getComputedStyle(document.body).backgroundColor) ?? 1;
  return [...document.querySelectorAll('article.bd-article img')].filter(img => img.naturalWidth > 32)
    .map(img => {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const bg = lum(getComputedStyle(img).backgroundColor) ?? pageBg;
      const corners = [[1, 1], [canvas.width - 2, 1], [1, canvas.height - 2], [canvas.width - 2, canvas.height - 2]];
      const seen = corners.map(([x, y]) => {
        const [r, g, b, a] = ctx.getImageData(x, y, 1, 1).data;
        const px = lum(`rgb(${r}, ${g}, ${b})`);
        return (a / 255) * px + (1 - a / 255) * bg;
      });
      return {src: img.getAttribute('src'), corner: Math.min(...seen)};
    });
}""".replace("LUMINANCE", _LUMINANCE)


@pytest.fixture(scope="session")
def _shared_context(browser):
    """One warm browser context (cached assets) for the tests that do not change settings."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    yield context
    context.close()


@pytest.fixture
def reader(browser, base_url, _shared_context):
    """``reader(rel, **context options) -> Page``: in the shared context, or a fresh one when
    options are given (light/dark tests: the theme remembers the reader's choice)."""
    opened = []

    def _open(rel: str, **options):
        if options:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
            opened.append(context)
            page = context.new_page()
        else:
            page = _shared_context.new_page()
            opened.append(page)
        page.goto(base_url + rel, wait_until="load")
        page.evaluate("() => window.MathJax?.startup?.promise")
        return page

    yield _open
    for item in opened:
        item.close()


def _first_chapter(predicate=lambda html: True) -> str:
    if not site_built():
        unavailable(f"the site is not built: no {SITE / 'index.html'} (run `make book`)")
    pages = chapter_pages()
    for rel in pages[1:] + pages[:1]:  # chapters before the home page
        if predicate((SITE / rel).read_text(encoding="utf8")):
            return rel
    pytest.skip("no chapter of the build has what this test needs")


def test_code_cells_have_copy_buttons(chapter, reader):
    page = reader(chapter)
    blocks = page.locator("article div.highlight")
    if blocks.count() == 0:
        pytest.skip("no code on this page")
    missing = page.locator("article div.highlight:not(:has(button.copybtn))")
    assert missing.count() == 0, f"{missing.count()} of {blocks.count()} code blocks lack a copy button"
    block = page.locator("article div.cell_input div.highlight, article div.highlight").first
    block.hover()
    block.locator("button.copybtn").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    code = block.locator("pre").inner_text()
    assert copied.strip() and copied.strip() in code, f"copied {copied!r}, the block shows {code[:200]!r}"


def test_solutions_are_hidden_until_opened(chapter, reader):
    page = reader(chapter)
    solutions = page.locator("article div.solution")
    if solutions.count() == 0:
        pytest.skip("no exercise solution on this page")
    for i in range(solutions.count()):
        solution = solutions.nth(i)
        body = solution.locator(":scope > :not(.admonition-title)")
        title = solution.locator(":scope > .admonition-title").inner_text().strip()
        assert body.count() > 0, f"solution {title!r} has no content"
        assert not any(body.nth(j).is_visible() for j in range(body.count())), (
            f"solution {title!r} is visible before it is opened")
        solution.locator("button.toggle-button").click()
        body.first.wait_for(state="visible", timeout=5000)
        assert body.first.inner_text().strip(), f"solution {title!r} is empty once opened"


def _has_figure(html: str) -> bool:
    return "_images/" in html  # figures and images of the chapters are copied to _images/


def test_dark_mode_switches_theme_and_figures_stay_readable(reader, report_dir):
    rel = _first_chapter(_has_figure)
    page = reader(rel, color_scheme="light")
    lum = f"(c) => ({_LUMINANCE})(c)"
    background = "() => getComputedStyle(document.body).backgroundColor"
    assert page.evaluate("() => document.documentElement.dataset.theme") == "light"
    assert page.evaluate(lum, page.evaluate(background)) > 0.8, "the light theme is not light"
    button = page.locator("button.theme-switch-button").first
    for _ in range(3):  # the button cycles light -> dark -> auto
        if page.evaluate("() => document.documentElement.dataset.theme") == "dark":
            break
        button.click()
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark", "no dark theme"
    page.wait_for_timeout(300)  # CSS transitions
    assert page.evaluate(lum, page.evaluate(background)) < 0.1, "the dark theme's background is not dark"
    text = page.evaluate("() => getComputedStyle(document.querySelector('article p') || document.body).color")
    assert page.evaluate(lum, text) > 0.4, "the dark theme's text is not light"
    figures = page.evaluate(_FIGURES)
    if not figures:
        pytest.skip("no figure on the first chapter with images")
    page.evaluate("() => document.querySelector('article.bd-article img').scrollIntoView({block: 'center'})")
    page.screenshot(path=str(report_dir / f"screenshot-{rel.rsplit('/', 1)[-1][:-5]}-dark.png"))
    dark = [f for f in figures if f["corner"] < 0.5]
    assert not dark, f"figures without a light background in the dark theme: {dark}"


def test_screenshot_of_a_chapter(reader, report_dir):
    rel = _first_chapter(lambda html: 'class="math' in html)
    page = reader(rel, color_scheme="light")
    path = report_dir / f"screenshot-{rel.rsplit('/', 1)[-1][:-5]}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000


@pytest.mark.parametrize("term", sorted(SEARCH_TERMS))
def test_search_finds_the_chapter(term, reader):
    if not site_built():
        unavailable(f"the site is not built: no {SITE / 'index.html'} (run `make book`)")
    expected = SEARCH_TERMS[term]
    if not any(matches(rel, expected) for rel in chapter_pages()):
        pytest.skip(f"no chapter {expected} in this build")
    found = _search(reader, term)
    assert any(matches(rel, expected) for rel in found[:TOP]), (
        f"searching {term!r}: expected a page {expected} in the first {TOP} results, got {found[:10]}")


def test_search_finds_each_chapter_by_its_title(chapter, reader):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", (SITE / chapter).read_text(encoding="utf8"), re.S)
    assert match, f"{chapter} has no <h1>"
    title = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).replace("#", "").strip()
    found = _search(reader, title)
    assert chapter in found[:TOP], f"searching {title!r}: {chapter} not in the first {TOP} results {found[:10]}"


def _search(reader, query: str) -> list[str]:
    """Pages (relative to the site root) that search.html lists for ``query``, in order."""
    from urllib.parse import quote, urlsplit

    page = reader(f"search.html?q={quote(query)}")
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && !/preparing|searching/i.test(s.textContent) && s.textContent.trim().length > 0; }",
        timeout=15_000)
    hrefs = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
    base = page.url.split("search.html")[0]
    pages = []
    for href in hrefs:
        rel = urlsplit(href.replace(base, "", 1)).path
        if rel not in pages:
            pages.append(rel)
    return pages
