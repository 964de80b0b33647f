"""Accessibility: axe-core (npm package, node_modules/axe-core) injected into each chapter page.

No "serious" or "critical" violation may remain unless a11y-allowlist.yml lists it with a reason.
The findings, allowed ones included, go to _build/site-report/a11y.json.
"""

from __future__ import annotations

import fnmatch

import pytest
from site_helpers import load_yaml, matches, write_json

BLOCKING = ("serious", "critical")


@pytest.fixture(scope="session")
def a11y_report(report_dir):
    rows: dict[str, list] = {}
    yield rows
    if rows:
        write_json(report_dir / "a11y.json", rows)


def allowlist() -> list[dict]:
    entries = load_yaml("a11y-allowlist.yml").get("allow") or []
    for entry in entries:
        assert entry.get("rule") and str(entry.get("reason") or "").strip(), (
            f"a11y-allowlist.yml: every entry needs a rule and a reason: {entry}")
    return entries


def is_allowed(rule: str, page: str, node: dict, entries: list[dict]) -> bool:
    """An entry allows a violating element when rule, page glob and (if given) element globs match.

    ``elements`` globs are matched against the element's HTML (its start tag) and its CSS selector.
    """
    for entry in entries:
        if entry["rule"] != rule or not matches(page, entry.get("pages", "*")):
            continue
        globs = entry.get("elements")
        if not globs or any(fnmatch.fnmatchcase(node["html"], g) or fnmatch.fnmatchcase(node["target"], g)
                            for g in globs):
            return True
    return False


def test_accessibility(chapter, analyse, a11y_report):
    violations = analyse(chapter)["axe"]
    a11y_report[chapter] = violations
    entries = allowlist()
    blocking = []
    for v in violations:
        if v["impact"] not in BLOCKING:
            continue
        nodes = [n for n in v["nodes"] if not is_allowed(v["id"], chapter, n, entries)]
        if nodes:
            blocking.append(f"{v['impact']} {v['id']}: {v['help']} ({len(nodes)} elements: "
                            + "; ".join(n["html"][:160] for n in nodes[:5]) + ")")
    assert not blocking, f"axe-core on {chapter}:\n" + "\n".join(blocking)
