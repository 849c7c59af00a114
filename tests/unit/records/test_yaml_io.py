"""The YAML reader: YAML 1.2 scalars, and every way a file can be unreadable."""

import pytest

from trackrecord.records.yaml_io import PositionIndex, RecordFileError, decode, load_text


def test_scalars_follow_yaml_1_2_core_schema():
    data = load_text("a: no\nb: on\nc: 1e25\nd: 10:30\ne: 2023-02-30\nf: 12\ng: ~\nh: true\ni: -0.5")
    assert data == {"a": "no", "b": "on", "c": 1e25, "d": "10:30", "e": "2023-02-30", "f": 12, "g": None, "h": True, "i": -0.5}


@pytest.mark.parametrize(
    ("text", "code", "line", "col"),
    [
        ("a: 1\nb: 2\na: 3\n", "YAML003", 3, 1),
        ("a: &x [1]\nb: *x\n", "YAML004", 1, 4),
        ("a: !!python/name:os.system x\n", "YAML005", 1, 4),
        ("a:\n\t- b\n", "YAML002", 2, 1),
        ("a: [1\n", "YAML001", 2, 1),
        ("# only a comment\n", "YAML007", 0, 0),
        ("just text\n", "YAML008", 1, 1),
        ("a: 1\n---\nb: 2\n", "YAML001", 2, 1),
    ],
)
def test_unreadable_files_raise_their_rule(text, code, line, col):
    with pytest.raises(RecordFileError) as info:
        load_text(text)
    assert (info.value.code, info.value.line, info.value.col) == (code, line, col)


def test_decode_reports_position_of_bad_byte():
    with pytest.raises(RecordFileError) as info:
        decode(b"a: 1\nb: caf\xe9\n")
    assert (info.value.code, info.value.line, info.value.col) == ("YAML006", 2, 7)


def test_decode_refuses_huge_files():
    with pytest.raises(RecordFileError) as info:
        decode(b"a" * (5 * 1024 * 1024))
    assert info.value.code == "YAML009"


def test_position_index_finds_nested_fields_and_keys():
    text = "id: x\nresolution:\n  evidence:\n    - url: https://a\n    - url: https://b\n"
    index = PositionIndex(text)
    pos = index.find(("resolution", "evidence", 1, "url"))
    assert (pos.line, pos.col) == (5, 12)
    key = index.find(("resolution",), at_key=True)
    assert (key.line, key.col) == (2, 1)
    missing = index.find(("resolution", "note"))
    assert (missing.line, missing.col) == (3, 3)
