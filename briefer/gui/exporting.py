"""Export from the window: choose the file, run the export with a progress dialog, report."""

from __future__ import annotations

import copy
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from briefer.core.cards import BOOK_SUFFIX
from briefer.core.memos import Memo
from briefer.core.problems import BrieferError
from briefer.core.session import memo_stem
from briefer.core.storage import write_failure
from briefer.core.workspace import Workspace
from briefer.gui import dialogs
from briefer.gui import settings as S

if TYPE_CHECKING:
    from briefer.core.books import Book
    from briefer.render.export import ExportResult

KINDS = {
    ".docx": ("Export to Word", "Word document (*.docx)"),
    ".pdf": ("Export to PDF", "PDF (*.pdf)"),
}


def export_dialog(
    parent: QWidget,
    memo: Memo,
    memo_path: Path | None,
    workspace: Workspace,
    settings: S.Settings,
    suffix: str,
    draft: str | None = None,
) -> ExportResult | None:
    """Ask where, export (marked as a draft with ``draft``'s stamp), and offer to open
    the result."""
    return _ask_and_export(
        parent,
        settings,
        suffix,
        memo_path,
        memo_stem(memo, memo_path),
        lambda path: run_export(parent, memo, path, workspace, draft),
    )


def _ask_and_export(
    parent: QWidget,
    settings: S.Settings,
    suffix: str,
    source: Path | None,
    stem: str,
    export: Callable[[Path], ExportResult | None],
) -> ExportResult | None:
    """Offer ``stem`` + the format's ending in the last export folder (else beside the
    source file), export there, and offer to open the result."""
    folder = settings.get(S.LAST_EXPORT_FOLDER) or str(source.parent if source else Path.home())
    title, kind = KINDS[suffix]
    chosen = dialogs.save_file(parent, title, str(Path(folder) / (stem + suffix)), kind)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    settings.set(S.LAST_EXPORT_FOLDER, str(path.parent))
    result = export(path)
    if result is not None:
        pages = f" ({result.pages} pages)" if result.pages else ""
        warnings = "\n".join(result.warnings)
        text = f"Exported to {path}{pages}." + (f"\n\nWarnings:\n{warnings}" if warnings else "")
        if dialogs.offer_open(parent, path, text):
            dialogs.open_url(path)
    return result


def run_export(
    parent: QWidget, memo: Memo, path: Path, workspace: Workspace, draft: str | None = None
) -> ExportResult | None:
    """Export with a progress dialog; errors become a dialog that says what to do."""
    from briefer.render.export import ExportResult, iter_export  # the first export pays

    result = ExportResult(path)
    steps = iter_export(copy.deepcopy(memo), path, workspace, None, result, draft=draft)
    return result if drive(parent, steps, path, "memo") else None


def run_book_export(
    parent: QWidget, book: Book, path: Path, workspace: Workspace
) -> ExportResult | None:
    """Export the book as the window has it (saved or not), with a progress dialog."""
    from briefer.render.book import iter_export_book
    from briefer.render.export import ExportResult

    result = ExportResult(path)
    steps = iter_export_book(copy.deepcopy(book), path, workspace, result)
    return result if drive(parent, steps, path, "book") else None


def drive(
    parent: QWidget, steps: Generator[tuple[int, int], None, None], path: Path, what: str
) -> bool:
    """Run an export's steps under a progress dialog; False when cancelled or failed (the
    failure said in a dialog, any earlier file kept)."""
    progress = QProgressDialog("Exporting…", "Cancel", 0, 100, parent)
    progress.setWindowTitle("Export")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)
    try:
        for done, total in steps:
            progress.setMaximum(total)
            progress.setValue(done)
            QApplication.processEvents()
            if progress.wasCanceled():
                steps.close()  # removes the temporary file; any earlier export is kept
                return False
    except BrieferError as exc:
        dialogs.tell(
            parent,
            "Export failed",
            f"The {what} could not be exported: {exc}\n\nFix the problem and export again.",
            error=True,
        )
        return False
    except OSError as exc:
        dialogs.tell(
            parent,
            "Export failed",
            f"Could not write {path}: {write_failure(exc)} If the file is open in another "
            "program, close it; or choose another folder.",
            error=True,
        )
        return False
    finally:
        progress.close()
    return True


def book_export_dialog(
    parent: QWidget, book: Book, workspace: Workspace, settings: S.Settings, suffix: str
) -> ExportResult | None:
    """Ask where, export the book, and offer to open the result."""
    stem = book.path.name.removesuffix(BOOK_SUFFIX) if book.path else "briefing-book"
    return _ask_and_export(
        parent,
        settings,
        suffix,
        book.path,
        stem,
        lambda path: run_book_export(parent, book, path, workspace),
    )
