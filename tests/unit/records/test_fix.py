"""`check --fix` and FMT001: the canonical form of record files (trackrecord.records.fix)."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from conftest import GOOD, REPO, TODAY, run_cli
from trackrecord.records import fix as fix_mod
from trackrecord.records.fix import fast_is_canonical, canonical_text, format_record
from trackrecord.records.load import discover, kind_by_location, relative
from trackrecord.records.yaml_io import load_text

REPO_FILES = [(relative(p, REPO), p) for p in discover(REPO)]
CLAIM = "claims/2018/2018-05-01-ada-example-robots-walk.yaml"


def _kind(rel: str) -> str:
    kind = kind_by_location(rel)
    assert kind is not None, rel
    return kind


def test_every_record_in_the_repository_is_canonical():
    """The fast check and the exact ruamel rendering agree that every committed file is canonical."""
    assert len(REPO_FILES) > 600
    for rel, path in REPO_FILES:
        text = path.read_text(encoding="utf-8")
        assert canonical_text(text, _kind(rel)) == text, f"{rel}: run `trackrecord check --fix`"


def _scramble(text: str, indented: bool) -> str:
    """The same data written untidily: keys reversed, long strings wrapped at 60 columns, the other
    sequence indentation, and dates quoted."""
    ry = YAML()
    ry.preserve_quotes = True
    ry.width = 60
    if indented:
        ry.indent(mapping=4, sequence=2, offset=0)
    else:
        ry.indent(mapping=2, sequence=4, offset=2)
    doc = ry.load(text)

    def walk(node):
        if isinstance(node, CommentedMap):
            for key in reversed(list(node)):
                node.move_to_end(key)
            for key in node:
                node[key] = walk(node[key])
        elif isinstance(node, list):
            for i, item in enumerate(node):
                node[i] = walk(item)
        elif isinstance(node, float):
            return float(node)  # ruamel's round-trip float keeps too few digits for some values; repr() keeps them all
        return node

    out = io.StringIO()
    ry.dump(walk(doc), out)
    return out.getvalue()


@pytest.mark.parametrize("rel,path", REPO_FILES[::7], ids=[r for r, _ in REPO_FILES[::7]])
def test_fix_keeps_meaning_and_is_idempotent_on_scrambled_records(rel: str, path: Path):
    original = path.read_text(encoding="utf-8")
    scrambled = _scramble(original, indented="\n  - " in original)
    assert load_text(scrambled) == load_text(original)
    fixed = canonical_text(scrambled, _kind(rel))
    assert load_text(fixed) == load_text(original), "formatting must never change the data"
    assert canonical_text(fixed, _kind(rel)) == fixed, "a second --fix must change nothing"
    # Key order is the schema's again: the canonical form of the original has the same keys in the same places.
    assert [line.split(":")[0] for line in fixed.splitlines() if line[:1].isalpha()] == [
        line.split(":")[0] for line in original.splitlines() if line[:1].isalpha()
    ]


def test_fast_check_only_says_canonical_when_it_is():
    for rel, path in REPO_FILES:
        text = path.read_text(encoding="utf-8")
        scrambled = _scramble(text, indented="\n  - " in text)
        if scrambled != text:
            assert not fast_is_canonical(scrambled, _kind(rel)), rel


def test_canonical_rules_in_small():
    text = (
        "# yaml-language-server: $schema=../_schema/claim.json\n"
        "id: x\n"
        "made_date: '2024-01-05'\n"  # the file's first date is quoted: dates stay quoted
        "deadline:\n"
        "  years: 5          # N\n"  # the comment travels with its key
        "  rule: within_years\n"
        "  date: 2029-01-05\n"
        "topics: ['agi', \"no\"]\n"  # 'agi' needs no quotes; "no" keeps them (YAML 1.1 reads a bare no as false)
        "verification:\n"
        "- fields: [quote]\n"
        "  note: a long note that was wrapped over\n"
        "    two lines by hand\n"
    )
    fixed = canonical_text(text, "claim")
    assert fixed == (
        "# yaml-language-server: $schema=../_schema/claim.json\n"
        "id: x\n"
        "made_date: '2024-01-05'\n"
        "deadline:\n"
        "  date: '2029-01-05'\n"
        "  rule: within_years\n"
        "  years: 5          # N\n"
        "topics: [agi, \"no\"]\n"
        "verification:\n"
        "- fields: [quote]\n"
        "  note: >-\n"
        "    a long note that was wrapped over\n"
        "    two lines by hand\n"
    )
    assert load_text(fixed) == load_text(text)
    assert format_record(fixed, "claim").canonical is None


def test_numbers_are_kept_as_spelled():
    # ruamel alone would write 6.046095222592001e+20 back for this value
    text = "id: s\npoints:\n- date: 2020-01-01\n  value: 6.046095222592002e+20\n  system: ALLaM\u00a0adapted 70B\n"
    assert canonical_text(text, "series") == text


def test_check_reports_a_diff_and_fix_rewrites(good_repo: Path):
    target = good_repo / CLAIM
    original = target.read_text(encoding="utf-8")
    untidy = original.replace("  rule: within_years\n", "  rule: 'within_years'\n")
    assert untidy != original
    target.write_text(untidy, encoding="utf-8")

    run = run_cli("--root", str(good_repo), "--as-of", TODAY, "check")
    assert run.code == 0, "FMT001 is a warning"
    first = run.out.splitlines()[0]
    assert first.startswith(f"{CLAIM}:") and "warning: FMT001" in first and "check --fix" in first
    assert f"--- a/{CLAIM}" in run.out and "-  rule: 'within_years'" in run.out and "+  rule: within_years" in run.out

    as_json = [json.loads(line) for line in run_cli("--root", str(good_repo), "--as-of", TODAY, "check", "--format", "json").out.splitlines()]
    assert [p["code"] for p in as_json] == ["FMT001"] and "+  rule: within_years" in as_json[0]["detail"]
    github = run_cli("--root", str(good_repo), "--as-of", TODAY, "check", "--format", "github").out
    assert github.startswith(f"::warning file={CLAIM},") and "%0A" in github and "\n" not in github.strip()

    fixed = run_cli("--root", str(good_repo), "--as-of", TODAY, "check", "--fix")
    assert fixed.code == 0 and f"fixed {CLAIM}" in fixed.err and "1 file rewritten" in fixed.err
    assert target.read_text(encoding="utf-8") == original
    again = run_cli("--root", str(good_repo), "--as-of", TODAY, "check", "--fix")
    assert again.out == "" and "0 files rewritten" in again.err
    assert not list(good_repo.rglob("*.tmp")), "no temporary file is left behind"


def test_fix_on_a_path_touches_only_that_file(good_repo: Path):
    files = {p: p.read_text(encoding="utf-8") for p in good_repo.rglob("*.yaml") if "_schema" not in p.parts}
    for path, text in files.items():
        path.write_text(text.replace("\n", "\n\n", 1) if text.startswith("id:") else text + "\n", encoding="utf-8")
    target = good_repo / CLAIM
    run = run_cli("--root", str(good_repo), "--as-of", TODAY, "check", "--fix", str(target))
    assert run.err.count("fixed ") == 1 and f"fixed {CLAIM}" in run.err
    assert target.read_text(encoding="utf-8") == files[target]
    others = [p for p in files if p != target]
    assert all(p.read_text(encoding="utf-8") != files[p] for p in others)


def test_a_file_with_errors_is_reported_for_its_errors_not_its_format(good_repo: Path):
    target = good_repo / CLAIM
    target.write_text(target.read_text(encoding="utf-8").replace("  rule: within_years\n", "  rule: 'within_yearz'\n"), encoding="utf-8")
    run = run_cli("--root", str(good_repo), "--as-of", TODAY, "check")
    assert run.code == 1 and "FLD004" in run.out and "FMT001" not in run.out


def test_unreadable_files_are_left_alone_by_fix(good_repo: Path):
    target = good_repo / CLAIM
    broken = target.read_text(encoding="utf-8") + "quote: [unclosed\n"
    target.write_text(broken, encoding="utf-8")
    run = run_cli("--root", str(good_repo), "--as-of", TODAY, "check", "--fix")
    assert run.code == 1 and "YAML001" in run.out and "Traceback" not in run.out + run.err
    assert target.read_text(encoding="utf-8") == broken


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "record.yaml"
    target.write_text("old\n", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise OSError("disk full")

    from trackrecord import atomic

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(OSError):
        atomic.write_atomically(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["record.yaml"]


def test_good_corpus_is_canonical(tmp_path: Path):
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    run = run_cli("--root", str(root), "--as-of", TODAY, "check", "--fix")
    assert "0 files rewritten" in run.err


def test_the_fast_reordering_agrees_with_the_exact_path_on_every_record():
    # Keys moved out of the schema's order, as a hand-written record may have them: the fast
    # path's canonical text must be exactly the exact (ruamel) path's, or it must decline.
    from trackrecord.records.fix import fast_canonical_text

    produced = 0
    for rel, path in REPO_FILES[::3]:
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        tops = [i for i, line in enumerate(lines) if line[:1].isalpha() and not line.startswith("#")]
        if len(tops) < 3:
            continue
        # Swap the last two top-level entries (each with its indented block).
        a, b = tops[-2], tops[-1]
        end = len(lines) - 1 if lines[-1] == "" else len(lines)
        swapped = "\n".join(lines[:a] + lines[b:end] + lines[a:b]) + "\n"
        if load_text(swapped) != load_text(text):
            continue
        fast = fast_canonical_text(swapped, _kind(rel))
        if fast is not None:
            produced += 1
            assert fast == canonical_text(swapped, _kind(rel)), rel
    assert produced > len(REPO_FILES[::3]) // 2  # the fast path serves most records


def test_the_fast_reordering_declines_a_file_with_comments():
    from trackrecord.records.fix import fast_canonical_text

    text = GOOD.joinpath("claims/predictors").glob("*.yaml").__next__().read_text(encoding="utf-8")
    lines = text.rstrip("\n").split("\n")
    commented = "\n".join(lines[:2] + ["# a curator's note"] + lines[2:]) + "\n"
    assert fast_canonical_text(commented, "predictor") is None
