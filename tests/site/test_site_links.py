"""No broken internal link or anchor anywhere in the built site (a static crawl, no browser)."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from site_helpers import SITE, chapter_pages, site_built, unavailable

_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\" ;]+)", re.IGNORECASE)
_LINK_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "iframe": "src",
               "source": "src", "video": "src", "audio": "src", "area": "href"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag in _LINK_ATTRS and a.get(_LINK_ATTRS[tag]):
            self.links.append(a[_LINK_ATTRS[tag]])
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            match = _REFRESH.search(a.get("content", ""))
            if match:
                self.links.append(match.group(1))


def _internal(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and not href.startswith("//")


class _Site:
    """Every HTML file parsed once; links resolved against the files of the build."""

    def __init__(self) -> None:
        self.pages: dict[str, _Page] = {}

    def page(self, rel: str) -> _Page:
        if rel not in self.pages:
            parser = _Page()
            parser.feed((SITE / rel).read_text(encoding="utf8"))
            self.pages[rel] = parser
        return self.pages[rel]

    def resolve(self, source: str, href: str) -> tuple[str, str]:
        """(target file relative to the site root, fragment)."""
        parts = urlsplit(href)
        path = unquote(parts.path)
        if not path:
            target = source
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
            if path.endswith("/") or (SITE / target).is_dir():
                target = posixpath.join(target, "index.html")
        return target, unquote(parts.fragment)

    def crawl(self) -> tuple[set[str], list[str], list[str]]:
        """Follow internal links from index.html and from every HTML file of the build."""
        files = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                       if not p.relative_to(SITE).as_posix().startswith(("_static/", "_sources/")))
        reached: set[str] = set()
        queue = ["index.html"]
        broken, anchors = [], []
        seen: set[str] = set()
        while queue or files:
            rel = queue.pop(0) if queue else files.pop(0)
            if rel in seen:
                continue
            seen.add(rel)
            for href in self.page(rel).links:
                if not _internal(href):
                    continue
                target, fragment = self.resolve(rel, href)
                if target.startswith("..") or not (SITE / target).is_file():
                    broken.append(f"{rel}: {href} -> {target} does not exist")
                    continue
                if target.endswith(".html"):
                    if rel == "index.html" or rel in reached:
                        reached.add(target)
                    queue.append(target)
                    if fragment and fragment not in self.page(target).ids:
                        anchors.append(f"{rel}: {href} -> no id {fragment!r} in {target}")
            if rel == "index.html":
                reached.add(rel)
        return reached, broken, anchors


@pytest.fixture(scope="module")
def crawl():
    if not site_built():
        unavailable(f"the site is not built: no {SITE / 'index.html'} (run `make book`)")
    return _Site().crawl()


def test_internal_links_resolve(crawl):
    _, broken, _ = crawl
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:50])


def test_internal_anchors_exist(crawl):
    _, _, anchors = crawl
    assert not anchors, f"{len(anchors)} links to missing anchors:\n" + "\n".join(anchors[:50])


def test_every_chapter_is_reachable_from_the_home_page(crawl):
    reached, _, _ = crawl
    missing = [page for page in chapter_pages() if page not in reached]
    assert not missing, f"chapters no link leads to from index.html: {missing}"
