"""Page parity with the real client: the PDF has as many pages as LibreOffice lays the Word
file out in, for every example memo and one memo per shipped template, with and without a
letterhead reference document. LibreOffice is installed by ``.ci/run``; where it cannot be
(no ``soffice`` on the path) these tests are skipped and say so."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefer.cli import main
from briefer.core.memos import Memo, MemoItem, save_memo
from briefer.core.workspace import Workspace
from tests.render.conftest import (
    LIST_ITEMS,
    LIST_LEAD_IN,
    list_near_page_foot,
    make_letterhead,
    page_of,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"
    ),
]


def _per_template_memos(folder: Path, ws: Workspace) -> list[Path]:
    """One memo per shipped template: every section filled from the bundled cards it takes,
    two cards each, and every header field filled."""
    paths = []
    for template in ws.templates.templates.values():
        memo = Memo(template=template.id)
        for field in template.header:
            memo.header[field] = f"{field.title()} value" if field != "date" else "May 4, 2026"
        for section in template.sections:
            cards = [c for c in ws.library.cards.values() if section.accepts(c.kind)]
            memo.sections[section.id] = [MemoItem(card=c.id) for c in cards[:2]]
        path = folder / f"{template.id}.brief.yaml"
        save_memo(memo, path)
        paths.append(path)
    return paths


def _libreoffice_pages(files: list[Path], out: Path) -> dict[str, list[str]]:
    """Each Word file converted by LibreOffice in one run; its PDF's text page by page."""
    profile = out / "profile"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return {
        f.stem: [p.extract_text() for p in PdfReader(str(out / f"{f.stem}.pdf")).pages]
        for f in files
    }


@pytest.fixture(scope="module")
def table(tmp_path_factory, request) -> list[tuple[str, int, int, list[str], list[str]]]:
    """Rows: (memo, PDF pages, LibreOffice pages, PDF page texts, LibreOffice page texts)."""
    repo = Path(request.config.rootpath)
    tmp = tmp_path_factory.mktemp("parity")
    ws = Workspace.load()
    memos = sorted((repo / "content" / "memos").glob("*.brief.yaml"))
    memos += sorted((repo / "content" / "books").glob("*.brief.yaml"))
    memos += _per_template_memos(tmp, ws)
    ref = tmp / "letterhead.docx"
    make_letterhead(ref)
    words, pdfs = [], {}
    for memo in memos:
        for suffix, extra in (("", []), ("-letterhead", ["--reference-docx", str(ref)])):
            name = memo.name.removesuffix(".brief.yaml") + suffix
            pdf, word = tmp / f"{name}.pdf", tmp / "docx" / f"{name}.docx"
            word.parent.mkdir(exist_ok=True)
            for out in (pdf, word):
                assert main(["export", str(memo), "-o", str(out), *extra]) in (0, 1)
            pdfs[name] = [p.extract_text() for p in PdfReader(str(pdf)).pages]
            words.append(word)
    office = _libreoffice_pages(words, tmp / "lo")
    return [(n, len(pdfs[n]), len(office[n]), pdfs[n], office[n]) for n in sorted(pdfs)]


def test_pdf_and_word_have_the_same_pages(table, capsys):
    with capsys.disabled():
        print("\n  memo                                   PDF  Word (LibreOffice)")
        for name, pdf, word, *_ in table:
            print(f"  {name:38} {pdf:>3}  {word:>3}")
    assert [(n, p) for n, p, _, *_ in table] == [(n, w) for n, _, w, *_ in table]
    # 3 example memos, the book's 3 own memos and 5 templates, each with and without a letterhead
    assert len(table) == 22


def test_word_keeps_each_decision_line_with_its_sentence(table):
    """In LibreOffice's layout too, every Approve line shares a page with its "That you"."""
    for name, _, _, _, pages in table:
        for page in pages:
            text = page.replace("\n", " ")
            if "Disapprove" in text:
                assert "That you" in text.split("Disapprove")[0], name


def test_word_pages_carry_banner_and_page_n_of_m(table):
    for name, _, count, _, pages in table:
        for number, page in enumerate(pages, start=1):
            assert f"Page {number} of {count}" in page, name
            assert "UNCLASSIFIED" in page, name


def test_word_moves_a_list_at_the_page_foot_as_the_pdf_does(tmp_path):
    """The sweep of ``list_near_page_foot``: in LibreOffice's layout of the Word file too,
    the lead-in and both items share a page, and each memo has the PDF's pages. (Where the
    list moves can differ by a step: LibreOffice's lines are not reportlab's to the point.)"""
    words, pdfs = [], {}
    for filler in range(104, 124, 2):
        memo = list_near_page_foot(tmp_path, filler)
        pdf, word = tmp_path / f"{memo.stem}.pdf", tmp_path / "docx" / f"{memo.stem}.docx"
        word.parent.mkdir(exist_ok=True)
        for out in (pdf, word):
            assert main(["export", str(memo), "-o", str(out)]) == 0
        pdfs[word.stem] = [p.extract_text() for p in PdfReader(str(pdf)).pages]
        words.append(word)
    office = _libreoffice_pages(words, tmp_path / "lo")
    for name, pages in office.items():
        assert len(pages) == len(pdfs[name]), name
        assert len({page_of(pages, text) for text in (LIST_LEAD_IN, *LIST_ITEMS)}) == 1, name
    moved = [n for n, pages in office.items() if page_of(pages, LIST_LEAD_IN) == 1]
    assert moved  # the sweep did cross the page foot
    assert len(moved) < len(office)
