"""DocxWriter: a composed Document to a Word file with python-docx, using real Word styles."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.styles import CT_Style
from docx.section import Section
from docx.shared import Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import ParagraphStyle, StyleFactory
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run as WordRun

from briefer.core.problems import BrieferError, display_path
from briefer.core.templates import FONT_FAMILIES
from briefer.render import blocks as b
from briefer.render import wordxml
from briefer.render.layout import (
    BLANK_LINE,
    COVER_DROP,
    COVER_SCALE,
    DECISION_GAP,
    DECISION_LINE,
    LANGUAGE,
    LINE_HEIGHT,
    LINK_COLOUR,
    kept_with_next,
    measures_for,
)

# Word cannot embed Briefer's fonts; East Asian runs name a font Word and LibreOffice know:
# a Song (serif) face beside serif text, a Hei (sans-serif) one beside sans, as in the PDF.
# (Kept here, not in render/fonts.py, so a Word export never imports reportlab.)
EAST_ASIAN_WORD_FONTS = {"serif": "SimSun", "sans": "SimHei"}
NEEDED_STYLES = (
    "Normal",
    "Header",
    "Footer",
    "Title",
    "Heading 1",
    "Heading 2",
    "List Bullet",
    "List Bullet 2",
    "List Bullet 3",
    "List Number",
    "List Number 2",
    "List Number 3",
)
_BULLET_ABSTRACT_ID = 9001
_ORDERED_ABSTRACT_ID = 9002
_SOURCES_ABSTRACT_ID = 9003
_SOURCES_LIST = -1  # the sources list's key among the lists' numbering instances
_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>Briefer</Application></Properties>"
)


class DocxWriter:
    """Writes a Document to .docx, optionally starting from the user's reference document."""

    def __init__(self, document: b.Document, reference: Path | None = None) -> None:
        self.doc = document
        self.reference = reference
        self.added_styles: list[str] = []
        self._nums: dict[int, int] = {}
        self._style_ids: dict[str, str | None] = {}
        self._by_name: dict[str, CT_Style] | None = None
        self._body_end: Any = None  # the body's w:sectPr, found with the first paragraph
        self._numbering: wordxml.Numbering | None = None  # made with the first list
        self.measures = measures_for(document)
        generic = FONT_FAMILIES.get(document.fonts.family, "serif")
        self.east_asian = EAST_ASIAN_WORD_FONTS[generic]

    def write(self, target: Path | IO[bytes]) -> None:
        for _ in self.iter_write(target):
            pass

    def iter_write(self, target: Path | IO[bytes]) -> Iterator[tuple[int, int]]:
        word = self._open()
        total = len(self.doc.blocks) + 1
        for done in self._add_blocks(word):
            yield done, total
        self._set_properties(word)
        word.save(str(target) if isinstance(target, Path) else target)
        yield total, total

    # -- set-up -----------------------------------------------------------------------
    def _open(self) -> WordDocument:
        if self.reference is None:
            word = docx.Document()
            wordxml.drop_foreign_parts(word)
            self._apply_template_look(word)
        else:
            from briefer.render.reference import clean_reference

            package = clean_reference(self.reference)
            try:
                word = docx.Document(package)
            except Exception as exc:  # python-docx raises several kinds for a bad package
                raise BrieferError(
                    f"reference document {display_path(self.reference)} cannot be opened as a "
                    f"Word (.docx) file ({type(exc).__name__}); save it from Word as .docx "
                    "and try again"
                ) from None
            body = word.element.body
            for child in list(body):
                if child.tag != qn("w:sectPr"):
                    body.remove(child)
            if body.find(qn("w:sectPr")) is None:  # no page set-up: the template's
                body.append(OxmlElement("w:sectPr"))
            # The page as the PDF has it: the reference's own set-up, read the same way.
            self._apply_page(word)
            self._import_missing_styles(word)
            # The letterhead brings its page, header and footer; the memo's text keeps the
            # template's fonts and spacing, so the Word file breaks pages as the PDF does.
            self._apply_styles(word)
        self._set_east_asian_default(word)
        # As the PDF: no last line alone at the top of a page, no first line at the foot.
        self._style(word, "Normal").paragraph_format.widow_control = True
        self._page_furniture(word)
        return word

    def _apply_page(self, word: WordDocument, section: Section | None = None) -> None:
        page = self.doc.page
        section = section if section is not None else word.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Pt(page.width)
        section.page_height = Pt(page.height)
        section.top_margin = Pt(page.top)
        section.bottom_margin = Pt(page.bottom)
        section.left_margin = Pt(page.left)
        section.right_margin = Pt(page.right)
        section.header_distance = Pt(self.measures.header_distance)
        section.footer_distance = Pt(self.measures.footer_distance)

    def _apply_template_look(self, word: WordDocument) -> None:
        self._apply_page(word)
        self._apply_styles(word)

    def _apply_styles(self, word: WordDocument) -> None:
        fonts = self.doc.fonts
        normal = self._style(word, "Normal")
        normal.font.name = fonts.family
        normal.font.size = Pt(fonts.size)
        normal.paragraph_format.space_after = Pt(self.measures.paragraph_after)
        # Lines exactly as far apart as the PDF sets them (the size x LINE_HEIGHT), not
        # Word's "1.15 lines" of the default template, 10 % more: or the pages differ.
        normal.paragraph_format.line_spacing = Pt(fonts.size * LINE_HEIGHT)
        for name in ("Header", "Footer"):
            style = self._style(word, name)
            style.font.size = Pt(fonts.small_size)
            style.paragraph_format.line_spacing = Pt(fonts.small_size * LINE_HEIGHT)
            style.paragraph_format.tab_stops.clear_all()  # ours depend on the page
        for name, italic in (("Heading 1", False), ("Heading 2", True), ("Title", False)):
            style = self._style(word, name)
            style.font.name = fonts.family
            style.font.size = Pt(fonts.heading_size)
            style.font.bold = True
            style.font.italic = italic
            style.font.color.rgb = RGBColor(0, 0, 0)
            rpr = style.element.get_or_add_rPr()
            for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rpr.get_or_add_rFonts().attrib.pop(qn(theme_attr), None)
            fmt = style.paragraph_format
            fmt.space_before = Pt(self.measures.heading_before)
            fmt.space_after = Pt(self.measures.heading_after)
            fmt.line_spacing = Pt(fonts.heading_size * LINE_HEIGHT)
            fmt.keep_with_next = True
        title = self._style(word, "Title")
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(self.measures.title_after)
        ppr = title.element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
        rpr = title.element.get_or_add_rPr()
        for spacing in rpr.findall(qn("w:spacing")) + rpr.findall(qn("w:kern")):
            rpr.remove(spacing)

    def _import_missing_styles(self, word: WordDocument) -> None:
        """Bring in Briefer's definition of each style the reference lacks, and say so."""
        for style in word.styles:
            if style.name in NEEDED_STYLES and style.type != WD_STYLE_TYPE.PARAGRAPH:
                style.name = f"{style.name} ({style.type.name.lower()})"  # keep its uses
        present = {s.name for s in word.styles}
        missing = [name for name in NEEDED_STYLES if name not in present]
        if not missing:
            return
        default = docx.Document()
        ids = {s.style_id for s in word.styles}
        has_default = any(
            s.element.default and s.type == WD_STYLE_TYPE.PARAGRAPH for s in word.styles
        )
        for name in missing:
            element = copy.deepcopy(default.styles[name].element)
            style_id = element.get(qn("w:styleId"))
            if style_id in ids:  # taken by a style of another type: ours gets its own id
                element.set(qn("w:styleId"), f"Briefer{style_id}")
            if has_default:
                element.attrib.pop(qn("w:default"), None)
            ppr = element.find(qn("w:pPr"))
            if ppr is not None:
                for num_pr in ppr.findall(qn("w:numPr")):
                    ppr.remove(num_pr)  # each list paragraph carries its own numbering
            for link in element.findall(qn("w:link")):
                element.remove(link)
            based = element.find(qn("w:basedOn"))
            if based is not None and based.get(qn("w:val")) not in {
                s.style_id for s in word.styles
            }:
                element.remove(based)
            word.styles.element.append(element)
            self.added_styles.append(name)

    def _set_east_asian_default(self, word: WordDocument) -> None:
        styles_el = word.styles.element
        defaults = styles_el.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            styles_el.insert(0, defaults)
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), self.east_asian)
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), LANGUAGE)  # the document language, as the PDF declares it
        lang.set(qn("w:eastAsia"), "zh-CN")

    def _page_furniture(
        self, word: WordDocument, section: Section | None = None, numbered: bool = True
    ) -> None:
        """The banner at the top and foot of every page, "Page N of M" at the right of the
        foot (unless ``numbered`` is off: a book's cover, contents and tab dividers), and a
        draft's stamp and watermark."""
        section = section if section is not None else word.sections[0]
        numbered = numbered and self.doc.page_numbers
        banner = self.doc.banner
        headers = [section.header]
        footers = [section.footer]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
            footers.append(section.first_page_footer)
        for header in headers:
            header.is_linked_to_previous = False
            if banner:
                para = wordxml.prepend_paragraph(header)
                self._set_style(word, para, "Header")
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self._run(para, banner, bold=True)
            if self.doc.draft:
                para = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
                para._p.append(wordxml.watermark("DRAFT", self.doc.fonts.family))
        page = self.doc.page
        width = Pt(page.width - page.left - page.right)
        for footer in footers:
            footer.is_linked_to_previous = False
            # The letterhead's own page numbering gives way to the memo's "Page N of M".
            if self.reference is not None:
                from briefer.render.reference import has_page_field

                for para_el in footer._element.findall(qn("w:p")):
                    if has_page_field(para_el):
                        footer._element.remove(para_el)
            paragraphs = footer.paragraphs
            empty = len(paragraphs) == 1 and not paragraphs[0].text.strip()
            para = paragraphs[0] if empty else footer.add_paragraph()
            self._set_style(word, para, "Footer")
            # One line, as in the PDF: a draft's stamp at the left, the banner centred,
            # "Page N of M" at the right.
            tabs = para.paragraph_format.tab_stops
            tabs.add_tab_stop(Pt(width.pt / 2), WD_TAB_ALIGNMENT.CENTER)
            tabs.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            self._run(para, f"{self.doc.draft or ''}\t")
            if banner:
                self._run(para, banner, bold=True)
            if not numbered:
                continue
            self._run(para, f"\t{self.doc.page_prefix}Page ")
            wordxml.add_field(para, "PAGE")
            self._run(para, " of ")
            if self.doc.page_total is not None:
                self._run(para, str(self.doc.page_total))
            else:
                wordxml.add_field(para, "NUMPAGES")

    def append_to(self, word: WordDocument, section: Section) -> Iterator[tuple[int, int]]:
        """Write this document into ``section``, the last of a larger Word file (a book's
        tab): its page, furniture and blocks; the file's styles are the first tab's."""
        self._apply_page(word, section)
        self._page_furniture(word, section)
        total = len(self.doc.blocks)
        for done in self._add_blocks(word):
            yield done, total

    def _add_blocks(self, word: WordDocument) -> Iterator[int]:
        """Add every block, yielding how many are done. A block the layout holds with the
        next (``layout.kept_with_next``) keeps with it and whole, as does that next block:
        the PDF keeps the two in one piece, and so the pages break alike."""
        held = kept_with_next(self.doc.blocks)
        for index, block in enumerate(self.doc.blocks):
            self._add(word, block)
            last = self._last_paragraph(word) if index in held or index - 1 in held else None
            if last is not None:
                last.paragraph_format.keep_together = True
                if index in held:
                    last.paragraph_format.keep_with_next = True
            yield index + 1

    def _set_properties(self, word: WordDocument) -> None:
        """Core properties from the memo only; nothing of the reference's survives."""
        props = word.core_properties
        now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
        title, author = _property(self.doc.title), _property(self.doc.author)
        props.title = title
        props.subject = title
        props.author = author
        props.last_modified_by = author
        props.category = ""
        props.comments = ""
        props.keywords = ""
        props.content_status = ""
        props.identifier = ""
        props.language = LANGUAGE
        props.version = ""
        props.revision = 1
        props.created = now
        props.modified = now
        printed = props._element.find(qn("cp:lastPrinted"))
        if printed is not None:
            props._element.remove(printed)
        package = word.part.package
        for rel in list(package.rels.values()):
            if rel.reltype == RT.EXTENDED_PROPERTIES:
                rel._target._blob = _APP_XML.encode()  # Company, Manager, Template...
            elif rel.reltype == RT.CUSTOM_PROPERTIES:
                package.rels.pop(rel.rId)
        if not any(rel.reltype == RT.EXTENDED_PROPERTIES for rel in package.rels.values()):
            part = Part(
                PackURI("/docProps/app.xml"),
                "application/vnd.openxmlformats-officedocument.extended-properties+xml",
                _APP_XML.encode(),
                package,
            )
            package.relate_to(part, RT.EXTENDED_PROPERTIES)

    # -- blocks -----------------------------------------------------------------------
    def _paragraph(self, word: WordDocument, style: str = "Normal") -> WordParagraph:
        """A new body paragraph in ``style``."""
        if self._body_end is None:
            # New paragraphs go before the body's page set-up, found once: python-docx's
            # add_paragraph looks for it from the first paragraph every time (a
            # 2,600-page memo took 87 s). A section break keeps the same element.
            self._body_end = word.element.body.find(qn("w:sectPr"))
        p = OxmlElement("w:p")
        self._body_end.addprevious(p)
        para = WordParagraph(p, word._body)
        self._set_style(word, para, style)
        return para

    def _style(self, word: WordDocument, name: str) -> ParagraphStyle:
        """A style by its name, as ``word.styles[name]`` finds it; that runs an XPath
        query over every style each time, so the names are read once (after a
        reference's missing styles were brought in)."""
        if self._by_name is None:
            self._by_name = {}
            for element in word.styles.element.iterchildren(qn("w:style")):
                label = element.find(qn("w:name"))
                if label is not None:
                    self._by_name.setdefault(label.get(qn("w:val")), element)
        return cast(ParagraphStyle, StyleFactory(self._by_name[BabelFish.ui2internal(name)]))

    def _set_style(self, word: WordDocument, para: WordParagraph, style: str) -> None:
        """Style ids are looked up once: python-docx's ``para.style = ...`` scans every
        style each time, which was half the export time."""
        if style not in self._style_ids:
            found = self._style(word, style)
            self._style_ids[style] = None if found.element.default else found.style_id
        style_id = self._style_ids[style]
        if style_id is not None:
            para._p.style = style_id

    def _add(self, word: WordDocument, block: b.Block) -> None:
        if isinstance(block, b.Title):
            self._run(self._paragraph(word, "Title"), block.text)
        elif isinstance(block, b.HeaderField):
            para = self._paragraph(word)
            indent = Pt(self.measures.label_width)
            para.paragraph_format.left_indent = indent
            para.paragraph_format.first_line_indent = -indent
            para.paragraph_format.tab_stops.add_tab_stop(indent, WD_TAB_ALIGNMENT.LEFT)
            para.paragraph_format.space_after = Pt(self.measures.header_row_after)
            self._run(para, f"{block.label}:", bold=True)
            self._run(para, "\t")
            self._run(para, block.value)
        elif isinstance(block, b.Heading):
            style = "Heading 1" if block.level == 1 else "Heading 2"
            self._run(self._paragraph(word, style), block.text)
        elif isinstance(block, b.Paragraph):
            para = self._paragraph(word)
            self._runs(para, block.runs, block.portion)
        elif isinstance(block, b.ListItem):
            self._list_item(word, block)
        elif isinstance(block, b.Decision):
            self._keep_previous(word)  # the decision line stays with its recommendation
            para = self._paragraph(word)
            para.paragraph_format.space_before = Pt(self.measures.decision_before)
            gap = " " * DECISION_GAP
            self._run(para, gap.join(f"{o} {DECISION_LINE}" for o in block.options))
        elif isinstance(block, b.Clearance):
            self._keep_previous(word)  # never a page holding only the clearance lines
            para = self._paragraph(word)
            para.paragraph_format.space_after = Pt(0)
            self._run(para, f"{block.label}: ", bold=True)
            self._run(para, block.value or BLANK_LINE)
        elif isinstance(block, b.Authority):
            para = self._paragraph(word)
            para.paragraph_format.space_after = Pt(self.measures.header_row_after)
            self._run(para, f"{block.label}: ", bold=True)
            self._run(para, block.value or BLANK_LINE)
        elif isinstance(block, b.SourceEntry):
            # A real numbered list (Word renumbers it), numbered as the citations are.
            para = self._paragraph(word)
            num_pr = para._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = self._sources_num(word, block.number)
            self._run(para, block.text)
            if block.url:
                self._run(para, " ")
                self._hyperlink(para, b.Run(block.url, href=block.url))
        elif isinstance(block, b.PageBreak):
            self._paragraph(word).add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, (b.Cover, b.Divider)):
            big = self.doc.fonts.heading_size * COVER_SCALE
            first, lines = (
                (block.title, block.lines)
                if isinstance(block, b.Cover)
                else (f"Tab {block.number}", (block.title,))
            )
            para = self._paragraph(word, "Title")
            para.paragraph_format.space_before = Pt(self.doc.page.height * COVER_DROP)
            para.paragraph_format.line_spacing = Pt(big * LINE_HEIGHT)
            self._run(para, first).font.size = Pt(big)
            for index, line in enumerate(lines):
                para = self._paragraph(word, "Title" if isinstance(block, b.Divider) else "Normal")
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self._run(para, line)
                if isinstance(block, b.Cover) and index == len(lines) - 1:
                    para.paragraph_format.space_after = Pt(0)
        elif isinstance(block, b.ContentsEntry):
            # "Tab 2   Title ......... 7": the page at the right margin, after dots.
            para = self._paragraph(word)
            page = self.doc.page
            width = Pt(page.width - page.left - page.right)
            indent = Pt(self.measures.label_width)
            fmt = para.paragraph_format
            fmt.left_indent = indent
            fmt.first_line_indent = -indent
            fmt.right_indent = Pt(self.doc.fonts.size * 3)
            fmt.tab_stops.add_tab_stop(indent, WD_TAB_ALIGNMENT.LEFT)
            fmt.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            self._run(para, f"Tab {block.number}", bold=True)
            self._run(para, f"\t{block.title}\t{block.page}")

    def _keep_previous(self, word: WordDocument) -> None:
        last = self._last_paragraph(word)
        if last is not None:
            last.paragraph_format.keep_with_next = True

    @staticmethod
    def _last_paragraph(word: WordDocument) -> WordParagraph | None:
        tag = qn("w:p")
        for element in reversed(word.element.body):  # from the end: the section follows
            if element.tag == tag:
                return WordParagraph(element, word._body)
        return None

    def _list_item(self, word: WordDocument, block: b.ListItem) -> None:
        level = min(block.level, 2)
        base = "List Number" if block.ordered else "List Bullet"
        style = base if level == 0 else f"{base} {level + 1}"
        para = self._paragraph(word, style)
        num_id = self._num_for(word, block)
        ppr = para._p.get_or_add_pPr()
        num_pr = ppr.get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num_id
        para.paragraph_format.space_after = Pt(self.measures.list_after)
        # Word's list styles drop the space between items of one style ("contextual
        # spacing"); the PDF keeps it, so the Word file does too and both break alike.
        contextual = OxmlElement("w:contextualSpacing")
        contextual.set(qn("w:val"), "0")
        ppr.append(contextual)
        self._runs(para, block.runs, block.portion)

    def _numbers(self, word: WordDocument) -> wordxml.Numbering:
        if self._numbering is None:
            self._numbering = wordxml.Numbering(word)
        return self._numbering

    def _num_for(self, word: WordDocument, block: b.ListItem) -> int:
        """A numbering instance per list, so every card's numbered list starts again."""
        if block.list_id not in self._nums:
            abstract_id = _ORDERED_ABSTRACT_ID if block.ordered else _BULLET_ABSTRACT_ID
            start = block.number if block.ordered else 1
            self._nums[block.list_id] = self._numbers(word).add(
                abstract_id,
                lambda: wordxml.abstract_num(abstract_id, block.ordered, self.measures),
                [start, 1, 1],
            )
        return self._nums[block.list_id]

    def _sources_num(self, word: WordDocument, first: int) -> int:
        """The numbering of the sources list: decimal, hanging as the PDF's."""
        if _SOURCES_LIST not in self._nums:
            hang = round(self.measures.source_hang * 20)
            self._nums[_SOURCES_LIST] = self._numbers(word).add(
                _SOURCES_ABSTRACT_ID,
                lambda: wordxml.sources_abstract(_SOURCES_ABSTRACT_ID, hang),
                [first],
            )
        return self._nums[_SOURCES_LIST]

    def _runs(self, para: WordParagraph, runs: tuple[b.Run, ...], portion: str | None) -> None:
        if portion:
            self._run(para, f"{portion} ")
        for run in runs:
            if run.href:
                self._hyperlink(para, run)
            else:
                self._run(para, run.text, run.bold, run.italic)

    def _run(self, para: WordParagraph, text: str, bold: bool = False, italic: bool = False) -> Any:
        # The run's properties are put in directly, in the schema's order (rFonts, b, i):
        # what run.bold and the other setters make, at a fifth of the cost per run.
        r = para._p.add_r()
        props = r.get_or_add_rPr()
        fonts = OxmlElement("w:rFonts", {qn("w:eastAsia"): self.east_asian})
        props.append(fonts)
        if bold:
            props.append(OxmlElement("w:b"))
        if italic:
            props.append(OxmlElement("w:i"))
        if "\t" in text or "\n" in text or "\r" in text:
            r.text = text  # maps "\t" to <w:tab/> and "\n" to <w:br/>
        elif text:
            r.add_t(text)  # one <w:t>, spaces at its ends kept (as the setter does)
        return WordRun(r, para)

    def _hyperlink(self, para: WordParagraph, run: b.Run) -> None:
        assert run.href is not None
        r_id = para.part.relate_to(run.href, RT.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), r_id)
        new = self._run(para, run.text, run.bold, run.italic)
        new.font.underline = True
        new.font.color.rgb = RGBColor(*LINK_COLOUR)
        para._p.remove(new._r)
        link.append(new._r)
        para._p.append(link)


def _property(text: str) -> str:
    """A document property: one line, at most the 255 characters Word allows."""
    line = " ".join(text.split())
    return line if len(line) <= 255 else line[:254] + "…"
