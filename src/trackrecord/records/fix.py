"""The canonical form of a record file: `check` reports a file that is not in it (FMT001, with a
diff), and `check --fix` rewrites it. The form was chosen to match the files already in the
repository, so that `--fix` changes as little as possible:

- keys in the order the schema defines its fields (nested blocks too); keys the schema does not
  know (an error of their own) keep their order after the known ones; the keys of a mapping that
  is data (a paradigm's `priors`) keep the order they were written in;
- mappings indented by 2 spaces; a block sequence either indented under its key (`  - x`) or not
  (`- x`), consistently within a file, as the file's first block sequence has it (yamllint's
  `indent-sequences: consistent`); a file without one gets the template's indented form;
- a string is written plain where every YAML reader (1.1 and 1.2) reads it back as the same string;
  otherwise quoted, keeping the writer's choice of single or double quotes (new quotes are single);
- dates in date fields plain, as YYYY-MM-DD;
- long text is a folded block (`>-`) whose line breaks are kept as written; a plain or quoted string
  wrapped over several lines becomes such a block (folded at 100 columns); a one-line string is
  never wrapped;
- comments kept; one final newline; no trailing spaces.

Formatting never changes what a file means: the result is parsed again and compared with the
original, and a file whose data would differ is left alone.

Rendering with ruamel.yaml is slow (about 10 ms a file), so `check` first rebuilds the text from
libyaml's node tree for the common shapes (`fast_is_canonical`); only a file that does not match
there is rendered by ruamel to decide.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import typing
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.nodes import ScalarNode as RuamelScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from ..schema import RECORD_KINDS
from ..schema.introspect import unwrap
from .yaml_io import RecordFileError, RecordLoader, load_text

FOLD_WIDTH = 100  # columns, for text that has to be folded anew (the ingest dumper uses 100 too)
_EMIT_WIDTH = 1_000_000  # never wrap a one-line scalar
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN = ("", None)  # libyaml marks a plain scalar with '', PyYAML's Python parser with None


class FormatRefused(Exception):
    """The canonical text would not mean the same as the file; nothing is written."""


# --- the shape of each field, from the schema --------------------------------------------------


@dataclass(frozen=True)
class Shape:
    kind: str  # "model" | "list" | "dict" | "date" | "scalar"
    model: type[BaseModel] | None = None
    inner: "Shape | None" = None


_SCALAR = Shape("scalar")


def shape_of(tp: object) -> Shape:
    tp, _ = unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return Shape("model", model=tp)
    origin = typing.get_origin(tp)
    if origin is list:
        return Shape("list", inner=shape_of(typing.get_args(tp)[0]))
    if origin is dict:
        return Shape("dict", inner=shape_of(typing.get_args(tp)[1]))
    if tp is dt.date:
        return Shape("date")
    return _SCALAR


def _field_shapes(model: type[BaseModel]) -> dict[str, Shape]:
    cached = _SHAPES.get(model)
    if cached is None:
        cached = _SHAPES[model] = {name: shape_of(f.annotation) for name, f in model.model_fields.items()}
    return cached


_SHAPES: dict[type, dict[str, Shape]] = {}


# --- which strings may be plain ----------------------------------------------------------------

_RESOLVER_12 = VersionedResolver(version=(1, 2))
_RESOLVER_11 = yaml.resolver.Resolver()


class _Analyser(Emitter):
    """ruamel's own test of which styles a scalar allows, without a stream (YAML 1.2 rules)."""

    use_version = (1, 2)


_ANALYSER = _Analyser(None, allow_unicode=True)
_PLAIN_CACHE: dict[tuple[str, bool], bool] = {}


def plain_ok(value: str, flow: bool) -> bool:
    """Whether `value` can be written without quotes, read back as this string by YAML 1.1 and 1.2
    readers alike (so `no`, `on` and `2024-01-01` outside a date field keep their quotes)."""
    key = (value, flow)
    known = _PLAIN_CACHE.get(key)
    if known is not None:
        return known
    ok = bool(value) and value == value.strip() and "\n" not in value
    if ok:
        ok = (
            _RESOLVER_12.resolve(RuamelScalarNode, value, (True, False)) == _STR_TAG
            and _RESOLVER_11.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG
        )
    if ok:
        analysis = _ANALYSER.analyze_scalar(value)
        ok = analysis.allow_flow_plain if flow else analysis.allow_block_plain
    if len(_PLAIN_CACHE) < 100_000:
        _PLAIN_CACHE[key] = ok
    return ok


# --- the slow, exact path: ruamel round trip ---------------------------------------------------


def _ruamel(indented_sequences: bool) -> YAML:
    ry = YAML()  # round trip: keeps comments, key order and scalar styles
    ry.preserve_quotes = True
    ry.width = _EMIT_WIDTH
    if indented_sequences:
        ry.indent(mapping=2, sequence=4, offset=2)
    else:
        ry.indent(mapping=2, sequence=2, offset=0)
    return ry


def _sequences_indented(root: yaml.Node | None) -> bool:
    """The file's choice: is its first block sequence (in reading order) indented under its key?"""

    def first(node: yaml.Node) -> bool | None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
                    return value.start_mark.column > key.start_mark.column
                found = first(value)
                if found is not None:
                    return found
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                found = first(item)
                if found is not None:
                    return found
        return None

    found = first(root) if root is not None else None
    return True if found is None else found


class _Verbatim:
    """A number or boolean written back exactly as the file spells it (ruamel's float
    round trip can change the last digit of a value such as 6.046095222592002e+20)."""

    def __init__(self, tag: str, text: str):
        self.tag = tag
        self.text = text


def _dates_quoted(root: yaml.Node | None, model: type[BaseModel]) -> bool:
    """The file's choice: is its first date (in a date field, in reading order) in single quotes?"""

    def first(node: yaml.Node, shape: Shape) -> bool | None:
        if shape.kind == "date" and isinstance(node, yaml.ScalarNode) and _DATE.match(node.value):
            return node.style == "'"
        if isinstance(node, yaml.MappingNode):
            shapes = _field_shapes(shape.model) if shape.kind == "model" else {}
            for key, value in node.value:
                inner = shapes.get(key.value, _SCALAR) if shape.kind == "model" else (shape.inner or _SCALAR)
                found = first(value, inner)
                if found is not None:
                    return found
        elif isinstance(node, yaml.SequenceNode) and shape.kind == "list":
            for item in node.value:
                found = first(item, shape.inner or _SCALAR)
                if found is not None:
                    return found
        return None

    return bool(root is not None and first(root, Shape("model", model=model)))


def _line_parts(node: yaml.ScalarNode, lines: list[str]) -> list[str] | None:
    """The pieces of a plain or quoted string that is wrapped over several lines, one per line, or
    None when they cannot be told apart (escapes, blank lines)."""
    start, end = node.start_mark, node.end_mark
    parts = [lines[start.line][start.column :]] + lines[start.line + 1 : end.line] + [lines[end.line][: end.column]]
    if node.style in ("'", '"'):
        parts[0], parts[-1] = parts[0][1:], parts[-1][:-1]
    parts = [part.strip(" ") for part in parts]
    if node.style == '"' and any("\\" in part for part in parts):
        return None
    if node.style == "'":
        parts = [part.replace("''", "'") for part in parts]
    if not all(parts) or " ".join(parts) != node.value:
        return None
    return parts


def _scan(root: yaml.Node | None, lines: list[str]) -> tuple[dict[tuple, list[str] | None], dict[tuple, _Verbatim]]:
    """Plain or quoted strings the file wraps over several lines (with their pieces), and the source
    spelling of every plain number and boolean."""
    wrapped: dict[tuple, list[str] | None] = {}
    verbatim: dict[tuple, _Verbatim] = {}

    def walk(node: yaml.Node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))
        elif node.style in _PLAIN and node.tag.rsplit(":", 1)[-1] in ("int", "float", "bool"):
            verbatim[path] = _Verbatim(node.tag, node.value)
        elif node.style in ("", None, "'", '"') and node.end_mark.line > node.start_mark.line:
            wrapped[path] = _line_parts(node, lines)

    if root is not None:
        walk(root, ())
    return wrapped, verbatim


def _fold_positions(text: str, width: int) -> list[int] | None:
    """Where to break `text` (at single spaces) so that no line passes `width`; None if it cannot be
    a folded block without changing its value."""
    if not text or text != text.strip() or "\n" in text or "\t" in text or not text.isprintable():
        return None
    positions, line_start, last_space = [], 0, None
    for i, ch in enumerate(text):
        if ch == " " and text[i - 1] != " " and i + 1 < len(text) and text[i + 1] != " ":
            if i - line_start > width and last_space is not None:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = i
    if len(text) - line_start > width and last_space is not None and last_space >= line_start:
        positions.append(last_space)
    return positions


def _fold_at(parts: list[str]) -> list[int]:
    """Fold positions that keep the line breaks the text was written with."""
    positions, at = [], -1
    for part in parts[:-1]:
        at += len(part) + 1
        positions.append(at)
    return positions


def _canon_string(value: str, flow: bool) -> str:
    if plain_ok(value, flow):
        return str(value)
    if isinstance(value, DoubleQuotedScalarString):
        return value
    return SingleQuotedScalarString(str(value))


def _set(node: CommentedMap, key: object, value: object) -> None:
    # CommentedMap.__setitem__ would give a plain string the quotes of the value it replaces.
    ordereddict.__setitem__(node, key, value)


class _Normaliser:
    def __init__(self, wrapped: dict[tuple, list[str] | None], verbatim: dict[tuple, _Verbatim], indented: bool, dates_quoted: bool):
        self.wrapped = wrapped
        self.verbatim = verbatim
        self.indented = indented
        self.dates_quoted = dates_quoted

    def date(self, value: dt.date) -> object:
        return SingleQuotedScalarString(value.isoformat()) if self.dates_quoted else value

    def value(self, value: object, shape: Shape, path: tuple, col: int, flow: bool) -> object:
        if path in self.verbatim and not isinstance(value, str):
            return self.verbatim[path]
        if isinstance(value, CommentedMap):
            if shape.kind == "model":
                self.mapping(value, shape.model, path, col, flow)
            else:
                inner = shape.inner if shape.kind == "dict" else _SCALAR
                flow = flow or bool(value.fa.flow_style())
                for key in list(value):
                    _set(value, key, self.value(value[key], inner, (*path, key), col + 2, flow))
            return value
        if isinstance(value, CommentedSeq):
            inner = shape.inner if shape.kind == "list" else _SCALAR
            is_flow = bool(value.fa.flow_style())
            item_col = col + 2 if self.indented else col
            for i in range(len(value)):
                list.__setitem__(value, i, self.value(value[i], inner, (*path, i), item_col, flow or is_flow))
            return value
        if isinstance(value, (FoldedScalarString, LiteralScalarString)):
            return value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            # ruamel reads a plain 2024-01-01 as a date; outside a date field it is text that needs quotes
            return self.date(value) if shape.kind == "date" else SingleQuotedScalarString(value.isoformat())
        if isinstance(value, str):
            if shape.kind == "date" and _DATE.match(value):
                try:
                    return self.date(dt.date.fromisoformat(value))
                except ValueError:
                    return value  # not a calendar date: FLD005 says so
            if path in self.wrapped and not flow and not isinstance(path[-1], int):
                parts = self.wrapped[path]
                folds = _fold_at(parts) if parts else _fold_positions(value, FOLD_WIDTH - col - 2)
                if folds is not None:
                    folded = FoldedScalarString(str(value))
                    folded.fold_pos = folds  # type: ignore[attr-defined]
                    return folded
            return _canon_string(value, flow)
        return value

    def mapping(self, node: CommentedMap, model: type[BaseModel] | None, path: tuple, col: int, flow: bool = False) -> None:
        flow = flow or bool(node.fa.flow_style())
        shapes = _field_shapes(model) if model is not None else {}
        order = [k for k in shapes if k in node] + [k for k in node if k not in shapes]
        if list(node) != order:
            for key in order:
                node.move_to_end(key)
        for key in list(node):
            _set(node, key, self.value(node[key], shapes.get(key, _SCALAR), (*path, key), col + 2, flow))


def canonical_text(text: str, kind: str) -> str:
    """The canonical form of a record file's text. RecordFileError if it cannot be read as YAML;
    FormatRefused if the canonical text would hold different data."""
    before = load_text(text)
    try:
        root = yaml.compose(text, Loader=RecordLoader)
    except yaml.YAMLError as err:  # pragma: no cover - load_text has read it already
        raise RecordFileError("YAML001", str(err)) from None
    indented = _sequences_indented(root)
    ry = _ruamel(indented)
    try:
        doc = ry.load(text)
    except (RuamelError, ValueError, TypeError) as err:
        raise FormatRefused(f"ruamel.yaml cannot read the file: {str(err).splitlines()[0] if str(err) else err!r}") from None
    if not isinstance(doc, CommentedMap):
        raise FormatRefused("the file is not one mapping")
    ry.representer.add_representer(_Verbatim, lambda rep, data: rep.represent_scalar(data.tag, data.text))
    model = RECORD_KINDS[kind].model
    _Normaliser(*_scan(root, text.split("\n")), indented, _dates_quoted(root, model)).mapping(doc, model, (), -2)
    out = io.StringIO()
    ry.dump(doc, out)
    result = "\n".join(line.rstrip(" ") for line in out.getvalue().split("\n"))
    result = result.rstrip("\n") + "\n"
    try:
        after = load_text(result)
    except RecordFileError as err:
        raise FormatRefused(f"the canonical form would not read back ({err.message})") from None
    if after != before:
        raise FormatRefused("the canonical form would change the data")
    return result


# --- the fast path: rebuild the text from libyaml's node tree ------------------------------------


class _Unsure(Exception):
    pass


class _FastEmitter:
    """Rebuild the canonical text of a file from its node tree, for the shapes records usually take.
    Anything unusual raises _Unsure, and the exact (slow) path decides."""

    def __init__(self, lines: list[str], indented: bool, dates_quoted: bool, reorder: bool = False):
        self.src = lines
        self.indented = indented
        self.dates_quoted = dates_quoted
        self.reorder = reorder  # emit keys in the schema's order instead of giving up on another order
        self.out: list[str] = []

    def mapping(self, node: yaml.Node, model: type[BaseModel] | None, col: int, first: str | None = None, data: Shape | None = None) -> None:
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            raise _Unsure
        shapes = _field_shapes(model) if model is not None else {}
        keys = [k.value for k, _ in node.value]
        pairs = node.value
        if model is not None:
            order = [k for k in shapes if k in keys] + [k for k in keys if k not in shapes]
            if keys != order:
                if not self.reorder or len(set(keys)) != len(keys):
                    raise _Unsure
                by_key = dict((k.value, (k, v)) for k, v in node.value)
                pairs = [by_key[k] for k in order]
        for i, (key, value) in enumerate(pairs):
            if key.style not in _PLAIN or not isinstance(key, yaml.ScalarNode) or not _KEY.match(key.value):
                raise _Unsure
            prefix = first if (i == 0 and first is not None) else " " * col
            head = f"{prefix}{key.value}:"
            shape = data if data is not None else shapes.get(key.value, _SCALAR)
            self.entry(head, value, shape, col)

    def entry(self, head: str, value: yaml.Node, shape: Shape, col: int) -> None:
        if isinstance(value, yaml.ScalarNode):
            if value.style in _PLAIN and value.tag.endswith(":null"):
                if value.value != "":
                    raise _Unsure
                self.out.append(head)
            elif value.style == ">":
                self.folded(head, value, col + 2)
            else:
                self.out.append(f"{head} {self.scalar(value, shape, flow=False)}")
        elif isinstance(value, yaml.MappingNode):
            if value.flow_style:
                self.out.append(f"{head} {self.flow_mapping(value, shape)}")
                return
            self.out.append(head)
            if shape.kind == "model":
                self.mapping(value, shape.model, col + 2)
            else:
                self.mapping(value, None, col + 2, data=shape.inner if shape.kind == "dict" else _SCALAR)
        elif isinstance(value, yaml.SequenceNode):
            inner = shape.inner if shape.kind == "list" else _SCALAR
            if value.flow_style:
                items = []
                for item in value.value:
                    if not isinstance(item, yaml.ScalarNode) or item.style not in ("", None, "'", '"'):
                        raise _Unsure
                    items.append(self.scalar(item, inner, flow=True))
                self.out.append(f"{head} [{', '.join(items)}]")
                return
            self.out.append(head)
            dash = col + 2 if self.indented else col
            for item in value.value:
                prefix = " " * dash + "- "
                if isinstance(item, yaml.MappingNode) and item.flow_style:
                    self.out.append(prefix + self.flow_mapping(item, inner))
                elif isinstance(item, yaml.MappingNode):
                    self.mapping(item, inner.model if inner.kind == "model" else None, dash + 2, first=prefix,
                                 data=None if inner.kind == "model" else (inner.inner if inner.kind == "dict" else _SCALAR))
                elif isinstance(item, yaml.ScalarNode) and item.style in ("", None, "'", '"') and not item.tag.endswith(":null"):
                    self.out.append(prefix + self.scalar(item, inner, flow=False))
                else:
                    raise _Unsure
        else:  # pragma: no cover
            raise _Unsure

    def flow_mapping(self, node: yaml.MappingNode, shape: Shape) -> str:
        """A one-line flow mapping of scalars ({dist: Normal, mu: 0.0}), keys in the schema's order."""
        if node.start_mark.line != node.end_mark.line:
            raise _Unsure
        model = shape.model if shape.kind == "model" else None
        shapes = _field_shapes(model) if model is not None else {}
        keys = [k.value for k, _ in node.value]
        if model is not None and keys != [k for k in shapes if k in keys] + [k for k in keys if k not in shapes]:
            raise _Unsure
        items = []
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.style not in _PLAIN or not _KEY.match(key.value):
                raise _Unsure
            if not isinstance(value, yaml.ScalarNode) or value.tag.endswith(":null") or value.style not in ("", None, "'", '"'):
                raise _Unsure
            inner = shapes.get(key.value, _SCALAR) if model is not None else (shape.inner if shape.kind == "dict" else _SCALAR)
            items.append(f"{key.value}: {self.scalar(value, inner, flow=True)}")
        return "{" + ", ".join(items) + "}"

    def scalar(self, node: yaml.ScalarNode, shape: Shape, flow: bool) -> str:
        if node.end_mark.line != node.start_mark.line:
            raise _Unsure
        value = node.value
        if node.style in _PLAIN:
            tag = node.tag.rsplit(":", 1)[-1]
            if tag == "str":
                if shape.kind == "date":
                    if not _DATE.match(value) or self.dates_quoted:
                        raise _Unsure
                    return value
                if not plain_ok(value, flow):
                    raise _Unsure
                return value
            if tag in ("int", "float", "bool"):
                return value  # numbers and booleans are kept as spelled
            raise _Unsure
        if shape.kind == "date" and node.style == "'" and self.dates_quoted and _DATE.match(value):
            return f"'{value}'"
        if shape.kind == "date" or plain_ok(value, flow) or not value.isprintable():
            raise _Unsure
        if node.style == "'":
            return "'" + value.replace("'", "''") + "'"
        if '"' in value or "\\" in value or any(ch > "\ufffd" for ch in value):
            raise _Unsure
        return f'"{value}"'

    def folded(self, head: str, node: yaml.ScalarNode, content_col: int) -> None:
        first = node.start_mark.line
        if self.src[first] != head + " >-":
            raise _Unsure
        last = node.end_mark.line  # the line after the block (or the end of the file)
        body = self.src[first + 1 : last]
        while body and body[-1] == "":
            raise _Unsure  # blank lines after a block are kept as comments by ruamel
        indent = " " * content_col
        parts = []
        for line in body:
            if not line.startswith(indent) or line[content_col : content_col + 1] in ("", " ") or line.endswith(" "):
                raise _Unsure
            parts.append(line[content_col:])
        if not parts or " ".join(parts) != node.value:
            raise _Unsure
        self.out.append(head + " >-")
        self.out.extend(body)


def _lines_and_header(text: str) -> tuple[list[str], int] | None:
    """The file's lines and the length of its comment header, or None for a file the fast paths
    leave to the exact one (CR, tabs, a BOM, blank lines at the end, trailing spaces in the header)."""
    if "\r" in text or "\t" in text or text.startswith("\ufeff") or not text.endswith("\n") or text.endswith("\n\n"):
        return None
    lines = text[:-1].split("\n")
    header = 0
    while header < len(lines) and lines[header].startswith("#"):
        if lines[header].endswith(" "):
            return None
        header += 1
    return lines, header


def fast_is_canonical(text: str, kind: str, root: yaml.Node | None = None) -> bool:
    """True only when the text is certainly canonical; False means 'ask the exact path'. `root`
    is the text's node tree when the caller has parsed it already."""
    split = _lines_and_header(text)
    if split is None:
        return False
    lines, header = split
    try:
        if root is None:
            root = yaml.compose(text, Loader=RecordLoader)
        model = RECORD_KINDS[kind].model
        emitter = _FastEmitter(lines, _sequences_indented(root), _dates_quoted(root, model))
        emitter.mapping(root, model, 0)
    except (_Unsure, yaml.YAMLError, IndexError):
        return False
    return lines[:header] + emitter.out == lines


def fast_canonical_text(text: str, kind: str) -> str | None:
    """The canonical form of a file whose only departure from it is the order of its keys, built
    from libyaml's tree (about 1 ms instead of ruamel's 40); None means 'ask the exact path'.

    Only files without a comment below the header qualify (the tree has no comments, and ruamel
    would keep them), and the result must hold the same data and pass the fast check itself."""
    split = _lines_and_header(text)
    if split is None:
        return None
    lines, header = split
    if any("#" in line for line in lines[header:]):
        return None
    try:
        root = yaml.compose(text, Loader=RecordLoader)
        model = RECORD_KINDS[kind].model
        emitter = _FastEmitter(lines, _sequences_indented(root), _dates_quoted(root, model), reorder=True)
        emitter.mapping(root, model, 0)
    except (_Unsure, yaml.YAMLError, IndexError):
        return None
    result = "\n".join(lines[:header] + emitter.out) + "\n"
    try:
        if load_text(result) != load_text(text) or not fast_is_canonical(result, kind):
            return None
    except RecordFileError:
        return None
    return result


# --- what check and check --fix use ------------------------------------------------------------


@dataclass(frozen=True)
class FormatResult:
    canonical: str | None  # None when the file is canonical already (or cannot be formatted)
    refused: str | None = None  # why the file could not be formatted


def format_record(text: str, kind: str, known_canonical: bool = False) -> FormatResult:
    """`known_canonical`: the loader's fast check (on the tree it parsed) found the file canonical."""
    if known_canonical or fast_is_canonical(text, kind):
        return FormatResult(None)
    reordered = fast_canonical_text(text, kind)
    if reordered is not None:
        return FormatResult(reordered)
    try:
        canonical = canonical_text(text, kind)
    except RecordFileError as err:
        return FormatResult(None, err.message)
    except FormatRefused as err:
        return FormatResult(None, str(err))
    return FormatResult(None if canonical == text else canonical)


def canonical_or_as_is(text: str, kind: str) -> str:
    """For the generators (ingest, import-claims): their output in canonical form."""
    return format_record(text, kind).canonical or text


def unified_diff(relpath: str, old: str, new: str, limit: int = 60) -> tuple[str, int]:
    """A unified diff (at most `limit` lines) and the first line that differs (1-based)."""
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), f"a/{relpath}", f"b/{relpath}", lineterm="", n=1))
    first = 1
    for line in lines:
        match = re.match(r"^@@ -(\d+)", line)
        if match:
            first = max(int(match.group(1)), 1)
            break
    if len(lines) > limit:
        lines = lines[:limit] + [f"... {len(lines) - limit} more diff lines"]
    return "\n".join(lines), first
