"""The card store: saving a card never damages its file, in any layout a person writes."""

from __future__ import annotations

import codecs
import dataclasses
import errno
from pathlib import Path

import pytest

from briefer.core import cardfile, storage
from briefer.core.cards import Card, Source, read_card_file
from briefer.core.cardstore import OVERRIDE_FILE, USER_FILE, CardStore

BLOCK = """\
# Team library: keep comments!
format: 1
cards:
  - id: first
    kind: background
    title: First   # a comment on the first card
    body: |
      Untouched body.
    marking: U
    sources:
      - title: Paper
    reviewed: 2026-01-01

  # a comment between cards
  - id: second
    kind: risk
    title: 'Second'
    body: Old body.
    marking: U
    sources:
      - {title: Paper}
    reviewed: 2026-01-01
# a comment at the end of the file
"""
FLOW = (
    "cards: [{id: first, kind: background, title: First, body: B, marking: U, "
    "sources: [{title: P}], reviewed: '2026-01-01'}, {id: second, kind: risk, title: Second, "
    "body: Old body., marking: U, sources: [{title: P}], reviewed: '2026-01-01'}]  # flow end\n"
)
DASH_ALONE = """\
cards:
-
  id: first
  kind: background
  title: First
  body: B
  marking: U
  sources: [{title: P}]
  reviewed: '2026-01-01'
-
  id: second
  kind: risk
  title: Second
  body: Old body.
  marking: U
  sources:
  - title: P
  reviewed: '2026-01-01'
"""
DASH_COMMENT = BLOCK.replace(
    "  - id: second\n", "  - # second: kept for the record\n    id: second\n"
)
TRAILING = BLOCK.replace("reviewed: 2026-01-01\n# a", "reviewed: 2026-01-01  # last value\n# a")
TABS = BLOCK.replace("title: First   #", 'title: "Tab\\there"   #').replace(
    "Untouched body.", "Untouched\tbody."
)
LAYOUTS = {
    "block": BLOCK.encode(),
    "flow style": FLOW.encode(),
    "dash on its own line": DASH_ALONE.encode(),
    "comment between dash and keys": DASH_COMMENT.encode(),
    "trailing comments": TRAILING.encode(),
    "CRLF": BLOCK.replace("\n", "\r\n").encode(),
    "BOM": codecs.BOM_UTF8 + BLOCK.encode(),
    "tabs in values": TABS.encode(),
}


def edited(card: Card) -> Card:
    return dataclasses.replace(
        card,
        title="Second: revised # not a comment",
        body="New body: NO surprises.\n\nTwo paragraphs.",
        tags=("coal", "finance"),
        sources=(*card.sources, Source("Another", date="2023")),
    )


def comments_of(raw: bytes) -> list[str]:
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    return sorted(cardfile.comments(text).elements())


@pytest.fixture
def store(tmp_path: Path) -> CardStore:
    return CardStore(tmp_path / "user", read_only=[tmp_path / "bundled"])


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_saving_keeps_every_other_card_and_every_comment(tmp_path, store, layout):
    raw = LAYOUTS[layout]
    path = tmp_path / "lib" / "cards.yaml"
    path.parent.mkdir()
    path.write_bytes(raw)
    before, problems = read_card_file(path)
    assert [p for p in problems if p.is_error] == []
    first, second = before

    result = store.save(edited(second), second)

    assert result.status == "saved", result.message
    after = path.read_bytes()
    cards, problems = read_card_file(path)
    assert [p for p in problems if p.is_error] == []
    assert cards[0] == first
    assert cards[1] == edited(second)
    assert comments_of(after) == comments_of(raw)
    assert after.startswith(codecs.BOM_UTF8) == raw.startswith(codecs.BOM_UTF8)
    assert (b"\r\n" in after) == (b"\r\n" in raw)
    if b"\r\n" in raw:
        assert b"\n" not in after.replace(b"\r\n", b"")
    # The first card's lines are untouched, byte for byte.
    head = raw.split(b"id: second")[0].rsplit(b"-", 1)[0]
    assert after.startswith(head)

    # Undo puts back the exact bytes; redo the exact edit.
    assert result.change is not None
    assert store.restore(result.change, to_before=True)
    assert path.read_bytes() == raw
    assert store.restore(result.change, to_before=False)
    assert path.read_bytes() == after


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_adding_and_deleting_keep_the_rest(tmp_path, store, layout):
    raw = LAYOUTS[layout]
    path = tmp_path / "lib" / "cards.yaml"
    path.parent.mkdir()
    path.write_bytes(raw)
    first, second = read_card_file(path)[0]
    third = dataclasses.replace(first, id="third", title="Third: a colon", origin=None)
    assert store.save(third, None, path=path).ok
    assert [c.id for c in read_card_file(path)[0]] == ["first", "second", "third"]
    second_now = read_card_file(path)[0][1]
    assert store.delete(second_now).ok
    cards, problems = read_card_file(path)
    assert [c.id for c in cards] == ["first", "third"]
    assert cards[0] == first
    assert [p for p in problems if p.is_error] == []


def test_an_unsafe_layout_is_refused_and_the_file_left_alone(tmp_path, store):
    # A comment inside the flow list that the edited value replaces cannot survive.
    text = BLOCK.replace(
        "      - {title: Paper}\n", "      - {title: Paper,  # inner\n         }\n"
    )
    path = tmp_path / "cards.yaml"
    path.write_text(text, encoding="utf-8")
    second = read_card_file(path)[0][1]
    result = store.save(edited(second), second)
    assert result.status == "unsafe"
    assert "comment" in result.message
    assert path.read_text(encoding="utf-8") == text
    # The user may agree to the standard layout (comments lost), or save elsewhere.
    rewritten = store.save(edited(second), second, rewrite=True)
    assert rewritten.ok
    cards = read_card_file(path)[0]
    assert [c.id for c in cards] == ["first", "second"]
    assert cards[1] == edited(second)
    elsewhere = store.save(edited(second), second, path=store.user_dir / USER_FILE)
    assert elsewhere.ok


def test_a_file_with_a_broken_card_is_never_rewritten(tmp_path, store):
    text = BLOCK + "  - id: broken\n    kind: rumour\n"
    text = text.replace("# a comment at the end of the file\n", "")
    path = tmp_path / "cards.yaml"
    path.write_text(text, encoding="utf-8")
    second = read_card_file(path)[0][1]
    result = store.save(edited(second), second, rewrite=True)
    assert result.status == "failed"
    assert "has errors" in result.message
    assert path.read_text(encoding="utf-8") == text
    # An ordinary in-place edit keeps the broken entry as it was.
    assert store.save(edited(second), second).ok
    assert "  - id: broken\n    kind: rumour\n" in path.read_text(encoding="utf-8")


def test_a_colleagues_change_is_a_conflict_until_the_user_overwrites(tmp_path, store):
    path = tmp_path / "cards.yaml"
    path.write_text(BLOCK, encoding="utf-8")
    second = read_card_file(path)[0][1]
    path.write_text(BLOCK.replace("Old body.", "Their body."), encoding="utf-8")
    result = store.save(edited(second), second)
    assert result.status == "conflict"
    assert result.on_disk is not None
    assert result.on_disk.body == "Their body."
    assert "Their body." in path.read_text(encoding="utf-8")
    assert store.save(edited(second), second, overwrite=True).ok
    assert read_card_file(path)[0][1] == edited(second)


def test_undo_after_an_outside_change_is_not_byte_exact(tmp_path, store):
    path = tmp_path / "cards.yaml"
    path.write_text(BLOCK, encoding="utf-8")
    second = read_card_file(path)[0][1]
    result = store.save(edited(second), second)
    path.write_text(path.read_text(encoding="utf-8").replace("First", "Changed"), "utf-8")
    assert result.change is not None
    assert not store.restore(result.change, to_before=True)  # the caller re-applies the card


def test_bundled_cards_are_saved_as_overrides(tmp_path, store):
    bundled = tmp_path / "bundled" / "cards.yaml"
    bundled.parent.mkdir()
    bundled.write_text(BLOCK, encoding="utf-8")
    second = read_card_file(bundled)[0][1]
    result = store.save(edited(second), second)
    assert result.ok
    assert result.path == store.user_dir / OVERRIDE_FILE
    assert "read-only" in result.note
    assert bundled.read_text(encoding="utf-8") == BLOCK
    assert read_card_file(result.path)[0] == [edited(second)]
    # Editing the override again edits it in place.
    again = dataclasses.replace(edited(second), body="Third version.")
    assert store.save(again, second).ok
    assert read_card_file(result.path)[0] == [again]
    assert store.delete(second).status == "failed"


def test_a_failed_write_says_why_and_changes_nothing(tmp_path, store, monkeypatch):
    path = tmp_path / "cards.yaml"
    path.write_text(BLOCK, encoding="utf-8")
    second = read_card_file(path)[0][1]

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", disk_full)
    result = store.save(edited(second), second)
    assert result.status == "failed"
    assert "the disk is full" in result.message
    assert path.read_text(encoding="utf-8") == BLOCK
    assert [p.name for p in tmp_path.iterdir()] == ["cards.yaml"]  # no temporary file left


def test_a_short_form_is_added_in_place(tmp_path):
    """Giving a card a short form inserts one line after its title; nothing else moves."""
    folder = tmp_path / "lib"
    folder.mkdir()
    path = folder / "cards.yaml"
    path.write_text(
        "cards:\n  - id: s\n    kind: strategy\n    title: 'S'   # keep\n    body: Text.\n"
        "    marking: U\n    sources: [{title: P}]\n    reviewed: '2026-11-22'\n",
        encoding="utf-8",
    )
    store = CardStore(folder)
    old = read_card_file(path)[0][0]
    new = dataclasses.replace(old, short="That you approve S.")
    assert store.save(new, old, path=path).status == "saved"
    text = path.read_text(encoding="utf-8")
    assert "    title: 'S'   # keep\n    short: That you approve S.\n    body: Text.\n" in text
    assert read_card_file(path)[0][0].short == "That you approve S."


HAND_FORMATTED = """\
# Shared library: formatted by hand, reviewed in git.
format: 1
cards:
    -   id: "hand-one"
        kind:    background
        title:   "Double-quoted title"
        body: |
            First paragraph, kept as typed.

            Second paragraph.
        marking: U
        tags: [coal,   finance]
        sources:
            -   title: 'Single-quoted paper'
                date:  "2023"
        reviewed: '2026-01-01'
    -   id: hand-two
        kind: risk
        title: >-
            A folded title
            on two lines
        body: "Body in double quotes."
        marking: U
        reviewed: 2026-01-01
"""


@pytest.mark.parametrize("field", ["title", "body", "tags", "marking"])
def test_saving_a_card_in_a_hand_formatted_file_changes_only_that_fields_lines(
    tmp_path, store, field
):
    import difflib

    path = tmp_path / "lib" / "cards.yaml"
    path.parent.mkdir()
    path.write_text(HAND_FORMATTED, encoding="utf-8")
    cards, problems = read_card_file(path)
    assert [p for p in problems if p.is_error] == []
    one = cards[0]
    changes = {
        "title": {"title": "A new title"},
        "body": {"body": "First paragraph, changed.\n\nSecond paragraph.\n"},
        "tags": {"tags": ("coal", "trade")},
        "marking": {"marking": "SBU"},
    }[field]
    result = store.save(dataclasses.replace(one, **changes), one)
    assert result.status == "saved", result.message
    after = path.read_text(encoding="utf-8")
    assert read_card_file(path)[0][0] == dataclasses.replace(one, **changes)
    assert read_card_file(path)[0][1] == cards[1]
    before_lines, after_lines = HAND_FORMATTED.splitlines(), after.splitlines()
    changed = [
        line
        for line in difflib.unified_diff(before_lines, after_lines, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    removed = [line[1:] for line in changed if line.startswith("-")]
    # Only the changed field's own lines differ; every other line is kept byte for byte.
    assert all(line.lstrip().startswith(f"{field}:") or field == "body" for line in removed)
    if field == "body":
        assert removed == ["            First paragraph, kept as typed."]
    else:
        assert len(removed) == 1
    kept = [line for line in before_lines if line not in removed]
    assert all(line in after_lines for line in kept)
