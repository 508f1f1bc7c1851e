"""The live preview: the real PDF the export would produce, shown with QtPdf."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QPointF,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from briefer.core.memos import Memo
from briefer.core.problems import BrieferError, counted
from briefer.core.workspace import Workspace

if TYPE_CHECKING:
    from briefer.core.books import Book

DEBOUNCE_MS = 300
ZOOMS = (
    ("Fit width", "width"),
    ("Fit page", "page"),
    ("50%", "0.5"),
    ("75%", "0.75"),
    ("100%", "1.0"),
    ("125%", "1.25"),
    ("150%", "1.5"),
    ("200%", "2.0"),
)


def page_status(pages: int, limit: int | None) -> tuple[str, bool]:
    """The page-count line and whether it is a warning."""
    count = counted(pages, "page")
    if limit is None:
        return count, False
    if pages > limit:
        return f"⚠ {count}: over the {limit}-page limit", True
    return f"{count} (limit {limit})", False


class _Signals(QObject):
    finished = Signal(int, bytes, int, str)  # generation, pdf, pages, error


class _RenderJob(QRunnable):
    def __init__(self, generation: int, render: Callable[[], tuple[bytes, int]], out: _Signals):
        super().__init__()
        self.generation, self.render, self.out = generation, render, out

    def run(self) -> None:
        from briefer.render.pdf import Stopped

        try:
            data, pages = self.render()
            self.out.finished.emit(self.generation, data, pages, "")
        except Stopped:
            pass  # edited again (or closing): a newer render has the memo as it is now
        except BrieferError as exc:
            self.out.finished.emit(self.generation, b"", 0, str(exc))
        except Exception as exc:  # the preview must never take the window down
            from briefer.gui.log import write_log

            log = write_log("Preview failed", exc)
            self.out.finished.emit(
                self.generation,
                b"",
                0,
                f"an unexpected problem ({exc}). Undo the last change or try exporting; "
                f"details are in {log}",
            )


class PreviewPane(QWidget):
    """Debounces edits, renders off the GUI thread, and shows pages against the limit."""

    rendered = Signal(int)  # page count, after the new PDF is loaded in the view
    zoom_changed = Signal(str)  # the zoom chosen, to be remembered

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.status = QLabel("No memo open")
        self.status.setAccessibleName("Page count")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)  # a narrow pane wraps it rather than widening
        # Why the pages could not be laid out, on a line of its own under the bar. It
        # names files, so it is plain text; it wraps, a long path is cut (the tooltip has
        # it all), and it never widens the window: in the bar, a book's missing tab once
        # made the window 2,700 pixels wide, off the screen.
        self.problem = QLabel()
        self.problem.setAccessibleName("Preview problem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.hide()
        self.view = QPdfView()
        self.view.setAccessibleName("Preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # The scroll bar is always there, so the view keeps its width when pages arrive.
        # Had it appeared as a memo's pages loaded, the fitted page would be laid out a
        # second time while QtPdf was still drawing the first, and the page then showed
        # uneven letter spacing ("Decem ber") until the next edit.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.pdf = QPdfDocument(self)
        self.view.setDocument(self.pdf)
        self._buffer: QBuffer | None = None
        self.zoom = QComboBox()
        self.zoom.setAccessibleName("Preview zoom")
        self.zoom.setToolTip("Zoom (Ctrl++ and Ctrl+- in the preview)")
        for label, value in ZOOMS:
            self.zoom.addItem(label, value)
        self.zoom.currentIndexChanged.connect(self._apply_zoom)
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName("Go to page")
        self.page_box.setPrefix("Page ")
        self.page_box.setMinimum(1)
        self.page_box.setMaximum(1)
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(self.go_to_page)
        self.view.pageNavigator().currentPageChanged.connect(self._page_shown)
        bar = QHBoxLayout()  # one row: the count, the page and the zoom
        bar.addWidget(self.status, 1)
        bar.addWidget(self.page_box)
        bar.addWidget(self.zoom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.problem)
        layout.addWidget(self.view, 1)
        for keys, step in (
            (QKeySequence.StandardKey.ZoomIn, 1),
            (QKeySequence.StandardKey.ZoomOut, -1),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.view)
            shortcut.activated.connect(lambda s=step: self.zoom_step(s))
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.render_now)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # reportlab is not re-entrant; one render at a time
        self.signals = _Signals()
        self.signals.finished.connect(self._finished)
        self.generation = 0
        self.memo: Memo | None = None
        self.limit: int | None = None
        self.pages = 0
        self.last_render_seconds = 0.0
        self._started = 0.0

    # -- zoom and pages ---------------------------------------------------------------
    def _apply_zoom(self) -> None:
        value = self.zoom.currentData()
        if value == "width":
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif value == "page":
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(float(value))
        self.zoom_changed.emit(str(value))

    def set_zoom(self, value: str) -> None:
        """Choose a zoom by its value ("width", "page" or a factor such as "1.25")."""
        index = self.zoom.findData(value)
        if index < 0:
            index = next((i for i, (_, v) in enumerate(ZOOMS) if v == value), 0)
        self.zoom.setCurrentIndex(index)

    def zoom_step(self, step: int) -> None:
        """One step in or out among the fixed factors (from a fit, from 100%)."""
        factors = [v for _, v in ZOOMS if v not in ("width", "page")]
        current = self.zoom.currentData()
        at = factors.index(current) if current in factors else factors.index("1.0")
        self.set_zoom(factors[max(0, min(len(factors) - 1, at + step))])

    def go_to_page(self, number: int) -> None:
        if 1 <= number <= self.pdf.pageCount():
            self.view.pageNavigator().jump(
                number - 1, QPointF(), self.view.pageNavigator().currentZoom()
            )

    def _page_shown(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)

    def set_memo(self, memo: Memo | None, limit: int | None) -> None:
        self.memo, self.limit = memo, limit
        if memo is None:
            self._clear("No memo open")
            return
        self.render_now()

    def _clear(self, why: str) -> None:
        self.pdf.close()
        self.status.setText(why)
        self.status.setStyleSheet("")
        self.problem.hide()

    def schedule(self) -> None:
        """Called on every edit: render once the user pauses."""
        if self._has_source():
            self.timer.start()

    def _has_source(self) -> bool:
        return self.memo is not None

    def render_now(self) -> None:
        if not self._has_source():
            return
        self.timer.stop()
        self.generation += 1
        render = self._renderer()
        self._started = time.perf_counter()
        self.pool.start(_RenderJob(self.generation, render, self.signals))

    def _renderer(self) -> Callable[[], tuple[bytes, int]]:
        """What the worker runs: the memo as it is now, laid out as the export lays it."""
        snapshot = copy.deepcopy(self.memo)  # the worker never sees a half-edited memo
        assert snapshot is not None
        library, templates = self.workspace.library, self.workspace.templates

        # Imported on the first preview, not at start-up: reportlab alone takes ~85 ms.
        from briefer.render.compose import DocumentBuilder
        from briefer.render.export import use_reference
        from briefer.render.pdf import PdfWriter, Stopped

        generation = self.generation  # this render's; an edit since makes it stale

        def stale() -> bool:
            return self.generation != generation

        def render() -> tuple[bytes, int]:
            builder = DocumentBuilder(snapshot, library, templates)
            for _ in builder.iter_build():
                if stale():
                    raise Stopped
            document = builder.document
            assert document is not None
            template = templates.get(snapshot.template)
            # The pages the export will print: on the letterhead's page, when there is one.
            use_reference(document, template.reference_docx if template else None)
            writer = PdfWriter(document, stop=stale)
            data = writer.to_bytes()
            return data, writer.pages

        return render

    def _finished(self, generation: int, data: bytes, pages: int, error: str) -> None:
        if generation != self.generation:
            return  # a newer edit is already rendering
        if error:
            # Pages laid out before the problem stay, and the bar says they are old.
            shown = self.pdf.pageCount() > 0
            self.status.setText(
                "⚠ Out of date: the problem below stops the pages"
                if shown
                else "⚠ No pages: the problem below stops them"
            )
            self.status.setStyleSheet("color: #b00020; font-weight: bold;")
            self.problem.setText(error)
            self.problem.setToolTip(error)
            self.problem.show()
            return
        self.problem.hide()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.pages = pages
        self.page_box.setMaximum(max(pages, 1))
        self.page_box.setSuffix(f" of {pages}")
        text, warn = page_status(pages, self.limit)
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020; font-weight: bold;" if warn else "")
        self.last_render_seconds = time.perf_counter() - self._started
        self.rendered.emit(pages)

    def wait_idle(self, ms: int = 10000) -> None:
        self.pool.waitForDone(ms)

    def stop(self) -> None:
        """The window is closing: a render under way is given up at its next piece."""
        self.timer.stop()
        self.generation += 1


class BookPreview(PreviewPane):
    """The whole briefing book, as the PDF export writes it (read from the tabs' files)."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.book: Book | None = None
        self.status.setText("No book open")

    def set_book(self, book: Book | None) -> None:
        self.book = book
        if book is None:
            self._clear("No book open")
            return
        self.render_now()

    def _has_source(self) -> bool:
        return self.book is not None

    def _renderer(self) -> Callable[[], tuple[bytes, int]]:
        snapshot = copy.deepcopy(self.book)
        assert snapshot is not None
        workspace = self.workspace

        from briefer.render.book import render_book_pdf

        generation = self.generation  # this render's; an edit since makes it stale

        def render() -> tuple[bytes, int]:
            return render_book_pdf(snapshot, workspace, lambda: self.generation != generation)

        return render
