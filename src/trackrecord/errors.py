"""Problems found in records: where (file, line, column, field), which rule, and how to fix it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the repository root, '/'-separated
    line: int  # 1-based; 0 when the problem concerns the file as a whole
    col: int  # 1-based
    code: str
    field: str  # dotted path such as 'resolution.evidence[0].url', or '' for the whole file
    message: str
    fix: str
    severity: Severity = field(default=Severity.ERROR, compare=False)
    detail: str = field(default="", compare=False)  # more lines to show under the problem, e.g. a diff


    def format_text(self) -> str:
        where = f"{self.path}:{max(self.line, 1)}:{max(self.col, 1)}"
        what = f"{self.code} {self.field}:" if self.field else f"{self.code}:"
        warn = "warning: " if self.severity is Severity.WARNING else ""
        line = f"{where}: {warn}{what} {self.message} — {self.fix}"
        if self.detail:
            line += "\n" + "\n".join("    " + d for d in self.detail.splitlines())
        return line

    def format_github(self) -> str:
        """A GitHub Actions workflow command, which annotates the pull request's diff."""
        level = "error" if self.severity is Severity.ERROR else "warning"
        title = f"{self.code} {self.field}".strip()
        body = f"{self.message} — {self.fix}"
        if self.detail:
            body += "\n" + self.detail
        return (
            f"::{level} file={_escape_property(self.path)},line={max(self.line, 1)},col={max(self.col, 1)},"
            f"title={_escape_property(title)}::{_escape_data(body)}"
        )

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
            "severity": str(self.severity),
            **({"detail": self.detail} if self.detail else {}),
        }

    def format_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)


# Escaping as the runner expects it (actions/toolkit, packages/core/src/command.ts).
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
