"""Exporting a memo to .docx or .pdf: compose once, write atomically, report progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

from briefer.core.checks import Finding, preflight
from briefer.core.memos import Memo, read_memo
from briefer.core.problems import BrieferError, Problem, display_path
from briefer.core.rules import check_memo
from briefer.core.storage import atomic_path
from briefer.core.workspace import Workspace
from briefer.render.blocks import Document
from briefer.render.compose import DocumentBuilder

FORMATS = {".docx": "Word", ".pdf": "PDF"}


@dataclass
class ExportResult:
    """What an export produced: the file, its page count (PDF only) and any warnings:
    the checks' (``problems``, each at its file and line) and the export's own."""

    path: Path
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Errors the preflight checks find in the memo (``briefer check`` lists them): the
    # window asks before such a memo goes out; the command line says it went out so.
    unready: int = 0

    def messages(self) -> list[str]:
        """Every warning as a line of text, the checks' first."""
        return [p.located for p in self.problems] + self.warnings


def output_format(out: Path) -> str:
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise BrieferError(
            f"cannot tell the format of {display_path(out)}: name it .docx for Word or .pdf for PDF"
        )
    return suffix


def load_memo_for_export(memo_path: Path, workspace: Workspace) -> Memo:
    """Read a memo and refuse it, with every problem listed, if it cannot be read."""
    memo, problems = read_memo(memo_path)
    errors = [p for p in problems if p.is_error]
    if memo is None or errors:
        raise BrieferError(
            f"cannot export {display_path(memo_path)}: fix these problems first", errors
        )
    return memo


def check_for_export(
    memo: Memo, workspace: Workspace, findings: list[Finding] | None = None
) -> list[Problem]:
    """The memo checks every export runs, from the window and the command line alike
    (from ``findings``, the memo's preflight, when the caller has it). Errors stop the
    export (all of them listed); warnings are returned."""
    problems = check_memo(memo, workspace.library, workspace.templates, findings)
    errors = [p for p in problems if p.is_error]
    if errors:
        where = display_path(memo.path) if memo.path else "the memo"
        raise BrieferError(f"cannot export {where}: fix these problems first", errors)
    return problems


def page_warning(pages: int, limit: int | None, template: str) -> str | None:
    """The page-budget warning, said the same way by export, validate and the window."""
    if limit is None or pages <= limit:
        return None
    return f"the memo runs to {pages} pages, over the {limit}-page limit of template {template!r}"


def stop_if_strict(result: ExportResult, strict: bool) -> None:
    """With --strict any warning stops the export before the file is replaced."""
    if strict and result.messages():
        raise BrieferError(
            "not written (--strict): "
            + "; ".join(result.messages())
            + ". Any earlier file is left as it was"
        )


def memo_pages(memo: Memo, workspace: Workspace) -> int | None:
    """How many pages the export lays a memo out to (on its template's letterhead, if it
    has one); None when it cannot be composed (its errors are reported by the checks)."""
    template = workspace.templates.get(memo.template)
    if template is None:
        return None
    try:
        builder = DocumentBuilder(
            memo, workspace.library, workspace.templates, None, workspace.texts
        )
        document = builder.build()
        use_reference(document, template.reference_docx)
    except BrieferError:
        return None
    return count_pages(document)


def page_problem(memo_path: Path, workspace: Workspace) -> Problem | None:
    """A memo over its template's page limit, as a warning at its template line; what
    validate reports, from the same layout as the export."""
    memo, problems = read_memo(memo_path)
    template = workspace.templates.get(memo.template) if memo is not None else None
    if memo is None or template is None or template.page_limit is None:
        return None
    over = page_warning(memo_pages(memo, workspace) or 0, template.page_limit, template.id)
    if over is None:
        return None
    return Problem(display_path(memo_path), memo.lines.get("template", 1), 1, over, "warning")


def use_reference(document: Document, reference: Path | None) -> Path | None:
    """Lay the document out on the reference Word file's page (size, margins, header and
    footer distances), for the PDF as for the Word file, so both break pages alike."""
    if reference is None:
        return None
    if not Path(reference).is_file():
        raise BrieferError(f"reference document {display_path(reference)} does not exist")
    from briefer.render.reference import letterhead, reference_page

    document.page = reference_page(Path(reference), document.page)
    lines = letterhead(Path(reference))
    document.letterhead = (lines.header, lines.footer)
    if lines.images:
        document.warnings.append(
            f"the letterhead in {display_path(reference)} has images: the Word file shows "
            "them, the PDF shows its text only"
        )
    return Path(reference)


def count_pages(document: Document) -> int:
    """Pages as the export lays them out (the PDF layout, which the Word file follows)."""
    from briefer.render.pdf import PdfWriter

    writer = PdfWriter(document)
    writer.to_bytes()
    return writer.pages


def iter_export(
    memo: Memo,
    out: Path,
    workspace: Workspace,
    reference_docx: Path | None = None,
    result: ExportResult | None = None,
    today: dt.date | None = None,
    strict: bool = False,
    draft: str | None = None,
) -> Generator[tuple[int, int], None, None]:
    """Compose and write, yielding ``(done, total)``; fills ``result`` when finished.
    ``draft`` (``core.books.draft_stamp``) marks every page as a draft: a pale diagonal
    DRAFT, and the stamp at the left of the foot line (the pages break as without it).

    The file appears only when complete: a failed export leaves any earlier file untouched.
    """
    suffix = output_format(out)
    result = result if result is not None else ExportResult(out)
    findings = preflight(memo, workspace.library, workspace.templates)
    result.problems.extend(check_for_export(memo, workspace, findings))
    result.unready = sum(f.is_error for f in findings)
    builder = DocumentBuilder(memo, workspace.library, workspace.templates, today, workspace.texts)
    compose_total = builder.total()
    write_total = compose_total  # an estimate until the blocks are known
    for done, _ in builder.iter_build():
        yield done, compose_total + write_total
    document: Document | None = builder.document
    assert document is not None
    document.draft = draft
    reference = use_reference(document, reference_docx or builder.template.reference_docx)
    result.warnings.extend(document.warnings)
    write_total = len(document.blocks) + 1
    grand = compose_total + write_total
    # Each writer is imported only when needed: python-docx and reportlab each take
    # tens of milliseconds to import, and the command-line export pays that per run.
    if suffix == ".docx":
        from briefer.render.docx import DocxWriter

        docx_writer = DocxWriter(document, reference)
        if document.page_limit is not None:
            over = page_warning(count_pages(document), document.page_limit, document.template_id)
            result.warnings.extend([over] if over else [])
        stop_if_strict(result, strict)
        with atomic_path(out) as tmp:
            for done, _ in docx_writer.iter_write(tmp):
                yield compose_total + done, grand
        result.warnings.extend(
            f"reference document {display_path(reference or '')} lacks the style {name!r}; "
            "Briefer added its own definition"
            for name in docx_writer.added_styles
        )
    else:
        from briefer.render.pdf import PdfWriter

        pdf_writer = PdfWriter(document)
        with atomic_path(out) as tmp:
            for done, _ in pdf_writer.iter_write(tmp):
                yield compose_total + done, grand
            result.pages = pdf_writer.pages
            over = page_warning(pdf_writer.pages, document.page_limit, document.template_id)
            result.warnings.extend([over] if over else [])
            stop_if_strict(result, strict)  # inside: the new file is dropped, the old kept
    yield grand, grand


def export_memo(
    memo_path: Path,
    out: Path,
    workspace: Workspace,
    reference_docx: Path | None = None,
    today: dt.date | None = None,
    strict: bool = False,
    draft: str | None = None,
) -> ExportResult:
    """Export a memo file to ``out`` (.docx or .pdf); ``draft`` as for ``iter_export``."""
    output_format(out)
    if not out.parent.exists():
        raise BrieferError(f"folder {display_path(out.parent)} does not exist")
    memo = load_memo_for_export(memo_path, workspace)
    result = ExportResult(out)
    for _ in iter_export(memo, out, workspace, reference_docx, result, today, strict, draft):
        pass
    return result
