"""The GitHub workflows: valid (actionlint), thin wrappers over the Makefile, least privilege."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# Commands that build or test the book: a workflow must reach them through `make`.
BUILD_OR_TEST = re.compile(r"\b(pytest|jupyter-book|jupyter|sphinx-build|nbmake|ruff|pip|python)\b")


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf8"))
    # YAML 1.1 reads the key `on` as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def test_there_are_workflows_for_pull_requests_publishing_and_weekly_runs():
    names = {path.stem for path in WORKFLOWS}
    assert {"pull-request", "publish", "weekly"} <= names


def _actionlint() -> str:
    found = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    if not Path(found).exists():
        pytest.fail("actionlint is not installed (it comes with requirements.txt)")
    return found


def test_actionlint_passes():
    result = subprocess.run(
        [_actionlint(), *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ foo.bar }}\n"
    )
    result = subprocess.run([_actionlint(), str(broken)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_build_and_test_steps_call_makefile_targets(path):
    workflow = _load(path)
    targets = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(encoding="utf8"), re.M))
    make_steps = 0
    for job_id, step in _steps(workflow):
        run = step.get("run", "")
        for command in re.findall(r"\bmake\s+([a-z-]+)", run):
            assert command in targets, f"{path.name}/{job_id}: `make {command}` is not a Makefile target"
            make_steps += 1
        if "make " not in run:
            assert not BUILD_OR_TEST.search(run), (
                f"{path.name}/{job_id}: step {step.get('name')!r} builds or tests without make:\n{run}"
            )
    assert make_steps >= 1, f"{path.name} runs no Makefile target"


# What a workflow may call: `make ci` builds and tests the book; nothing else does.
ALLOWED_IN_WORKFLOWS = {"ci", "clean", "linkcheck"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_build_and_test_the_book_only_through_make_ci(path):
    commands = [
        command
        for _, step in _steps(_load(path))
        for command in re.findall(r"\bmake\s+([a-z-]+)", step.get("run", ""))
    ]
    assert "ci" in commands, f"{path.name} does not run `make ci`"
    others = set(commands) - ALLOWED_IN_WORKFLOWS
    assert not others, f"{path.name} runs `make {sorted(others)[0]}` instead of `make ci`: steps drift"


def test_ci_script_runs_make_ci_and_nothing_else_of_the_book():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf8")
    commands = re.findall(r"^\s*make\s+([a-z-]+)", script, re.M)
    assert commands == ["ci"], f".ci/run must call `make ci` only, it calls {commands}"
    assert not BUILD_OR_TEST.search(re.sub(r"#.*", "", script).replace("make ci", ""))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_pinned_actions_concurrency_and_strict_shell(path):
    workflow = _load(path)
    text = path.read_text(encoding="utf8")
    assert workflow.get("permissions") == {"contents": "read"}, "top-level permissions must be read-only"
    assert "concurrency" in workflow
    assert "pull_request_target" not in text, "pull_request_target exposes secrets to forks"
    for job_id, step in _steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), (
                f"{path.name}/{job_id}: {step['uses']} is not pinned to a commit"
            )
        run = step.get("run", "")
        if run.strip().count("\n") >= 1:
            assert run.lstrip().startswith("set -eo pipefail"), (
                f"{path.name}/{job_id}: multi-line step {step.get('name')!r} must start with set -eo pipefail"
            )


def test_secrets_only_in_jobs_that_never_run_for_pull_requests():
    pull_request = _load(ROOT / ".github" / "workflows" / "pull-request.yml")
    assert set(pull_request["on"]) == {"pull_request"}
    assert "${{ secrets." not in (ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf8")


def test_caches_include_hidden_folders():
    text = (ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf8")
    assert ".venv" in text and ".data-cache" in text
    assert "include-hidden-files: true" in text
