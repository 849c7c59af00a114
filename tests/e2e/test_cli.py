"""The command line: check output formats, today's date, new, sql, schemas, rules, the real repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import BAD, RECORD_TODAY, REPO, TODAY, run_cli


def test_repository_itself_passes_check():
    run = run_cli("--root", str(REPO), "--as-of", RECORD_TODAY, "check")
    assert run.code == 0, run.out
    assert "ok" in run.err


def test_github_format_annotates_file_line_and_col(good_repo: Path):
    shutil.copyfile(BAD / "CLM001-deadline-before-made.yaml", good_repo / "claims/2024/2024-03-01-ada-example-test.yaml")
    run = run_cli("--root", str(good_repo), "--as-of", TODAY, "check", "--format", "github")
    assert run.code == 1
    first = run.out.splitlines()[0]
    assert first.startswith("::error file=claims/2024/2024-03-01-ada-example-test.yaml,line=13,col=9,title=CLM001 deadline.date::")
    assert any(line.startswith("::warning ") and "CLM010" in line for line in run.out.splitlines())


def test_check_reports_only_the_paths_asked_about(good_repo: Path):
    shutil.copyfile(BAD / "CLM001-deadline-before-made.yaml", good_repo / "claims/2024/2024-03-01-ada-example-test.yaml")
    only_2018 = run_cli("--root", str(good_repo), "--as-of", TODAY, "check", str(good_repo / "claims/2018"))
    assert only_2018.code == 0 and only_2018.out == ""
    only_2024 = run_cli("--root", str(good_repo), "--as-of", TODAY, "check", str(good_repo / "claims/2024"))
    assert only_2024.code == 1 and "CLM001" in only_2024.out


def test_a_file_outside_the_repository_is_checked_by_its_modeline(good_repo: Path, tmp_path: Path):
    outside = tmp_path / "proposal.yaml"
    shutil.copyfile(BAD / "FLD006-probability-zero.yaml", outside)
    run = run_cli("--root", str(good_repo), "--as-of", TODAY, "check", str(outside))
    assert run.code == 1 and "FLD006 confidence.stated_prob" in run.out


def test_today_is_injectable_by_flag_and_environment(good_repo: Path, monkeypatch):
    # The CLM002 bad record was made on 2027-01-05: in the future now, in the past in 2028.
    target = good_repo / "claims/2027/2027-01-05-ada-example-test.yaml"
    target.parent.mkdir()
    shutil.copyfile(BAD / "CLM002-made-in-future.yaml", target)
    assert "CLM002" in run_cli("--root", str(good_repo), "--as-of", "2026-11-23", "check").out
    assert "CLM002" not in run_cli("--root", str(good_repo), "--as-of", "2028-06-01", "check").out
    monkeypatch.setenv("TRACKRECORD_TODAY", "2028-06-01")
    assert "CLM002" not in run_cli("--root", str(good_repo), "check").out
    monkeypatch.setenv("TRACKRECORD_TODAY", "2026-11-23")
    assert "CLM002" in run_cli("--root", str(good_repo), "check").out
    bad = run_cli("--root", str(good_repo), "--as-of", "yesterday", "check")
    assert bad.code == 2 and "YYYY-MM-DD" in bad.err


def test_new_writes_templates_with_fresh_ids_that_only_lack_their_todos(good_repo: Path):
    first = run_cli("--root", str(good_repo), "--as-of", TODAY, "new", "claim", "--predictor", "ada-example", "--date", "2025-02-03", "--slug", "Agents by 2030!")
    assert first.code == 0
    assert first.out.strip() == "claims/2025/2025-02-03-ada-example-agents-by-2030.yaml"
    second = run_cli("--root", str(good_repo), "--as-of", TODAY, "new", "claim", "--predictor", "ada-example", "--date", "2025-02-03", "--slug", "agents by 2030")
    assert second.out.strip() == "claims/2025/2025-02-03-ada-example-agents-by-2030-2.yaml"
    pred = run_cli("--root", str(good_repo), "--as-of", TODAY, "new", "predictor", "--name", "Zoë Ó'Example")
    assert pred.out.strip() == "claims/predictors/zoe-o-example.yaml"
    run = run_cli("--root", str(good_repo), "--as-of", TODAY, "check", "--format", "json")
    import json

    problems = [json.loads(line) for line in run.out.splitlines()]
    codes = {(p["path"], p["code"]) for p in problems}
    # The templates are valid records apart from the placeholders the contributor must fill in;
    # the second claim also repeats the first one's placeholder quote.
    assert {c for _, c in codes} <= {"TPL001", "CLM011", "CLM010"}  # CLM010: the placeholder deadline has passed
    assert ("claims/predictors/zoe-o-example.yaml", "TPL001") in codes
    assert ("claims/2025/2025-02-03-ada-example-agents-by-2030.yaml", "TPL001") in codes


def test_new_claim_needs_an_existing_predictor(good_repo: Path):
    run = run_cli("--root", str(good_repo), "new", "claim", "--predictor", "nobody", "--slug", "x")
    assert run.code == 2 and "no predictor 'nobody'" in run.err


def test_sql_runs_queries_and_explains_missing_database(good_repo: Path):
    missing = run_cli("--root", str(good_repo), "sql", "SELECT 1")
    assert missing.code == 2 and "trackrecord build" in missing.err
    assert run_cli("--root", str(good_repo), "--as-of", TODAY, "build").code == 0
    csv = run_cli("--root", str(good_repo), "sql", "--format", "csv", "SELECT id, is_insider FROM v_claims ORDER BY id")
    assert csv.code == 0
    assert csv.out.splitlines() == [
        "id,is_insider",
        "2018-05-01-ada-example-robots-walk,False",
        "2022-03-10-bo-example-no-agents,False",
        "2024-02-01-ada-example-agents-week,True",
    ]
    wrong = run_cli("--root", str(good_repo), "sql", "SELECT nope FROM rec_claims")
    assert wrong.code == 1 and "nope" in wrong.err


def test_schemas_check_detects_stale_schema(good_repo: Path):
    (good_repo / "pyproject.toml").write_text("")
    assert run_cli("--root", str(good_repo), "schemas").code == 0
    assert run_cli("--root", str(good_repo), "schemas", "--check").code == 0
    path = good_repo / "claims/_schema/claim.json"
    path.write_text(path.read_text().replace('"quote"', '"quotation"', 1))
    stale = run_cli("--root", str(good_repo), "schemas", "--check")
    assert stale.code == 1 and "claims/_schema/claim.json" in stale.err


def test_rules_lists_every_code():
    from trackrecord.records.codes import RULES

    run = run_cli("rules")
    assert [line.split("\t")[0] for line in run.out.splitlines()] == list(RULES)


def test_console_script_runs_without_traceback_on_bad_input(good_repo: Path):
    shutil.copyfile(BAD / "YAML004-alias-bomb.yaml", good_repo / "claims/2024/2024-03-01-ada-example-test.yaml")
    exe = Path(sys.executable).with_name("trackrecord")
    proc = subprocess.run([str(exe), "--root", str(good_repo), "check"], capture_output=True, text=True, timeout=60, env={**os.environ, "TRACKRECORD_TODAY": TODAY})
    assert proc.returncode == 1
    assert "YAML004" in proc.stdout and "Traceback" not in proc.stderr
