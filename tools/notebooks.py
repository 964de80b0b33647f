"""Build tooling: chapters (MyST Markdown) -> notebooks -> jupyter-cache.

Used by the Makefile, not by readers. Subcommands:

``list [--notebooks]``
    Print the chapter sources listed in ``_toc.yml`` that are notebooks (have a kernelspec), or
    with ``--notebooks`` the paths of their generated notebooks (what ``make test`` and
    ``make lint`` read: stale notebooks of chapters no longer in the table are left alone).
``convert [--out DIR] [--ref REF] [--dlbook-source PATH] [CHAPTER ...]``
    Write one ``.ipynb`` per chapter into ``notebooks/`` (same relative path as under the repo),
    with jupytext. Each starts with a setup cell that installs ``dlbook`` from this repository
    at ``REF`` (default: the checked-out commit) where it is missing, as in Colab. These are the
    files the test run executes (pytest + nbmake ``--overwrite``) and the files readers download.
``fill-cache [--only CHAPTER ...]``
    Put each executed notebook into the jupyter-cache that myst-nb reads when it builds the site
    (``execute_notebooks: cache``), so that the site build reuses the test run's outputs and
    executes nothing a second time. Each notebook is matched to its chapter exactly as myst-nb
    reads the chapter; a notebook whose code differs from its chapter is an error.
``check-built LOG``
    Fail if a Sphinx build log shows that myst-nb executed a notebook (it should only reuse
    the cache).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CACHE = ROOT / "_build" / ".jupyter_cache"
SETUP_TAG = "dlbook-setup"

SETUP_TEMPLATE = """\
# Setup for Colab and other fresh environments: install the book's helper package
# `dlbook` (and the few packages Colab lacks) as of the commit this notebook was made
# from. Where dlbook is already installed (a local checkout, Binder) it does nothing.
import importlib
import importlib.util

if importlib.util.find_spec("dlbook") is None:
    %pip install --quiet "{requirement}"
    importlib.invalidate_caches()\
"""


def repository_url() -> str:
    """The repository URL, configured once in ``_config.yml``."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))
    return str(config["repository"]["url"]).rstrip("/")


def current_ref() -> str:
    """The commit (or tag) to install dlbook from: $DLBOOK_REF, else the checked-out commit."""
    if os.environ.get("DLBOOK_REF"):
        return os.environ["DLBOOK_REF"]
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return result.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "main"


def setup_cell(ref: str, dlbook_source: Path | None = None) -> nbformat.NotebookNode:
    """The first cell of every generated notebook (tagged ``dlbook-setup``)."""
    if dlbook_source is not None:
        requirement = f"dlbook[colab] @ {dlbook_source.resolve().as_uri()}"
    else:
        requirement = f"dlbook[colab] @ git+{repository_url()}@{ref}#subdirectory=code"
    cell = nbformat.v4.new_code_cell(SETUP_TEMPLATE.format(requirement=requirement))
    cell.metadata["tags"] = [SETUP_TAG]
    return cell


def _toc_files(entries: list[dict]) -> list[str]:
    files: list[str] = []
    for entry in entries:
        if "file" in entry:
            files.append(entry["file"])
        for key in ("chapters", "sections", "parts"):
            files.extend(_toc_files(entry.get(key, [])))
    return files


def toc_files() -> list[str]:
    """Every page of ``_toc.yml`` in order, the root first, as written there (no suffix)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf8"))
    return [toc["root"], *_toc_files(toc.get("parts", []) + toc.get("chapters", []))]


def chapters() -> list[Path]:
    """Chapter sources in ``_toc.yml`` order that are MyST notebooks."""
    result = []
    for name in toc_files():
        path = ROOT / (name if name.endswith(".md") else f"{name}.md")
        if path.is_file() and "kernelspec:" in path.read_text(encoding="utf8").split("\n---", 1)[0]:
            result.append(path)
    return result


def notebook_path(chapter: Path, out: Path = NOTEBOOKS) -> Path:
    return out / chapter.resolve().relative_to(ROOT).with_suffix(".ipynb")


def _resolve(names: list[str]) -> list[Path]:
    if not names:
        return chapters()
    paths = []
    for name in names:
        path = (Path.cwd() / name).resolve()
        if not path.is_file() or path.suffix != ".md":
            sys.exit(f"not a chapter source (.md file): {name}")
        paths.append(path)
    return paths


def convert(names: list[str], out: Path, ref: str, dlbook_source: Path | None) -> None:
    for chapter in _resolve(names):
        notebook = jupytext.read(chapter)
        notebook.cells.insert(0, setup_cell(ref, dlbook_source))
        notebook.metadata.pop("jupytext", None)  # a plain notebook, not paired with the .md
        notebook.metadata["colab"] = {"name": chapter.stem + ".ipynb", "provenance": []}
        target = notebook_path(chapter, out)
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)
        print(f"{chapter.relative_to(ROOT)} -> {target}")


def _runtime(notebook: nbformat.NotebookNode) -> float | None:
    """Seconds from the first cell's start to the last cell's end (nbclient's timing metadata)."""
    times = [
        cell.metadata.get("execution", {})
        for cell in notebook.cells
        if cell.cell_type == "code" and "execution" in cell.metadata
    ]
    try:
        start = datetime.fromisoformat(times[0]["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(times[-1]["shell.execute_reply"].replace("Z", "+00:00"))
    except (IndexError, KeyError):
        return None
    return (end - start).total_seconds()


def fill_cache(names: list[str]) -> None:
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from myst_nb.core.read import read_myst_markdown_notebook

    cache = get_cache(str(CACHE))
    missing = []
    for chapter in _resolve(names):
        executed_path = notebook_path(chapter)
        if not executed_path.is_file():
            missing.append(str(executed_path.relative_to(ROOT)))
            continue
        executed = nbformat.read(executed_path, as_version=4)
        # The chapter as myst-nb reads it: its hash is what the site build looks up.
        source = read_myst_markdown_notebook(chapter.read_text(encoding="utf8"), path=chapter)
        source_cells = [c for c in source.cells if c.cell_type == "code"]
        executed_cells = [
            c for c in executed.cells if c.cell_type == "code" and SETUP_TAG not in c.metadata.get("tags", [])
        ]
        if [c.source for c in source_cells] != [c.source for c in executed_cells]:
            sys.exit(f"{executed_path} does not hold the code of {chapter}: run `make test` again")
        if any(c.execution_count is None for c in executed_cells):
            sys.exit(f"{executed_path} was not executed (a cell has no execution count)")
        for target, done in zip(source_cells, executed_cells, strict=True):
            target.outputs = done.outputs
            target.execution_count = done.execution_count
        runtime = _runtime(executed)
        record = cache.cache_notebook_bundle(
            CacheBundleIn(source, str(chapter), data={"execution_seconds": runtime}),
            check_validity=False,
            overwrite=True,
        )
        seconds = f"{runtime:.1f} s" if runtime is not None else "time unknown"
        print(f"cached {chapter.relative_to(ROOT)} ({seconds}) as record {record.pk}")
    if missing:
        sys.exit("no executed notebook for: " + ", ".join(missing) + " (run `make test` first)")


def check_built(log: Path) -> None:
    text = log.read_text(encoding="utf8", errors="replace")
    executed = [line for line in text.splitlines() if "Executing notebook" in line]
    reused = text.count("Using cached notebook")
    if executed:
        sys.exit("the site build executed notebooks instead of reusing the test run:\n" + "\n".join(executed))
    print(f"site build reused {reused} cached notebooks and executed none")
    if reused < len(chapters()):
        sys.exit(f"expected {len(chapters())} cached notebooks, the build reused {reused}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list")
    listing.add_argument("--notebooks", action="store_true", help="print notebook paths")
    conv = sub.add_parser("convert")
    conv.add_argument("chapters", nargs="*")
    conv.add_argument("--out", type=Path, default=NOTEBOOKS, help="output folder (default: notebooks/)")
    conv.add_argument("--ref", default=None, help="commit or tag to install dlbook from")
    conv.add_argument(
        "--dlbook-source",
        type=Path,
        default=None,
        help="install dlbook from this local folder instead of the repository (tests)",
    )
    fill = sub.add_parser("fill-cache")
    fill.add_argument("--only", nargs="*", default=[], metavar="CHAPTER")
    check = sub.add_parser("check-built")
    check.add_argument("log", type=Path)
    args = parser.parse_args()
    if args.command == "list":
        paths = [notebook_path(p) if args.notebooks else p for p in chapters()]
        print("\n".join(str(p.relative_to(ROOT)) for p in paths))
    elif args.command == "convert":
        convert(args.chapters, args.out.resolve(), args.ref or current_ref(), args.dlbook_source)
    elif args.command == "fill-cache":
        fill_cache(args.only)
    else:
        check_built(args.log)


if __name__ == "__main__":
    main()
