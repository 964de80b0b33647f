"""Every page of the built site, loaded cold in Chromium: errors, requests, images, math, weight."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from site_helpers import SITE, load_yaml, matches, write_json

# Pages that must contain typeset math (globs relative to the site root).
MATH_PAGES = ["book/part1-math/*.html"]


@pytest.fixture(scope="session")
def weight_report(report_dir):
    """Collects bytes and requests per page; written to _build/site-report/ at the end."""
    rows: dict[str, dict] = {}
    yield rows
    if not rows:
        return
    write_json(report_dir / "page-weight.json", rows)
    lines = ["# Page weight (cold load, all requests)", "",
             "| page | requests | KiB | budget KiB | budget requests |", "|---|---:|---:|---:|---:|"]
    for rel, row in sorted(rows.items()):
        lines.append(f"| {rel} | {row['requests']} | {row['bytes'] / 1024:.0f} | "
                     f"{row['max_bytes'] / 1024:.0f} | {row['max_requests']} |")
    total = sum(row["bytes"] for row in rows.values())
    lines += ["", f"{len(rows)} pages, {total / 1024:.0f} KiB in all."]
    (report_dir / "page-weight.md").write_text("\n".join(lines) + "\n", encoding="utf8")


def budget_for(rel: str) -> tuple[int, int]:
    budget = load_yaml("budget.yml")
    limit = dict(budget["default"])
    for entry in budget.get("pages") or []:
        if matches(rel, entry["glob"]):
            limit.update({k: entry[k] for k in ("max_kib", "max_requests") if k in entry})
    return int(limit["max_kib"] * 1024), int(limit["max_requests"])


def test_page_loads_cleanly(page, analyse):
    visit = analyse(page)["visit"]
    assert not visit.console_errors, f"console errors on {page}: {visit.console_errors}"
    assert not visit.failed, f"failed requests on {page}: {visit.failed}"


def test_no_glue_call_is_shown(page, analyse):
    """Book machinery (myst-nb glue calls) lives in cells tagged remove-cell, out of sight."""
    shown = analyse(page)["glue"]
    assert not shown, f"{page} shows glue calls (tag their cells remove-cell): {shown}"


def test_code_blocks_do_not_scroll_sideways(page, analyse):
    """At the default window width every line of code fits its box (lines of at most 88 characters)."""
    wide = analyse(page)["wide"]
    assert not wide, f"{page} has code blocks wider than their box: {wide}"


class _External(HTMLParser):
    """Collects resources a page loads from another host (scripts, styles, images, frames)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        url = None
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed"):
            url = a.get("src")
        elif tag == "link" and set((a.get("rel") or "").split()) & {
                "stylesheet", "preload", "modulepreload", "icon", "prefetch", "preconnect"}:
            url = a.get("href")
        if url and (url.startswith(("http://", "https://", "//"))):
            self.found.append(f"<{tag}> {url}")


def test_no_third_party_requests(page, analyse):
    """Offline: no page loads anything from a CDN or any other host (MathJax is served locally)."""
    parser = _External()
    parser.feed((SITE / page).read_text(encoding="utf8"))
    assert not parser.found, f"{page} loads resources from other hosts: {parser.found}"
    visit = analyse(page)["visit"]
    assert not visit.external, f"{page} requested other hosts at load: {visit.external}"


_FILE_NAME = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)


def test_images_have_alt_text(page, analyse):
    """Every image has alt text, and not the file name docutils puts there when there is none."""
    bad = []
    for img in analyse(page)["images"]:
        alt = (img["alt"] or "").strip()
        if not alt or alt == img["src"] or _FILE_NAME.search(alt):
            bad.append(f"{img['src']} (alt={img['alt']!r})")
    assert not bad, f"images without alt text on {page} (set mystnb.image.alt): {bad}"


def test_math_is_typeset(page, analyse):
    data = analyse(page)
    if any(matches(page, pattern) for pattern in MATH_PAGES):
        assert data["math"] > 0, f"{page} is a math chapter but has no math"
    if data["math"] == 0 and not data["raw"]:
        pytest.skip("no math on this page")
    assert any("/_static/mathjax/" in src for src in data["scripts"]), "MathJax is not served by the site"
    assert data["typeset"] >= data["math"] > 0, f"MathJax typeset nothing on {page}"
    assert not data["untypeset"], f"math left untypeset on {page}: {data['untypeset'][:5]}"
    assert not data["raw"], f"raw TeX delimiters in the text of {page}: {data['raw'][:5]}"


def test_page_weight(page, analyse, weight_report):
    visit = analyse(page)["visit"]
    max_bytes, max_requests = budget_for(page)
    weight_report[page] = {"bytes": visit.bytes, "requests": visit.requests,
                           "max_bytes": max_bytes, "max_requests": max_requests}
    assert visit.bytes <= max_bytes, (
        f"{page}: {visit.bytes / 1024:.0f} KiB transferred, budget {max_bytes / 1024:.0f} KiB (tests/site/budget.yml)")
    assert visit.requests <= max_requests, (
        f"{page}: {visit.requests} requests, budget {max_requests} (tests/site/budget.yml)")
