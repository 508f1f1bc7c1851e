"""Fixtures for the writers: a small library and memo, and readers for both outputs."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefer.core.memos import Memo, parse_memo
from briefer.core.workspace import Workspace
from briefer.render.export import ExportResult, iter_export

TODAY = dt.date(2026, 11, 22)

CARDS = """
cards:
  - id: strat
    kind: strategy
    title: Strategy card
    short: That you approve the strategy in its short form.
    body: |
      Strategy paragraph one with **bold words** and *italic words*.

      1. first step
      2. second step
    marking: U
    sources:
      - title: Shared Paper
        publisher: Press
        date: "2020"
    reviewed: "2026-11-22"
  - id: init
    kind: initiative
    strategy: strat
    title: Initiative card
    body: |
      Initiative text, see [the site](https://example.org/page).

      1. alpha item
      2. beta item
         - nested bullet
    marking: SBU
    sources:
      - title: Shared Paper
        publisher: Press
        date: "2020"
      - title: Second Paper
        publisher: Other Press
        date: "2021"
        url: https://example.org/second
    reviewed: "2026-11-22"
  - id: bg
    kind: background
    title: Background card
    body: Background sentence about talks.
    marking: U
    sources:
      - title: Shared Paper
        publisher: Press
        date: "2020"
    reviewed: "2026-11-22"
  - id: risky
    kind: risk
    title: Risk card
    body: Risk sentence about backlash.
    marking: U
    sources:
      - title: Third Paper
    reviewed: "2026-11-22"
"""

MEMO = """
template: action-memo
header:
  to: The Secretary
  from: Office of Climate Diplomacy
  subject: Contract memo subject
  drafted-by: A. Drafter
  cleared: B. Clearer
sections:
  bluf:
    - text: Bottom line sentence.
  recommendation:
    - text: That you approve the contract.
    - card: strat
  background:
    - card: bg
    - card: init
  discussion:
    - card: strat
    - card: risky
"""


@pytest.fixture
def workspace(tmp_path: Path, repo: Path) -> Workspace:
    lib = tmp_path / "library"
    lib.mkdir()
    (lib / "cards.yaml").write_text(textwrap.dedent(CARDS).lstrip(), encoding="utf-8")
    ws = Workspace.load([lib], repo / "templates")
    assert ws.problems == []
    return ws


def make_memo(text: str = MEMO) -> Memo:
    memo, problems = parse_memo(textwrap.dedent(text).lstrip())
    assert memo is not None, problems
    return memo


def export(memo: Memo, ws: Workspace, out: Path, reference: Path | None = None) -> ExportResult:
    result = ExportResult(out)
    steps = list(iter_export(memo, out, ws, reference, result, TODAY))
    assert steps[-1][0] == steps[-1][1]
    return result


def squash(text: str) -> str:
    """Whitespace-insensitive text, for comparing what a reader extracted."""
    return re.sub(r"\s+", "", text)


@dataclass
class Output:
    """What a reader gets back from either format, in the same shape."""

    fmt: str
    pages: list[str]  # PDF: text per page; DOCX: the body as one "page"
    headings: list[str]
    header_texts: list[str]
    footer_texts: list[str]
    path: Path

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def body(self) -> str:
        """The text without banners and page numbers, so text across pages joins up."""
        furniture = re.compile(r"^\s*(UNCLASSIFIED|SENSITIVE BUT|CONFIDENTIAL|SECRET|TOP SECRET)")
        lines = [line for page in self.pages for line in page.splitlines()]
        return "\n".join(line for line in lines if not furniture.match(line))


def read_back(path: Path) -> Output:
    if path.suffix == ".pdf":
        reader = PdfReader(str(path))
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
        headings = [item.title for item in _flatten(reader.outline)]
        first_lines = [p.strip().splitlines()[0] if p.strip() else "" for p in pages]
        last_lines = ["\n".join(p.strip().splitlines()[-2:]) for p in pages]
        return Output("pdf", pages, headings, first_lines, last_lines, path)
    document = docx.Document(str(path))
    body = "\n".join(p.text for p in document.paragraphs)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    section = document.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    footer_el = section.footer._element
    footer = "\n".join(p.text for p in section.footer.paragraphs)
    instr = " ".join(footer_el.xpath(".//w:instrText/text()"))
    return Output("docx", [body], headings, [header], [footer + "\n" + instr], path)


def _flatten(outline: list) -> list:
    items = []
    for entry in outline:
        if isinstance(entry, list):
            items.extend(_flatten(entry))
        else:
            items.append(entry)
    return items


def make_letterhead(path: Path, with_page_field: bool = False) -> None:
    """An A4 letterhead reference document: 25 mm side margins, a header and a footer line,
    and (optionally) its own page number, as Word saves one."""
    from docx.shared import Mm

    ref = docx.Document()
    section = ref.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    section.header.paragraphs[0].text = "MINISTRY LETTERHEAD"
    section.footer.paragraphs[0].text = "1 Example Street"
    if with_page_field:
        section.footer.add_paragraph("Folio ")._p.append(
            docx.oxml.parse_xml(
                '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                '2006/main" w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
            )
        )
    ref.save(str(path))


LIST_LEAD_IN = "Both projects show the scale:"
LIST_ITEMS = ("wind in Greece", "a hydrogen network")


def list_near_page_foot(folder: Path, filler: int) -> Path:
    """A memo whose short list (a lead-in, then two items) comes nearer the foot of page 1
    as ``filler`` grows: from 104 to 124 it crosses onto page 2 in Briefer's layout."""
    path = folder / f"list{filler}.brief.yaml"
    path.write_text(
        "format: 1\ntemplate: information-memo\nheader:\n  subject: Lists\nsections:\n"
        "  summary:\n    - text: '" + "Words that run on and on. " * filler + "'\n"
        "  background:\n    - text: Background comes first.\n"
        f'    - text: "{LIST_LEAD_IN}\\n\\n1. {LIST_ITEMS[0]}\\n2. {LIST_ITEMS[1]}"\n'
        "    - text: After the list.\n",
        encoding="utf-8",
    )
    return path


def page_of(pages: list[str], text: str) -> int:
    """The 0-based page whose text holds ``text`` (lines joined)."""
    return next(i for i, page in enumerate(pages) if text in page.replace("\n", " "))
