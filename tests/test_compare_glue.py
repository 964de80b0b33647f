"""tools/compare_glue.py: displayed glued values of two executions are compared as the page shows them."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import compare_glue  # noqa: E402


def _notebook(folder: Path, values: dict[str, str], prose: str) -> None:
    cells = [nbformat.v4.new_markdown_cell(prose)]
    code = nbformat.v4.new_code_cell("# glue calls")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/plain": text}, metadata={"scrapbook": {"name": name, "mime_prefix": ""}}
        )
        for name, text in values.items()
    ]
    cells.append(code)
    path = folder / "book" / "chapter.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)


PROSE = "Error {glue:text}`err:.2f`, kappa {glue:text}`kappa:.1e`, in {glue:text}`fit_seconds:.1f` s."


def test_same_display_different_digits_is_no_difference(tmp_path):
    _notebook(tmp_path / "a", {"err": "0.12345", "kappa": "16025000000000.0", "fit_seconds": "3.2"}, PROSE)
    _notebook(tmp_path / "b", {"err": "0.12301", "kappa": "16024400000000.0", "fit_seconds": "9.9"}, PROSE)
    differences, compared, ignored = compare_glue.compare(
        tmp_path / "a", tmp_path / "b", re.compile(compare_glue.DEFAULT_IGNORE, re.I)
    )
    assert differences == []
    assert compared == 2 and ignored == 1  # err:.2f and kappa:.1e; the timing is skipped


def test_a_displayed_difference_is_reported_and_fails(tmp_path, capsys):
    prose = "Error {glue:text}`err:.2g`, rounded {glue:text}`err:.2f`."
    _notebook(tmp_path / "a", {"err": "0.0036"}, prose)
    _notebook(tmp_path / "b", {"err": "0.0028"}, prose)
    assert compare_glue.main([str(tmp_path / "a"), str(tmp_path / "b")]) == 1
    out = capsys.readouterr().out
    assert "book/chapter.ipynb: err:.2g: '0.0036' != '0.0028'" in out
    assert "err:.2f" not in out  # both display 0.00
    assert "2 displayed values compared, 1 differ" in out
