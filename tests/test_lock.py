"""The lock file: exact, hashed versions that satisfy the ranges readers install from."""

from __future__ import annotations

import re
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
RANGES = [ROOT / "requirements.txt", ROOT / "requirements-site.txt"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _ranges() -> list[Requirement]:
    requirements = []
    for path in RANGES:
        for line in path.read_text(encoding="utf8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                requirements.append(Requirement(line))
    return requirements


def _pins() -> list[tuple[str, str, Marker | None]]:
    pins = []
    for line in LOCK.read_text(encoding="utf8").splitlines():
        match = PIN.match(line)
        if match:
            name, version, marker = match.groups()
            pins.append((canonicalize_name(name), version, Marker(marker) if marker else None))
    return pins


def _python(version: str) -> dict[str, str]:
    return {"python_version": version, "python_full_version": f"{version}.0"}


def test_every_pin_has_hashes():
    text = LOCK.read_text(encoding="utf8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1])
    pinned = [block for block in blocks if PIN.match(block.splitlines()[0])]
    assert len(pinned) > 50
    for block in pinned:
        assert "--hash=sha256:" in block, f"no hash for {block.splitlines()[0]}"


def test_lock_satisfies_every_range_on_each_supported_python():
    pins = _pins()
    for python in ("3.11", "3.12", "3.13"):
        env = _python(python)
        chosen = {name: version for name, version, marker in pins if marker is None or marker.evaluate(env)}
        for requirement in _ranges():
            name = canonicalize_name(requirement.name)
            assert name in chosen, f"{requirement} is not in requirements.lock (run `make lock`)"
            assert requirement.specifier.contains(chosen[name], prereleases=True), (
                f"requirements.lock pins {name}=={chosen[name]} for Python {python}, outside "
                f"{requirement}: run `make lock`"
            )


def test_lock_was_made_by_make_lock_for_python_311():
    header = LOCK.read_text(encoding="utf8").splitlines()[:3]
    assert any("make lock" in line for line in header)
    makefile = (ROOT / "Makefile").read_text(encoding="utf8")
    assert "--python-version 3.11" in makefile and "--generate-hashes" in makefile
    assert "--require-hashes" in makefile


def test_python_311_or_newer_everywhere():
    assert (ROOT / "runtime.txt").read_text(encoding="utf8").strip() == "python-3.11"
    assert 'requires-python = ">=3.11"' in (ROOT / "code" / "pyproject.toml").read_text(encoding="utf8")
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for version in re.findall(r"python(?:-version)?:\s*\"?([0-9.]+)", path.read_text(encoding="utf8")):
            assert tuple(map(int, version.split("."))) >= (3, 11), f"{path.name}: Python {version}"
    readme = (ROOT / "README.md").read_text(encoding="utf8")
    assert "Python ≥ 3.11" in readme and "3.10" not in readme
