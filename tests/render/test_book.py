"""Briefing books read back: the contents' page numbers are the real start pages, every page
carries the book's banner, one bookmark per tab, a draft says so on every page, and the
Word file numbers each tab's pages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefer.cli import main
from briefer.core.problems import BrieferError
from briefer.core.workspace import Workspace
from briefer.render.book import export_book

EXAMPLE = Path("content") / "books" / "beijing-visit.book.yaml"
NOW = dt.datetime(2026, 5, 4, 9, 30)


def copy_example(repo: Path, folder: Path, **changes: str) -> Path:
    """The example book and its memos in ``folder`` (the talking points beside them)."""
    books = folder / "books"
    shutil.copytree(repo / "content" / "books", books)
    (folder / "memos").mkdir()
    shutil.copy(repo / "content" / "memos" / "meeting-talking-points.brief.yaml", folder / "memos")
    path = books / EXAMPLE.name
    text = path.read_text(encoding="utf-8")
    for key, value in changes.items():
        text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    return path


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(pdf)).pages]


def contents(text: str) -> dict[int, int]:
    """Tab number -> page, from the contents page's text."""
    found = re.findall(r"Tab (\d+)\s+.+?[\s.](\d+)$", text, re.M | re.S)
    return {int(n): int(p) for n, p in found}  # "Tab 1 Title ...... 3", on one line or three


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path]:
    repo = Path(__file__).resolve().parents[2]
    folder = tmp_path_factory.mktemp("book")
    out = folder / "book.pdf"
    export_book(repo / EXAMPLE, out, Workspace.load(), now=NOW)
    word = folder / "book.docx"
    export_book(repo / EXAMPLE, word, Workspace.load(), now=NOW)
    return out, word


def test_the_contents_name_the_page_each_tab_starts_on(exported):
    pdf, _ = exported
    pages = page_texts(pdf)
    listed = contents(pages[1])
    assert list(listed) == [1, 2, 3, 4]
    for number, page in listed.items():
        divider = pages[page - 1]
        assert re.match(rf"\s*Tab {number}\b", divider), (number, page, divider[:80])
        first = pages[page]  # the memo starts on the page after its divider
        assert f"Tab {number} · Page 1 of" in first
    assert "Special Envoy's visit to Beijing" in pages[0]


def test_every_page_carries_the_banner_and_each_tab_numbers_its_own_pages(exported):
    pdf, _ = exported
    pages = page_texts(pdf)
    assert all(text.count("UNCLASSIFIED") >= 2 for text in pages)  # top and foot
    numbers = re.findall(r"Tab (\d+) · Page (\d+) of (\d+)", "\n".join(pages))
    by_tab: dict[str, list[tuple[int, int]]] = {}
    for tab, page, total in numbers:
        by_tab.setdefault(tab, []).append((int(page), int(total)))
    assert set(by_tab) == {"1", "2", "3", "4"}
    for tab, seen in by_tab.items():
        total = seen[0][1]
        assert seen == [(n, total) for n in range(1, total + 1)], tab
    assert "DRAFT" not in "".join(pages)
    assert "Draft printed" not in "".join(pages)


def test_one_bookmark_per_tab_with_its_sections_beneath_open(exported):
    pdf, _ = exported
    reader = PdfReader(str(pdf))
    outline = reader.outline
    tabs = [entry for entry in outline if not isinstance(entry, list)]
    assert [t.title.split(":")[0] for t in tabs] == ["Tab 1", "Tab 2", "Tab 3", "Tab 4"]
    listed = contents(reader.pages[1].extract_text())
    for index, tab in enumerate(tabs, start=1):
        assert reader.get_destination_page_number(tab) + 1 == listed[index]
    children = [entry for entry in outline if isinstance(entry, list)]
    assert len(children) == 4
    assert [c.title for c in children[2]] == [
        "Summary",
        "Background",
        "Discussion",
        "Outlook and Risks",
        "Sources",
    ]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_the_banner_is_the_highest_marking_of_any_tab_or_the_book(repo, tmp_path, bundled):
    path = copy_example(repo, tmp_path)
    memo = tmp_path / "books" / "background-business.brief.yaml"
    memo.write_text(
        memo.read_text(encoding="utf-8").replace(
            "  outlook:\n",
            "  outlook:\n    - text: A paragraph typed at SBU.\n      marking: SBU\n",
        ),
        encoding="utf-8",
    )
    out = tmp_path / "book.pdf"
    export_book(path, out, bundled, now=NOW)
    pages = page_texts(out)
    banner = "SENSITIVE BUT UNCLASSIFIED"
    assert all(banner in text for text in pages), "a page without the book's banner"
    assert not any(re.search(r"(?<!BUT )UNCLASSIFIED", text) for text in pages)
    word = tmp_path / "book.docx"
    export_book(path, word, bundled, now=NOW)
    document = docx.Document(str(word))
    for section in document.sections:
        assert banner in section.header.paragraphs[0].text
        assert banner in section.footer.paragraphs[0].text


def test_a_draft_says_so_on_every_page_in_both_formats(repo, tmp_path, bundled):
    path = copy_example(repo, tmp_path, draft="true")
    out = tmp_path / "draft.pdf"
    export_book(path, out, bundled, now=NOW)
    pages = page_texts(out)
    assert all("DRAFT" in text for text in pages)
    assert all("Draft printed 2026-05-04 09:30" in text for text in pages)
    word = tmp_path / "draft.docx"
    export_book(path, word, bundled, now=NOW)
    document = docx.Document(str(word))
    for section in document.sections:
        header_xml = section.header._element.xml
        assert 'string="DRAFT"' in header_xml  # the watermark
        assert section.footer.paragraphs[0].text.startswith("Draft printed 2026-05-04 09:30")


def test_the_word_file_has_a_section_per_divider_and_tab_numbered_from_one(exported):
    _, word = exported
    document = docx.Document(str(word))
    sections = document.sections
    assert len(sections) == 1 + 2 * 4  # front matter, then divider + memo per tab
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Special Envoy's visit to Beijing" in body
    assert re.search(r"Tab 3\tBackground: China's coal revival and the power sector\t\d+", body)
    for tab in range(1, 5):
        memo = sections[2 * tab]
        footer = memo.footer.paragraphs[0]
        assert f"Tab {tab} · Page " in footer.text
        assert re.search(r"of \d+$", footer.text)  # the tab's own page count
        start = memo._sectPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pgNumType"
        )
        assert start is not None
    assert "Page" not in sections[0].footer.paragraphs[0].text  # cover and contents


def test_the_command_line_exports_and_validates_a_book(repo, tmp_path, capsys):
    out = tmp_path / "book.pdf"
    assert main(["export", str(repo / EXAMPLE), "-o", str(out)]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")
    assert main(["validate", str(repo / EXAMPLE)]) == 0
    broken = copy_example(repo, tmp_path / "b")
    text = broken.read_text(encoding="utf-8").replace(
        "  - memo: background-business.brief.yaml", "  - memo: nowhere.brief.yaml"
    )
    broken.write_text(text, encoding="utf-8")
    before = out.read_bytes()
    assert main(["export", str(broken), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "tab 4 (nowhere.brief.yaml)" in err
    assert "Traceback" not in err
    assert out.read_bytes() == before  # the earlier file is left as it was
    assert main(["validate", str(broken)]) == 2


def test_a_tab_over_its_page_limit_is_reported_with_the_tab_named(repo, tmp_path, bundled):
    path = copy_example(repo, tmp_path)
    memo = tmp_path / "memos" / "meeting-talking-points.brief.yaml"
    cards = "".join(f"    - card: {c.id}\n" for c in bundled.library.of_kind("talking-point"))
    memo.write_text(
        memo.read_text(encoding="utf-8").replace("  if-raised:\n", "  if-raised:\n" + cards * 3),
        encoding="utf-8",
    )
    result = export_book(path, tmp_path / "book.pdf", bundled, now=NOW)
    assert any(
        "tab 2 (../memos/meeting-talking-points.brief.yaml)" in w and "page limit" in w
        for w in result.warnings
    ), result.warnings
    with pytest.raises(BrieferError, match="--strict"):
        export_book(path, tmp_path / "strict.pdf", bundled, now=NOW, strict=True)
    assert not (tmp_path / "strict.pdf").exists()


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_the_word_contents_with_the_real_start_pages(exported, tmp_path):
    pdf, word = exported
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(word),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    pages = page_texts(tmp_path / f"{word.stem}.pdf")
    listed = contents(pages[1])
    assert list(listed) == [1, 2, 3, 4]
    for number, page in listed.items():
        assert re.search(rf"^\s*Tab {number}\s*$", pages[page - 1], re.M), (number, page)
        assert f"Tab {number} · Page 1 of" in pages[page]
    assert len(pages) == len(page_texts(pdf))  # the same book, page for page


def test_the_book_preview_s_render_can_be_given_up_between_tabs(repo):
    """A book edited again while its pages are laid out: the render stops after the tab
    it is on, as a memo's does after the block it is on."""
    from briefer.core.books import read_book
    from briefer.render.book import render_book_pdf
    from briefer.render.pdf import Stopped

    book, _ = read_book(repo / "content" / "books" / "beijing-visit.book.yaml")
    assert book is not None
    workspace = Workspace.load()
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) >= 2

    with pytest.raises(Stopped):
        render_book_pdf(book, workspace, stop)
    assert len(asked) == 2  # given up after the second tab, not after all four
    data, pages = render_book_pdf(book, workspace, lambda: False)
    assert data.startswith(b"%PDF")
    assert pages == 15
