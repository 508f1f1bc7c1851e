"""Undo commands: every change to a memo or a card goes through one of these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from briefer.core.cardfile import delete_card, entry_text, save_card
from briefer.core.cards import Card, Origin
from briefer.core.memos import MemoItem
from briefer.gui.models import CardListModel

if TYPE_CHECKING:
    from briefer.gui.document import MemoDocument

HEADER_MERGE_ID = 1001


class InsertItemsCommand(QUndoCommand):
    """Add items (dropped cards or new text) to a section."""

    def __init__(self, doc: MemoDocument, section: str, row: int, items: Sequence[MemoItem]):
        label = "Add text" if items and items[0].card is None else "Add card"
        super().__init__(f"{label} to {doc.section_title(section)}")
        self.doc, self.section, self.items = doc, section, list(items)
        self.row = max(0, min(row, len(doc.models[section].items)))

    def redo(self) -> None:
        self.doc.models[self.section].insert(self.row, self.items)
        self.doc.changed.emit()

    def undo(self) -> None:
        self.doc.models[self.section].take(range(self.row, self.row + len(self.items)))
        self.doc.changed.emit()


class RemoveItemsCommand(QUndoCommand):
    """Remove items from a section."""

    def __init__(self, doc: MemoDocument, section: str, rows: Sequence[int]):
        super().__init__(f"Remove from {doc.section_title(section)}")
        self.doc, self.section, self.rows = doc, section, sorted(rows)
        self.taken: list[MemoItem] = []

    def redo(self) -> None:
        self.taken = self.doc.models[self.section].take(self.rows)
        self.doc.changed.emit()

    def undo(self) -> None:
        model = self.doc.models[self.section]
        for row, item in zip(self.rows, self.taken, strict=True):
            model.insert(row, [item])
        self.doc.changed.emit()


class MoveItemsCommand(QUndoCommand):
    """Reorder items in a section, or move them to another section."""

    def __init__(self, doc: MemoDocument, source: str, rows: Sequence[int], target: str, row: int):
        super().__init__(f"Move to {doc.section_title(target)}")
        self.doc, self.source, self.rows, self.target = doc, source, sorted(rows), target
        before = sum(1 for r in self.rows if r < row) if source == target else 0
        self.target_row = row - before

    def redo(self) -> None:
        items = self.doc.models[self.source].take(self.rows)
        self.doc.models[self.target].insert(self.target_row, items)
        self.doc.changed.emit()

    def undo(self) -> None:
        target = self.doc.models[self.target]
        count = len(self.rows)
        items = target.take(range(self.target_row, self.target_row + count))
        source = self.doc.models[self.source]
        for row, item in zip(self.rows, items, strict=True):
            source.insert(row, [item])
        self.doc.changed.emit()


class ReplaceItemCommand(QUndoCommand):
    """Change one item: reword a card for this memo, revert it, or edit free text."""

    def __init__(self, doc: MemoDocument, section: str, row: int, new: MemoItem, label: str):
        super().__init__(label)
        self.doc, self.section, self.row, self.new = doc, section, row, new
        self.old = doc.models[section].items[row]

    def redo(self) -> None:
        self.doc.models[self.section].replace(self.row, self.new)
        self.doc.changed.emit()

    def undo(self) -> None:
        self.doc.models[self.section].replace(self.row, self.old)
        self.doc.changed.emit()


class SetHeaderCommand(QUndoCommand):
    """Set a header field; typing in one field merges into a single undo step."""

    def __init__(self, doc: MemoDocument, field: str, value: str):
        super().__init__(f"Edit {field}")
        self.doc, self.field, self.value = doc, field, value
        self.old = doc.memo.header.get(field, "")

    def id(self) -> int:
        return HEADER_MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if isinstance(other, SetHeaderCommand) and other.field == self.field:
            self.value = other.value
            return True
        return False

    def _apply(self, value: str) -> None:
        if value:
            self.doc.memo.header[self.field] = value
        else:
            self.doc.memo.header.pop(self.field, None)
        self.doc.header_changed.emit(self.field, value)
        self.doc.changed.emit()

    def redo(self) -> None:
        self._apply(self.value)

    def undo(self) -> None:
        self._apply(self.old)


class SetMarkingCommand(QUndoCommand):
    """Set the memo-level marking (it can raise the banner, never lower it)."""

    def __init__(self, doc: MemoDocument, marking: str | None):
        super().__init__("Change memo marking")
        self.doc, self.value, self.old = doc, marking, doc.memo.marking

    def redo(self) -> None:
        self.doc.memo.marking = self.value
        self.doc.changed.emit()

    def undo(self) -> None:
        self.doc.memo.marking = self.old
        self.doc.changed.emit()


ErrorSink = Callable[[str], None]


def _placed(card: Card, path: Path) -> Card:
    return Card(**{**vars(card), "origin": Origin(path, card.origin.line if card.origin else 1)})


def _write(card: Card, path: Path, report: ErrorSink, raw: str | None = None) -> Card:
    try:
        save_card(card, path, raw)
    except Exception as exc:  # a card write must never crash the window
        report(f"Could not save card “{card.title}” to {path}: {exc}")
    return _placed(card, path)


class PutCardCommand(QUndoCommand):
    """Create or change a card; the card's own file is rewritten on redo and undo."""

    def __init__(
        self,
        model: CardListModel,
        old: Card | None,
        new: Card,
        path: Path,
        report: ErrorSink,
        label: str = "",
        written: bool = False,
    ):
        super().__init__(
            label or (f"Edit card “{new.title}”" if old else f"New card “{new.title}”")
        )
        self.model, self.old, self.new, self.path, self.report = model, old, new, path, report
        # The entry's exact text before the edit, so undo restores it byte for byte.
        self.old_raw = entry_text(old.id, path) if old is not None else None
        # The caller already wrote the card (so a failed write could keep the editor open).
        self.written = written

    def redo(self) -> None:
        if self.written:
            self.written = False
            self.model.put_card(_placed(self.new, self.path))
            return
        self.model.put_card(_write(self.new, self.path, self.report))

    def undo(self) -> None:
        if self.old is None:
            try:
                delete_card(self.new.id, self.path)
            except Exception as exc:
                self.report(f"Could not remove card “{self.new.title}” from {self.path}: {exc}")
            self.model.remove_card(self.new.id)
        else:
            old_path = self.old.origin.path if self.old.origin else self.path
            if old_path != self.path:
                try:
                    delete_card(self.new.id, self.path)
                except Exception as exc:
                    self.report(f"Could not undo the copy in {self.path}: {exc}")
                self.model.put_card(self.old)
            else:
                self.model.put_card(_write(self.old, self.path, self.report, self.old_raw))


class DeleteCardCommand(QUndoCommand):
    """Delete a card from its file; undo writes it back."""

    def __init__(self, model: CardListModel, card: Card, report: ErrorSink):
        super().__init__(f"Delete card “{card.title}”")
        assert card.origin is not None
        self.model, self.card, self.path, self.report = model, card, card.origin.path, report
        self.raw = entry_text(card.id, self.path)

    def redo(self) -> None:
        try:
            delete_card(self.card.id, self.path)
        except Exception as exc:
            self.report(f"Could not delete card “{self.card.title}” from {self.path}: {exc}")
            return
        self.model.remove_card(self.card.id)

    def undo(self) -> None:
        self.model.put_card(_write(self.card, self.path, self.report, self.raw))
