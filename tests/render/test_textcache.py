"""The cache of parsed text: what comes back from it is exactly what the parser makes
(blocks, list numbering and warnings), a damaged or outdated entry is parsed again, and a
one-off export of text seen before does not load markdown-it."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import docx
from hypothesis import given, settings
from hypothesis import strategies as st

from briefer.core.cardcache import TextCache
from briefer.core.memos import read_memo
from briefer.render import textcache
from briefer.render.compose import DocumentBuilder, compose, parse_text, text_blocks

from ..conftest import REPO
from .test_plain_text import EXPORT_SAYING_IF_MARKDOWN_LOADED

RICH = (
    "Lead with **bold**, *italic* and [a link](https://example.org).\n\n"
    "- first\n  1. one\n  2. two\n- second\n\n***\n\n3. third\n4. fourth\n\n"
    "> quoted\n\n    code\n"
)
DEEP = "\n".join("  " * n + "- level" for n in range(12))  # deeper than Word's nine


def _recorded(make) -> tuple[list, list[str], list[int]]:
    """``make(next_id, warn)``'s blocks, with the warnings and list ids it used (from 100)."""
    counter = itertools.count(100)
    issued: list[int] = []
    warnings: list[str] = []

    def next_id() -> int:
        issued.append(next(counter))
        return issued[-1]

    return make(next_id, warnings.append), warnings, issued


def fresh(text: str) -> tuple[list, list[str], list[int]]:
    """What the parser itself makes of ``text``."""
    return _recorded(lambda next_id, warn: parse_text(text, next_id, warn))


def through(cache: TextCache, text: str) -> tuple[list, list[str], list[int]]:
    """What ``text_blocks`` makes of ``text`` with ``cache`` (written out at once)."""
    result = _recorded(lambda next_id, warn: text_blocks(text, next_id, warn, cache))
    cache.flush()
    return result


def test_a_stored_text_comes_back_as_the_parser_makes_it(tmp_path):
    cache = TextCache(tmp_path)
    for text in (RICH, DEEP):
        first = through(cache, text)
        assert first == fresh(text)
        assert cache.hits == 0
        again = through(TextCache(tmp_path), text)
        assert again == fresh(text)
    assert fresh(DEEP)[1], "the deep list warns, and the cached copy warns the same"
    reader = TextCache(tmp_path)
    through(reader, RICH)
    assert (reader.hits, reader.misses) == (1, 0)


_PIECES = ["word", "**", "*", "_", "- ", "1. ", "\n", "\n\n", "  ", "> ", "[x](https://a.b)"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14).map("".join))
def test_any_markdown_reads_the_same_from_the_cache(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("texts")
    through(TextCache(folder), text)
    assert through(TextCache(folder), text) == fresh(text)


def _entries(folder: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(folder / "texts.sqlite") as db:
        return list(db.execute("SELECT digest, version, payload FROM texts"))


def _set_payload(folder: Path, payload: str) -> None:
    db = sqlite3.connect(folder / "texts.sqlite")
    with db:
        db.execute("UPDATE texts SET payload = ?", (payload,))
    db.close()


def test_a_damaged_entry_is_parsed_again_and_replaced(tmp_path):
    through(TextCache(tmp_path), RICH)
    [(_, _, good)] = _entries(tmp_path)
    data = json.loads(good)
    damaged = [
        "not json",
        "[]",
        json.dumps({**data, "ids": len(RICH) + 1}),  # more lists than characters
        json.dumps({**data, "ids": -1}),
        json.dumps({**data, "ids": "2"}),
        json.dumps({**data, "warnings": [1]}),
        json.dumps({**data, "blocks": [["p", [["text", 1, False, None]]]]}),
        json.dumps({**data, "blocks": [["l", [], 0, False, 7, 1]]}),  # no such list
        json.dumps({**data, "blocks": [["l", [], 40, False, 0, 1]]}),  # too deep
        json.dumps({**data, "blocks": [["h", "heading"]]}),
        json.dumps({**data, "blocks": [["p", [["text", False, False, 5]]]]}),
    ]
    for payload in damaged:
        _set_payload(tmp_path, payload)
        reader = TextCache(tmp_path)
        assert through(reader, RICH) == fresh(RICH), payload
        assert (reader.hits, reader.misses) == (0, 1)
        assert _entries(tmp_path)[0][2] == good  # stored afresh


def test_an_entry_from_other_code_is_a_miss(tmp_path, monkeypatch):
    through(TextCache(tmp_path), RICH)
    monkeypatch.setattr(textcache, "parser_version", lambda: "another parser")
    reader = TextCache(tmp_path)
    assert through(reader, RICH) == fresh(RICH)
    assert (reader.hits, reader.misses) == (0, 1)
    assert {version for _, version, _ in _entries(tmp_path)} == {"another parser"}


def test_no_parser_version_means_no_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(textcache, "parser_version", lambda: None)
    assert through(TextCache(tmp_path), RICH) == fresh(RICH)
    assert not (tmp_path / "texts.sqlite").exists() or not _entries(tmp_path)


def test_a_cache_file_that_is_not_a_database_is_started_again(tmp_path):
    (tmp_path / "texts.sqlite").write_bytes(b"\x00garbage" * 100)
    assert through(TextCache(tmp_path), RICH) == fresh(RICH)
    assert len(_entries(tmp_path)) == 1
    (tmp_path / "texts.sqlite").write_bytes(b"")
    cache = TextCache(tmp_path)
    assert through(cache, RICH) == fresh(RICH)


def test_every_bundled_memo_composes_the_same_with_the_cache(bundled, tmp_path):
    for memo_path in sorted((REPO / "content" / "memos").glob("*.brief.yaml")):
        memo, _ = read_memo(memo_path)
        assert memo is not None
        plain = compose(memo, bundled.library, bundled.templates)
        for _ in range(2):  # stored, then read back
            texts = TextCache(tmp_path)
            cached = DocumentBuilder(memo, bundled.library, bundled.templates, None, texts).build()
            texts.close()
            assert cached.blocks == plain.blocks, memo_path.name
            assert cached.warnings == plain.warnings


def test_a_second_export_does_not_load_markdown_it(tmp_path):
    memo = REPO / "content" / "memos" / "state-of-play.brief.yaml"
    env_cache = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    loaded = []
    for name in ("first.docx", "second.docx"):
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                EXPORT_SAYING_IF_MARKDOWN_LOADED,
                str(memo),
                str(tmp_path / name),
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **env_cache},
        )
        assert done.returncode == 0, done.stderr
        loaded.append(done.stdout.strip().splitlines()[-1])
    assert loaded == ["True", "False"]
    first, second = (docx.Document(str(tmp_path / n)) for n in ("first.docx", "second.docx"))
    assert [p.text for p in first.paragraphs] == [p.text for p in second.paragraphs]
    assert [p.style.name for p in first.paragraphs] == [p.style.name for p in second.paragraphs]
    assert any(r.bold for p in second.paragraphs for r in p.runs if "China" in r.text)


def test_an_entry_sqlite_cannot_hold_is_not_kept_and_costs_nothing_else(tmp_path):
    cache = TextCache(tmp_path)
    through(cache, RICH)
    cache.put("k", "v", "a lone surrogate \ud800")
    cache.flush()  # refused by SQLite's encoder: dropped, not raised
    reader = TextCache(tmp_path)
    assert through(reader, RICH) == fresh(RICH)
    assert reader.hits == 1


def test_the_cache_starts_again_when_it_has_grown_too_big(tmp_path, monkeypatch):
    through(TextCache(tmp_path), RICH)
    size = (tmp_path / "texts.sqlite").stat().st_size
    monkeypatch.setattr(TextCache, "MAX_BYTES", size - 1)
    cache = TextCache(tmp_path)
    other = RICH.replace("first", "premier")
    through(cache, other)  # written after the old file was dropped
    assert len(_entries(tmp_path)) == 1
    reader = TextCache(tmp_path)
    assert through(reader, other) == fresh(other)
    assert reader.hits == 1
