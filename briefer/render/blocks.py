"""The composed document: typed blocks that every writer (and the preview) converts.

Card text is parsed once, in ``compose``; writers never see Markdown, so the Word file,
the PDF and the preview cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefer.core.templates import Fonts, PageSetup


@dataclass(frozen=True)
class Run:
    """A stretch of text with one set of inline formats."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Title:
    """The memo type line at the top, e.g. ``ACTION MEMO``."""

    text: str


@dataclass(frozen=True)
class HeaderField:
    """One row of the header block: ``TO:``, ``FROM:``, ``SUBJECT:`` ..."""

    label: str
    value: str


@dataclass(frozen=True)
class Heading:
    """A section title (level 1) or a card title shown as a heading (level 2)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; ``portion`` is the mark printed before it, e.g. ``(U)``."""

    runs: tuple[Run, ...]
    portion: str | None = None


@dataclass(frozen=True)
class ListItem:
    """One list item. ``list_id`` is unique per list, so each list numbers from ``start``."""

    runs: tuple[Run, ...]
    level: int
    ordered: bool
    list_id: int
    number: int
    portion: str | None = None


@dataclass(frozen=True)
class Decision:
    """The Approve / Disapprove lines after a recommendation."""

    options: tuple[str, ...] = ("Approve", "Disapprove")


@dataclass(frozen=True)
class Clearance:
    """A closing line such as ``Drafted by:`` or ``Cleared:``."""

    label: str
    value: str


@dataclass(frozen=True)
class Authority:
    """A line of the classification authority block (``Classified by:`` ...) on page one."""

    label: str
    value: str


@dataclass(frozen=True)
class SourceEntry:
    """One numbered, deduplicated source in the closing list."""

    number: int
    text: str
    url: str = ""


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True)
class Cover:
    """A briefing book's cover: its title, then the lines beneath (subtitle, date, …)."""

    title: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContentsEntry:
    """One line of a book's contents: the tab's number, its title and its first page."""

    number: int
    title: str
    page: int


@dataclass(frozen=True)
class Divider:
    """The page before a book's tab: its number and title."""

    number: int
    title: str


Block = (
    Title
    | HeaderField
    | Heading
    | Paragraph
    | ListItem
    | Decision
    | Clearance
    | Authority
    | SourceEntry
    | PageBreak
    | Cover
    | ContentsEntry
    | Divider
)


@dataclass
class Document:
    """Everything a writer needs: page set-up, fonts, banner, metadata and the blocks."""

    page: PageSetup
    fonts: Fonts
    banner: str | None
    title: str
    author: str
    template_id: str
    page_limit: int | None = None
    blocks: list[Block] = field(default_factory=list)
    # A reference document's header and footer text lines, printed on every page.
    letterhead: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    warnings: list[str] = field(default_factory=list)
    # In a briefing book: "Tab 2 · " before "Page N of M"; the tab's own page count (Word
    # numbers each tab from 1 and cannot count a section's pages itself); and, for a draft,
    # the "Draft printed …" line printed with a diagonal DRAFT on every page.
    page_prefix: str = ""
    page_total: int | None = None
    draft: str | None = None
    page_numbers: bool = True  # off for a book's cover, contents and dividers

    def text_blocks(self) -> list[str]:
        """Plain text of each block, for tests and search."""
        out = []
        for block in self.blocks:
            if isinstance(block, (Paragraph, ListItem)):
                out.append("".join(r.text for r in block.runs))
            elif isinstance(block, (Title, Heading)):
                out.append(block.text)
            elif isinstance(block, (HeaderField, Clearance, Authority)):
                out.append(f"{block.label}: {block.value}")
            elif isinstance(block, SourceEntry):
                out.append(f"{block.number}. {block.text}")
            elif isinstance(block, Cover):
                out.extend([block.title, *block.lines])
            elif isinstance(block, ContentsEntry):
                out.append(f"Tab {block.number} {block.title} {block.page}")
            elif isinstance(block, Divider):
                out.extend([f"Tab {block.number}", block.title])
        return out
