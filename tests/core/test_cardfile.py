"""Saving a card rewrites only that card's lines in its file."""

from __future__ import annotations

import dataclasses

from briefer.core.cardfile import delete_card, save_card
from briefer.core.cards import Source, read_card_file

FILE = """\
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

  - id: second
    kind: risk
    title: Second
    body: Old body.
    marking: U
    sources:
      - {title: Paper}
    reviewed: 2026-01-01
"""


def test_edit_changes_only_that_card(tmp_path):
    path = tmp_path / "cards.yaml"
    path.write_text(FILE, encoding="utf-8")
    cards, _ = read_card_file(path)
    second = dataclasses.replace(cards[1], body="New body: NO surprises.\n\nTwo paragraphs.")
    save_card(second, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(FILE.split("  - id: second")[0])  # first card byte for byte
    again, problems = read_card_file(path)
    assert problems == []
    assert again[0] == cards[0]
    assert again[1].body == "New body: NO surprises.\n\nTwo paragraphs."


def test_add_and_delete(tmp_path):
    path = tmp_path / "cards.yaml"
    path.write_text(FILE, encoding="utf-8")
    cards, _ = read_card_file(path)
    third = dataclasses.replace(
        cards[0], id="third", title="Third: a colon", sources=(Source("P", date="2024"),)
    )
    save_card(third, path)
    ids = [c.id for c in read_card_file(path)[0]]
    assert ids == ["first", "second", "third"]
    delete_card("second", path)
    after, problems = read_card_file(path)
    assert problems == []
    assert [c.id for c in after] == ["first", "third"]
    assert "# a comment on the first card" in path.read_text(encoding="utf-8")
    delete_card("first", path)
    delete_card("third", path)
    assert read_card_file(path) == ([], [])


def test_new_file(tmp_path):
    path = tmp_path / "user" / "new.yaml"
    cards, _ = read_card_file(_write(tmp_path))
    save_card(cards[0], path)
    assert read_card_file(path)[0] == [cards[0]]


def _write(tmp_path):
    path = tmp_path / "src.yaml"
    path.write_text(FILE, encoding="utf-8")
    return path
