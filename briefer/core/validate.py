"""Validating any Briefer file or folder: card files, templates, memos and books."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefer.core.books import check_book, read_book
from briefer.core.cards import BOOK_SUFFIX, MEMO_SUFFIX, card_files, load_library
from briefer.core.memos import read_memo
from briefer.core.problems import Problem, display_path
from briefer.core.rules import check_memo
from briefer.core.storage import find_files
from briefer.core.templates import read_template
from briefer.core.workspace import Workspace
from briefer.core.yamlio import Map, YamlFileError, load_file


def file_kind(path: Path) -> str:
    """``memo``, ``book``, ``template`` or ``cards``, told by name first and then by
    top-level keys."""
    if path.name.endswith(MEMO_SUFFIX):
        return "memo"
    if path.name.endswith(BOOK_SUFFIX):
        return "book"
    try:
        root = load_file(path)
    except YamlFileError:
        return "cards"  # reading it again as a card file reports the problem
    if isinstance(root, Map):
        if "cards" in root.values:
            return "cards"
        if "template" in root.values:
            return "memo"
        if "sections" in root.values:
            return "template"
    return "unknown"


def validate_paths(paths: Sequence[Path], workspace: Workspace) -> list[Problem]:
    """Every problem in the given files and folders, checked against the workspace."""
    problems: list[Problem] = []
    card_sources: list[Path] = []
    for path in paths:
        if not path.exists():
            problems.append(Problem(display_path(path), 1, 1, "no such file or folder"))
        elif path.is_dir():
            card_sources.append(path)
            for memo_path in find_files(path, MEMO_SUFFIX)[0]:
                problems.extend(_validate_memo(memo_path, workspace))
            for book_path in find_files(path, BOOK_SUFFIX)[0]:
                problems.extend(validate_book(book_path, workspace))
        else:
            kind = file_kind(path)
            if kind == "memo":
                problems.extend(_validate_memo(path, workspace))
            elif kind == "book":
                problems.extend(validate_book(path, workspace))
            elif kind == "template":
                problems.extend(read_template(path)[1])
            elif kind == "cards":
                card_sources.append(path)
            else:
                problems.append(
                    Problem(
                        display_path(path),
                        1,
                        1,
                        "cannot tell what this file is: a card file has 'cards:', a template "
                        "has 'sections:', and a memo is named *.brief.yaml",
                    )
                )
    if card_sources:
        own = {p.resolve() for src in card_sources for p in card_files(src)}
        others = {
            cid
            for cid, card in workspace.library.cards.items()
            if card.origin is None or card.origin.path.resolve() not in own
        }
        problems.extend(load_library(card_sources, known_ids=others).problems)
    return problems


def memo_paths(paths: Sequence[Path]) -> list[Path]:
    """The memo files among files and folders given to validate."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(find_files(path, MEMO_SUFFIX)[0])
        elif path.is_file() and file_kind(path) == "memo":
            found.append(path)
    return found


def memos_in(folders: Sequence[Path]) -> list[Path]:
    """The memo files kept in library folders (the bundled examples, say)."""
    return [m for f in folders if f.is_dir() for m in find_files(f, MEMO_SUFFIX)[0]]


def book_paths(paths: Sequence[Path]) -> list[Path]:
    """The book files among files and folders given to validate (or library folders)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(find_files(path, BOOK_SUFFIX)[0])
        elif path.is_file() and path.name.endswith(BOOK_SUFFIX):
            found.append(path)
    return found


def validate_book(path: Path, workspace: Workspace) -> list[Problem]:
    """A book's own problems and those of every tab's memo, at the book's lines."""
    book, problems = read_book(path)
    if book is None:
        return problems
    return [*problems, *check_book(book, workspace.library, workspace.templates)[1]]


def validate_workspace(workspace: Workspace) -> list[Problem]:
    """The workspace's own problems plus those of the memos kept in its library folders."""
    problems = list(workspace.problems)
    for memo_path in memos_in(workspace.library_dirs):
        problems.extend(_validate_memo(memo_path, workspace))
    for book_path in book_paths(workspace.library_dirs):
        problems.extend(validate_book(book_path, workspace))
    return problems


def _validate_memo(path: Path, workspace: Workspace) -> list[Problem]:
    memo, problems = read_memo(path)
    if memo is not None:
        problems = [*problems, *check_memo(memo, workspace.library, workspace.templates)]
    return problems
