"""The contract both writers pass: whatever the Word file shows, the PDF shows too."""

from __future__ import annotations

import re

import pytest

from tests.render.conftest import MEMO, export, make_memo, read_back, squash

FORMATS = ["docx", "pdf"]


@pytest.fixture(params=FORMATS)
def out(request, workspace, tmp_path):
    path = tmp_path / f"memo.{request.param}"
    result = export(make_memo(), workspace, path)
    output = read_back(path)
    output.result = result  # type: ignore[attr-defined]
    return output


def test_header_block(out):
    text = squash(out.text)
    for part in ["ACTIONMEMO", "TO:", "TheSecretary", "FROM:", "OfficeofClimateDiplomacy"]:
        assert part in text
    assert "SUBJECT:(U)Contractmemosubject" in text
    assert "DATE:November22,2026" in text
    assert "THROUGH" not in text  # empty fields are left out


def test_headings_in_template_order(out):
    assert out.headings == [
        "Bottom Line Up Front",
        "Recommendation",
        "Background",
        "Discussion",
        "Sources",
    ]


def test_paragraph_text_and_inline_formats(out):
    text = squash(out.text)
    assert squash("Strategy paragraph one with bold words and italic words.") in text
    assert squash("Initiative text, see the site.") in text
    assert squash("Bottom line sentence.") in text


def test_list_items_and_restarted_numbering(out):
    text = out.text
    for item in ["first step", "second step", "alpha item", "beta item", "nested bullet"]:
        assert item in text
    if out.fmt == "pdf":
        # each card's numbered list starts again at 1
        assert re.search(r"1\.\s*\(U\)\s*first step", text)
        assert re.search(r"1\.\s*\(SBU\)\s*alpha item", text)
        assert re.search(r"2\.\s*\(SBU\)\s*beta item", text)
    else:
        import docx

        document = docx.Document(str(out.path))
        numbered = {
            p.text.split(" [")[0]: p._p.pPr.numPr.numId.val
            for p in document.paragraphs
            if p.style.name.startswith("List Number")
        }
        assert numbered["(U) first step"] == numbered["(U) second step"]
        assert numbered["(U) first step"] != numbered["(SBU) alpha item"]
        numbering = document.part.numbering_part.element
        for num_id in set(numbered.values()):
            start = numbering.xpath(
                f'./w:num[@w:numId="{num_id}"]/w:lvlOverride[@w:ilvl="0"]/w:startOverride/@w:val'
            )
            assert start == ["1"]


def test_banner_is_highest_marking_top_and_bottom(out):
    banner = "SENSITIVE BUT UNCLASSIFIED"
    for top in out.header_texts:
        assert banner in top
    for bottom in out.footer_texts:
        assert banner in bottom
    assert len(out.header_texts) == len(out.pages)


def test_portion_marks(out):
    text = squash(out.text)
    assert squash("(SBU) Initiative card. Initiative text") in text
    assert squash("(U) Background card. Background sentence") in text
    assert squash("(U) Bottom line sentence.") in text


def test_page_n_of_m_footer(out):
    if out.fmt == "pdf":
        total = len(out.pages)
        for number, footer in enumerate(out.footer_texts, start=1):
            assert f"Page {number} of {total}" in footer
    else:
        footer = out.footer_texts[0]
        assert "Page" in footer
        assert "PAGE" in footer
        assert "NUMPAGES" in footer


def test_sources_numbered_deduplicated_and_cited(out):
    text = out.text
    assert text.count("Shared Paper") == 1
    if out.fmt == "pdf":
        entries = re.findall(r"^\s*(\d)\.\s*(Shared|Second|Third) Paper", text, re.M)
    else:  # a real Word list: the numbers come from its numbering, not typed text
        import docx

        document = docx.Document(str(out.path))
        numbering = document.part.numbering_part.element
        listed = [
            p
            for p in document.paragraphs
            if p.text.endswith(("Press. 2020.", "Paper.")) or p.text.startswith("Second Paper")
        ]
        num_ids = {p._p.pPr.numPr.numId.val for p in listed}
        assert len(num_ids) == 1
        (num_id,) = num_ids
        abstract = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
        assert numbering.xpath(
            f'./w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl[@w:ilvl="0"]/w:numFmt/@w:val'
        ) == ["decimal"]
        entries = [(str(i + 1), p.text.split()[0]) for i, p in enumerate(listed)]
    assert entries == [("1", "Shared"), ("2", "Second"), ("3", "Third")]
    assert "https://example.org/second" in text
    assert "[1]" in text  # strat, bg
    assert "[1, 2]" in text  # init cites both
    assert "[3]" in text


def test_recommendation_and_clearance_lines(out):
    text = squash(out.text)
    assert "Approve" in text
    assert "Disapprove" in text
    assert text.index("Approve") > text.index(squash("That you approve the contract"))
    # each recommendation has its own decision line; a card shows its short form there
    assert text.count("Disapprove") == 2
    short = text.index(squash("That you approve the strategy in its short form."))
    assert text.index("Disapprove", text.index("Disapprove") + 1) > short
    assert "Draftedby:A.Drafter" in text
    assert "Cleared:B.Clearer" in text


def test_progress_reaches_the_end(workspace, tmp_path):
    from briefer.render.export import ExportResult, iter_export

    for suffix in (".pdf", ".docx"):
        steps = list(
            iter_export(
                make_memo(), tmp_path / f"p{suffix}", workspace, None, ExportResult(tmp_path)
            )
        )
        done = [d for d, _ in steps]
        assert done == sorted(done)
        assert steps[-1][0] == steps[-1][1]
        assert len(steps) > 5


@pytest.mark.parametrize("fmt", FORMATS)
def test_memo_marking_raises_never_lowers(fmt, workspace, tmp_path):
    raised = MEMO.replace("template: action-memo", "template: action-memo\nmarking: C")
    path = tmp_path / f"c.{fmt}"
    export(make_memo(raised), workspace, path)
    assert "CONFIDENTIAL" in read_back(path).header_texts[0]
    lowered = MEMO.replace("template: action-memo", "template: action-memo\nmarking: U")
    path = tmp_path / f"u.{fmt}"
    export(make_memo(lowered), workspace, path)
    assert "SENSITIVE BUT UNCLASSIFIED" in read_back(path).header_texts[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_portion_marks_when_template_says_off(fmt, workspace, tmp_path, repo):
    import shutil

    tdir = tmp_path / "templates"
    tdir.mkdir()
    text = (repo / "templates" / "action-memo.yaml").read_text(encoding="utf-8")
    (tdir / "action-memo.yaml").write_text(
        text.replace("portion_marks: true", "portion_marks: false"), encoding="utf-8"
    )
    from briefer.core.workspace import Workspace

    ws = Workspace.load(workspace.library_dirs, tdir)
    path = tmp_path / f"n.{fmt}"
    export(make_memo(), ws, path)
    assert "(U)" not in read_back(path).text
    assert "(SBU)" not in read_back(path).text
    shutil.rmtree(tdir)


@pytest.mark.parametrize("fmt", FORMATS)
def test_page_size_from_template(fmt, workspace, tmp_path, repo):
    tdir = tmp_path / "templates"
    tdir.mkdir()
    text = (repo / "templates" / "action-memo.yaml").read_text(encoding="utf-8")
    (tdir / "action-memo.yaml").write_text(
        text.replace("size: letter", "size: a4").replace("left: 1in", "left: 2cm"),
        encoding="utf-8",
    )
    from briefer.core.workspace import Workspace

    ws = Workspace.load(workspace.library_dirs, tdir)
    path = tmp_path / f"a4.{fmt}"
    export(make_memo(), ws, path)
    if fmt == "pdf":
        from pypdf import PdfReader

        box = PdfReader(str(path)).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    else:
        import docx

        section = docx.Document(str(path)).sections[0]
        assert round(section.page_width.pt) == 595
        assert round(section.page_height.pt) == 842
        assert round(section.left_margin.cm, 1) == 2.0


@pytest.mark.parametrize("fmt", FORMATS)
def test_rule_is_a_page_break(fmt, workspace, tmp_path):
    text = MEMO.replace(
        "    - text: Bottom line sentence.",
        "    - text: |\n        Before the break.\n\n        ***\n\n        After the break.",
    )
    path = tmp_path / f"pb.{fmt}"
    export(make_memo(text), workspace, path)
    out = read_back(path)
    if fmt == "pdf":
        first = next(i for i, page in enumerate(out.pages) if "Before the break." in page)
        assert "After the break." not in out.pages[first]
        assert "After the break." in out.pages[first + 1]
    else:
        import docx
        from docx.oxml.ns import qn

        body = docx.Document(str(path)).element.body
        breaks = [br for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
        assert len(breaks) == 1
        texts = [p.text for p in docx.Document(str(path)).paragraphs]
        assert texts.index("(U) Before the break.") < texts.index("(U) After the break.")


def test_card_ending_in_a_rule_keeps_its_citation(workspace):
    from briefer.render.compose import compose

    memo = make_memo()
    memo.sections["background"][0].body = "Only text.\n\n***\n"
    document = compose(memo, workspace.library, workspace.templates)
    assert any(t.endswith("Only text. [1]") for t in document.text_blocks())
