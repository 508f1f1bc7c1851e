"""Export from the window: choose the file, run the export with a progress dialog, report."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Collection, Generator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from briefer.core.books import draft_stamp
from briefer.core.cards import BOOK_SUFFIX
from briefer.core.checks import Finding
from briefer.core.memos import Memo
from briefer.core.problems import BrieferError, counted
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
    said: Collection[str] = (),
) -> ExportResult | None:
    """Ask where, export (marked as a draft with ``draft``'s stamp), and offer to open
    the result. ``said``: the errors the drafter was shown before a draft went out, not
    repeated among the export's warnings."""
    return _ask_and_export(
        parent,
        settings,
        suffix,
        memo_path,
        memo_stem(memo, memo_path),
        lambda path: run_export(parent, memo, path, workspace, draft),
        draft is not None,
        said,
    )


def ask_draft(parent: QWidget, errors: list[Finding], verb: str) -> tuple[bool, str | None]:
    """Before a memo goes out: with errors in the checks, ask, and if it goes anyway it is
    a draft (the stamp to print on every page): it never looks final."""
    if not errors:
        return True, None
    go = dialogs.confirm(
        parent,
        f"{verb} with problems?",
        f"The checks found {counted(len(errors), 'error')} in this memo:\n\n"
        + "\n".join(f"• {f.message}" for f in errors[:12])
        + ("\n• …" if len(errors) > 12 else "")
        + f"\n\n{verb} it as a draft (DRAFT across every page, with the time it was "
        "printed), or cancel and fix them first?",
        f"{verb} as draft",
    )
    return go, draft_stamp(dt.datetime.now()) if go else None


def print_dialog(
    parent: QWidget,
    memo: Memo,
    memo_path: Path | None,
    reference: Path | None,
    workspace: Workspace,
    draft: str | None,
) -> int:
    """Lay the memo out as the PDF export does (on the template's ``reference`` page), ask
    the print dialog, print; the pages sent (0 when cancelled, or when the memo could not
    be laid out: said in a dialog)."""
    from briefer.gui.printing import print_pdf
    from briefer.render.compose import compose
    from briefer.render.export import use_reference
    from briefer.render.pdf import PdfWriter

    try:
        document = compose(memo, workspace.library, workspace.templates)
        use_reference(document, reference)
        document.draft = draft
        data = PdfWriter(document).to_bytes()
    except BrieferError as exc:
        dialogs.tell(parent, "Cannot print", f"{exc}\n\nFix the problem and print again.")
        return 0
    # The job's name, and the file offered by "Print to File": as Export names it.
    return print_pdf(parent, data, memo_stem(memo, memo_path))


def _ask_and_export(
    parent: QWidget,
    settings: S.Settings,
    suffix: str,
    source: Path | None,
    stem: str,
    export: Callable[[Path], ExportResult | None],
    draft: bool = False,
    said: Collection[str] = (),
) -> ExportResult | None:
    """Offer ``stem`` + the format's ending in the last export folder (else beside the
    source file), export there, and offer to open the result, saying what it is (a
    draft?) and what the export warned of that the drafter was not told already."""
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
        pages = f" ({counted(result.pages, 'page')})" if result.pages else ""
        warnings = "\n".join(
            [p.located for p in result.problems if p.message not in said] + result.warnings
        )
        what = "a draft to" if draft else "to"
        text = f"Exported {what} {path}{pages}." + (" DRAFT is across every page." if draft else "")
        text += f"\n\nWarnings:\n{warnings}" if warnings else ""
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
        book.draft,
    )
