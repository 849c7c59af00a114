"""Writing imported records: canonical layout, a header that marks the importer's files, and no
curator's file ever overwritten."""

from __future__ import annotations

from pathlib import Path

from ..ingest import dump_record
from ..records.fix import canonical_or_as_is

SCHEMA_LINE = "# yaml-language-server: $schema=../_schema/{kind}.json\n"
COLLECTION_SCHEMA_LINE = "# yaml-language-server: $schema=../../_schema/collection.json\n"


def render(record: dict, kind: str, header: str) -> str:
    """The file text of one imported record, in the form `check --fix` would leave it."""
    schema = COLLECTION_SCHEMA_LINE if kind == "collection" else SCHEMA_LINE.format(kind=kind)
    return canonical_or_as_is(schema + header + dump_record(record), kind)


def write_imported(files: dict[Path, str], header: str) -> list[Path]:
    """Write each file atomically unless it exists without the importer's header (a curator's file:
    their own, or an import they took over by deleting the header). Returns the files written or
    already current."""
    written = []
    for target, text in sorted(files.items()):
        if target.exists():
            current = target.read_text(encoding="utf-8")
            if header not in current:
                continue
            if current == text:
                written.append(target)
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".tmp-{target.name}")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        written.append(target)
    return written
