"""Print a memo: the pages of the PDF the export writes, drawn on the printer's pages."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

PRINT_DPI = 300  # sharp on paper; a page stays about 35 MB in memory while it is drawn


def load_pdf(data: bytes, parent: QObject) -> QPdfDocument:
    """A QPdfDocument over PDF bytes (the buffer lives as long as the document)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def render_pages(printer: QPrinter, document: QPdfDocument, first: int = 1, last: int = 0) -> int:
    """Draw pages ``first`` to ``last`` (1-based; 0 means the end) on the printer, each
    scaled to the printable area with its proportions kept. Returns the pages drawn."""
    count = document.pageCount()
    last = count if last <= 0 else min(last, count)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    drawn = 0
    try:
        for index in range(max(first, 1) - 1, last):
            if drawn:
                printer.newPage()
            area = painter.viewport()
            size = document.pagePointSize(index)
            scale = min(area.width() / size.width(), area.height() / size.height())
            width, height = int(size.width() * scale), int(size.height() * scale)
            image = document.render(index, QSize(width, height))
            # Centred: on other paper than the memo's, the margins stay even.
            left = area.x() + (area.width() - width) // 2
            top = area.y() + (area.height() - height) // 2
            painter.drawImage(left, top, image)
            drawn += 1
    finally:
        painter.end()
    return drawn


def use_memo_paper(printer: QPrinter, document: QPdfDocument) -> None:
    """The printer starts on the memo's own paper (Letter, or a letterhead's A4), so its
    pages print at their size; the dialog lets the user choose other paper."""
    if document.pageCount() == 0:
        return
    size = document.pagePointSize(0)
    if size.width() <= 0 or size.height() <= 0:
        return
    short, long = sorted((size.width(), size.height()))
    paper = QPageSize(
        QSizeF(short, long), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
    )
    printer.setPageSize(paper)
    landscape = size.width() > size.height()
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )


def print_pdf(parent: QWidget, data: bytes, title: str) -> int:
    """Ask the print dialog, then print; the number of pages sent (0 when cancelled)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setResolution(PRINT_DPI)
    printer.setDocName(title)
    printer.setFullPage(True)  # the PDF carries its own margins
    document = load_pdf(data, parent)
    try:
        use_memo_paper(printer, document)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(f"Print {title}")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        first, last = printer.fromPage(), printer.toPage()  # 0, 0: all pages asked for
        return render_pages(printer, document, first or 1, last)
    finally:
        document.close()
