"""Shared fixtures: a copy of the small valid repository, and running the CLI in-process."""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from trackrecord.cli import main

TESTS = Path(__file__).parent
GOOD = TESTS / "records" / "good"
BAD = TESTS / "records" / "bad"
REPO = TESTS.parent
TODAY = "2026-11-23"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse errors
            code = int(exit_.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def good_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    return root


@pytest.fixture
def cli():
    return run_cli
