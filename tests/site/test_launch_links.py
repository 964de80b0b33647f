"""Every chapter page links to Colab, Binder and a runnable notebook, and that notebook exists.

Reads the built HTML (no browser needed). Part of ``make check-site``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urljoin

import nbformat
import yaml
from site_helpers import ROOT, SITE

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))
REPO = CONFIG["repository"]["url"].rstrip("/").split("github.com/", 1)[1]
BRANCH = CONFIG["repository"]["branch"]
NOTEBOOKS_BRANCH = CONFIG["sphinx"]["config"]["dl_notebooks_branch"]
NOTEBOOKS_DIR = CONFIG["sphinx"]["config"]["dl_notebooks_dir"]


def _links(page: str) -> list[str]:
    text = (SITE / page).read_text(encoding="utf8")
    return [html.unescape(href) for href in re.findall(r'<a[^>]+href="([^"]+)"', text)]


def _is_notebook_page(chapter: str) -> bool:
    source = ROOT / chapter.replace(".html", ".md")
    return source.is_file() and "kernelspec:" in source.read_text(encoding="utf8").split("\n---", 1)[0]


def test_chapter_pages_have_colab_binder_and_download_links(chapter):
    if not _is_notebook_page(chapter):
        return  # the landing page is prose, with nothing to launch
    name = chapter.removesuffix(".html")
    links = _links(chapter)

    colab = f"https://colab.research.google.com/github/{REPO}/blob/{NOTEBOOKS_BRANCH}/{name}.ipynb"
    assert colab in links, f"{chapter}: no Colab link to {colab}"

    binder = f"https://mybinder.org/v2/gh/{REPO}/{BRANCH}?urlpath=lab/tree/{name}.md"
    assert binder in links, f"{chapter}: no Binder link to {binder}"

    # The runnable notebook: a relative link to <dl_notebooks_dir>/<page>.ipynb inside the site.
    wanted = f"{NOTEBOOKS_DIR}/{name}.ipynb"
    downloads = [link for link in links if link.endswith(wanted) and "://" not in link]
    assert downloads, f"{chapter}: no download link to {wanted}"
    target = Path(unquote(urljoin(f"file://{SITE}/{chapter}", downloads[0]).removeprefix("file://")))
    assert target.is_file(), f"{chapter}: the download link points at a missing file {target}"
    notebook = nbformat.read(target, as_version=4)
    first = notebook.cells[0]
    assert "dlbook-setup" in first.metadata.get("tags", []), f"{target} has no setup cell"
    assert f"github.com/{REPO}@" in first.source
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
