"""Compare the numbers two executions of the book display: every glued value, as the page shows it.

Usage: python tools/compare_glue.py DIR_A DIR_B [--ignore REGEX] [--all]

DIR_A and DIR_B hold executed notebooks (copies of ``notebooks/`` after two ``make test`` runs,
for instance one with the machine's BLAS settings and one without). For every notebook in both,
every value stored with ``myst_nb.glue`` is rendered exactly as the chapter's prose shows it:
each ``{glue:text}`name:fmt``` use is formatted with myst-nb's own formatter, other uses show
the value's ``text/plain``; values glued but never pasted into the prose are compared as stored
only with ``--all``. The command lists every displayed form that differs, and exits 1 if
any does. Timings differ from run to run by nature: names matching ``--ignore`` (default:
anything about time, seconds or speed) are left out and counted.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
from myst_nb.core.variables import format_plain_text

DEFAULT_IGNORE = (
    r"(time|seconds|_sec\b|_s$|_ms$|_us$|speed|throughput|per_second|duration|elapsed|wall|cpu"
    r"|^(t|tp|lat|sec)_|step_ms|budget_us|gflops|a100_|day_minutes|mp_ratio|sgd_mb_ratio)"
)
USE = re.compile(r"\{glue(?::(\w+))?\}`([^`]+)`")


def glued_values(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Each glued name's ``text/plain`` representation."""
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if meta:
                prefix = meta.get("mime_prefix", "")
                data = {key[len(prefix) :]: value for key, value in output.get("data", {}).items()}
                values[meta["name"]] = str(data.get("text/plain", ""))
    return values


def displayed(notebook: nbformat.NotebookNode, *, unused: bool = False) -> dict[str, str]:
    """Every use of a glued value in the prose, keyed ``name`` or ``name:fmt``, as displayed."""
    values = glued_values(notebook)
    shown, used = {}, set()
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    for kind, content in USE.findall(text):
        if "::" in content:  # a value glued in another chapter: compared there
            continue
        name, _, fmt = content.partition(":") if kind == "text" else (content, "", "")
        if name not in values:
            continue
        used.add(name)
        try:
            shown[content] = format_plain_text(values[name], fmt) if fmt else values[name]
        except Exception as error:  # noqa: BLE001 - shown as a difference, not a crash
            shown[content] = f"<cannot format: {error}>"
    for name, value in values.items():  # glued but not pasted into the prose: as stored
        if unused and name not in used:
            shown[name] = value
    return shown


def compare(
    a: Path, b: Path, ignore: re.Pattern[str], *, unused: bool = False
) -> tuple[list[str], int, int]:
    differences, compared, ignored = [], 0, 0
    for path_a in sorted(a.rglob("*.ipynb")):
        relative = path_a.relative_to(a)
        path_b = b / relative
        if not path_b.is_file():
            differences.append(f"{relative}: missing in {b}")
            continue
        shown_a = displayed(nbformat.read(path_a, as_version=4), unused=unused)
        shown_b = displayed(nbformat.read(path_b, as_version=4), unused=unused)
        for key in sorted(set(shown_a) | set(shown_b)):
            if ignore.search(key.split(":", 1)[0]):
                ignored += 1
                continue
            compared += 1
            if shown_a.get(key) != shown_b.get(key):
                differences.append(f"{relative}: {key}: {shown_a.get(key)!r} != {shown_b.get(key)!r}")
    return differences, compared, ignored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--ignore", default=DEFAULT_IGNORE, help="regex of glue names to skip (timings)")
    parser.add_argument("--all", action="store_true", help="also values glued but not in the prose")
    args = parser.parse_args(argv)
    differences, compared, ignored = compare(args.a, args.b, re.compile(args.ignore, re.I), unused=args.all)
    print("\n".join(differences))
    print(f"{compared} displayed values compared, {len(differences)} differ, {ignored} timings ignored")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
