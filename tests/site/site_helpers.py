"""Paths, settings and helpers shared by the site tests (conftest.py holds the fixtures)."""

from __future__ import annotations

import fnmatch
import json
import os
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from notebooks import toc_files  # noqa: E402 - the build tooling's reading of _toc.yml

HERE = Path(__file__).resolve().parent
SITE = Path(os.environ.get("DLBOOK_SITE", ROOT / "_build" / "html")).resolve()
REPORT = Path(os.environ.get("DLBOOK_SITE_REPORT", SITE.parent / "site-report")).resolve()
CHROMIUM = os.environ.get("DLBOOK_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REQUIRED = os.environ.get("DLBOOK_CHECK_SITE") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Folders of the build that hold assets, not pages.
NOT_PAGES = ("_static/", "_sources/", "_images/", "_downloads/", ".")


def unavailable(reason: str) -> None:
    """Skip, or fail under ``make check-site``."""
    if REQUIRED:
        pytest.fail(f"{reason} (DLBOOK_CHECK_SITE=1: `make check-site` needs it)", pytrace=False)
    pytest.skip(reason)


def site_built() -> bool:
    return (SITE / "index.html").is_file()


def is_redirect(path: Path) -> bool:
    """A stub that only redirects (the root index.html jupyter-book writes)."""
    return 'http-equiv="refresh"' in path.read_text(encoding="utf8")[:2000].lower()


def all_pages() -> list[str]:
    """Every HTML page of the build (not redirect stubs), as paths relative to the site root."""
    if not site_built():
        return []
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        rel = path.relative_to(SITE).as_posix()
        if not rel.startswith(NOT_PAGES) and not is_redirect(path):
            pages.append(rel)
    return pages


def chapter_pages() -> list[str]:
    """The pages of ``_toc.yml`` (root first) that are in the build."""
    pages = [f"{name.removesuffix('.md').removesuffix('.ipynb')}.html" for name in toc_files()]
    return [page for page in pages if (SITE / page).is_file()]


def load_yaml(name: str) -> dict:
    return yaml.safe_load((HERE / name).read_text(encoding="utf8")) or {}


def matches(page: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(page, pattern)


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf8")
