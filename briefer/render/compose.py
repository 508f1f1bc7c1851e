"""Compose a memo, its cards and its template into one Document of typed blocks."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefer.core import markings
from briefer.core.cards import Card, CardLibrary, Source
from briefer.core.memos import Memo, MemoItem, format_date
from briefer.core.problems import BrieferError, counted, display_path
from briefer.core.rules import card_wording, item_marking, link_problem
from briefer.core.templates import HEADER_FIELDS, MemoTemplate, Section, TemplateSet
from briefer.render.blocks import (
    Authority,
    Block,
    Clearance,
    Decision,
    Document,
    HeaderField,
    Heading,
    ListItem,
    PageBreak,
    Paragraph,
    Run,
    SourceEntry,
    Title,
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from briefer.core.cardcache import TextCache

# Characters XML 1.0 cannot hold (python-docx refuses them; PDFs show garbage). Tab, LF
# and CR are allowed; CR is folded into LF before this runs.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
MAX_LIST_LEVEL = 8  # nine levels: Word's limit; deeper items are shown at the ninth
_DEPTH_GUARD = 90  # quote markers and indents on one line beyond which text is flattened


@functools.cache
def _parser() -> MarkdownIt:
    """markdown-it, made when the first text that needs it comes (an export of plain
    paragraphs never imports it: a fifth of a one-off export's time)."""
    from markdown_it import MarkdownIt

    # HTML and entities are off: a user's "<b>" or "&amp;" prints exactly as typed.
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).disable("entity")
    parser.options["maxNesting"] = 200  # markdown-it silently drops what is nested deeper
    return parser


def parse_markdown(text: str, warn: Callable[[str], None]) -> list[Token]:
    """Tokens for card text. Nesting deeper than the parser keeps is flattened to plain
    paragraphs first, with a warning, so no words are ever dropped."""
    deepest = max((len(line) - len(line.lstrip(" >\t")) for line in text.splitlines()), default=0)
    if deepest > _DEPTH_GUARD:
        warn(f"text nested {deepest} levels deep was flattened to plain paragraphs")
        text = "\n".join(line.lstrip(" >\t") for line in text.splitlines())
    return _parser().parse(text)


# Text markdown would read as nothing but paragraphs: letters, digits and this punctuation,
# no space or tab at a line's ends, and no line that opens a list, heading or rule.
_PLAIN_PUNCTUATION = frozenset(" \n,.;:'\"?%$()/-+=@’‘“”—–…°€£·")
_NOT_PLAIN_LINE = re.compile(r"^(?:[-+=]|\d+[.)])|^ | $", re.MULTILINE)


def plain_paragraphs(text: str) -> list[Block] | None:
    """The blocks markdown would make of plain text (paragraphs of one run, a line break
    inside one read as a space), without parsing; None when the text needs the parser."""
    for char in set(text):
        if char not in _PLAIN_PUNCTUATION and not char.isalnum():
            return None
    if _NOT_PLAIN_LINE.search(text):
        return None
    blocks: list[Block] = []
    for chunk in text.split("\n\n"):
        lines = [line for line in chunk.split("\n") if line]
        if lines:
            blocks.append(Paragraph((Run(" ".join(lines)),)))
    return blocks


def text_blocks(
    text: str,
    next_list_id: Callable[[], int],
    warn: Callable[[str], None],
    cache: TextCache | None = None,
) -> list[Block]:
    """Card or typed text as blocks: plain paragraphs directly, anything else through
    markdown (the two agree; tests/render/test_plain_text.py compares them), or from
    ``cache`` when it holds what markdown made of this text before."""
    plain = plain_paragraphs(text)
    if plain is not None:
        return plain
    if cache is not None:
        from briefer.render import textcache

        return textcache.text_blocks(text, next_list_id, warn, cache)
    return parse_text(text, next_list_id, warn)


def parse_text(
    text: str, next_list_id: Callable[[], int], warn: Callable[[str], None]
) -> list[Block]:
    """Text through markdown into blocks."""
    return _MarkdownBlocks(next_list_id, warn).convert(parse_markdown(text, warn))


def clean_text(text: str, where: str, warnings: list[str]) -> str:
    """Fold Windows line endings and drop characters XML cannot hold, with a warning."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _XML_BAD.findall(text)
    if bad:
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in bad}))
        warnings.append(f"{where}: removed {counted(len(bad), 'control character')} ({codes})")
        text = _XML_BAD.sub("", text)
    return text


@dataclass
class _Sources:
    """Numbers sources in order of first citation, merging duplicates."""

    numbers: dict[Source, int]

    def cite(self, sources: tuple[Source, ...]) -> list[int]:
        cited = []
        for source in sources:  # Source is frozen: equal sources share one number
            if source not in self.numbers:
                self.numbers[source] = len(self.numbers) + 1
            cited.append(self.numbers[source])
        return sorted(set(cited))


class DocumentBuilder:
    """Builds a Document from a memo, yielding progress per item for a progress bar."""

    def __init__(
        self,
        memo: Memo,
        library: CardLibrary,
        templates: TemplateSet,
        today: dt.date | None = None,
        texts: TextCache | None = None,
    ) -> None:
        self.memo = memo
        self.library = library
        self.texts = texts  # parsed text kept between runs (the command line's exports)
        template = templates.get(memo.template)
        where = display_path(memo.path) if memo.path else "the memo"
        if template is None:
            known = ", ".join(sorted(templates.templates)) or "none"
            raise BrieferError(
                f"{where}: unknown template {memo.template!r}; known templates: {known}"
            )
        self.template: MemoTemplate = template
        self.where = where
        self.today = today or dt.date.today()
        self.warnings: list[str] = []
        self.sources = _Sources({})
        self._list_ids = 0
        self.document: Document | None = None

    def total(self) -> int:
        return len(self.memo.items()) + 2

    def iter_build(self) -> Iterator[tuple[int, int]]:
        """Compose block by block; yields ``(done, total)``. The result is ``self.document``."""
        total = self.total()
        memo, template = self.memo, self.template
        self._check_sections()
        blocks: list[Block] = [Title(template.heading)]
        header = {k: self._clean(v, f"header field {k!r}") for k, v in memo.header.items()}
        if "date" in template.header and not header.get("date", "").strip():
            header["date"] = format_date(self.today)
        portion_marks = template.portion_marks
        levels = [memo.marking or markings.LOWEST]
        for field_id in template.top_fields:
            value = header.get(field_id, "")
            if not value.strip():
                continue
            if field_id == "subject" and portion_marks:
                value = f"{markings.portion(memo.marking or markings.LOWEST)} {value}"
            blocks.append(HeaderField(HEADER_FIELDS[field_id], value))
        after_header = len(blocks)
        done = 1
        yield done, total
        for section in template.sections:
            items = memo.sections.get(section.id, [])
            if not items:
                continue
            blocks.append(Heading(section.title, 1))
            for item in items:
                marking = self._item_marking(item)
                levels.append(marking)
                blocks.extend(self._item_blocks(section, item, marking))
                if section.role == "recommendation":  # each its own Approve/Disapprove
                    blocks.append(Decision())
                done += 1
                yield done, total
        if self.sources.numbers:
            blocks.append(Heading("Sources", 1))
            for source, number in self.sources.numbers.items():
                text = self._clean(
                    source.citation().removesuffix(f" {source.url}").strip(), "a source"
                )
                url = source.url if link_problem(source.url) is None else ""
                if source.url and not url:
                    self.warnings.append(f"{self.where}: {link_problem(source.url)}; left out")
                blocks.append(SourceEntry(number, text, url))
        for field_id in template.end_fields:  # an empty one stays as a labelled blank
            blocks.append(Clearance(HEADER_FIELDS[field_id], header.get(field_id, "").strip()))
        banner_code = markings.highest(levels)
        if template.banner and markings.needs_authority(banner_code):
            # Page one carries the classification authority block; an empty line stays a
            # labelled blank (and validate reports it), so it is never silently missing.
            blocks[after_header:after_header] = [
                Authority(label, header.get(key, "").strip())
                for key, label in markings.AUTHORITY_FIELDS.items()
            ]
        self.document = Document(
            page=template.page,
            fonts=template.fonts,
            banner=markings.banner(banner_code) if template.banner else None,
            # The document title: the subject, or for a checklist (no subject) the event.
            title=header.get("subject", "").strip()
            or header.get("event", "").strip()
            or template.name,
            author=header.get("from", ""),
            template_id=template.id,
            page_limit=template.page_limit,
            blocks=blocks,
            warnings=self.warnings,
        )
        if self.texts is not None:
            self.texts.flush()  # what this memo parsed anew, in one transaction
        yield total, total

    def build(self) -> Document:
        for _ in self.iter_build():
            pass
        assert self.document is not None
        return self.document

    def _check_sections(self) -> None:
        for section_id in self.memo.sections:
            if self.template.section(section_id) is None:
                known = ", ".join(s.id for s in self.template.sections)
                raise BrieferError(
                    f"{self.where}: section {section_id!r} is not in template "
                    f"{self.template.id!r} (its sections: {known})"
                )

    def _clean(self, text: str, where: str) -> str:
        return clean_text(text, f"{self.where}, {where}", self.warnings)

    def _card(self, item: MemoItem) -> Card:
        card = self.library.get(item.card or "")
        if card is None:
            raise BrieferError(
                f"{self.where}: line {item.line}: unknown card {item.card!r}; "
                "add it to the library or remove it from the memo"
            )
        return card

    def _item_marking(self, item: MemoItem) -> str:
        card = self._card(item) if item.card is not None else None
        return item_marking(item, card, self.memo.marking)

    def _item_blocks(self, section: Section, item: MemoItem, marking: str) -> list[Block]:
        portion = markings.portion(marking) if self.template.portion_marks else None
        bullets = section.style == "bullets"
        if item.card is None:
            body = self._clean(item.text or "", f"line {item.line}, text item")
            return self._markdown(body, portion, bullets, None, [])
        card = self._card(item)
        what = f"card {card.id!r}"
        title = self._clean(item.title if item.title is not None else card.title, f"{what} title")
        # A recommendation is the principal's decision, not a claim: no citation after it.
        cited = self.template.citations == "numbered" and section.role != "recommendation"
        cites = self.sources.cite(card.sources) if cited else []
        if section.show == "title":
            return self._markdown(title, portion, bullets, None, cites)
        default = card_wording(card, section)
        part = "body" if section.show == "body" else "short form"
        body = self._clean(item.body if item.body is not None else default, f"{what} {part}")
        if section.show == "short":
            return self._markdown(body, portion, bullets, None, cites)
        lead = title if section.card_titles == "lead-in" else None
        blocks: list[Block] = []
        if section.card_titles == "heading":
            blocks.append(Heading(title, 2))
        blocks.extend(self._markdown(body, portion, bullets, lead, cites))
        return blocks

    def _markdown(
        self,
        text: str,
        portion: str | None,
        bullets: bool,
        lead: str | None,
        cites: list[int],
    ) -> list[Block]:
        """Markdown to blocks. ``bullets`` turns top-level paragraphs into list items."""
        warn = self.warnings.append
        blocks = text_blocks(text, self._next_list_id, warn, self.texts)
        first_is_text = bool(blocks) and isinstance(blocks[0], Paragraph)
        if bullets:
            # Each paragraph becomes one of the section's bullets; the card's own lists
            # sit one level beneath the bullet they follow.
            list_id = self._next_list_id()
            blocks = [_as_bullet(b, list_id) for b in blocks]
        if lead:
            # The title leads the first paragraph (or bullet, in a bullets section);
            # before a list or a page break it stands as a paragraph (a bullet) of its own.
            first = blocks[0] if blocks else None
            title = Run(lead.rstrip(".") + ". ", bold=True)
            if first_is_text and isinstance(first, (Paragraph, ListItem)):
                blocks[0] = _replace_runs(first, (title, *first.runs))
            elif bullets:
                blocks.insert(0, ListItem((Run(title.text.rstrip(), bold=True),), 0, False, 0, 1))
            else:
                blocks.insert(0, Paragraph((Run(title.text.rstrip(), bold=True),)))
        if cites:
            label = Run(" [" + ", ".join(str(n) for n in cites) + "]")
            text_rows = [i for i, b in enumerate(blocks) if isinstance(b, (Paragraph, ListItem))]
            if text_rows:
                last = blocks[text_rows[-1]]
                assert isinstance(last, (Paragraph, ListItem))
                blocks[text_rows[-1]] = _replace_runs(last, (*last.runs, label))
            else:
                blocks.append(Paragraph((Run(label.text.lstrip()),)))
        if not blocks:
            blocks = [Paragraph(())]
        return [_with_portion(b, portion) for b in blocks]

    def _next_list_id(self) -> int:
        self._list_ids += 1
        return self._list_ids


def _replace_runs(block: Paragraph | ListItem, runs: tuple[Run, ...]) -> Paragraph | ListItem:
    if isinstance(block, Paragraph):
        return Paragraph(runs, block.portion)
    return ListItem(runs, block.level, block.ordered, block.list_id, block.number, block.portion)


def _as_bullet(block: Block, list_id: int) -> Block:
    """A block of a card in a bullets section: a paragraph is a bullet, a list item one
    level deeper."""
    if isinstance(block, Paragraph):
        return ListItem(block.runs, 0, False, list_id, 1)
    if isinstance(block, ListItem):
        level = min(block.level + 1, MAX_LIST_LEVEL)
        return ListItem(block.runs, level, block.ordered, block.list_id, block.number)
    return block


def _with_portion(block: Block, portion: str | None) -> Block:
    if isinstance(block, Paragraph):
        return Paragraph(block.runs, portion)
    if isinstance(block, ListItem):
        return ListItem(
            block.runs, block.level, block.ordered, block.list_id, block.number, portion
        )
    return block


@dataclass
class _OpenList:
    list_id: int
    ordered: bool
    next_number: int


class _MarkdownBlocks:
    """Walks markdown-it tokens into Paragraph and ListItem blocks."""

    def __init__(
        self, next_list_id: Callable[[], int], warn: Callable[[str], None] = lambda _: None
    ) -> None:
        self.next_list_id = next_list_id
        self.warn = warn
        self.lists: list[_OpenList] = []

    def _level(self) -> int:
        level = len(self.lists) - 1
        if level > MAX_LIST_LEVEL:
            self.warn(f"a list nested {level + 1} levels deep is shown {MAX_LIST_LEVEL + 1} deep")
            return MAX_LIST_LEVEL
        return level

    def convert(self, tokens: list[Token]) -> list[Block]:
        blocks: list[Block] = []
        item_starts = False
        for token in tokens:
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                ordered = kind == "ordered_list_open"
                start = int(str(token.attrGet("start") or 1)) if ordered else 1
                self.lists.append(_OpenList(self.next_list_id(), ordered, start))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                item_starts = True
            elif kind == "inline":
                runs = _inline_runs(token.children or [])
                if item_starts and self.lists:
                    current = self.lists[-1]
                    blocks.append(
                        ListItem(
                            runs,
                            self._level(),
                            current.ordered,
                            current.list_id,
                            current.next_number,
                        )
                    )
                    current.next_number += 1
                    item_starts = False
                else:
                    # Also a second paragraph inside a list item: it reads as body text.
                    blocks.append(Paragraph(runs))
            elif kind in ("fence", "code_block", "html_block"):
                blocks.append(Paragraph((Run(token.content.rstrip("\n")),)))
            elif kind == "hr":
                blocks.append(PageBreak())  # a rule (*** on its own line) starts a new page
        return blocks


def _inline_runs(children: list[Token]) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = 0
    italic = 0
    href: str | None = None
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            target = str(child.attrGet("href") or "")
            href = target if link_problem(target) is None else None
        elif kind == "link_close":
            href = None
        elif kind in ("text", "code_inline", "html_inline"):
            _append(runs, Run(child.content, bold > 0, italic > 0, href))
        elif kind == "softbreak":
            _append(runs, Run(" ", bold > 0, italic > 0, href))
        elif kind == "hardbreak":
            _append(runs, Run("\n", bold > 0, italic > 0, href))
        elif kind == "image":
            _append(runs, Run(child.content or "", bold > 0, italic > 0, None))
    return tuple(runs)


def _append(runs: list[Run], run: Run) -> None:
    if not run.text:
        return
    if runs and (runs[-1].bold, runs[-1].italic, runs[-1].href) == (run.bold, run.italic, run.href):
        runs[-1] = Run(runs[-1].text + run.text, run.bold, run.italic, run.href)
    else:
        runs.append(run)


def markdown_blocks(text: str) -> list[Block]:
    """Card text as blocks, parsed the one way every output (and the window) shows it."""
    counter = itertools.count(1)
    return text_blocks(text, lambda: next(counter), lambda _: None)


def compose(
    memo: Memo, library: CardLibrary, templates: TemplateSet, today: dt.date | None = None
) -> Document:
    """The whole Document at once (tests, CLI)."""
    return DocumentBuilder(memo, library, templates, today).build()
