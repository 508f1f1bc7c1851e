"""An open memo's Qt model: one SectionModel per template section, and the undo commands
that are the only way to change the memo. Views listen to the signals and show the model."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from briefer.core import rules
from briefer.core.cards import CardLibrary
from briefer.core.memos import Memo, MemoItem
from briefer.core.session import MemoSession
from briefer.core.templates import MemoTemplate
from briefer.core.versions import CardVersions
from briefer.gui.models import SectionModel

HEADER_MERGE_ID = 1001


class MemoDocument(QObject):
    """The memo being edited, as models. Every change is a command on the memo's stack."""

    changed = Signal()
    header_changed = Signal(str, str)  # field, value
    marking_changed = Signal(object)  # the memo marking, or None
    kind_refused = Signal(str, str)  # section title, explanation

    def __init__(
        self,
        session: MemoSession,
        library: CardLibrary,
        stack: QUndoStack,
        versions: CardVersions | None = None,
    ) -> None:
        super().__init__()
        self.session, self.library, self.stack = session, library, stack
        self.versions = versions
        self.keep_versions()
        self.models: dict[str, SectionModel] = {}
        for section in self.template.sections:
            items = self.memo.sections.setdefault(section.id, [])
            model = SectionModel(section, items, library, self.template)
            model.drop_requested.connect(self._on_drop)
            model.kind_refused.connect(self.kind_refused)
            self.models[section.id] = model

    @property
    def memo(self) -> Memo:
        return self.session.memo

    @property
    def template(self) -> MemoTemplate:
        return self.session.template

    @property
    def read_only(self) -> bool:
        return self.session.read_only

    def section_title(self, section_id: str) -> str:
        section = self.template.section(section_id)
        return section.title if section else section_id

    def _on_drop(self, section: str, row: int, card_ids: list[str], moved: object) -> None:
        if self.read_only:
            self.kind_refused.emit(
                self.section_title(section), "This memo is open read-only; nothing was added."
            )
            return
        if isinstance(moved, tuple):
            self.move_items(str(moved[0]), list(moved[1]), section, row)
            return
        items = []
        for card_id in card_ids:  # each remembers the version of the card it was built from
            card = self.library.get(card_id)
            items.append(MemoItem(card=card_id, version=card.version() if card else ""))
            if card is not None and self.versions is not None:
                self.versions.keep(card)
        self.stack.push(InsertItemsCommand(self, section, row, items))

    def move_items(self, source: str, rows: list[int], target: str, row: int) -> bool:
        """Move items, within a section or to another that takes their kind."""
        if source not in self.models or target not in self.models or not rows:
            return False
        section = self.template.section(target)
        if source != target and section is not None:
            refused = []
            for r in rows:
                item = self.models[source].items[r]
                card = self.library.get(item.card) if item.card else None
                why = rules.refusal(card, section, self.template) if card is not None else None
                if why:
                    refused.append(why)
            if refused:
                self.kind_refused.emit(section.title, "\n".join(refused))
                return False
        self.stack.push(MoveItemsCommand(self, source, rows, target, row))
        return True

    def keep_versions(self) -> None:
        """Remember the wording of every card the memo was built from and still matches, so
        a later change in the library can be shown against it."""
        if self.versions is None:
            return
        for _, item in self.memo.items():
            card = self.library.get(item.card) if item.card else None
            if card is not None and item.version in ("", card.version()):
                self.versions.keep(card)

    def set_header(self, field: str, value: str) -> None:
        if value != self.memo.header.get(field, ""):
            self.stack.push(SetHeaderCommand(self, field, value))

    def set_marking(self, marking: str | None) -> None:
        if marking != self.memo.marking:
            self.stack.push(SetMarkingCommand(self, marking))

    def refresh(self) -> None:
        """The library changed: items show the cards as they are now."""
        for model in self.models.values():
            model.refresh()
        self.changed.emit()


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
        items = target.take(range(self.target_row, self.target_row + len(self.rows)))
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

    def _apply(self, value: str | None) -> None:
        self.doc.memo.marking = value
        self.doc.marking_changed.emit(value)
        self.doc.changed.emit()

    def redo(self) -> None:
        self._apply(self.value)

    def undo(self) -> None:
        self._apply(self.old)
