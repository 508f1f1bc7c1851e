"""The card versions kept for comparison, and the word diff."""

from __future__ import annotations

import dataclasses

from briefer.core.cards import Card, Source
from briefer.core.versions import CardVersions, word_diff


def test_versions_are_kept_once_and_read_back(tmp_path):
    card = Card("c", "background", "Title", "Body text.", sources=(Source("P"),))
    versions = CardVersions(tmp_path / "v")
    versions.keep(card)
    seen = versions.get(card.version())
    assert (seen.title, seen.body, seen.marking) == ("Title", "Body text.", "U")
    changed = dataclasses.replace(card, body="Other text.")
    assert changed.version() != card.version()
    assert versions.get(changed.version()) is None


def test_a_damaged_or_odd_version_file_is_no_version(tmp_path):
    card = Card("c", "background", "Title", "Body.")
    versions = CardVersions(tmp_path)
    (tmp_path / f"{card.version()}.json").write_text("{not json", encoding="utf-8")
    assert versions.get(card.version()) is None
    assert versions.get("../../etc/passwd") is None  # only fingerprints name files
    (tmp_path / "0123456789.json").write_text('{"title": 1}', encoding="utf-8")
    assert versions.get("0123456789") is None


def test_word_diff():
    pieces = word_diff("set up in April 2013.", "set up in spring 2013.")
    assert pieces == [
        ("equal", "set up in "),
        ("delete", "April "),
        ("insert", "spring "),
        ("equal", "2013."),
    ]
    assert "".join(t for op, t in pieces if op != "insert") == "set up in April 2013."
