"""`trackrecord check`: read every record, validate it, apply every rule, report every problem."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, Severity
from .load import RecordSet, discover, load_records, relative
from .rules import run_rules


@dataclass
class CheckResult:
    records: RecordSet
    problems: list[Problem]  # sorted; only those in the paths asked about

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


def check_repository(root: Path, today: dt.date, paths: list[Path] | None = None) -> CheckResult:
    """Check the whole repository (references need it all) and report on `paths` (default: all).

    A path outside the repository's record folders is checked too; its kind comes from its
    yaml-language-server modeline.
    """
    files = discover(root)
    wanted: list[Path] = []
    for given in paths or []:
        given = given.resolve()
        if given.is_dir():
            extra = [p for p in given.rglob("*") if p.suffix in (".yaml", ".yml") and "_schema" not in p.parts]
        else:
            extra = [given]
        wanted.extend(extra)
    known = {f.resolve() for f in files}
    files.extend(sorted(p for p in set(wanted) if p not in known))
    records = load_records(root, files)
    problems = records.problems + run_rules(records, today)
    if paths:
        keep = {relative(p, root) for p in wanted}
        problems = [p for p in problems if p.path in keep]
    return CheckResult(records, sorted(problems))
