"""Memo conventions both files keep: the page budget everywhere, bookmarks on their pages,
the text column at the margins, widow control, label widths and the document language."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from briefer.cli import main
from tests.render.conftest import (
    LIST_ITEMS,
    LIST_LEAD_IN,
    list_near_page_foot,
    make_letterhead,
    page_of,
)

OVER = """\
template: one-pager
header: {subject: Too long for one page}
sections:
  bottom-line:
    - text: "{body}"
"""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def over_limit(tmp_path):
    path = tmp_path / "long.brief.yaml"
    path.write_text(OVER.replace("{body}", "Words that run on. " * 500), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_the_page_limit_holds_outside_the_window(capsys, tmp_path, over_limit, suffix):
    out = tmp_path / f"long{suffix}"
    code, _, err = run(capsys, "export", str(over_limit), "-o", str(out))
    assert code == 0
    assert "warning: the memo runs to" in err
    assert "over the 1-page limit of template 'one-pager'" in err
    earlier = out.read_bytes()
    code, _, err = run(capsys, "export", str(over_limit), "-o", str(out), "--strict")
    assert code == 2
    assert "not written (--strict)" in err
    assert out.read_bytes() == earlier  # the earlier output is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_validate_reports_the_page_limit(capsys, over_limit):
    code, out, err = run(capsys, "validate", str(over_limit))
    assert code == 0
    assert f"{over_limit.name}:1:1: warning: the memo runs to" in err.replace(
        str(over_limit.parent) + "/", ""
    )
    code, _, err = run(capsys, "validate", str(over_limit), "--strict")
    assert code == 2
    assert "--strict: warnings count as errors" in err


def test_the_bundled_examples_fit_their_limits(capsys):
    code, _, err = run(capsys, "validate", "--strict")
    assert code == 0, err


def test_bookmarks_point_at_their_pages_and_open(capsys, tmp_path, repo):
    out = tmp_path / "m.pdf"
    memo = repo / "content" / "memos" / "state-of-play.brief.yaml"
    assert run(capsys, "export", str(memo), "-o", str(out))[0] == 0
    reader = PdfReader(str(out))
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    assert reader.trailer["/Root"]["/Lang"] == "en-US"
    pages = [page.extract_text() for page in reader.pages]
    targets = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    assert len(set(targets.values())) > 1  # not all on page 1
    for title, index in targets.items():
        assert title in pages[index], (title, index)


def test_the_text_column_starts_at_the_margin(capsys, tmp_path, repo):
    out = tmp_path / "m.pdf"
    memo = repo / "content" / "memos" / "state-of-play.brief.yaml"
    assert run(capsys, "export", str(memo), "-o", str(out))[0] == 0
    lefts: list[float] = []

    def visit(text, cm, tm, font, size):  # noqa: ANN001, ANN202
        if text.strip():
            lefts.append(tm[4] * cm[0] + cm[4])

    PdfReader(str(out)).pages[0].extract_text(visitor_text=visit)
    assert min(lefts) == pytest.approx(72.0, abs=0.5)  # the 1-inch margin, as in Word


def test_word_sets_widow_control_and_language(capsys, tmp_path, repo):
    out = tmp_path / "m.docx"
    memo = repo / "content" / "memos" / "state-of-play.brief.yaml"
    assert run(capsys, "export", str(memo), "-o", str(out))[0] == 0
    document = docx.Document(str(out))
    assert document.styles["Normal"].paragraph_format.widow_control is True
    assert document.core_properties.language == "en-US"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-US"


def test_a_short_list_is_never_split_from_its_lead_in_or_its_last_item(capsys, tmp_path):
    """As the list nears the foot of page 1, it moves to page 2 whole: never the last item
    alone at the top of page 2, nor the lead-in alone at the foot of page 1."""
    moved = 0
    for filler in range(104, 124, 2):
        memo = list_near_page_foot(tmp_path, filler)
        out = tmp_path / f"{memo.stem}.pdf"
        assert run(capsys, "export", str(memo), "-o", str(out))[0] == 0
        pages = [page.extract_text() for page in PdfReader(str(out)).pages]
        where = {page_of(pages, text) for text in (LIST_LEAD_IN, *LIST_ITEMS)}
        assert len(where) == 1, (filler, pages)
        moved += where == {1} and page_of(pages, "Background comes first") == 0
    assert moved  # the sweep did reach the page foot


def test_word_holds_a_list_end_and_its_lead_in_as_the_pdf_does(capsys, tmp_path):
    out = tmp_path / "list.docx"
    assert run(capsys, "export", str(list_near_page_foot(tmp_path, 1)), "-o", str(out))[0] == 0
    found = {
        p.text.removeprefix("(U) "): p.paragraph_format for p in docx.Document(str(out)).paragraphs
    }
    lead_in, first, last = (found[t] for t in (LIST_LEAD_IN, *LIST_ITEMS))
    assert (lead_in.keep_with_next, lead_in.keep_together) == (True, True)
    assert (first.keep_with_next, first.keep_together) == (True, True)  # the last but one
    assert (last.keep_with_next, last.keep_together) == (None, True)
    before = found["Background comes first."]  # a paragraph that leads into no list
    assert (before.keep_with_next, before.keep_together) == (None, None)


def test_a_long_header_label_never_breaks(capsys, tmp_path):
    path = tmp_path / "p.brief.yaml"
    path.write_text(
        "template: briefing-checklist\nheader: {event: Bilateral, participants: Both envoys}\n"
        "sections: {}\n",
        encoding="utf-8",
    )
    out = tmp_path / "p.pdf"
    code, _, err = run(capsys, "export", str(path), "-o", str(out))
    assert code == 0, err
    text = PdfReader(str(out)).pages[0].extract_text()
    assert "PARTICIPANTS:" in text.replace("\n", "")
    assert "PARTICIPANT\n" not in text


def _action_memo(tmp_path, filler_words: int):
    path = tmp_path / f"a{filler_words}.brief.yaml"
    filler = " ".join(f"w{i}" for i in range(filler_words))
    path.write_text(
        "template: action-memo\n"
        "header: {to: The Secretary, from: Office, subject: Keep-togethers}\n"
        "sections:\n"
        f'  bluf:\n    - text: "{filler}"\n'
        '  recommendation:\n    - text: "That you approve RECOMMEND-END."\n'
        f'  background:\n    - text: "{filler} BACKGROUND-END"\n',
        encoding="utf-8",
    )
    return path


def test_the_decision_and_closing_lines_stay_with_their_text(capsys, tmp_path):
    """Over many lengths, the Approve line shares a page with its recommendation, and the
    Drafted by / Cleared blanks never stand on a page of their own."""
    for words in range(380, 620, 12):
        memo = _action_memo(tmp_path, words)
        out = tmp_path / "a.pdf"
        assert main(["export", str(memo), "-o", str(out)]) == 0
        capsys.readouterr()
        pages = [p.extract_text() for p in PdfReader(str(out)).pages]
        approve = next(i for i, text in enumerate(pages) if "Approve" in text)
        assert "RECOMMEND-END" in pages[approve], words
        assert "Recommendation" in pages[approve], words  # the heading comes along
        drafted = next(i for i, text in enumerate(pages) if "Drafted by:" in text)
        assert "Cleared:" in pages[drafted]
        assert "BACKGROUND-END" in pages[drafted] or "Sources" in pages[drafted], words
        assert "Drafted by: ____" in pages[drafted].replace("\n", " ")


def test_empty_closing_fields_are_labelled_blanks_in_word(capsys, tmp_path):
    memo = _action_memo(tmp_path, 10)
    out = tmp_path / "a.docx"
    assert main(["export", str(memo), "-o", str(out)]) == 0
    capsys.readouterr()
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert any(t.startswith("Drafted by: ____") for t in texts)
    assert any(t.startswith("Cleared: ____") for t in texts)
    approve = next(p for p in docx.Document(str(out)).paragraphs if "Approve" in p.text)
    before = approve._p.getprevious()
    assert before.find(f".//{qn('w:keepNext')}") is not None


def test_each_recommendation_has_its_own_decision_line_on_its_page(capsys, tmp_path):
    """Two "That you ..." sentences, a card's short form among them: two decision lines,
    each on the page of the sentence before it, over many lengths."""
    for words in range(380, 560, 20):
        filler = " ".join(f"w{i}" for i in range(words))
        path = tmp_path / f"r{words}.brief.yaml"
        path.write_text(
            "template: action-memo\n"
            "header: {to: The Secretary, from: Office, subject: Two decisions}\n"
            "sections:\n"
            f'  bluf:\n    - text: "{filler}"\n'
            "  recommendation:\n"
            '    - text: "That you approve FIRST-END."\n'
            "    - card: initiative-power-sector\n"
            '  background:\n    - text: "More."\n',
            encoding="utf-8",
        )
        out = tmp_path / "r.pdf"
        assert main(["export", str(path), "-o", str(out)]) == 0
        capsys.readouterr()
        pages = [p.extract_text().replace("\n", " ") for p in PdfReader(str(out)).pages]
        text = " ".join(pages)
        assert text.count("Disapprove") == 2, words
        assert "power sector pathways." in text  # the card's short form, not its body
        assert "lowest-cost near-term" not in text.split("Background")[0]
        for marker in ("FIRST-END", "power sector pathways."):
            page = next(p for p in pages if marker in p)
            assert "Disapprove" in page.split(marker, 1)[1], (words, marker)


def test_talking_points_carry_no_citations(capsys, tmp_path, repo):
    """Spoken talking points: no [1] marks and no sources list, in both files."""
    memo = repo / "content" / "memos" / "meeting-talking-points.brief.yaml"
    for suffix in (".pdf", ".docx"):
        out = tmp_path / f"tp{suffix}"
        assert main(["export", str(memo), "-o", str(out)]) == 0
        capsys.readouterr()
        if suffix == ".pdf":
            text = "\n".join(p.extract_text() for p in PdfReader(str(out)).pages)
        else:
            text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
        assert "[1]" not in text, suffix
        assert "Sources" not in text, suffix
        assert "We" in text  # the points themselves are there


AUTHORITY_MEMO = """\
template: information-memo
marking: {marking}
header:
  to: The Secretary
  subject: Classified subject
  classified-by: {by}
sections:
  summary:
    - text: First paragraph.
      marking: U
"""


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_a_confidential_memo_carries_the_authority_block(capsys, tmp_path, suffix):
    path = tmp_path / "c.brief.yaml"
    path.write_text(AUTHORITY_MEMO.format(marking="C", by="J. Smith, Director"), encoding="utf-8")
    out = tmp_path / f"c{suffix}"
    code, _, err = run(capsys, "export", str(path), "-o", str(out))
    assert code == 0
    if suffix == ".pdf":
        first = PdfReader(str(out)).pages[0].extract_text()
    else:
        first = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "CONFIDENTIAL" in first or suffix == ".docx"
    assert "Classified by: J. Smith, Director" in first
    assert "Reason: ____" in first  # an empty line stays a labelled blank ...
    assert "Declassify on: ____" in first
    assert first.index("Classified by") < first.index("First paragraph")
    assert "(U) First paragraph." in first  # the typed paragraph keeps its own marking
    assert "classification authority block" in err  # ... and is reported
    assert "Reason, Declassify on" in err


def test_an_unclassified_memo_has_no_authority_block(capsys, tmp_path):
    path = tmp_path / "u.brief.yaml"
    path.write_text(AUTHORITY_MEMO.format(marking="SBU", by="J. Smith"), encoding="utf-8")
    out = tmp_path / "u.pdf"
    code, _, err = run(capsys, "export", str(path), "-o", str(out))
    assert code == 0
    assert "Classified by" not in PdfReader(str(out)).pages[0].extract_text()
    assert "authority" not in err


def test_the_pdf_takes_the_letterheads_page_and_lines(capsys, tmp_path, repo):
    """With a reference document the PDF is laid out on its page (A4, its margins) and
    prints its header and footer lines, as the Word file does, with "Page N of M" kept."""
    ref = tmp_path / "letterhead.docx"
    make_letterhead(ref, with_page_field=True)
    memo = repo / "content" / "memos" / "state-of-play.brief.yaml"
    out = tmp_path / "m.pdf"
    code, _, _ = run(capsys, "export", str(memo), "-o", str(out), "--reference-docx", str(ref))
    assert code == 0
    reader = PdfReader(str(out))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    assert "MINISTRY LETTERHEAD" in text
    assert "1 Example Street" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "Folio" not in text
    lefts = []
    page.extract_text(
        visitor_text=lambda t, cm, tm, *_: lefts.append(tm[4] * cm[0] + cm[4]) if t.strip() else 0
    )
    margin = 25 * 72 / 25.4
    assert min(x for x in lefts if x > 10) == pytest.approx(margin, abs=0.6)
    word = tmp_path / "m.docx"
    run(capsys, "export", str(memo), "-o", str(word), "--reference-docx", str(ref))
    section = docx.Document(str(word)).sections[0]
    assert round(section.left_margin.mm) == 25
    assert round(section.page_width.mm) == 210
    styles = docx.Document(str(word)).styles
    assert styles["Normal"].font.name == "Times New Roman"  # the memo's look, not Calibri


def test_a_cards_own_list_sits_beneath_its_bullet(bundled):
    """In a bullets section a card's paragraphs are bullets and its own list is nested one
    level beneath; a title before a list is a bullet of its own, not run into the list."""
    import dataclasses

    from briefer.core.memos import parse_memo
    from briefer.render.blocks import ListItem
    from briefer.render.compose import compose

    memo, _ = parse_memo(
        "template: talking-points\nheader: {subject: S}\nsections:\n"
        "  key-points:\n    - card: initiative-greening-overseas\n"
        "  if-raised:\n    - card: listy\n"
    )
    risk = bundled.library.get("risk-backlash-in-china")
    listy = dataclasses.replace(risk, id="listy", title="Listy", body="- one\n- two\n")
    library = dataclasses.replace(bundled.library, cards={**bundled.library.cards})
    library.cards["listy"] = listy
    blocks = [b for b in compose(memo, library, bundled.templates).blocks]
    items = [
        (b.level, "".join(r.text for r in b.runs)[:30]) for b in blocks if isinstance(b, ListItem)
    ]
    assert [level for level, _ in items[:6]] == [0, 0, 1, 1, 1, 0]
    assert items[2][1].startswith("integrated energy planning")
    assert items[6:] == [(0, "Listy."), (1, "one"), (1, "two")]
    assert all(b.portion == "(U)" for b in blocks if isinstance(b, ListItem))


def test_a_checklist_is_titled_by_its_event(capsys, tmp_path):
    path = tmp_path / "c.brief.yaml"
    path.write_text(
        "template: briefing-checklist\nheader: {event: Meeting with Xie Zhenhua}\n"
        "sections:\n  scene-setter:\n    - text: Scene.\n",
        encoding="utf-8",
    )
    for suffix in (".pdf", ".docx"):
        out = tmp_path / f"c{suffix}"
        run(capsys, "export", str(path), "-o", str(out))
        if suffix == ".pdf":
            title = PdfReader(str(out)).metadata.title
        else:
            title = docx.Document(str(out)).core_properties.title
        assert title == "Meeting with Xie Zhenhua", suffix
