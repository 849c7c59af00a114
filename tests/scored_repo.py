"""A small scored repository shared by the score and site tests: the good fixture records plus
generated claims whose scores can be worked by hand (built once per test session; see conftest)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import GOOD, TODAY, run_cli

DRAWS = "300"


def write_claim(root: Path, predictor: str, made: str, slug: str, *, deadline: str, status: str, prob: float | None = None,
                phrase: str | None = None, direction: str = "at_least", topic: str = "robotics", op: tuple | None = None,
                came_true: str | None = None, collection: str | None = None) -> str:
    claim_id = f"{made}-{predictor}-{slug}"
    if prob is not None:
        confidence = f"confidence:\n  basis: stated\n  stated_prob: {prob}\n"
    else:
        basis = "unscorable" if phrase == "possible" else "verbal"
        confidence = f"confidence:\n  basis: {basis}\n  phrase: {phrase}\n"
    lines = [
        f"id: {claim_id}", f"predictor_id: {predictor}", f"made_date: {made}",
        f"quote: Test quote {slug}.", f"statement: Test statement {slug}.",
        "source:\n  url: https://example.org/" + slug + "\n  title: Test source\n  kind: primary\n  format: post",
        f"deadline:\n  date: {deadline}\n  rule: explicit_date",
        confidence.rstrip("\n"), f"direction: {direction}", f"topics: [{topic}]",
    ]
    if collection:
        lines.append(f"collections:\n  - collection_id: {collection}\n    item: {slug}")
    if op:
        lines.append(f"paradigm_id: example-agents\noperationalisation:\n  series_id: example-horizon-minutes\n  comparator: \">=\"\n  threshold_value: {op[0]}")
    if status != "pending":
        res = f"resolution:\n  status: \"{status}\"\n  resolved_date: {deadline}\n  note: Test outcome.\n"
        if came_true:
            res += f"  came_true_date: {came_true}\n"
        res += "  evidence:\n    - url: https://example.org/outcome-" + slug + "\n      title: Outcome"
        lines.append(res)
    path = root / "claims" / made[:4] / f"{claim_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return claim_id


def build_scored_repo(root: Path) -> Path:
    """A copy of the good fixture repository with claims for two predictors, built, fitted and scored."""
    shutil.copytree(GOOD, root)
    # Ada (a lab researcher from 2020: an insider) says 0.9 and is right twice in eight.
    for k in range(8):
        write_claim(root, "ada-example", f"2021-0{k + 1}-01", f"bold-{k}", deadline=f"2023-0{k + 1}-01", prob=0.9, status="true" if k < 2 else "false",
                    came_true="2024-06-01" if k == 2 else None, topic="self-driving")
    # Bo (a critic) says 0.3 or 0.7, and is right at about those rates.
    for k in range(8):
        p = 0.7 if k < 4 else 0.3
        true = k in (0, 1, 2, 4)
        write_claim(root, "bo-example", f"2016-0{k + 1}-01", f"measured-{k}", deadline=f"2019-0{k + 1}-01", prob=p, status="true" if true else "false",
                    collection="bo-measured-list")
    # Bo's eight measured claims are a systematic collection: every item of a dated list of ten, two left out.
    (root / "data" / "reference" / "collections" / "bo-measured-list.yaml").write_text(
        "id: bo-measured-list\nname: Bo's measured list\nkind: systematic\ndescription: Every dated item of Bo's list.\n"
        "inclusion_rule: Every item with a probability.\nselected_by: Bo wrote the list; the editors recorded every item.\n"
        "source:\n  url: https://example.org/bo/list\n  title: Bo's list\nitem_unit: item\nitems_in_source: 10\n"
        "left_out:\n  - item: Item 9\n    reason: No probability.\n  - item: Item 10\n    reason: No deadline.\n")
    write_claim(root, "bo-example", "2016-10-01", "vague", deadline="2019-10-01", phrase="possible", status="false")
    write_claim(root, "bo-example", "2016-11-01", "murky", deadline="2019-11-01", prob=0.6, status="ambiguous")
    write_claim(root, "bo-example", "2016-12-01", "halfway", deadline="2019-12-01", phrase="will", status="partly")
    # Operationalised claims on the fixture series (frontier points 2020-01 to 2025-01; 60 minutes last):
    write_claim(root, "ada-example", "2025-03-01", "four-hours", deadline="2026-06-30", prob=0.8, status="false", op=(240,))  # fitted
    write_claim(root, "ada-example", "2024-06-01", "day-long", deadline="2024-12-31", prob=0.5, status="false", op=(1000,))  # 4 points: none
    write_claim(root, "ada-example", "2025-03-01", "ten-minutes", deadline="2025-12-31", prob=0.7, status="true", op=(10,))  # already met
    # Pending claims around the coming-due window (TODAY + 90 days = 2027-02-21): past their deadline
    # (awaiting resolution), due today, due within the window, on its last day, and one day after it.
    for slug, deadline in (("overdue", "2026-09-30"), ("due-today", TODAY), ("due-soon", "2027-01-15"), ("due-last-day", "2027-02-21"),
                           ("due-later", "2027-02-22")):
        write_claim(root, "bo-example", "2025-06-01", slug, deadline=deadline, prob=0.5, status="pending", topic="agents")
    assert run_cli("--root", str(root), "--as-of", TODAY, "check").code == 0, run_cli("--root", str(root), "--as-of", TODAY, "check").out
    assert run_cli("--root", str(root), "--as-of", TODAY, "build").code == 0
    fitted = run_cli("--root", str(root), "--as-of", TODAY, "fit", "--draws", DRAWS)
    assert fitted.code == 0, fitted.err
    result = run_cli("--root", str(root), "--as-of", TODAY, "score", "--draws", DRAWS)
    assert result.code == 0, result.err
    return root
