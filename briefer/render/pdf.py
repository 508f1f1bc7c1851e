"""PdfWriter: a composed Document to PDF with reportlab platypus.

User text is always escaped before it reaches reportlab's paragraph mini-markup, so
``<img src=...>`` or ``&amp;`` in a card prints as typed and nothing is ever fetched.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as rl_paragraph

from briefer.render import blocks as b
from briefer.render.fonts import CANNOT_START, PdfFamily, is_cjk, pdf_family, split_by_font
from briefer.render.layout import (
    BLANK_LINE,
    COVER_DROP,
    COVER_SCALE,
    DECISION_GAP,
    DECISION_LINE,
    LANGUAGE,
    LINE_HEIGHT,
    bullet,
    kept_with_next,
    link_hex,
    measures_for,
    ordered_label,
)

PIECE_CHARS = 6000  # about two pages of body text: ordinary paragraphs are never cut
if CANNOT_START[0] not in rl_paragraph.ALL_CANNOT_START:  # see fonts.CANNOT_START
    rl_paragraph.ALL_CANNOT_START += CANNOT_START


def split_runs(runs: tuple[b.Run, ...], limit: int) -> list[tuple[b.Run, ...]]:
    """Runs cut into pieces of at most ``limit`` characters, at a space near the cut where
    there is one (an unbroken word is cut where it must be). Short text is one piece."""
    if sum(len(r.text) for r in runs) <= limit:
        return [runs]
    pieces: list[tuple[b.Run, ...]] = []
    current: list[b.Run] = []
    size = 0
    for run in runs:
        text = run.text
        while text:
            room = limit - size
            if len(text) <= room:
                current.append(b.Run(text, run.bold, run.italic, run.href))
                size += len(text)
                break
            cut = text.rfind(" ", max(room - 200, 0), room) + 1 or room
            current.append(b.Run(text[:cut], run.bold, run.italic, run.href))
            pieces.append(tuple(current))
            current, size, text = [], 0, text[cut:]
    if current:
        pieces.append(tuple(current))
    return pieces


def escape(text: str) -> str:
    """Escape text for reportlab's paragraph markup (xml.sax.saxutils would pull in urllib)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    return '"' + escape(text).replace('"', "&quot;") + '"'


def _uses_italics(document: b.Document) -> bool:
    for block in document.blocks:
        if isinstance(block, b.Heading) and block.level > 1:
            return True  # card headings are bold italic
        if isinstance(block, (b.Paragraph, b.ListItem)) and any(r.italic for r in block.runs):
            return True
    return False


class _Heading(Paragraph):
    """A heading paragraph that also becomes an outline entry (bookmark)."""

    def __init__(self, text: str, style: ParagraphStyle, outline_text: str, level: int) -> None:
        super().__init__(text, style)
        self.outline_text = outline_text
        self.outline_level = level


class _MemoDocTemplate(BaseDocTemplate):
    """One frame exactly inside the margins (no padding), so the text column starts where
    Word's does and lines break at the same places."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="memo", frames=[frame])])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab hook
        if isinstance(flowable, _Heading):
            key = f"h{id(flowable)}"
            canvas = self.canv
            assert isinstance(canvas, _DeferredCanvas)
            canvas.bookmark_here(key)  # placed when the page is really written
            canvas.addOutlineEntry(
                flowable.outline_text, key, level=flowable.outline_level, closed=False
            )


class _DeferredCanvas(rl_canvas.Canvas):
    """Holds every page until the end, so the footer can say "Page N of M" (second pass)."""

    def __init__(self, *args: Any, furniture: Callable[..., None], pages: list[int], **kw: Any):
        super().__init__(*args, **kw)
        self._pending: list[dict[str, Any]] = []
        self._furniture = furniture
        self._page_total = pages
        self._bookmarks: dict[int, list[str]] = {}  # page index -> bookmark keys

    def bookmark_here(self, key: str) -> None:
        """A bookmark on the page being laid out; set on that page when it is written
        (a bookmark set now would point at whichever page reportlab writes first)."""
        self._bookmarks.setdefault(len(self._pending), []).append(key)

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._pending.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pending)
        self._page_total.append(total)
        bookmarks = self._bookmarks
        for index, state in enumerate(self._pending):
            self.__dict__.update(state)
            for key in bookmarks.get(index, []):
                self.bookmarkPage(key)
            self._furniture(self, total)
            super().showPage()
        if bookmarks:
            self.showOutline()  # the outline panel opens with the document
        super().save()


def _take_heading(story: list[Flowable]) -> list[Flowable]:
    """A heading that ends the story, taken off it to be kept with what follows (the room
    it asked for goes: the group it joins is kept whole)."""
    if not story or not isinstance(story[-1], _Heading):
        return []
    heading = story.pop()
    if story and isinstance(story[-1], CondPageBreak):
        story.pop()
    return [heading]


def _collapse_spacing(story: list[Flowable]) -> None:
    """Space two paragraphs as Word and LibreOffice do: by the larger of the first one's
    space after and the second one's space before, not by their sum (reportlab adds them).
    Measured in LibreOffice: 10 pt after and 20 pt before give 20 pt between."""
    last_after = 0.0

    def visit(items: list[Flowable]) -> None:
        nonlocal last_after
        for item in items:
            if isinstance(item, KeepTogether):
                visit(item._content)
            elif isinstance(item, CondPageBreak):
                continue
            elif isinstance(item, PageBreak):
                last_after = 0.0
            elif isinstance(item, Spacer):  # a decision line's space before it
                item.height = max(0.0, item.height - last_after)
                last_after = 0.0
            elif isinstance(item, Paragraph):
                before = item.style.spaceBefore or 0.0
                if before and last_after:
                    item.style = ParagraphStyle(
                        f"{item.style.name}-collapsed",
                        parent=item.style,
                        spaceBefore=max(0.0, before - last_after),
                    )
                last_after = item.style.spaceAfter or 0.0
            else:
                last_after = float(getattr(item, "space_after", 0.0))

    visit(story)


def draw_draft(
    canv: rl_canvas.Canvas, family: PdfFamily, width: float, height: float, stamp: str
) -> None:
    """A large DRAFT across the page, corner to corner; see-through, so the text under it
    stays readable (it is drawn after the page's text, with the rest of the furniture)."""
    canv.saveState()
    canv.setFillColorRGB(0.55, 0.55, 0.55)
    canv.setFillAlpha(0.22)
    canv.translate(width / 2, height / 2)
    canv.rotate(math.degrees(math.atan2(height, width)))
    size = min(width, height) / 4
    canv.setFont(family.bold, size)
    canv.drawCentredString(0, -size / 3, "DRAFT")
    canv.restoreState()


class Stopped(Exception):
    """A layout given up part way because ``stop`` said its pages are no longer wanted."""


class PdfWriter:
    """Writes a Document to PDF; ``pages`` holds the page count after writing. ``stop``,
    asked between blocks and between laid-out pieces, gives the work up (``Stopped``):
    the preview's render of a memo edited since, or of a window closing."""

    def __init__(self, document: b.Document, stop: Callable[[], bool] | None = None) -> None:
        self.doc = document
        self.stop = stop
        self.family: PdfFamily = pdf_family(document.fonts.family)
        self._serif = self.family.generic == "serif"  # Chinese in a serif face beside it
        if _uses_italics(document):
            self.family.need_italics()
        self.pages = 0
        self.measures = measures_for(document)
        self._styles = self._make_styles()

    # -- public -----------------------------------------------------------------------
    def write(self, target: Path | BinaryIO) -> int:
        for _ in self.iter_write(target):
            pass
        return self.pages

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.write(buffer)
        return buffer.getvalue()

    def iter_write(self, target: Path | BinaryIO) -> Iterator[tuple[int, int]]:
        """Convert block by block (yielding progress), then lay out and save."""
        total = len(self.doc.blocks) + 1
        story: list[Flowable] = []
        held = kept_with_next(self.doc.blocks)
        group: list[Flowable] | None = None  # blocks held for the block after them
        for index, block in enumerate(self.doc.blocks):
            flowables = self._flowables(block)
            if isinstance(block, (b.Decision, b.Clearance)) and isinstance(
                story[-1] if story else None, (Paragraph, Table, KeepTogether)
            ):
                # A decision line never opens a page without its recommendation; the
                # drafted/cleared lines never stand on a page of their own.
                previous = story.pop()
                kept = list(previous._content) if isinstance(previous, KeepTogether) else [previous]
                flowables = [KeepTogether([*_take_heading(story), *kept, *flowables])]
            if index in held:
                group = (group if group is not None else _take_heading(story)) + flowables
            elif group is not None:
                story.append(KeepTogether([*group, *flowables]))
                group = None
            else:
                story.extend(flowables)
            self._check_stop()
            yield index + 1, total
        if not story:
            story.append(Spacer(1, 1))
        _collapse_spacing(story)
        page = self.doc.page
        out = str(target) if isinstance(target, Path) else target
        template = _MemoDocTemplate(
            out,
            pagesize=(page.width, page.height),
            leftMargin=page.left,
            rightMargin=page.right,
            topMargin=page.top,
            bottomMargin=page.bottom,
            title=self.doc.title,
            author=self.doc.author,
            subject=self.doc.title,
            creator="Briefer",
            producer="Briefer (reportlab)",
            lang=LANGUAGE,
            initialFontName=self.family.regular,  # else every page names unembedded Helvetica
        )
        totals: list[int] = []
        maker = functools.partial(
            _DeferredCanvas,
            furniture=self._furniture,
            pages=totals,
        )
        if self.stop is not None:
            template.setProgressCallBack(lambda _kind, _value: self._check_stop())
        template.build(story, canvasmaker=maker)
        self.pages = totals[-1] if totals else 0
        yield total, total

    def _check_stop(self) -> None:
        if self.stop is not None and self.stop():
            raise Stopped

    # -- page furniture ---------------------------------------------------------------
    def _furniture(self, canv: rl_canvas.Canvas, total: int) -> None:
        page = self.doc.page
        small = self.doc.fonts.small_size
        centre = page.width / 2
        canv.saveState()
        top_y = page.height - self.measures.header_distance - small / 2
        bottom_y = self.measures.footer_distance
        if self.doc.banner:
            canv.setFont(self.family.bold, small)
            canv.drawCentredString(centre, top_y, self.doc.banner)
            canv.drawCentredString(centre, bottom_y, self.doc.banner)
        canv.setFont(self.family.regular, small)
        if self.doc.page_numbers:
            canv.drawRightString(
                page.width - page.right,
                bottom_y,
                f"{self.doc.page_prefix}Page {canv.getPageNumber()} of {total}",
            )
        if self.doc.draft:
            draw_draft(canv, self.family, page.width, page.height, self.doc.draft)
            canv.setFont(self.family.regular, small)
            canv.drawString(page.left, bottom_y, self.doc.draft)
        # A letterhead's lines as Word sets them: beneath the banner at the top, above the
        # banner and page line at the foot.
        header, footer = self.doc.letterhead
        step = small * LINE_HEIGHT
        below = top_y - (step if self.doc.banner else 0)
        for index, line in enumerate(header):
            canv.drawString(page.left, below - index * step, line)
        for index, line in enumerate(reversed(footer)):
            canv.drawString(page.left, bottom_y + (index + 1) * step, line)
        canv.restoreState()

    # -- blocks -----------------------------------------------------------------------
    def _make_styles(self) -> dict[str, ParagraphStyle]:
        fonts, m = self.doc.fonts, self.measures
        size, lead = fonts.size, fonts.size * LINE_HEIGHT
        body = ParagraphStyle(
            "body",
            fontName=self.family.regular,
            fontSize=size,
            leading=lead,
            spaceAfter=m.paragraph_after,
            alignment=TA_LEFT,
            splitLongWords=1,
            allowWidows=0,  # no last line of a paragraph alone at the top of a page
            allowOrphans=0,  # nor a first line alone at the foot
        )
        heading = ParagraphStyle(
            "heading",
            parent=body,
            fontName=self.family.bold,
            fontSize=fonts.heading_size,
            leading=fonts.heading_size * LINE_HEIGHT,
            spaceBefore=m.heading_before,
            spaceAfter=m.heading_after,
        )
        return {
            "body": body,
            "title": ParagraphStyle(
                "title", parent=heading, alignment=TA_CENTER, spaceAfter=m.title_after
            ),
            "h1": heading,
            # A book's cover title and tab dividers: large, centred.
            "cover": ParagraphStyle(
                "cover",
                parent=heading,
                alignment=TA_CENTER,
                fontSize=fonts.heading_size * COVER_SCALE,
                leading=fonts.heading_size * COVER_SCALE * LINE_HEIGHT,
                spaceAfter=m.title_after,
            ),
            "centred": ParagraphStyle("centred", parent=body, alignment=TA_CENTER),
            "h2": ParagraphStyle("h2", parent=heading, fontName=self.family.bold_italic),
            "label": ParagraphStyle("label", parent=body, fontName=self.family.bold, spaceAfter=0),
            "value": ParagraphStyle("value", parent=body, spaceAfter=0),
            "authority": ParagraphStyle("authority", parent=body, spaceAfter=m.header_row_after),
            # The number hangs, the text starts at the indent: Word's numbered list, whose
            # first line has the same room as the others.
            "source": ParagraphStyle(
                "source",
                parent=body,
                leftIndent=m.source_hang,
                bulletIndent=0,
                bulletFontName=self.family.regular,
                bulletFontSize=fonts.size,
            ),
        }

    def _flowables(self, block: b.Block) -> list[Flowable]:
        styles = self._styles
        if isinstance(block, b.Title):
            return [self._para(block.text, styles["title"])]
        if isinstance(block, b.HeaderField):
            return [self._header_row(block)]
        if isinstance(block, b.Heading):
            style = styles["h1"] if block.level == 1 else styles["h2"]
            markup = self._markup((b.Run(block.text),))
            # A heading never sits alone at the foot of a page: it needs room for 3 lines
            # after it. (keepWithNext would push a page-long paragraph to the next page.)
            room = CondPageBreak(style.leading * 2 + self._styles["body"].leading * 3)
            heading = _Heading(markup, self._cjk(style, block.text), block.text, block.level - 1)
            return [room, heading]
        if isinstance(block, b.Paragraph):
            return self._paras(block.runs, styles["body"], block.portion)
        if isinstance(block, b.ListItem):
            return self._list_item(block)
        if isinstance(block, b.Decision):
            text = ("&nbsp;" * DECISION_GAP).join(
                f"{escape(option)}&nbsp;{DECISION_LINE}" for option in block.options
            )
            return [Spacer(1, self.measures.decision_before), Paragraph(text, styles["body"])]
        if isinstance(block, b.Clearance):
            label = (b.Run(f"{block.label}: ", bold=True), b.Run(block.value or BLANK_LINE))
            return self._paras(label, styles["value"], None)
        if isinstance(block, b.Authority):
            line = (b.Run(f"{block.label}: ", bold=True), b.Run(block.value or BLANK_LINE))
            return self._paras(line, styles["authority"], None)
        if isinstance(block, b.SourceEntry):
            entry: tuple[b.Run, ...] = (b.Run(block.text),)
            if block.url:
                entry += (b.Run(" "), b.Run(block.url, href=block.url))
            paras = self._paras(entry, styles["source"], None)
            first = paras[0]
            assert isinstance(first, Paragraph)
            first.bulletText = f"{block.number}."
            return paras
        if isinstance(block, b.PageBreak):
            return [PageBreak()]
        if isinstance(block, b.Cover):
            big, centred = styles["cover"], styles["centred"]
            return [
                Spacer(1, self.doc.page.height * COVER_DROP),
                self._para(block.title, self._cjk(big, block.title)),
                *[self._para(line, self._cjk(centred, line)) for line in block.lines],
            ]
        if isinstance(block, b.ContentsEntry):
            return [self._contents_row(block)]
        if isinstance(block, b.Divider):
            return [
                Spacer(1, self.doc.page.height * COVER_DROP),
                self._para(f"Tab {block.number}", styles["cover"]),
                self._para(block.title, self._cjk(styles["title"], block.title)),
            ]
        raise TypeError(f"unknown block {block!r}")  # pragma: no cover

    def _contents_row(self, block: b.ContentsEntry) -> Flowable:
        """Tab number, title (wrapping) and page, the page at the right margin."""
        page = self.doc.page
        width = page.width - page.left - page.right
        body = self._styles["body"]
        label = self.measures.label_width
        number_width = body.fontSize * 3
        title = self._paras((b.Run(block.title),), self._styles["value"], None)
        table = Table(
            [[self._para(f"Tab {block.number}", self._styles["label"]), title, str(block.page)]],
            colWidths=[label, width - label - number_width, number_width],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (2, 0), (2, 0), "RIGHT"),
                    ("FONTNAME", (2, 0), (2, 0), self.family.regular),
                    ("FONTSIZE", (2, 0), (2, 0), body.fontSize),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), body.spaceAfter),
                ]
            )
        )
        return table

    def _header_row(self, block: b.HeaderField) -> Flowable:
        width, label_width = self.measures.text_width, self.measures.label_width
        label = self._para(f"{block.label}:", self._styles["label"])
        value = self._paras((b.Run(block.value),), self._styles["value"], None)
        table = Table(
            [[label, value]],
            colWidths=[label_width, width - label_width],
            splitInRow=1,
            hAlign="LEFT",
        )
        table.space_after = self.measures.header_row_after
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.family.regular, self.doc.fonts.size),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), self.measures.header_row_after),
                ]
            )
        )
        return KeepTogether([table]) if len(block.value) < 400 else table

    def _list_item(self, block: b.ListItem) -> list[Flowable]:
        m = self.measures
        style = ParagraphStyle(
            f"list{block.level}",
            parent=self._styles["body"],
            leftIndent=m.list_indent(block.level),
            bulletIndent=m.list_indent(block.level) - m.list_step,
            spaceAfter=m.list_after,
            bulletFontName=self.family.regular,
            bulletFontSize=self.doc.fonts.size,  # markers at the body size, as in Word
        )
        paras = self._paras(block.runs, style, block.portion)
        first = paras[0]
        assert isinstance(first, Paragraph)
        first.bulletText = (
            ordered_label(block.number, block.level) if block.ordered else bullet(block.level)
        )
        return paras

    def _para(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(self._markup((b.Run(text),)), self._cjk(style, text))

    def _paras(
        self, runs: tuple[b.Run, ...], style: ParagraphStyle, portion: str | None
    ) -> list[Flowable]:
        """One paragraph of runs. reportlab lays a paragraph out again for every page it
        spans, which costs the square of its length; a very long one is set as pieces of
        about a page each, so the cost stays linear and nothing is dropped."""
        if portion:
            runs = (b.Run(f"{portion} "), *runs)
        pieces = split_runs(runs, PIECE_CHARS)
        out: list[Flowable] = []
        for index, piece in enumerate(pieces):
            plain = "".join(r.text for r in piece)
            piece_style = self._cjk(style, plain)
            if len(pieces) > 1:
                piece_style = ParagraphStyle(
                    f"{piece_style.name}-piece",
                    parent=piece_style,
                    spaceBefore=piece_style.spaceBefore if index == 0 else 0,
                    spaceAfter=piece_style.spaceAfter if index == len(pieces) - 1 else 0,
                    firstLineIndent=piece_style.firstLineIndent if index == 0 else 0,
                )
            out.append(Paragraph(self._markup(piece), piece_style))
        return out

    def _cjk(self, style: ParagraphStyle, text: str) -> ParagraphStyle:
        """Chinese line-breaking rules for any text holding CJK: a break may fall between
        two ideographs but never before closing punctuation; Latin words still break only
        at spaces."""
        if any(map(is_cjk, text)):
            return ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")
        return style

    def _markup(self, runs: tuple[b.Run, ...]) -> str:
        """reportlab mini-markup for runs; every character of user text is escaped."""
        out = []
        for run in runs:
            pieces = []
            for piece, font in split_by_font(run.text, self.family.coverage, self._serif):
                text = escape(piece).replace("\n", "<br/>")
                pieces.append(f'<font name="{font}">{text}</font>' if font else text)
            text = "".join(pieces)
            if run.italic:
                text = f"<i>{text}</i>"
            if run.bold:
                text = f"<b>{text}</b>"
            if run.href:
                text = f'<a href={quoteattr(run.href)} color="{link_hex()}"><u>{text}</u></a>'
            out.append(text)
        return "".join(out)
