"""Reading record files safely and fast, and finding where a field sits in a file.

The fast path is PyYAML's libyaml parser (CSafeLoader) with a constructor that refuses duplicate
keys, aliases and merge keys. Positions are only needed when a record has a problem, so the file
is composed into a node tree (again by libyaml) only then.

The resolver follows the YAML 1.2 core schema rather than YAML 1.1: `no`, `on` and `yes` stay
strings, `10:30` is not a sexagesimal number, `1e25` is a float, and dates stay strings so that the
schema (not the YAML library) parses them and reports impossible ones such as 2023-02-30.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

MAX_FILE_BYTES = 4 * 1024 * 1024  # the largest real record is far smaller; this stops abuse


class RecordLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """SafeLoader on libyaml, with YAML 1.2 core scalars and no duplicate keys."""

    yaml_implicit_resolvers: dict = {}

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark
            )
        mapping: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed in records", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in mapping
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if duplicate:
                raise DuplicateKeyError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


class AliasRefusingLoader(RecordLoader):
    """Used when a file contains '&': an alias needs an anchor, so files without one skip this check."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A second visit to the same node means an alias (*name). Records never need one, and
        # refusing them stops "billion laughs" expansion before validation walks the data.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed in records", node.start_mark
            )
        return super().construct_object(node, deep=deep)


class DuplicateKeyError(yaml.constructor.ConstructorError):
    pass


def _add(tag: str, pattern: str, first: str) -> None:
    RecordLoader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


_add("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_add("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789")
_add(
    "tag:yaml.org,2002:float",
    r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
    "-+0123456789.",
)
_add("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    col: int  # 1-based


class RecordFileError(Exception):
    """A file that cannot be read as one YAML mapping; `code` is the rule it breaks."""

    def __init__(self, code: str, message: str, line: int = 0, col: int = 0):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.col = col


def decode(raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise RecordFileError("YAML009", f"file is {len(raw):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise RecordFileError("YAML006", f"byte 0x{raw[err.start]:02x} is not valid UTF-8", line, col) from None
    return text


def load_text(text: str) -> dict:
    """Parse one YAML document into a dict, or raise RecordFileError with the rule it breaks."""
    return parse_text(text)[0]


def parse_text(text: str) -> tuple[dict, yaml.Node]:
    """The document as a dict and as libyaml's node tree, from one parse (the node tree gives
    positions and the fast canonical-form check); RecordFileError as load_text."""
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise RecordFileError("YAML007", "the file is empty")
    try:
        loader = (AliasRefusingLoader if "&" in text else RecordLoader)(text)  # both are SafeLoaders
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except DuplicateKeyError as err:
        raise _file_error("YAML003", err) from None
    except yaml.constructor.ConstructorError as err:
        problem = str(err.problem or "")
        if "aliases" in problem or "merge keys" in problem:
            raise _file_error("YAML004", err) from None
        if "could not determine a constructor" in problem:
            raise _file_error("YAML005", err, f"tag {_tag_of(problem)} is not allowed; records use plain YAML values only") from None
        raise _file_error("YAML001", err) from None
    except yaml.MarkedYAMLError as err:
        if "\t" in str(err.problem) or _tab_near(text, err.problem_mark):
            raise _file_error("YAML002", err, "a tab character where YAML needs spaces") from None
        raise _file_error("YAML001", err) from None
    except yaml.YAMLError as err:  # unmarked errors, e.g. from the reader
        raise RecordFileError("YAML001", str(err).splitlines()[0]) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as err:
        # A scalar the constructors choke on (an explicit !!int tag on text, say).
        raise RecordFileError("YAML001", f"a value cannot be read: {err}") from None
    if not isinstance(data, dict):
        kind = "nothing" if data is None else type(data).__name__
        raise RecordFileError("YAML008", f"the file holds {kind}, not a mapping of keys to values", 1, 1)
    return data, root


def _tab_near(text: str, mark: Any) -> bool:
    # libyaml's message does not name the character; look at the line it stopped on.
    if mark is None:
        return False
    lines = text.splitlines()
    return mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]


def _tag_of(problem: str) -> str:
    match = re.search(r"tag '([^']*)'", problem)
    return match.group(1).replace("tag:yaml.org,2002:", "!!") if match else "?"


def _file_error(code: str, err: yaml.MarkedYAMLError, message: str | None = None) -> RecordFileError:
    mark = err.problem_mark or err.context_mark
    text = message or " ".join(str(p) for p in (err.context, err.problem) if p)
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return RecordFileError(code, text, line, col)


class PositionIndex:
    """Maps a field path (('resolution', 'evidence', 0, 'url')) to a line and column."""

    def __init__(self, text: str):
        try:
            self.root = yaml.compose(text, Loader=RecordLoader)
        except yaml.YAMLError:
            self.root = None

    def find(self, loc: tuple, *, at_key: bool = False) -> Position:
        node = self.root
        if node is None:
            return Position(1, 1)
        position = _pos(node)
        for i, step in enumerate(loc):
            last = i == len(loc) - 1
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if str(key_node.value) == str(step):
                        position = _pos(key_node) if (last and at_key) else _pos(value_node)
                        # An empty value (key:) has its mark at the key's end; point at the key.
                        if value_node.tag.endswith(":null") and value_node.value == "":
                            position = _pos(key_node)
                        node = value_node
                        break
                else:
                    return position
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
                position = _pos(node)
            else:
                return position
        return position


def _pos(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)
