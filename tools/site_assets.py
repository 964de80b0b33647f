"""Sphinx extension: the site serves MathJax itself, so pages typeset math offline.

Loaded by ``_config.yml`` (``sphinx: local_extensions: site_assets: tools``). MathJax 3 comes from
the npm registry (``package.json``, installed into ``node_modules/`` by ``npm ci``, which the
Makefile runs before ``make book``). After each HTML build this copies the browser bundle named by
``mathjax_path`` (``mathjax/<bundle>.js``, relative to ``_static``) and the files it loads (CHTML
fonts, TeX extensions, menu and accessibility components) into ``_build/html/_static/mathjax/``.
No page requests MathJax, or anything else, from a CDN; ``tests/site`` checks that in a browser.

It also serves ``tools/site_assets.css`` (contrast fixes to the theme), and drops a script a page
would include twice: sphinx-thebe 0.3 adds its inline configuration (``const THEBE_JS_URL = ...``)
twice under jupyter-book 1.x, and the second copy is a console error ("Identifier 'THEBE_JS_URL'
has already been declared") on every page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parent.parent
MATHJAX = ROOT / "node_modules" / "mathjax" / "es5"
CSS = Path(__file__).resolve().with_suffix(".css")
PREFIX = "mathjax/"
# Everything in MathJax's es5/ folder except the other combined bundles and the SVG output.
_SKIP_DIRS = {"adaptors", "svg"}


def _check(app: Sphinx, config: Config) -> None:
    path = str(config.mathjax_path)
    if not path.startswith(PREFIX) or "://" in path:
        raise ExtensionError(f"mathjax_path must be a local path {PREFIX}<bundle>.js, got {path!r}")
    bundle = MATHJAX / path.removeprefix(PREFIX)
    if not bundle.is_file():
        raise ExtensionError(f"{bundle} is missing: install the site's JS packages with `npm ci`")


def _copy(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    bundle = str(app.config.mathjax_path).removeprefix(PREFIX)

    def ignore(folder: str, names: list[str]) -> list[str]:
        top = Path(folder) == MATHJAX
        return [
            name for name in names if name in _SKIP_DIRS or (top and name.endswith(".js") and name != bundle)
        ]

    static = Path(app.outdir) / "_static"
    shutil.copytree(MATHJAX, static / "mathjax", ignore=ignore, dirs_exist_ok=True)
    shutil.copyfile(CSS, static / CSS.name)


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        # Inline scripts come with filename None or "" (both mean: no file).
        key = (getattr(script, "filename", script) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _check)
    # Early: the event stops at the first handler that returns a template name.
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.connect("build-finished", _copy)
    app.add_css_file(CSS.name)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
