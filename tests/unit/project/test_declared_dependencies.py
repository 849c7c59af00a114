"""`pip install .[all]` gives every module the package imports: each third-party import in
src/trackrecord is a dependency pyproject.toml declares (base or an extra), by name."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from conftest import REPO

ROOT = REPO


def imported_top_levels() -> set[str]:
    names = set()
    for path in (ROOT / "src" / "trackrecord").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "trackrecord"}


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> dict[str, set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = {"base": project["dependencies"], **project["optional-dependencies"]}
    return {g: {normal(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in reqs} for g, reqs in groups.items()}


def test_every_third_party_import_is_declared():
    groups = declared()
    names = set().union(*groups.values())
    providers = packages_distributions()
    missing = {}
    for module in sorted(imported_top_levels()):
        dists = {normal(d) for d in providers.get(module, [module])}
        if not dists & names:
            missing[module] = sorted(dists)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
    assert "ruamel-yaml" in groups["base"]  # check rewrites records with it
    assert groups["all"] == {"trackrecord"}
