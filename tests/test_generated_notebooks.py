"""The notebooks generated for Colab, Binder and download (tools/notebooks.py convert)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TOOL = [sys.executable, str(ROOT / "tools" / "notebooks.py")]
# Chapters cheap enough to run in a fresh environment, and needing no TensorFlow (which Colab
# ships, so the setup cell does not install it).
COLAB_CANDIDATES = ["book/part1-math/numerical-computing.md", "book/part1-math/functions.md"]


def _convert(out: Path, chapter: str, *extra: str) -> nbformat.NotebookNode:
    subprocess.run([*TOOL, "convert", "--out", str(out), *extra, chapter], check=True, cwd=ROOT)
    return nbformat.read(out / Path(chapter).with_suffix(".ipynb"), as_version=4)


def _chapters() -> list[str]:
    result = subprocess.run([*TOOL, "list"], check=True, capture_output=True, text=True, cwd=ROOT)
    return result.stdout.split()


def test_every_chapter_gets_a_setup_cell_that_installs_dlbook_from_this_commit(tmp_path):
    chapter = _chapters()[-1]
    notebook = _convert(tmp_path, chapter, "--ref", "0123abc")
    first = notebook.cells[0]
    assert first.cell_type == "code" and first.metadata["tags"] == ["dlbook-setup"]
    url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))["repository"]["url"]
    assert f"dlbook[colab] @ git+{url}@0123abc#subdirectory=code" in first.source
    assert 'find_spec("dlbook") is None' in first.source
    # The rest is the chapter itself, without outputs.
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert "jupytext" not in notebook.metadata


def test_setup_cell_does_nothing_where_dlbook_is_installed(tmp_path):
    notebook = _convert(tmp_path, _chapters()[-1], "--ref", "main")
    source = notebook.cells[0].source.replace("%pip install", "raise RuntimeError  # would install:")
    namespace: dict = {}
    exec(compile(source, "setup-cell", "exec"), namespace)  # dlbook is importable here


def test_generated_notebook_runs_in_a_clean_environment_outside_the_repo(tmp_path):
    """Simulates Colab: a fresh virtual environment with only a Jupyter kernel, a notebook in a
    folder outside the repository, and the setup cell installing dlbook (from the local checkout
    instead of GitHub) and whatever else it needs."""
    chapters = _chapters()
    chapter = next((c for c in COLAB_CANDIDATES if c in chapters), None)
    if chapter is None:
        pytest.fail(f"none of {COLAB_CANDIDATES} is in _toc.yml")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # What Colab provides before any cell runs: a Jupyter kernel (and the means to run it).
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "ipykernel", "nbclient", "nbformat"],
        check=True, env=env,
    )
    probe = [str(python), "-c", "import dlbook"]
    assert subprocess.run(probe, env=env, capture_output=True).returncode != 0, "venv is not clean"

    notebook = _convert(tmp_path / "generated", chapter, "--dlbook-source", str(ROOT / "code"))
    workdir = tmp_path / "colab"
    workdir.mkdir()
    path = workdir / "chapter.ipynb"
    nbformat.write(notebook, path)
    runner = (
        "import sys, nbformat, nbclient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "nbclient.NotebookClient(nb, timeout=600, kernel_name='python3',\n"
        "    resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
        "nbformat.write(nb, sys.argv[1])\n"
    )
    result = subprocess.run(
        [str(python), "-c", runner, str(path), str(workdir)],
        env=env, cwd=workdir, capture_output=True, text=True, timeout=1500,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    assert subprocess.run(probe, env=env, capture_output=True).returncode == 0, "setup cell did not install dlbook"
    shutil.rmtree(venv, ignore_errors=True)
