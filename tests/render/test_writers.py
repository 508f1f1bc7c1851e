"""Format-specific checks: metadata, Word styles, reference documents, atomic output."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfReader

from briefer.cli import main
from briefer.core.problems import BrieferError
from briefer.render import blocks as b
from briefer.render.export import ExportResult, iter_export
from briefer.render.layout import KEEP_CHARS, kept_with_next
from tests.render.conftest import TODAY, export, make_memo, read_back


def test_pdf_metadata_and_outline(workspace, tmp_path):
    path = tmp_path / "m.pdf"
    export(make_memo(), workspace, path)
    reader = PdfReader(str(path))
    assert reader.metadata.title == "Contract memo subject"
    assert reader.metadata.author == "Office of Climate Diplomacy"
    titles = [item.title for item in reader.outline]
    assert titles == [
        "Bottom Line Up Front",
        "Recommendation",
        "Background",
        "Discussion",
        "Sources",
    ]


def test_docx_uses_real_word_styles(workspace, tmp_path):
    path = tmp_path / "m.docx"
    export(make_memo(), workspace, path)
    document = docx.Document(str(path))
    by_style: dict[str, list[str]] = {}
    for p in document.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"] == ["ACTION MEMO"]
    assert "Recommendation" in by_style["Heading 1"]
    assert any("first step" in t for t in by_style["List Number"])
    assert any("nested bullet" in t for t in by_style["List Bullet 2"])
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 12
    section = document.sections[0]
    assert round(section.page_width.inches, 2) == 8.5
    assert round(section.left_margin.inches, 2) == 1.0


def test_docx_hyperlink_and_core_properties(workspace, tmp_path):
    path = tmp_path / "m.docx"
    export(make_memo(), workspace, path)
    document = docx.Document(str(path))
    links = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert "https://example.org/page" in links
    props = document.core_properties
    assert props.title == "Contract memo subject"
    assert props.author == "Office of Climate Diplomacy"
    assert props.revision == 1


def test_docx_carries_nothing_of_python_docx_s_own_document(workspace, tmp_path):
    # The memo is the file: no picture of another document for file browsers to show,
    # no bibliography store, no second copy of the styles (as with a reference document).
    path = tmp_path / "m.docx"
    export(make_memo(), workspace, path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert not [n for n in names if "thumbnail" in n or "customXml" in n or "WithEffects" in n]
    assert {"word/document.xml", "word/styles.xml", "word/numbering.xml"} <= set(names)
    document = docx.Document(str(path))  # and python-docx still reads it whole
    assert document.paragraphs[0].text == "ACTION MEMO"


def _reference_without_list_styles(path):
    """A Word file like one saved from Word: letterhead, PAGE field, no list styles."""
    ref = docx.Document()
    styles = ref.styles.element
    for name in ("List Bullet", "List Bullet 2", "List Number", "List Number 2"):
        styles.remove(ref.styles[name].element)
    header = ref.sections[0].header
    header.paragraphs[0].text = "MINISTRY LETTERHEAD"
    footer_p = ref.sections[0].footer.paragraphs[0]
    footer_p.text = "Folio "
    for kind, text in (("begin", None), ("instr", " PAGE "), ("end", None)):
        run = OxmlElement("w:r")
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run.append(el)
        footer_p._p.append(run)
    ref.add_paragraph("Old body text from the reference")
    props = ref.core_properties
    props.author = "Someone Else"
    props.last_modified_by = "Someone Else"
    props.comments = "secret comment"
    props.revision = 42
    ref.save(str(path))


def test_reference_docx_lacking_list_styles(workspace, tmp_path):
    ref = tmp_path / "ref.docx"
    _reference_without_list_styles(ref)
    path = tmp_path / "m.docx"
    result = export(make_memo(), workspace, path, reference=ref)
    assert any("lacks the style 'List Bullet'" in w for w in result.warnings)
    assert any("lacks the style 'List Number'" in w for w in result.warnings)
    document = docx.Document(str(path))
    names = {s.name for s in document.styles}
    assert {"List Bullet", "List Number"} <= names
    texts = [p.text for p in document.paragraphs]
    assert "Old body text from the reference" not in texts
    assert any("first step" in t for t in texts)
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert "MINISTRY LETTERHEAD" in header
    assert "SENSITIVE BUT UNCLASSIFIED" in header
    footer = document.sections[0].footer._element
    # The letterhead's own page number gives way to the memo's "Page N of M".
    assert footer.xpath(".//w:instrText/text()") == [" PAGE ", " NUMPAGES "]
    assert "Folio" not in "".join(footer.xpath(".//w:t/text()"))
    props = document.core_properties
    assert props.author == "Office of Climate Diplomacy"
    assert props.last_modified_by == "Office of Climate Diplomacy"
    assert props.comments == ""
    assert props.revision == 1


def test_cli_reference_docx_option(workspace, tmp_path, capsys, repo):
    ref = tmp_path / "ref.docx"
    _reference_without_list_styles(ref)
    memo = repo / "content" / "memos" / "power-sector-dialogue.brief.yaml"
    out = tmp_path / "cli.docx"
    code = main(["export", str(memo), "-o", str(out), "--reference-docx", str(ref)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Briefer added its own definition" in captured.err
    assert "MINISTRY LETTERHEAD" in read_back(out).header_texts[0]


def test_bad_reference_docx_is_a_clear_error(workspace, tmp_path):
    ref = tmp_path / "not-word.docx"
    ref.write_text("plain text", encoding="utf-8")
    with pytest.raises(BrieferError, match="is not a Word"):
        export(make_memo(), workspace, tmp_path / "m.docx", reference=ref)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_failed_export_leaves_earlier_file_untouched(fmt, workspace, tmp_path, monkeypatch):
    out = tmp_path / f"keep.{fmt}"
    out.write_bytes(b"EARLIER VERSION")
    target = (
        "briefer.render.pdf.PdfWriter._flowables"
        if fmt == "pdf"
        else ("briefer.render.docx.DocxWriter._add")
    )

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(target, explode)
    with pytest.raises(RuntimeError):
        list(iter_export(make_memo(), out, workspace, None, ExportResult(out), TODAY))
    assert out.read_bytes() == b"EARLIER VERSION"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".keep")) == []


def test_cli_export_success_and_errors(tmp_path, capsys, repo):
    memo = repo / "content" / "memos" / "state-of-play.brief.yaml"
    out = tmp_path / "memo.pdf"
    assert main(["export", str(memo), "-o", str(out)]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")

    bad = tmp_path / "bad.brief.yaml"
    bad.write_text(
        "template: one-pager\nsections:\n  bottom-line:\n    - card: missing-card\n",
        encoding="utf-8",
    )
    assert main(["export", str(bad), "-o", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "bad.brief.yaml:4:13: unknown card 'missing-card'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()

    assert main(["export", str(memo), "-o", str(tmp_path / "x.odt")]) == 2
    assert "name it .docx for Word or .pdf" in capsys.readouterr().err

    assert main(["export", str(memo), "-o", str(tmp_path / "no" / "x.pdf")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_export_in_subprocess_has_no_traceback(tmp_path, repo):
    import subprocess
    import sys

    bad = tmp_path / "bad.brief.yaml"
    bad.write_text("template: [unclosed\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "briefer", "export", str(bad), "-o", str(tmp_path / "o.docx")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "YAML syntax error" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", [".pdf", ".docx"])
def test_a_cards_numbered_list_under_its_bullet_counts_in_letters_in_both(fmt, workspace, tmp_path):
    """In a bullet section a card's own numbered list nests beneath its bullet, and the
    second level counts a., b., as Word numbers it: the PDF says the same."""
    memo = make_memo(
        """
        template: briefing-checklist
        header: {event: Talks}
        sections:
          objectives:
            - card: strat
        """
    )
    out = tmp_path / f"nested{fmt}"
    export(memo, workspace, out)
    if fmt == ".pdf":
        text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
        flat = " ".join(text.split())
        assert "a. (U) first step b. (U) second step" in flat
        assert "1. (U) first step" not in flat
    else:
        document = docx.Document(str(out))
        para = next(p for p in document.paragraphs if p.text.endswith("first step"))
        num_pr = para._p.pPr.numPr
        assert num_pr.ilvl.val == 1
        numbering = document.part.numbering_part.element
        num = next(n for n in numbering.num_lst if n.numId == num_pr.numId.val)
        abstract = next(
            a
            for a in numbering.findall(qn("w:abstractNum"))
            if a.get(qn("w:abstractNumId")) == str(num.abstractNumId.val)
        )
        level = abstract.findall(qn("w:lvl"))[1]
        assert level.find(qn("w:numFmt")).get(qn("w:val")) == "lowerLetter"


def test_which_blocks_are_held_with_the_next():
    def item(text: str, level: int = 0) -> b.ListItem:
        return b.ListItem((b.Run(text),), level, False, 1, 1)

    def para(text: str) -> b.Paragraph:
        return b.Paragraph((b.Run(text),))

    blocks = [
        b.Heading("Discussion"),  # 0
        para("Lead-in:"),  # 1: leads into the list
        item("one"),  # 2
        item("two"),  # 3
        item("two and a half", level=1),  # 4: nested, the last of the run
        para("Between."),  # 5
        b.SourceEntry(1, "A source"),  # 6
        b.SourceEntry(2, "Another", "https://example.org"),  # 7
        b.SourceEntry(3, "The last"),  # 8
    ]
    assert kept_with_next(blocks) == {1, 3, 7}
    long = "x" * (KEEP_CHARS + 1)
    assert kept_with_next([para(long), item("a"), item(long)]) == set()
    assert kept_with_next([para("Lead-in:"), item("only")]) == {0}
    assert kept_with_next([item("a"), item("b"), b.Decision()]) == {0}


def test_a_pdf_layout_can_be_given_up_part_way(workspace):
    """The preview's renders stop when asked, between blocks and inside the layout."""
    from briefer.render.compose import compose
    from briefer.render.pdf import PdfWriter, Stopped

    document = compose(make_memo(), workspace.library, workspace.templates)
    blocks = len(document.blocks)
    asked: list[int] = []

    def stop_in_layout() -> bool:  # every block converted, then stop while laying out
        asked.append(1)
        return len(asked) > blocks + 2

    with pytest.raises(Stopped):
        PdfWriter(document, stop=stop_in_layout).to_bytes()
    assert len(asked) == blocks + 3
    with pytest.raises(Stopped):
        PdfWriter(document, stop=lambda: True).to_bytes()
    writer = PdfWriter(document, stop=lambda: False)
    assert writer.to_bytes().startswith(b"%PDF")
    assert writer.pages >= 1
