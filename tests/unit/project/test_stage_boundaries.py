"""The one-way flow, enforced: schema → records → db → fit → score → site.

A stage imports only itself, earlier stages and the shared modules (which import at most the
schema); the side tools (ingest,
importers, links) work on records and import no later stage; and no module reaches into another
folder's private names (a leading underscore). The CLI and the reference-page generator sit above
everything and may import any stage.
"""

from __future__ import annotations

import ast
from pathlib import Path

import trackrecord

PACKAGE = Path(trackrecord.__file__).parent
FLOW = ("schema", "records", "db", "fit", "score", "site")
TOOLS = ("ingest", "importers", "links")
SHARED = ("atomic", "clock", "errors", "paths", "quiet", "__init__")
ABOVE = ("cli", "reference_docs")


def _part(module: str) -> str:
    """The top-level folder or module of `trackrecord.<module>`."""
    return module.split(".")[0]


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, imported trackrecord module relative to the package, names) for every import."""
    here = path.relative_to(PACKAGE).with_suffix("").parts
    package = here[:-1] if here[-1] != "__init__" else here[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                module = ".".join((*base, node.module)) if node.module else ".".join(base)
            elif node.module and node.module.startswith("trackrecord"):
                module = node.module.removeprefix("trackrecord").lstrip(".")
            else:
                continue
            out.append((node.lineno, module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("trackrecord."):
                    out.append((node.lineno, alias.name.removeprefix("trackrecord."), []))
    return out


def _allowed(importer: str, imported: str) -> bool:
    if imported in SHARED or importer in ABOVE or importer == imported:
        return True
    if importer in FLOW:
        return imported in FLOW and FLOW.index(imported) <= FLOW.index(importer)
    if importer in TOOLS:
        return imported in ("schema", "records", *TOOLS)
    if importer in SHARED:
        return imported == "schema"  # the layout names each record kind's schema file
    raise AssertionError(f"{importer}: a new top-level module; place it in FLOW, TOOLS, SHARED or ABOVE")


def _violations() -> tuple[list[str], list[str]]:
    against_flow, private = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        importer = _part(".".join(rel.with_suffix("").parts))
        for line, module, names in _imports(path):
            imported = _part(module) if module else importer
            where = f"{rel}:{line} imports {module or '.'}"
            if not _allowed(importer, imported):
                against_flow.append(where)
            if imported != importer:
                hidden = [n for n in names if n.startswith("_") and not n.startswith("__")]
                hidden += [p for p in module.split(".") if p.startswith("_") and not p.startswith("__")]
                if hidden:
                    private.append(f"{where} ({', '.join(hidden)})")
    return against_flow, private


def test_no_import_runs_against_the_flow():
    against_flow, _ = _violations()
    assert against_flow == []


def test_no_module_imports_another_folders_private_names():
    _, private = _violations()
    assert private == []


def test_the_checker_finds_a_violation(tmp_path):
    # The rule itself can fail: a records module importing the fit stage is reported.
    fake = tmp_path / "trackrecord"
    (fake / "records").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "records" / "rules.py").write_text("from ..fit.structures import _private\n")
    globals()["PACKAGE"] = fake
    try:
        against_flow, private = _violations()
    finally:
        globals()["PACKAGE"] = Path(trackrecord.__file__).parent
    assert against_flow == ["records/rules.py:1 imports fit.structures"]
    assert private == ["records/rules.py:1 imports fit.structures (_private)"]
