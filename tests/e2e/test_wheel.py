"""The package as pip installs it: build the wheel, install it in a fresh virtual environment, and
run `check`, `build` and `fit --help` from there on the small valid repository.

By default the fresh environment reads its dependencies from the locked environment this test runs
in (offline; the wheel itself is installed with --no-index). With TRACKRECORD_WHEEL_FROM_LOCK=1 the
locked dependencies are installed into it from requirements.lock instead (needs the package index);
the pull-request workflow does that on the oldest and the newest supported Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from conftest import GOOD, REPO, TODAY


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "trackrecord"
    # Build from a copy of what the wheel is made of, so the build leaves no egg-info in the checkout.
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--wheel-dir", out, source)
    (built,) = out.glob("trackrecord-*.whl")
    return built


def test_the_wheel_declares_what_pyproject_says(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = Parser().parsestr(archive.read(meta_name).decode())
    assert sorted(meta["Requires-Python"].split(",")) == ["<3.14", ">=3.11"]
    requires = meta.get_all("Requires-Dist")
    assert any(r.startswith("ruamel.yaml") for r in requires)
    assert any(r.startswith("pymc") and 'extra == "fit"' in r for r in requires)
    assert set(meta.get_all("Provides-Extra")) >= {"fit", "site", "test", "all"}
    # Package data the stages read at run time travels in the wheel.
    assert "trackrecord/db/views.sql" in names
    assert any(n.startswith("trackrecord/templates/") and n.endswith(".yaml") for n in names)
    assert any(n.startswith("trackrecord/site/templates/") for n in names)


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    if os.environ.get("TRACKRECORD_WHEEL_FROM_LOCK") == "1":
        _run(python, "-m", "pip", "install", "--quiet", "--require-hashes", "--no-deps", "-r", REPO / "requirements.lock")
    else:
        # The locked environment's site-packages, without its editable install of trackrecord:
        # paths named in a .pth file are not site directories, so their own .pth files (the
        # editable finder among them) are not run.
        site_packages = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
        Path(site_packages, "locked-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", wheel)
    return env_dir / "bin"


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path):
    where = _run(installed / "python", "-c", "import trackrecord; print(trackrecord.__file__)").stdout.strip()
    assert Path(where).is_relative_to(installed.parent), where


def test_check_build_and_fit_help_run_from_the_wheel(installed: Path, tmp_path: Path):
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    trackrecord = installed / "trackrecord"
    assert ": ok, 0 warnings" in _run(trackrecord, "--root", root, "--as-of", TODAY, "check").stderr
    _run(trackrecord, "--root", root, "--as-of", TODAY, "build")
    assert (root / "build" / "trackrecord.duckdb").stat().st_size > 0
    assert "--draws" in _run(trackrecord, "fit", "--help").stdout
