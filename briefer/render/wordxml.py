"""The raw WordprocessingML pieces python-docx has no API for: list numbering, page-number
fields, the draft watermark, a paragraph put before a letterhead's own, and the parts of
python-docx's own document that a memo leaves out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph as WordParagraph

from briefer.render.layout import ORDERED_FORMATS, Measures, bullet


def abstract_num(abstract_id: int, ordered: bool, measures: Measures) -> Any:
    """An abstract list of nine levels, bulleted or numbered, indented as the PDF's lists."""
    levels = []
    hang = round(measures.list_step * 20)  # twips
    for lvl in range(9):
        indent = round(measures.list_indent(lvl) * 20)
        if ordered:
            fmt = ORDERED_FORMATS[lvl % len(ORDERED_FORMATS)]
            text = f"%{lvl + 1}."
            font = ""
        else:
            fmt = "bullet"
            text = bullet(lvl)
            font = '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr>'
        levels.append(
            f'<w:lvl w:ilvl="{lvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent}" w:hanging="{hang}"/></w:pPr>{font}</w:lvl>'
        )
    return parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>'
    )


# Parts of python-docx's default document that are not the memo's: a thumbnail of that
# document (file browsers show it as the memo's picture), a bibliography store, and Word
# 2010's second copy of the styles (430 KB, a third of the time to save). A reference
# document loses the same (reference.KEEP).
FOREIGN_PARTS = frozenset(
    {
        RT.THUMBNAIL,
        RT.CUSTOM_XML,
        "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    }
)


def drop_foreign_parts(word: WordDocument) -> None:
    """Leave python-docx's own thumbnail, bibliography store and style copy out."""
    for rels in (word.part.package.rels, word.part.rels):
        for r_id in [r.rId for r in rels.values() if r.reltype in FOREIGN_PARTS]:
            rels.pop(r_id)


def sources_abstract(abstract_id: int, hang: int) -> Any:
    """The Sources list's numbering: decimal, hanging ``hang`` twips, as the PDF's."""
    return parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{hang}" w:hanging="{hang}"/>'
        "</w:pPr></w:lvl></w:abstractNum>"
    )


class Numbering:
    """The document's list numbering, added to one instance after another. The ids in use
    are read once: reading them again for every list made a memo of 6,000 lists slow."""

    def __init__(self, word: WordDocument) -> None:
        self.element = word.part.numbering_part.element
        self.next_id = max([0, *(int(n) for n in self.element.xpath("./w:num/@w:numId"))]) + 1
        self.abstracts = {int(a) for a in self.element.xpath("./w:abstractNum/@w:abstractNumId")}

    def add(self, abstract_id: int, make_abstract: Callable[[], Any], starts: list[int]) -> int:
        """A new numbering instance of an abstract list (added once, before the instances,
        as Word requires), each level starting where ``starts`` says; returns its id."""
        if abstract_id not in self.abstracts:
            first_num = self.element.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(make_abstract())
            else:
                self.element.append(make_abstract())
            self.abstracts.add(abstract_id)
        num_id, self.next_id = self.next_id, self.next_id + 1
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            for level, start in enumerate(starts)
        )
        self.element.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
            )
        )
        return num_id


def add_field(para: WordParagraph, code: str) -> None:
    """A complex field (PAGE, NUMPAGES) that Word and LibreOffice compute."""

    def fld_char(kind: str) -> Any:
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
        return run

    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    instr_run.append(instr)
    shown_run = OxmlElement("w:r")
    shown = OxmlElement("w:t")
    shown.text = "1"  # placeholder until the reader computes the field
    shown_run.append(shown)
    for run in (fld_char("begin"), instr_run, fld_char("separate"), shown_run, fld_char("end")):
        para._p.append(run)


def watermark(text: str, family: str) -> Any:
    """A Word watermark: pale text across the page behind the body (a VML text path in the
    header, as Word's own Design › Watermark writes it; LibreOffice shows it too)."""
    font = family.replace('"', "")
    return parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office"><w:pict>'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
        '<v:textpath on="t" fitshape="t"/></v:shapetype>'
        '<v:shape id="BrieferDraftWatermark" type="#_x0000_t136" o:allowincell="f" '
        'style="position:absolute;margin-left:0;margin-top:0;width:460pt;height:115pt;'
        "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" fillcolor="silver" stroked="f">'
        '<v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{text}"/>'
        "</v:shape></w:pict></w:r>"
    )


def prepend_paragraph(container: Any) -> WordParagraph:
    """A new paragraph before whatever the header already holds (a letterhead, say)."""
    paragraphs = container.paragraphs
    if (
        len(paragraphs) == 1
        and not paragraphs[0].text.strip()
        and not paragraphs[0]._p.xpath(".//w:drawing|.//w:fldChar|.//w:fldSimple|.//w:pict")
    ):
        return paragraphs[0]
    if paragraphs:
        return paragraphs[0].insert_paragraph_before()
    return container.add_paragraph()
