"""The chapter budget: a chapter that runs too long fails `make test` with a clear message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def _run(tmp_path: Path, seconds: float, budget: float) -> subprocess.CompletedProcess[str]:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "slow-chapter.ipynb"
    nbformat.write(notebook, path)
    command = [
        sys.executable, "-m", "pytest", str(path), "-p", "tools.chapter_budget",
        f"--chapter-budget={budget}", "--nbmake", "-p", "no:cacheprovider", f"--rootdir={tmp_path}",
    ]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_a_chapter_over_budget_fails_naming_the_chapter_and_its_time(tmp_path):
    result = _run(tmp_path, seconds=2.5, budget=1)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "slow-chapter.ipynb took" in result.stdout
    assert "over the budget of 1 s per chapter" in result.stdout
    assert "chapter execution times" in result.stdout


def test_a_chapter_within_budget_passes_and_its_time_is_listed(tmp_path):
    result = _run(tmp_path, seconds=0, budget=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "chapter execution times" in result.stdout and "slow-chapter.ipynb" in result.stdout
