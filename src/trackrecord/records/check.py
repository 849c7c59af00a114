"""`trackrecord check`: read every record, validate it, apply every rule, report every problem."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, Severity
from .codes import RULES
from ..atomic import write_atomically
from .fix import format_record, unified_diff
from .load import SCANNED_DIRS, RecordSet, discover, kind_by_location, kind_by_modeline, load_records, relative
from .rules import run_rules


@dataclass
class CheckResult:
    records: RecordSet
    problems: list[Problem]  # sorted; only those in the paths asked about
    fixed: list[str] = field(default_factory=list)  # files `--fix` rewrote

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


def check_repository(root: Path, today: dt.date, paths: list[Path] | None = None, *, fix: bool = False) -> CheckResult:
    """Check the whole repository (references need it all) and report on `paths` (default: all).

    A path outside the repository's record folders is checked too; its kind comes from its
    yaml-language-server modeline. With `fix`, the files reported on are first rewritten into
    canonical form (see records.fix); a file that cannot be read is left alone.
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
    fixed = fix_files(root, wanted if paths else files) if fix else []
    records = load_records(root, files)
    problems = records.problems + run_rules(records, today)
    problems += format_problems(records, problems)
    if paths:
        keep = {relative(p, root) for p in wanted}
        problems = [p for p in problems if p.path in keep]
    return CheckResult(records, sorted(problems), fixed)


def _kind_of(rel: str, text: str) -> str | None:
    in_record_folder = any(rel.startswith(d + "/") for d in SCANNED_DIRS)
    return kind_by_location(rel) if in_record_folder else kind_by_modeline(text)


def format_problems(records: RecordSet, problems: list[Problem]) -> list[Problem]:
    """FMT001 for every record that is valid but not in canonical form, with the diff. A file with
    an error is left to that error first: formatting is the last thing to care about."""
    with_errors = {p.path for p in problems if p.severity is Severity.ERROR}
    rule = RULES["FMT001"]
    found = []
    for loaded in (r for kind in records.by_kind.values() for r in kind):
        if loaded.relpath in with_errors or loaded.known_canonical:
            continue
        text = loaded.path.read_text(encoding="utf-8-sig")
        result = format_record(text, loaded.kind)
        if result.canonical is None:
            continue
        diff, line = unified_diff(loaded.relpath, text, result.canonical)
        found.append(Problem(
            loaded.relpath, line, 1, "FMT001", "", "the file is not in canonical form; the diff shows what `--fix` would write",
            rule.fix, rule.severity, diff,
        ))
    return found


def fix_files(root: Path, files: list[Path]) -> list[str]:
    """Rewrite each file that is not in canonical form (atomically); return those rewritten."""
    rewritten = []
    for path in files:
        if path.suffix != ".yaml" or not path.is_file():
            continue
        rel = relative(path, root)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # check reports it
        kind = _kind_of(rel, text)
        if kind is None:
            continue
        result = format_record(text, kind)
        if result.canonical is not None:
            write_atomically(path, result.canonical)
            rewritten.append(rel)
    return rewritten
