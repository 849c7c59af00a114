"""The bad-record corpus: each file breaks one rule; check must report exactly what cases.yaml says,
without a traceback, and build must refuse without writing anything."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import BAD, GOOD, TODAY, run_cli
from trackrecord.records.codes import RULES

CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))


def test_corpus_is_complete():
    files = {p.name for p in BAD.iterdir() if p.name != "cases.yaml"}
    assert files == set(CASES), "every bad record needs an entry in cases.yaml, and vice versa"
    assert len(CASES) >= 30
    for name, spec in CASES.items():
        code = name.split("-", 1)[0]
        assert code in RULES, f"{name} is named after an unknown rule"
        assert any(e.startswith(code + " ") for e in spec["expect"]), f"{name} must report {code}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_record_reports_exact_code_and_location(name: str, tmp_path: Path):
    spec = CASES[name]
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    target = root / spec["place"]
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BAD / name, target)

    run = run_cli("--root", str(root), "--as-of", TODAY, "check", "--format", "json")
    problems = [json.loads(line) for line in run.out.splitlines()]
    got = [f"{p['code']} {p['field'] or '-'} {p['line']}:{p['col']}" for p in problems]
    assert run.code == 1
    assert "Traceback" not in run.out + run.err
    assert {p["path"] for p in problems} == {spec["place"]}
    assert got == spec["expect"]

    text = run_cli("--root", str(root), "--as-of", TODAY, "check")
    assert all(line.startswith(spec["place"] + ":") and " — " in line for line in text.out.splitlines())

    build = run_cli("--root", str(root), "--as-of", TODAY, "build")
    assert build.code == 1
    assert "Traceback" not in build.out + build.err
    assert not (root / "build").exists(), "a refused build must write nothing"


def test_all_errors_reported_in_one_run(tmp_path: Path):
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    names = ["CLM001-deadline-before-made.yaml", "FLD006-probability-zero.yaml", "YAML003-duplicate-key.yaml"]
    for i, name in enumerate(names):
        target = root / "claims" / "2024" / f"2024-03-01-ada-example-test-{i}.yaml"
        shutil.copyfile(BAD / name, target)
    run = run_cli("--root", str(root), "--as-of", TODAY, "check")
    codes = sorted(line.split(": ")[1].split()[0] for line in run.out.splitlines() if ": warning: " not in line)
    # The copy of the CLM001 record is also misnamed (ID002); the two unreadable ones stop at the schema.
    assert codes == ["CLM001", "FLD006", "ID002", "YAML003"]
    assert "4 errors" in run.err
