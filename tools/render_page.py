"""Render one chapter into a private folder, with the book's configuration (for authors).

Usage: python tools/render_page.py book/<part>/<chapter>.md OUT_DIR

Run `make chapter CHAPTER=...` first: the page is built from the execution cache that fills,
so nothing is executed again. Sphinx warnings are printed; references to chapters other than
this one cannot resolve in a single-page build and show up as "unknown document" warnings.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    page = Path(sys.argv[1]).resolve()
    out = Path(sys.argv[2]).resolve()
    rel = page.relative_to(ROOT).with_suffix("")
    src = out / "src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    (src / "book").symlink_to(ROOT / "book")
    (src / "tools").symlink_to(ROOT / "tools")  # _config.yml's local_extensions
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))
    config["execute"]["cache"] = str(ROOT / "_build" / ".jupyter_cache")
    (src / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf8")
    (src / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": str(rel)}), encoding="utf8")
    jupyter_book = str(Path(sys.executable).parent / "jupyter-book")
    command = [jupyter_book, "build", str(src), "--path-output", str(out), "-n", "--keep-going", "--all"]
    result = subprocess.run(command, capture_output=True, text=True)
    log = result.stdout + result.stderr
    (out / "build.log").write_text(log, encoding="utf8")
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    print("\n".join(warnings) if warnings else "no warnings")
    if result.returncode:
        print(f"the build FAILED (exit {result.returncode}): see {out / 'build.log'}")
    if "Executing notebook" in log:
        print("note: the page was executed (no cached outputs): run `make chapter` first")
    print(f"HTML: {out / '_build' / 'html' / rel.with_suffix('.html')}")


if __name__ == "__main__":
    main()
