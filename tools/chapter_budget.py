"""pytest plugin: every chapter executes within the book's time budget, and its time is shown.

Loaded by ``make test`` and ``make chapter`` (``-p tools.chapter_budget``). A chapter is a test
item collected from a notebook (nbmake). When one takes longer than the budget (``--chapter-budget``,
default 180 s, the limit CONTRIBUTING.md sets for the 2-core CI machine) it fails with a message
naming the chapter and its time, even though every cell ran. At the end of the run the
per-chapter times are printed and written to ``_build/chapter-times.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUDGET = 180.0
TIMES_FILE = ROOT / "_build" / "chapter-times.json"

_times: dict[str, float] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--chapter-budget",
        type=float,
        default=float(os.environ.get("DLBOOK_CHAPTER_BUDGET", DEFAULT_BUDGET)),
        help="seconds a chapter may take to execute (default 180, or $DLBOOK_CHAPTER_BUDGET)",
    )


def chapter_name(path: Path) -> str:
    """``notebooks/book/part1-math/x.ipynb`` -> ``book/part1-math/x.md``."""
    try:
        relative = path.resolve().relative_to(ROOT / "notebooks")
    except ValueError:
        return str(path)
    return str(relative.with_suffix(".md"))


def over_budget_message(chapter: str, seconds: float, budget: float) -> str:
    return (
        f"{chapter} took {seconds:.0f} s to execute, over the budget of {budget:.0f} s per "
        "chapter on the 2-core CI machine (CONTRIBUTING.md, 'Budget'): use less data, fewer "
        "epochs or a smaller model, and say in the text what a larger run reaches."
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    outcome = yield
    if call.when != "call" or item.path.suffix != ".ipynb":
        return
    report = outcome.get_result()
    chapter = chapter_name(item.path)
    _times[chapter] = call.duration
    budget = item.config.getoption("chapter_budget")
    if report.passed and call.duration > budget:
        report.outcome = "failed"
        report.longrepr = over_budget_message(chapter, call.duration, budget)


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    if not _times:
        return
    budget = config.getoption("chapter_budget")
    terminalreporter.section("chapter execution times")
    for chapter, seconds in _times.items():
        flag = "  OVER BUDGET" if seconds > budget else ""
        terminalreporter.write_line(f"{seconds:7.1f} s  {chapter}{flag}")
    total = sum(_times.values())
    terminalreporter.write_line(f"{total:7.1f} s  all {len(_times)} chapters (budget {budget:.0f} s each)")
    TIMES_FILE.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(TIMES_FILE.read_text(encoding="utf8")) if TIMES_FILE.is_file() else {}
    previous.update({chapter: round(seconds, 1) for chapter, seconds in _times.items()})
    TIMES_FILE.write_text(json.dumps(previous, indent=1, sort_keys=True) + "\n", encoding="utf8")
