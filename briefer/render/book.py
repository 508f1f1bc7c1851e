"""A briefing book to PDF and Word: a cover, a contents page and the tabs, each tab a memo
laid out exactly as it exports alone, starting on a new page.

Layout first (``BookLayout``): every tab is composed and laid out by the PDF writer, which
gives its page count, so the contents can name the page each tab starts on. The PDF is then
the pages joined with pypdf (one bookmark per tab, its sections beneath); the Word file is
one document with a section per divider and per tab, each numbering its own pages.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from briefer.core import markings
from briefer.core.books import Book, LoadedTab, book_level, check_book, draft_stamp, read_book
from briefer.core.problems import BrieferError, Problem, display_path
from briefer.core.storage import atomic_path
from briefer.core.workspace import Workspace
from briefer.render import blocks as b
from briefer.render.compose import DocumentBuilder
from briefer.render.export import (
    ExportResult,
    output_format,
    page_problem,
    page_warning,
    stop_if_strict,
    use_reference,
)


@dataclass
class TabLayout:
    """One tab, composed and laid out: its memo's Document, its PDF and where it starts."""

    number: int
    title: str
    source: str  # the memo as the book names it
    document: b.Document
    pdf: bytes
    pages: int
    start: int = 0  # the book page the tab starts on (its divider, if it has one)


@dataclass
class BookLayout:
    """Everything both writers need: the front matter, the tabs and the book's banner."""

    book: Book
    banner: str
    stamp: str | None
    front: b.Document  # the cover and the contents (no page numbers)
    tabs: list[TabLayout]
    dividers: list[b.Document]  # one per tab, or none
    contents_pages: int
    warnings: list[str] = field(default_factory=list)

    @property
    def total_pages(self) -> int:
        last = self.tabs[-1] if self.tabs else None
        return last.start + (1 if self.dividers else 0) + last.pages - 1 if last else 1


def load_book(
    source: Path | Book, workspace: Workspace
) -> tuple[Book, list[LoadedTab], list[Problem]]:
    """Read a book (a file, or the window's book as it stands) and its memos; every error,
    with the book's file and line, in one refusal. Returns the warnings (each tab's, named)
    beside the book and its tabs."""
    problems: list[Problem] = []
    if isinstance(source, Book):
        book = source
        shown = display_path(source.path) if source.path else "the book"
    else:
        read, problems = read_book(source)
        shown = display_path(source)
        if read is None:
            raise BrieferError(f"cannot read the book {shown}", problems)
        book = read
    loaded, tab_problems = check_book(book, workspace.library, workspace.templates)
    problems = [*problems, *tab_problems]
    errors = [p for p in problems if p.is_error]
    if errors:
        raise BrieferError(f"cannot export the book {shown}: fix these problems first", errors)
    if not loaded:
        raise BrieferError(f"the book {shown} has no tabs yet: add a memo")
    return book, loaded, problems


def _pdf(document: b.Document) -> tuple[bytes, int]:
    from briefer.render.pdf import PdfWriter

    writer = PdfWriter(document)
    data = writer.to_bytes()
    return data, writer.pages


class BookBuilder:
    """Composes and lays out a book: ``iter_build`` yields progress per tab."""

    def __init__(
        self,
        book: Book,
        loaded: list[LoadedTab],
        workspace: Workspace,
        now: dt.datetime | None = None,
    ) -> None:
        self.book, self.loaded, self.workspace = book, loaded, workspace
        self.now = now or dt.datetime.now()
        self.layout: BookLayout | None = None

    def total(self) -> int:
        return len(self.loaded) + 1

    def iter_build(self) -> Iterator[tuple[int, int]]:
        book, workspace = self.book, self.workspace
        level = book_level(book, self.loaded, workspace.library)
        banner = markings.banner(level)
        stamp = draft_stamp(self.now) if book.draft else None
        tabs: list[TabLayout] = []
        warnings: list[str] = []
        for index, item in enumerate(self.loaded):
            assert item.memo is not None  # load_book refused the book otherwise
            builder = DocumentBuilder(
                item.memo, workspace.library, workspace.templates, self.now.date(), workspace.texts
            )
            document = builder.build()
            use_reference(document, builder.template.reference_docx)
            name = f"tab {item.number} ({item.tab.memo})"
            warnings.extend(f"{name}: {w}" for w in document.warnings)
            document.banner = banner  # every page carries the book's banner
            document.page_prefix = f"Tab {item.number} · "
            document.draft = stamp
            data, pages = _pdf(document)
            document.page_total = pages
            over = page_warning(pages, document.page_limit, document.template_id)
            if over:
                warnings.append(f"{name}: {over}")
            tabs.append(TabLayout(item.number, item.title, item.tab.memo, document, data, pages))
            yield index + 1, self.total()
        first = tabs[0].document if tabs else None
        front = self._front_document(first, banner, stamp, tabs)
        contents_pages = _pdf(front)[1] - 1  # the cover is one page
        dividers = [self._divider(front, t) for t in tabs] if book.dividers else []
        page = 1 + contents_pages + 1
        for tab in tabs:
            tab.start = page
            page += (1 if dividers else 0) + tab.pages
        # The contents again, with the real page numbers (the same number of lines).
        front = self._front_document(first, banner, stamp, tabs)
        self.layout = BookLayout(
            book, banner, stamp, front, tabs, dividers, contents_pages, warnings
        )
        yield self.total(), self.total()

    def _front_document(
        self,
        first: b.Document | None,
        banner: str,
        stamp: str | None,
        tabs: list[TabLayout],
    ) -> b.Document:
        book = self.book
        if first is None:
            raise BrieferError("the book has no tabs; list at least one memo")
        front = copy.copy(first)
        front.blocks = []
        front.page_prefix, front.page_total, front.page_numbers = "", None, False
        front.banner, front.draft = banner, stamp
        front.title = book.title
        front.author = book.prepared_by or first.author
        front.letterhead = ((), ())
        front.warnings = []
        lines = tuple(x for x in (book.subtitle, book.date, book.prepared_by) if x)
        front.blocks.append(b.Cover(book.title, lines))
        front.blocks.append(b.PageBreak())
        front.blocks.append(b.Heading("Contents"))
        front.blocks.extend(b.ContentsEntry(t.number, t.title, t.start or 999) for t in tabs)
        return front

    def _divider(self, front: b.Document, tab: TabLayout) -> b.Document:
        divider = copy.copy(front)
        divider.blocks = [b.Divider(tab.number, tab.title)]
        divider.page = tab.document.page
        return divider


def book_page_problems(book_path: Path, workspace: Workspace) -> list[Problem]:
    """Each tab over its template's page limit, as a warning at the tab's line in the book
    (what validate reports; the layout is the export's)."""
    book, problems = read_book(book_path)
    if book is None or any(p.is_error for p in problems):
        return []
    found: list[Problem] = []
    for number, tab in enumerate(book.tabs, start=1):
        memo_path = tab.path(book.path)
        over = page_problem(memo_path, workspace) if memo_path.is_file() else None
        if over is not None:
            found.append(
                Problem(
                    display_path(book_path),
                    tab.line,
                    1,
                    f"tab {number} ({tab.memo}): {over.message}",
                    "warning",
                )
            )
    return found


# -- PDF ---------------------------------------------------------------------------------
def write_book_pdf(layout: BookLayout, target: Path | IO[bytes]) -> int:
    """Join the pages into one PDF with an outline: one bookmark per tab (at its first
    page), the tab's sections beneath, open when the file is opened. Returns the pages."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    front = PdfReader(io.BytesIO(_pdf(layout.front)[0]))
    for page in front.pages:
        writer.add_page(page)
    for index, tab in enumerate(layout.tabs):
        start = len(writer.pages)
        if layout.dividers:
            divider = PdfReader(io.BytesIO(_pdf(layout.dividers[index])[0]))
            writer.add_page(divider.pages[0])
        memo = PdfReader(io.BytesIO(tab.pdf))
        first_memo_page = len(writer.pages)
        for page in memo.pages:
            writer.add_page(page)
        parent = writer.add_outline_item(
            title=f"Tab {tab.number}: {tab.title}", page_number=start, is_open=True
        )
        for entry in memo.outline:
            if isinstance(entry, list):
                continue  # a card heading under a section: the sections are enough here
            number = memo.get_destination_page_number(entry) or 0
            writer.add_outline_item(
                title=str(entry.title),
                page_number=first_memo_page + number,
                parent=parent,
                is_open=True,
            )
    writer.page_mode = "/UseOutlines"  # the bookmarks panel opens with the book
    writer.add_metadata(
        {
            "/Title": layout.book.title,
            "/Author": layout.front.author,
            "/Creator": "Briefer",
            "/Producer": "Briefer (reportlab, pypdf)",
        }
    )
    writer.write(target)
    return len(writer.pages)


# -- Word --------------------------------------------------------------------------------
def write_book_docx(layout: BookLayout, target: Path | IO[bytes]) -> None:
    """One Word file: the cover and contents, then per tab a divider section and the memo's
    section, numbered from 1 ("Tab 2 · Page 1 of 3"); every page with the book's banner."""
    from docx.enum.section import WD_SECTION
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from briefer.render.docx import DocxWriter

    front = DocxWriter(layout.front)
    word = front._open()
    for block in layout.front.blocks:
        front._add(word, block)
    for index, tab in enumerate(layout.tabs):
        if layout.dividers:
            divider = DocxWriter(layout.dividers[index])
            section = word.add_section(WD_SECTION.NEW_PAGE)
            divider._apply_page(word, section)
            divider._page_furniture(word, section, numbered=False)
            for block in layout.dividers[index].blocks:
                divider._add(word, block)
        section = word.add_section(WD_SECTION.NEW_PAGE)
        numbering = section._sectPr.find(qn("w:pgNumType"))
        if numbering is None:
            numbering = OxmlElement("w:pgNumType")
            margins = section._sectPr.find(qn("w:pgMar"))
            if margins is not None:
                margins.addnext(numbering)
            else:
                section._sectPr.append(numbering)
        numbering.set(qn("w:start"), "1")  # each tab counts its own pages
        for _ in DocxWriter(tab.document).append_to(word, section):
            pass
    front._set_properties(word)
    word.save(str(target) if isinstance(target, Path) else target)


def render_book_pdf(
    book: Book, workspace: Workspace, stop: Callable[[], bool] | None = None
) -> tuple[bytes, int]:
    """The book's PDF in memory and its page count (the window's preview); a tab that
    cannot be used stops it with the same message as the export. ``stop``, asked after
    each tab, gives the work up (``pdf.Stopped``), as for a memo's preview."""
    from briefer.render.pdf import Stopped

    book, loaded, _ = load_book(book, workspace)
    builder = BookBuilder(book, loaded, workspace)
    for _ in builder.iter_build():
        if stop is not None and stop():
            raise Stopped
    assert builder.layout is not None
    buffer = io.BytesIO()
    pages = write_book_pdf(builder.layout, buffer)
    return buffer.getvalue(), pages


# -- export ------------------------------------------------------------------------------
def iter_export_book(
    source: Path | Book,
    out: Path,
    workspace: Workspace,
    result: ExportResult | None = None,
    now: dt.datetime | None = None,
    strict: bool = False,
) -> Generator[tuple[int, int], None, None]:
    """Read, lay out and write a book, yielding ``(done, total)``; atomic like a memo."""
    suffix = output_format(out)
    result = result if result is not None else ExportResult(out)
    book, loaded, warnings = load_book(source, workspace)
    result.problems.extend(warnings)
    builder = BookBuilder(book, loaded, workspace, now)
    total = builder.total() + 1
    for done, _ in builder.iter_build():
        yield done, total
    layout = builder.layout
    assert layout is not None
    result.warnings.extend(layout.warnings)
    stop_if_strict(result, strict)
    with atomic_path(out) as tmp:
        if suffix == ".pdf":
            result.pages = write_book_pdf(layout, tmp)
        else:
            write_book_docx(layout, tmp)
    yield total, total


def export_book(
    book_path: Path,
    out: Path,
    workspace: Workspace,
    now: dt.datetime | None = None,
    strict: bool = False,
) -> ExportResult:
    """Export a book file to ``out`` (.pdf or .docx)."""
    output_format(out)
    if not out.parent.exists():
        raise BrieferError(f"folder {display_path(out.parent)} does not exist")
    result = ExportResult(out)
    for _ in iter_export_book(book_path, out, workspace, result, now, strict):
        pass
    return result
