"""Writing cards: where each one goes, whether someone changed it meanwhile, and undo.

Plain Python with typed results, so the window, the tests and any later tool share it. A
save reads the card's file once; from that one read it checks for a colleague's change,
edits only the card's own fields (``cardfile``), verifies the result and writes it
atomically. It returns the file's bytes before and after, which is all undo needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from briefer.core import cardfile
from briefer.core.cards import Card, Origin
from briefer.core.problems import BrieferError, display_path
from briefer.core.storage import atomic_path, write_failure

USER_FILE = "my-cards.yaml"
OVERRIDE_FILE = "edited-bundled-cards.yaml"


@dataclass(frozen=True)
class FileChange:
    """One write to one file: its bytes before (None: it did not exist) and after."""

    path: Path
    before: bytes | None
    after: bytes | None


@dataclass
class CardSave:
    """What a save or delete did.

    ``status`` is ``saved``; ``conflict`` (the card changed in its file since the editor
    opened it; ``on_disk`` holds that version, None if it was removed); ``unsafe`` (the
    file's layout cannot be edited in place; ``message`` says why); or ``failed``
    (``message`` says why and what to do). Only ``saved`` wrote anything.
    """

    status: str
    path: Path
    message: str = ""
    card: Card | None = None
    change: FileChange | None = None
    on_disk: Card | None = None
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "saved"


class CardStore:
    """Writes cards into the user's library folders; ``read_only`` folders are never touched.

    A card from a read-only folder (the bundled library, in every install) is saved as an
    override in the user's own library, which the library loads after it.
    """

    def __init__(self, user_dir: Path, read_only: Sequence[Path] = ()) -> None:
        self.user_dir = Path(user_dir)
        self.read_only = tuple(Path(p).resolve() for p in read_only)

    def target(self, old: Card | None) -> tuple[Path, str]:
        """Where a card is written, and a note when that is not the file it came from."""
        if old is None or old.origin is None:
            return self.user_dir / USER_FILE, ""
        if self.is_read_only(old.origin.path):
            return (
                self.user_dir / OVERRIDE_FILE,
                "The bundled library is read-only; your edit was saved as a copy in your "
                f"library ({self.user_dir}).",
            )
        return old.origin.path, ""

    def is_read_only(self, path: Path) -> bool:
        resolved = Path(path).resolve()
        return any(resolved.is_relative_to(folder) for folder in self.read_only)

    def save(
        self,
        new: Card,
        old: Card | None,
        *,
        overwrite: bool = False,
        rewrite: bool = False,
        path: Path | None = None,
    ) -> CardSave:
        """Write ``new`` (an edit of ``old``, or a new card when ``old`` is None).

        ``overwrite`` saves over a colleague's change; ``rewrite`` writes the whole file in
        Briefer's layout when it cannot be edited in place; ``path`` chooses the file.
        """
        note = ""
        if path is None:
            path, note = self.target(old)
        try:
            raw = _read(path)
        except OSError as exc:
            return CardSave("failed", path, f"cannot read {display_path(path)}: {exc.strerror}")
        try:
            if raw is None:
                text = cardfile.new_file_text(new)
                source = cardfile.FileText(text)
            else:
                source = cardfile.FileText.decode(raw, path)
                parsed = cardfile.CardText(source.text, path)
                on_disk = parsed.card(new.id if old is None else old.id)
                own_file = old is not None and old.origin is not None and old.origin.path == path
                if own_file and on_disk != old and not overwrite:
                    return CardSave("conflict", path, card=new, on_disk=on_disk)
                if rewrite:
                    text = cardfile.rewrite_text(parsed, new)
                else:
                    text = cardfile.put_card(parsed, new, on_disk)
        except cardfile.UnsafeEdit as exc:
            return CardSave("unsafe", path, str(exc), card=new)
        except BrieferError as exc:
            return CardSave("failed", path, str(exc), card=new)
        return _commit(path, raw, source.encode(text), _placed(new, path), note)

    def delete(self, card: Card) -> CardSave:
        """Remove a card's entry from its own file (never from a read-only folder)."""
        if card.origin is None:
            raise ValueError("a card that was never read from a file cannot be deleted")
        path = card.origin.path
        if self.is_read_only(path):
            return CardSave(
                "failed",
                path,
                "cards in the bundled library cannot be deleted; hide them with a filter instead",
            )
        try:
            raw = _read(path)
            if raw is None:
                return CardSave("failed", path, f"{display_path(path)} no longer exists")
            source = cardfile.FileText.decode(raw, path)
            text = cardfile.remove_card(cardfile.CardText(source.text, path), card.id)
        except OSError as exc:
            return CardSave("failed", path, f"cannot read {display_path(path)}: {exc.strerror}")
        except cardfile.UnsafeEdit as exc:
            return CardSave("unsafe", path, str(exc), card=card)
        except BrieferError as exc:
            return CardSave("failed", path, str(exc), card=card)
        return _commit(path, raw, source.encode(text), card)

    def restore(self, change: FileChange, to_before: bool) -> bool:
        """Undo (or redo) a write byte for byte, if the file still holds what it left.

        False when someone changed the file since: the caller then re-applies the card.
        """
        expected, wanted = (
            (change.after, change.before) if to_before else (change.before, change.after)
        )
        try:
            current = _read(change.path)
        except OSError:
            return False
        if current != expected:
            return False
        if wanted is None:
            change.path.unlink(missing_ok=True)
            return True
        return not _write(change.path, wanted)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _commit(path: Path, raw: bytes | None, after: bytes, card: Card, note: str = "") -> CardSave:
    """Write the new bytes; the result remembers the old ones for undo."""
    failed = _write(path, after)
    if failed:
        return CardSave("failed", path, failed, card=card)
    return CardSave("saved", path, card=card, change=FileChange(path, raw, after), note=note)


def _write(path: Path, data: bytes) -> str:
    """Write atomically (with a backup); an empty string on success, else why not."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path, backup=True) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        return f"could not write {display_path(path)}: {write_failure(exc)}"
    return ""


def _placed(card: Card, path: Path) -> Card:
    line = card.origin.line if card.origin is not None else 1
    return replace(card, origin=Origin(path, line))
