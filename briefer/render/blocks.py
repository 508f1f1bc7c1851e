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
        return out
