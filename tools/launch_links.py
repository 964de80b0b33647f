"""Sphinx extension: working Colab and download links for chapters written as MyST notebooks.

sphinx-book-theme points its Colab button at a chapter's ``.md`` source, which Colab cannot
open. The build generates one ``.ipynb`` per chapter (``tools/notebooks.py convert``) into a
folder listed in ``html_extra_path``; the publishing workflow pushes the same notebooks to the
branch ``dl_notebooks_branch``. This extension

* points the Colab button at ``https://colab.research.google.com/github/ORG/REPO/blob/BRANCH/<page>.ipynb``;
* adds a "download notebook" button, next to the theme's download menu, linking the generated
  notebook served with the site (``<dl_notebooks_dir>/<page>.ipynb``);
* labels the theme's own ``.ipynb`` download (the executed notebook) as such.

The Binder button is the theme's: Binder opens the ``.md`` chapter as a notebook with jupytext.
The repository is the one configured in ``_config.yml`` (``repository.url``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

COLAB = "https://colab.research.google.com"


def _generated_notebook(app: Sphinx, pagename: str) -> str | None:
    """The notebook's path inside the site, if the build generated one for this page."""
    relative = f"{app.config.dl_notebooks_dir}/{pagename}.ipynb"
    for extra in app.config.html_extra_path:
        if (Path(app.confdir) / extra / relative).is_file():
            return relative
    return None


def _buttons(context: dict[str, Any], label: str) -> dict[str, Any] | None:
    for button in context.get("header_buttons", []):
        if button.get("label") == label:
            return button
    return None


def add_notebook_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    notebook = _generated_notebook(app, pagename)
    if notebook is None or "header_buttons" not in context:
        return
    repository = app.config.html_theme_options.get("repository_url", "").rstrip("/")
    org_repo = repository.split("github.com/", 1)[-1]
    launch = _buttons(context, "launch-buttons")
    if launch is not None:
        for button in launch["buttons"]:
            if button.get("text") == "Colab":
                branch = app.config.dl_notebooks_branch
                button["url"] = f"{COLAB}/github/{org_repo}/blob/{branch}/{pagename}.ipynb"
    downloads = _buttons(context, "download-buttons")
    if downloads is not None:
        for button in downloads["buttons"]:
            if button.get("label") == "download-notebook-button":
                button["text"] = ".ipynb (executed)"
        position = context["header_buttons"].index(downloads) + 1
    else:
        position = len(context["header_buttons"])
    context["header_buttons"].insert(
        position,
        {
            "type": "link",
            "url": context["pathto"](notebook, 1),
            "tooltip": "Download this chapter as a notebook to run (.ipynb)",
            "icon": "fas fa-file-arrow-down",
            "label": "download-runnable-notebook-button",
        },
    )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("dl_notebooks_branch", "notebooks", "html")
    app.add_config_value("dl_notebooks_dir", "ipynb", "html")
    # After sphinx-book-theme's own launch and download buttons (priority 501).
    app.connect("html-page-context", add_notebook_links, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
