"""An open memo: the Memo, its file, and one SectionModel per template section."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from briefer.core.cards import CardLibrary
from briefer.core.memos import Memo, MemoItem, memo_to_yaml, save_memo
from briefer.core.storage import fingerprint
from briefer.core.templates import MemoTemplate
from briefer.gui.commands import InsertItemsCommand, MoveItemsCommand
from briefer.gui.models import SectionModel, kind_refusal


class MemoDocument(QObject):
    """Owns the memo being edited. Views change it only by pushing undo commands."""

    changed = Signal()
    header_changed = Signal(str, str)
    kind_refused = Signal(str, str)

    def __init__(
        self,
        memo: Memo,
        template: MemoTemplate,
        library: CardLibrary,
        stack: QUndoStack,
        path: Path | None = None,
    ) -> None:
        super().__init__()
        self.memo, self.template, self.library, self.stack = memo, template, library, stack
        self.path = path
        # What the file held when it was read: a save first checks nobody changed it since.
        self.fingerprint: str | None = None
        self.read_only = False
        self.models: dict[str, SectionModel] = {}
        for section in template.sections:
            items = memo.sections.setdefault(section.id, [])
            model = SectionModel(section.id, items, library)
            model.accepts = section.kinds
            model.title = section.title
            model.drop_requested.connect(self._on_drop)
            model.kind_refused.connect(self.kind_refused)
            self.models[section.id] = model

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
        items = [MemoItem(card=card_id) for card_id in card_ids]
        self.stack.push(InsertItemsCommand(self, section, row, items))

    def move_items(self, source: str, rows: list[int], target: str, row: int) -> bool:
        """Move items, within a section or to another that takes their kind."""
        if source not in self.models or target not in self.models or not rows:
            return False
        if source != target:
            section = self.template.section(target)
            refused = []
            for r in rows:
                item = self.models[source].items[r]
                card = self.library.get(item.card) if item.card else None
                if card is not None and section is not None and not section.accepts(card.kind):
                    refused.append(kind_refusal(card, section.title, section.kinds))
            if refused:
                self.kind_refused.emit(self.section_title(target), "\n".join(refused))
                return False
        self.stack.push(MoveItemsCommand(self, source, rows, target, row))
        return True

    def cards_used(self) -> set[str]:
        return self.memo.card_ids()

    def to_yaml(self) -> str:
        return memo_to_yaml(self.memo)

    def save(self, path: Path) -> None:
        """Write the memo atomically (keeping a backup) and mark the undo stack clean."""
        save_memo(self.memo, path)
        self.path = path
        self.memo.path = path
        self.fingerprint = fingerprint(path)
        self.stack.setClean()

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled memo"
