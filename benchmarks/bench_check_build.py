"""Benchmark: `check` and `build` on 10,000 generated claims, against a bare libyaml parse.

The floor is what no validator can beat: reading every file and parsing it with PyYAML's
CSafeLoader. The figures for `check` and `build` are printed as a ratio to that floor. The
generated records are canonical, as real records are (`check --fix` keeps them so); a second
`check` row times the same claims with two keys swapped in every file, the case of hand-written
records, where `check` renders each file's canonical form to show the diff (FMT001).

    .venv/bin/python benchmarks/bench_check_build.py [--claims 10000] [--repeat 3]

This is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from trackrecord.db.build import build_database
from trackrecord.paths import Layout
from trackrecord.records.check import check_repository
from trackrecord.records.load import discover
from trackrecord.records.rules import add_years

TODAY = dt.date(2026, 11, 23)
REPO = Path(__file__).resolve().parent.parent

CLAIM = """# yaml-language-server: $schema=../_schema/claim.json
id: {id}
predictor_id: {pred}
made_date: {made}
made_date_precision: day
quote: >-
  Claim number {n}: within {years} years AI systems will do {task} as well as the best humans,
  and the consequences for {field} will be large. This sentence pads the quote to a realistic length.
is_paraphrase: false
statement: >-
  An AI system does {task} at the level of the best humans before {deadline} (generated claim {n}).
source:
  url: https://example.org/source/{src}
  title: Generated source {src}
  publisher: Example Publisher
  kind: primary
  format: essay
  published_date: {made}
deadline:
  date: {deadline}
  rule: within_years
  words: within {years} years
  years: {years}
confidence:
  basis: verbal
  phrase: will
direction: at_least
topics: [agents, {field}]
resolution:
  status: {status}
{resolution}verification:
  - fields: [quote, made_date, source]
    url: https://example.org/source/{src}
    checked_date: 2026-01-15
"""

PREDICTOR = """# yaml-language-server: $schema=../_schema/predictor.json
id: {id}
name: Generated Person {n}
kind: person
description: A generated predictor for benchmarks.
affiliations:
  - organisation: Example University
    role_class: academic
    start_date: 2000-01-01
    start_date_precision: year
    end_date: 2015-12-31
  - organisation: Example Lab
    role_class: lab_executive
    start_date: 2016-01-01
"""


def generate(root: Path, n_claims: int, canonical: bool = True) -> None:
    # The real collections name real claims as members; with generated claims their counts fail.
    shutil.copytree(REPO / "data", root / "data", ignore=shutil.ignore_patterns("collections"))
    shutil.copytree(REPO / "models", root / "models")
    # The generated sources and evidence live on example.org: known to the registry, as a real
    # record's hosts are (an unknown host would add a warning, and its position lookup, per file).
    with open(root / "data" / "reference" / "publishers.yaml", "a", encoding="utf-8") as registry:
        registry.write("- domain: example.org\n  name: Example (generated records)\n  kind: own_site\n")
    (root / "claims" / "predictors").mkdir(parents=True)
    n_predictors = max(1, n_claims // 20)
    for i in range(n_predictors):
        (root / "claims" / "predictors" / f"person-{i}.yaml").write_text(PREDICTOR.format(id=f"person-{i}", n=i))
    tasks = ["coding", "mathematics", "driving", "translation", "radiology"]
    for n in range(n_claims):
        made = dt.date(2000, 1, 1) + dt.timedelta(days=(n * 7) % 9000)
        years = 1 + n % 10
        deadline = add_years(made, years)
        resolved = deadline < TODAY
        status = ('"true"' if n % 3 == 0 else '"false"') if resolved else "pending"  # canonical: booleans' words quoted
        resolution = (
            f"  resolved_date: {deadline}\n  note: Generated outcome.\n  evidence:\n    - url: https://example.org/evidence/{n}\n      title: Evidence {n}\n"
            if resolved
            else ""
        )
        pred = f"person-{n % n_predictors}"
        cid = f"{made}-{pred}-claim-{n}"
        folder = root / "claims" / str(made.year)
        folder.mkdir(exist_ok=True)
        text = CLAIM.format(id=cid, pred=pred, made=made, n=n, years=years, task=tasks[n % 5], field=tasks[(n + 1) % 5],
                            src=n, deadline=deadline, status=status, resolution=resolution)
        if not canonical:  # keys out of the schema's order, as a hand-written file may have them
            text = text.replace(f"  words: within {years} years\n  years: {years}\n", f"  years: {years}\n  words: within {years} years\n")
        (folder / f"{cid}.yaml").write_text(text)


def floor(root: Path) -> float:
    start = time.perf_counter()
    for path in discover(root):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def time_check(root: Path, expect_unformatted: int = 0) -> float:
    start = time.perf_counter()
    result = check_repository(root, TODAY)
    elapsed = time.perf_counter() - start
    assert not result.errors, result.errors[:3]
    unformatted = sum(p.code == "FMT001" for p in result.problems)
    assert unformatted == expect_unformatted, f"{unformatted} files not canonical, expected {expect_unformatted}"
    return elapsed


def time_build(root: Path) -> float:
    start = time.perf_counter()
    build_database(Layout(root), TODAY)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "canonical"
        print(f"generating {args.claims:,} claims ...", file=sys.stderr)
        generate(root, args.claims)
        files = len(discover(root))
        floor(root)  # warm the file cache once, so every variant reads from memory
        results = {}
        for name, fn in (("libyaml parse (floor)", floor), ("trackrecord check", time_check), ("trackrecord build", time_build)):
            times = [fn(root) for _ in range(args.repeat)]
            results[name] = statistics.median(times)
            print(f"  {name}: median of {args.repeat}: {results[name]:.2f}s", file=sys.stderr)
        messy = Path(tmp) / "messy"
        generate(messy, args.claims, canonical=False)
        floor(messy)
        times = [time_check(messy, expect_unformatted=args.claims) for _ in range(args.repeat)]
        results["trackrecord check, every claim non-canonical"] = statistics.median(times)
        print(f"  non-canonical check: median of {args.repeat}: {results['trackrecord check, every claim non-canonical']:.2f}s", file=sys.stderr)
        base = results["libyaml parse (floor)"]
        print(f"\n{files:,} files ({args.claims:,} claims), median of {args.repeat} runs")
        print("| step | seconds | ratio to floor |")
        print("|---|---|---|")
        for name, seconds in results.items():
            print(f"| {name} | {seconds:.2f} | {seconds / base:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
