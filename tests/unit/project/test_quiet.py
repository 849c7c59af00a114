"""A user sees only the project's own output: ArviZ's import-time FutureWarning is silenced."""

import os
import subprocess
import sys

import pytest

ANNOUNCEMENT = "ArviZ is undergoing a major refactor"


@pytest.fixture
def fresh_cache(tmp_path):
    # ArviZ announces once a day, stamping the day in the user's cache folder: a fresh cache
    # folder makes every run the first of the day.
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}


def _import_arviz(prelude: str, env: dict) -> str:
    code = f"{prelude}\nimport arviz\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return done.stderr


def test_arviz_announces_its_refactor_without_the_filter(fresh_cache):
    # The control: if ArviZ stops warning, the test below would pass for the wrong reason.
    assert ANNOUNCEMENT in _import_arviz("", fresh_cache)


def test_silence_library_warnings_hides_the_announcement(fresh_cache):
    stderr = _import_arviz("from trackrecord.quiet import silence_library_warnings\nsilence_library_warnings()", fresh_cache)
    assert ANNOUNCEMENT not in stderr
    assert "FutureWarning" not in stderr


def test_the_cli_silences_before_running_a_command(monkeypatch, tmp_path):
    from trackrecord import cli

    seen = []
    monkeypatch.setattr("trackrecord.quiet.silence_library_warnings", lambda: seen.append(True))
    cli.main(["--root", str(tmp_path), "rules"])
    assert seen == [True]
