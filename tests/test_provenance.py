"""Each dlbook module (and each public helper that says so) names the chapter that introduces it.

The statement cannot go stale: the chapter is found here, as the first chapter in _toc.yml order
whose code uses one of the module's public names, and the docstring must name that chapter.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebooks  # noqa: E402

MODULES = sorted(p.stem for p in (ROOT / "code" / "dlbook").glob("*.py") if p.stem != "__init__")


def _parts() -> dict[str, str | None]:
    """Chapter source -> "Part N" from the part captions of _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf8"))
    result = {}
    for part in toc.get("parts", []):
        match = re.match(r"Part ([IVX]+)\b", part.get("caption", ""))
        for entry in part.get("chapters", []):
            result[entry["file"] + ".md"] = f"Part {match.group(1)}" if match else None
    return result


def _code(chapter: Path) -> str:
    text = chapter.read_text(encoding="utf8")
    cells = re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", text, re.S | re.M)
    return "\n".join(cells)


def _title(chapter: Path) -> str:
    return re.search(r"^# (.+)$", chapter.read_text(encoding="utf8"), re.M).group(1).strip()


def first_chapter_using(module: str, names: list[str]) -> Path | None:
    for chapter in notebooks.chapters():
        code = _code(chapter)
        imports = re.findall(rf"from dlbook\.{module} import (?:\(([^)]*)\)|([\w, ]+))", code)
        imported = {name.strip() for group in imports for name in "".join(group).split(",")}
        if imported & set(names) or re.search(rf"(?<![\w.]){module}\.(" + "|".join(names) + r")\b", code):
            return chapter
    return None


def introduced_in(chapter: Path) -> str:
    part = _parts()[str(chapter.relative_to(ROOT))]
    if part is None:  # an opening chapter, in a part without a number
        return f"Introduced in *{_title(chapter)}*"
    return f"Introduced in {part}, *{_title(chapter)}*"


@pytest.mark.parametrize("name", MODULES)
def test_module_docstring_names_the_first_chapter_that_uses_it(name):
    module = importlib.import_module(f"dlbook.{name}")
    first = first_chapter_using(name, list(module.__all__))
    assert first is not None, f"dlbook.{name} is used by no chapter in _toc.yml"
    expected = introduced_in(first)
    docstring = " ".join((module.__doc__ or "").split())
    assert expected in docstring, f"dlbook/{name}.py should say: {expected!r}"


@pytest.mark.parametrize("name", MODULES)
def test_helpers_that_name_a_chapter_name_the_right_one(name):
    module = importlib.import_module(f"dlbook.{name}")
    for public in module.__all__:
        docstring = " ".join((getattr(module, public).__doc__ or "").split())
        if "Introduced in" not in docstring or not callable(getattr(module, public)):
            continue
        first = first_chapter_using(name, [public])
        assert first is not None, f"dlbook.{name}.{public} is used by no chapter"
        assert introduced_in(first) in docstring, f"dlbook.{name}.{public}: say {introduced_in(first)!r}"
