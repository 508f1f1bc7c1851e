"""Any text a user can type or paste survives both writers, and never crashes them."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefer.core.memos import Memo, MemoItem
from tests.render.conftest import export, read_back, squash

FORMATS = ["docx", "pdf"]
MARKUP = (
    "AT&T <draft> <b>not bold</b> <font size=40>big</font> "
    '<img src="http://127.0.0.1:9/x.png"> &amp; a<b'
)


def memo_with(text: str, title: str = "Plain title", subject: str = "Subject") -> Memo:
    return Memo(
        template="action-memo",
        header={"to": "Someone", "subject": subject},
        sections={
            "bluf": [MemoItem(text=text)],
            "background": [MemoItem(card="bg", title=title, body=text)],
        },
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_markup_lookalikes_print_as_typed(fmt, workspace, tmp_path):
    path = tmp_path / f"m.{fmt}"
    export(memo_with(MARKUP, title="<i>x</i> & y", subject="<b>S</b> & T"), workspace, path)
    text = squash(read_back(path).text)
    # Markdown would read "<b>" as HTML; it is disabled, so the user's text stays literal.
    assert squash(f"(U) {MARKUP}") in text
    assert squash("<i>x</i> & y") in text
    assert squash("<b>S</b> & T") in text


def test_pdf_never_fetches(workspace, tmp_path, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the PDF writer tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    export(memo_with(MARKUP), workspace, tmp_path / "m.pdf")


@pytest.mark.parametrize("fmt", FORMATS)
def test_chinese(fmt, workspace, tmp_path):
    path = tmp_path / f"zh.{fmt}"
    text = "中美气候合作 and 解振华 met John Kerry."
    export(memo_with(text, title="解振华"), workspace, path)
    out = read_back(path)
    assert "中美气候合作" in out.text
    assert "解振华" in out.text
    if fmt == "pdf":
        from pypdf import PdfReader

        fonts = set()
        for page in PdfReader(str(path)).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                fonts.add(str(font["/BaseFont"]))
                descendants = font.get("/DescendantFonts")
                if descendants:
                    descriptor = descendants[0].get_object().get("/FontDescriptor")
                    if descriptor is not None:
                        assert "/FontFile2" in descriptor.get_object()  # embedded TrueType
        assert any("UMingCN" in f for f in fonts), fonts  # a serif Chinese beside serif
        assert all("+" in f for f in fonts), fonts  # every font is an embedded subset
    else:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(str(path))
        runs = [r for p in document.paragraphs for r in p.runs if "中" in r.text]
        assert runs
        assert all(r._r.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_emoji_arabic_combining_zero_width_do_not_crash(fmt, workspace, tmp_path):
    text = "Start 🌍🔥 مرحبا بالعالم e\u0301 zero\u200bwidth\u200d joiner \u2028 End"
    path = tmp_path / f"x.{fmt}"
    export(memo_with(text), workspace, path)
    out = read_back(path).text
    assert "Start" in out
    assert "End" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_huge_word_and_long_url_wrap(fmt, workspace, tmp_path):
    word = "x" * 5000
    url = "https://example.org/" + "a/" * 400
    path = tmp_path / f"w.{fmt}"
    export(memo_with(f"Before {word} after. Link <{url}> end."), workspace, path)
    out = read_back(path)
    assert squash(f"Before {word} after.") in squash(out.body)
    assert squash(url) in squash(out.body)
    assert "end." in out.text
    if fmt == "pdf":
        from pypdf import PdfReader

        page = PdfReader(str(path)).pages[0]
        width = float(page.mediabox.width)
        # nothing runs off the page: every extracted line fits the text width
        for line in out.text.splitlines():
            assert len(line) < width / 3, line[:80]
        assert result_pages(path) <= 4


@pytest.mark.parametrize("fmt", FORMATS)
def test_hundreds_of_paragraphs_and_empty_body(fmt, workspace, tmp_path):
    body = "\n\n".join(f"Paragraph number {i} of the long card." for i in range(300))
    memo = memo_with(body)
    memo.sections["discussion"] = [MemoItem(card="risky", body="")]
    path = tmp_path / f"long.{fmt}"
    result = export(memo, workspace, path)
    out = read_back(path)
    assert "Paragraph number 0 of" in out.text
    assert "Paragraph number 299 of" in out.text
    if fmt == "pdf":
        assert result.pages is not None
        assert result.pages >= 10
        assert f"Page {result.pages} of {result.pages}" in out.pages[-1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_dropped_with_warning(fmt, workspace, tmp_path):
    bad = "Keep\x00 this\x07 text\x0b and\x0c that\ufffe."
    path = tmp_path / f"c.{fmt}"
    result = export(memo_with(bad, title="T\x0bitle"), workspace, path)
    assert "Keep this text and that." in read_back(path).text
    joined = "\n".join(result.warnings)
    assert "card 'bg' body" in joined
    assert "card 'bg' title" in joined
    assert "U+0000" in joined
    assert "U+000B" in joined


@pytest.mark.parametrize("fmt", FORMATS)
def test_windows_line_endings_do_not_double(fmt, workspace, tmp_path):
    unix = "First para\nsame para.\n\nSecond para.\n\n- item one\n- item two\n"
    windows = unix.replace("\n", "\r\n")
    outs = []
    for name, text in (("unix", unix), ("win", windows)):
        path = tmp_path / f"{name}.{fmt}"
        export(memo_with(text), workspace, path)
        outs.append(read_back(path).text)
    assert outs[0] == outs[1]
    if fmt == "docx":
        import docx

        paragraphs = [p.text for p in docx.Document(str(tmp_path / "win.docx")).paragraphs]
        assert "(U) First para same para." in paragraphs
        assert "" not in paragraphs[1:-1]


def result_pages(path):
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


printable = st.characters(
    codec="utf-8", categories=("L", "N", "P", "S", "Zs"), exclude_characters="\u2028\u2029"
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=st.text(min_size=1, max_size=40),
    body=st.text(max_size=300),
    subject=st.text(max_size=60),
    words=st.lists(st.text(printable, min_size=3, max_size=12), min_size=1, max_size=4),
)
def test_arbitrary_unicode_exports_and_words_survive(
    workspace, tmp_path, title, body, subject, words
):
    """Anything at all exports; alphanumeric words typed with it come back out."""
    plain = [w for w in ("".join(c for c in word if c.isalnum()) for word in words) if len(w) >= 3]
    text = body + "\n\n" + " ".join(plain)
    for fmt in FORMATS:
        path = tmp_path / f"h.{fmt}"
        export(memo_with(text, title=title or "t", subject=subject), workspace, path)
        if fmt == "docx":
            out = squash(read_back(path).text)
            for word in plain:
                assert squash(word) in out


def test_mixed_english_chinese_lines_never_start_with_closing_punctuation(workspace, tmp_path):
    """Over many line lengths, a line never begins with "，" or "。" (kinsoku), and Latin
    words are never cut."""
    base = (
        "The two sides said 中美双方同意加强气候合作，推动能源转型，并在二〇三〇年前采取具体行动。"
    )
    for extra in range(0, 40, 3):
        text = "Word " * extra + base * 3 + " Constructive outcome."
        path = tmp_path / f"k{extra}.pdf"
        export(memo_with(text), workspace, path)
        from pypdf import PdfReader

        lines = [
            line.strip()
            for page in PdfReader(str(path)).pages
            for line in page.extract_text().splitlines()
        ]
        assert not [line for line in lines if line[:1] in "，。、；：）"], extra
        assert "Constructive outcome." in " ".join(lines)


def test_chinese_beside_sans_serif_is_sans_serif(workspace, tmp_path, repo):
    from pypdf import PdfReader

    from briefer.core.memos import parse_memo
    from briefer.core.templates import load_templates

    folder = tmp_path / "templates"
    folder.mkdir()
    text = (repo / "templates" / "one-pager.yaml").read_text(encoding="utf-8")
    (folder / "one-pager.yaml").write_text(
        text.replace("family: Times New Roman", "family: Arial"), encoding="utf-8"
    )
    ws = dataclasses.replace(workspace, templates=load_templates(folder))
    memo, _ = parse_memo(
        "template: one-pager\nheader: {subject: S}\nsections:\n  bottom-line:\n"
        "    - text: 中美气候合作 and more\n"
    )
    path = tmp_path / "sans.pdf"
    export(memo, ws, path)
    fonts = {
        str(f.get_object()["/BaseFont"])
        for page in PdfReader(str(path)).pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert any("DroidSansFallback" in f for f in fonts), fonts
    assert not any("UMing" in f for f in fonts), fonts
