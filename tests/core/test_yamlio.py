"""The safe YAML layer: text scalars, positions, and refusal of dangerous input."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from briefer.core.yamlio import Map, Scalar, Seq, YamlFileError, decode_utf8, load_file, parse_text


def test_scalars_stay_text_as_written():
    root = parse_text("a: NO\nb: 012\nc: 12:30\nd: 2024-02-28\ne: 1.50\n", "t.yaml")
    assert isinstance(root, Map)
    texts = {k: v.text for k, v in root.values.items() if isinstance(v, Scalar)}
    assert texts == {"a": "NO", "b": "012", "c": "12:30", "d": "2024-02-28", "e": "1.50"}


def test_positions_are_one_based():
    root = parse_text("first: 1\nlist:\n  - x\n  - y\n", "t.yaml")
    assert isinstance(root, Map)
    assert root.keys["first"].line == 1
    seq = root.values["list"]
    assert isinstance(seq, Seq)
    assert [(i.line, i.col) for i in seq.items] == [(3, 5), (4, 5)]


def test_python_object_tag_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    text = f"cards: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(YamlFileError) as err:
        parse_text(text, "evil.yaml")
    assert "tag" in str(err.value)
    assert "evil.yaml:1:8" in str(err.value)
    assert not marker.exists()


def test_duplicate_key_names_both_lines():
    with pytest.raises(YamlFileError) as err:
        parse_text("title: one\nbody: x\ntitle: two\n", "d.yaml")
    message = str(err.value)
    assert "d.yaml:3:1:" in message
    assert "duplicate key 'title' (first at line 1)" in message


def test_alias_bomb_refused_fast_and_small():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    text = "\n".join(lines) + "\n"
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(YamlFileError) as err:
        parse_text(text, "bomb.yaml")
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "aliases" in str(err.value)
    assert "bomb.yaml:2:" in str(err.value)
    assert elapsed < 1.0
    assert peak < 5 * 1024 * 1024


def test_syntax_error_has_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("cards:\n  - id: a\n    title: [unclosed\n", encoding="utf-8")
    with pytest.raises(YamlFileError) as err:
        load_file(path)
    problem = err.value.problems[0]
    assert problem.message.startswith("YAML syntax error")
    assert problem.line >= 3


def test_not_utf8_names_the_encoding_and_line():
    data = "cards:\n  - title: café\n".encode("cp1252")
    with pytest.raises(YamlFileError) as err:
        decode_utf8(data, "latin.yaml")
    problem = err.value.problems[0]
    assert problem.line == 2
    assert "not UTF-8" in problem.message
    assert "Windows-1252" in problem.message


def test_utf16_is_named():
    data = "cards: []\n".encode("utf-16")
    with pytest.raises(YamlFileError) as err:
        decode_utf8(data, "u16.yaml")
    assert "UTF-16" in str(err.value)


def test_oversized_file_refused(tmp_path, monkeypatch):
    import briefer.core.yamlio as yamlio

    path = tmp_path / "big.yaml"
    path.write_text("x: " + "a" * 2000 + "\n", encoding="utf-8")
    with pytest.raises(YamlFileError) as err:
        yamlio.read_text(path, max_bytes=1000)
    assert "over the" in str(err.value)
    assert "limit" in str(err.value)


def test_crlf_and_bom_are_accepted():
    text = decode_utf8(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n", "w.yaml")
    root = parse_text(text, "w.yaml")
    assert isinstance(root, Map)
    assert set(root.values) == {"a", "b"}


def test_second_document_refused():
    with pytest.raises(YamlFileError) as err:
        parse_text("a: 1\n---\nb: 2\n", "two.yaml")
    assert "one YAML document" in str(err.value)
