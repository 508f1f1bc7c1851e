"""The parse cache never changes what the library holds: a corrupt, stale or missing cache,
a file changed behind it or removed, each give the same library as a fresh read."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from briefer.core.cardcache import ParseCache
from briefer.core.cards import CardLibrary, load_library


def snapshot(library: CardLibrary) -> list[tuple[object, ...]]:
    """Everything a card carries, where it came from included (Card equality ignores it)."""
    return sorted(
        (
            card.id,
            repr(card),
            str(card.origin.path) if card.origin else "",
            card.origin.line if card.origin else 0,
            tuple(sorted(card.origin.fields.items())) if card.origin else (),
        )
        for card in library.cards.values()
    ) + [tuple(sorted(map(str, library.problems))), tuple(map(str, library.files))]


def fresh(folder: Path) -> CardLibrary:
    return load_library([folder])


def cached(folder: Path, cache_dir: Path) -> tuple[CardLibrary, ParseCache]:
    cache = ParseCache(cache_dir)
    library = load_library([folder], persistent=cache)
    cache.close()
    return library, cache


@pytest.fixture
def library(tmp_path: Path, repo: Path) -> Path:
    folder = tmp_path / "library"
    shutil.copytree(repo / "content", folder)
    # one file with problems too: they come back from the cache as they were
    (folder / "broken.yaml").write_text(
        "cards:\n  - id: Bad Id\n    kind: background\n    title: T\n    body: B\n"
        "    marking: U\n  - id: good-one\n    kind: nonsense\n    title: T\n    body: B\n"
        "    marking: U\n",
        encoding="utf-8",
    )
    return folder


def test_a_second_read_comes_from_the_cache_and_is_the_same(library, tmp_path):
    first, cache = cached(library, tmp_path / "cache")
    assert cache.misses > 0
    assert cache.hits == 0
    second, cache = cached(library, tmp_path / "cache")
    assert cache.hits == len(second.files)
    assert cache.misses == 0
    assert snapshot(second) == snapshot(first) == snapshot(fresh(library))
    assert any("Bad Id" in str(p) for p in second.problems)


def test_a_file_changed_behind_the_cache_is_read_again(library, tmp_path):
    cached(library, tmp_path / "cache")
    path = library / "benefits.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("For the U.S.", "For America"), "utf-8"
    )
    again, cache = cached(library, tmp_path / "cache")
    assert cache.misses == 1
    assert snapshot(again) == snapshot(fresh(library))
    assert any(c.title.startswith("For America") for c in again.cards.values())


def test_a_removed_file_leaves_the_library(library, tmp_path):
    cached(library, tmp_path / "cache")
    (library / "benefits.yaml").unlink()
    again, _ = cached(library, tmp_path / "cache")
    assert snapshot(again) == snapshot(fresh(library))
    assert not any(c.kind == "benefit" for c in again.cards.values())


@pytest.mark.parametrize(
    "damage",
    ["garbage file", "empty file", "bad json", "wrong shape", "old version", "no table"],
)
def test_a_damaged_cache_is_a_miss_never_a_lost_card(library, tmp_path, damage):
    cache_dir = tmp_path / "cache"
    cached(library, cache_dir)
    db_path = cache_dir / "cards.sqlite"
    if damage == "garbage file":
        db_path.write_bytes(b"this is not a database" * 100)
    elif damage == "empty file":
        db_path.write_bytes(b"")
    else:
        db = sqlite3.connect(db_path)
        with db:
            if damage == "bad json":
                db.execute("UPDATE files SET payload = '{not json'")
            elif damage == "wrong shape":
                db.execute(
                    """UPDATE files SET payload = '{"cards": [{"id": 1}], "problems": []}'"""
                )
            elif damage == "old version":
                db.execute("UPDATE files SET version = '0:old'")
            else:
                db.execute("DROP TABLE files")
        db.close()
    again, _ = cached(library, cache_dir)
    assert snapshot(again) == snapshot(fresh(library))
    third, cache = cached(library, cache_dir)  # and it has mended itself
    assert snapshot(third) == snapshot(fresh(library))
    assert cache.hits == len(third.files)


def test_the_cache_can_be_turned_off_and_an_unwritable_folder_is_no_cache(
    library, tmp_path, monkeypatch
):
    from briefer.core.cardcache import default_cache_dir

    monkeypatch.setenv("BRIEFER_CACHE_DIR", "off")
    assert default_cache_dir() is None
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would be", encoding="utf-8")
    again, cache = cached(library, blocked / "cache")
    assert snapshot(again) == snapshot(fresh(library))
    assert cache.hits == 0


def test_damaged_positions_lose_no_card_and_no_message(library, tmp_path):
    """Positions are made from the cache only when a message asks. Positions of the wrong
    length are a miss (the file is parsed); names that cannot be keys leave the message at
    the card's own line. Either way every card and problem is there."""
    import json

    cache_dir = tmp_path / "cache"
    cached(library, cache_dir)
    db = sqlite3.connect(cache_dir / "cards.sqlite")
    rows = db.execute("SELECT digest, payload FROM files").fetchall()
    with db:
        for n, (digest, payload) in enumerate(rows):
            data = json.loads(payload)
            for card in data["cards"]:
                card[-1] = card[-1][:-1] if n % 2 else [[1], 2, 3] * (len(card[-1]) // 3)
            db.execute("UPDATE files SET payload = ? WHERE digest = ?", (json.dumps(data), digest))
    db.close()
    again, cache = cached(library, cache_dir)
    assert cache.misses == len(rows) // 2  # the wrong lengths were parsed again
    assert sorted(again.cards) == sorted(fresh(library).cards)
    assert sorted(map(str, again.problems)) == sorted(map(str, fresh(library).problems))
    for card in again.cards.values():
        assert card.origin is not None
        line, _ = card.origin.at("title")  # never raises
        assert line >= card.origin.line


def test_a_cache_another_process_is_writing_is_left_alone(library, tmp_path, monkeypatch):
    """Busy is not damage: the other process's file is kept, and this run reads the
    files itself."""
    cache_dir = tmp_path / "cache"
    cached(library, cache_dir)
    monkeypatch.setattr(ParseCache, "WAIT", 0.05)
    other = sqlite3.connect(cache_dir / "cards.sqlite")
    other.execute("BEGIN EXCLUSIVE")  # another export, mid-write
    try:
        again, cache = cached(library, cache_dir)
        assert snapshot(again) == snapshot(fresh(library))
        assert cache.hits == 0
    finally:
        other.rollback()
        other.close()
    third, cache = cached(library, cache_dir)
    assert cache.hits == len(third.files)  # the file and its entries are still there
