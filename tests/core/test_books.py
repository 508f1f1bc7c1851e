"""Book files: their shape, and every problem of every tab reported at the book's line."""

from __future__ import annotations

from pathlib import Path

from briefer.core.books import book_to_yaml, check_book, load_tabs, parse_book, read_book
from briefer.core.validate import validate_paths

MEMO = """\
format: 1
template: information-memo
header: {subject: A tab}
sections:
  background:
    - card: bg-emissions-shares
"""


def write_book(folder: Path, text: str) -> Path:
    path = folder / "trip.book.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_book_is_read_with_its_tabs_relative_to_its_folder(tmp_path):
    (tmp_path / "memos").mkdir()
    (tmp_path / "memos" / "one.brief.yaml").write_text(MEMO, encoding="utf-8")
    path = write_book(
        tmp_path,
        "format: 1\ntitle: Visit\nsubtitle: Talks\ndate: 2023-07-16\nmarking: SBU\n"
        "draft: true\ntabs:\n  - memo: memos/one.brief.yaml\n    title: First\n",
    )
    book, problems = read_book(path)
    assert problems == []
    assert book is not None
    assert (book.title, book.subtitle, book.date, book.marking, book.draft) == (
        "Visit",
        "Talks",
        "2023-07-16",  # as written, not turned into a date
        "SBU",
        True,
    )
    assert book.tabs[0].path(path) == tmp_path / "memos" / "one.brief.yaml"
    loaded, problems = load_tabs(book)
    assert problems == []
    assert loaded[0].title == "First"
    again, _ = parse_book(book_to_yaml(book))
    assert again is not None
    assert again.tabs == book.tabs
    assert again.title == book.title


def test_unknown_and_duplicate_keys_and_bad_values_are_errors_all_at_once(tmp_path):
    path = write_book(
        tmp_path,
        "format: 1\ntitle: Visit\ncolour: blue\nmarking: TOPSECRET\ndraft: maybe\n"
        "tabs:\n  - memo: a.brief.yaml\n    pages: 3\n",
    )
    book, problems = read_book(path)
    assert book is None
    messages = " | ".join(str(p) for p in problems)
    assert "colour" in messages
    assert "TOPSECRET" in messages
    assert "maybe" in messages
    assert "pages" in messages
    assert all(p.path.endswith("trip.book.yaml") and p.line > 0 for p in problems)
    duplicate = write_book(tmp_path, "title: A\ntitle: B\ntabs:\n  - memo: a.brief.yaml\n")
    book, problems = read_book(duplicate)
    assert book is None
    assert any("title" in p.message for p in problems)


def test_a_missing_memo_and_a_broken_memo_are_named_at_the_books_lines(tmp_path, bundled):
    (tmp_path / "broken.brief.yaml").write_text(
        "format: 1\ntemplate: information-memo\nsections:\n  background:\n"
        "    - card: no-such-card\n  nowhere: []\n",
        encoding="utf-8",
    )
    path = write_book(
        tmp_path,
        "title: Visit\ntabs:\n  - memo: gone.brief.yaml\n  - memo: broken.brief.yaml\n",
    )
    book, problems = read_book(path)
    assert book is not None
    assert problems == []
    _, problems = check_book(book, bundled.library, bundled.templates)
    errors = [p for p in problems if p.is_error]
    assert any(p.line == 3 and "tab 1 (gone.brief.yaml)" in p.message for p in errors)
    assert any("does not exist" in p.message for p in errors)
    broken = [p for p in errors if p.line == 4]
    assert broken
    assert all("tab 2 (broken.brief.yaml)" in p.message for p in broken)
    assert any("no-such-card" in p.message for p in broken)
    # validate reports the same, for a book given by name or found in a folder
    assert {str(p) for p in validate_paths([path], bundled) if p.is_error} >= {
        str(p) for p in errors
    }


def test_books_in_a_library_folder_are_not_read_as_cards(tmp_path, bundled):
    from briefer.core.cards import card_files

    write_book(tmp_path, "title: Visit\ntabs:\n  - memo: a.brief.yaml\n")
    (tmp_path / "cards.yaml").write_text("cards: []\n", encoding="utf-8")
    assert [p.name for p in card_files(tmp_path)] == ["cards.yaml"]


def test_a_tab_that_is_a_folder_pipe_or_device_is_named_not_read(tmp_path, bundled):
    import os

    (tmp_path / "folder.brief.yaml").mkdir()
    os.mkfifo(tmp_path / "pipe.brief.yaml")  # reading it would wait for ever
    path = write_book(
        tmp_path,
        "title: Visit\ntabs:\n  - memo: folder.brief.yaml\n  - memo: pipe.brief.yaml\n"
        "  - memo: /dev/zero\n",
    )
    book, _ = read_book(path)
    assert book is not None
    _, problems = check_book(book, bundled.library, bundled.templates)
    assert [p.line for p in problems] == [3, 4, 5]
    assert all("is not a memo file" in p.message for p in problems)
