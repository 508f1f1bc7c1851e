"""Exporting many memos and books in one command: a line per file, the others go on when
one fails, and the exit status says so."""

from __future__ import annotations

import gc
from pathlib import Path

import docx
from pypdf import PdfReader

from briefer.cli import main

MEMOS = Path("content") / "memos"


def test_many_files_into_a_folder_in_one_process(repo, tmp_path, capsys):
    files = sorted((repo / MEMOS).glob("*.brief.yaml"))
    book = repo / "content" / "books" / "beijing-visit.book.yaml"
    out = tmp_path / "out"
    code = main(["export", *map(str, files), str(book), "-o", f"{out}/", "--format", "pdf"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    lines = captured.out.splitlines()
    assert lines[0].startswith(f"[1/{len(files) + 1}] ")
    assert lines[-1] == f"Exported {len(files) + 1} of {len(files) + 1}"
    for path in files:
        pdf = out / (path.name.removesuffix(".brief.yaml") + ".pdf")
        assert PdfReader(str(pdf)).pages, pdf
    assert len(PdfReader(str(out / "beijing-visit.pdf")).pages) == 15


def test_a_failed_file_does_not_stop_the_others(repo, tmp_path, capsys):
    good = repo / MEMOS / "state-of-play.brief.yaml"
    broken = tmp_path / "broken.brief.yaml"
    broken.write_text("template: nowhere\nsections: {}\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    code = main(["export", str(broken), str(good), "-o", str(out), "--format", "docx"])
    captured = capsys.readouterr()
    assert code == 2
    assert "broken.brief.yaml" in captured.err
    assert "nowhere" in captured.err
    assert "Traceback" not in captured.err
    assert "[1/2]" in captured.out
    assert "failed" in captured.out
    assert "Exported 1 of 2; 1 failed" in captured.out
    assert not (out / "broken.docx").exists()
    assert docx.Document(str(out / "state-of-play.docx")).paragraphs


def test_folder_export_needs_a_format_and_refuses_two_files_of_one_name(repo, tmp_path, capsys):
    memo = repo / MEMOS / "state-of-play.brief.yaml"
    assert main(["export", str(memo), str(memo), "-o", str(tmp_path)]) == 2
    assert "--format" in capsys.readouterr().err
    twin = tmp_path / "twin" / "state-of-play.brief.yaml"
    twin.parent.mkdir()
    twin.write_bytes(memo.read_bytes())
    out = tmp_path / "out"
    code = main(["export", str(memo), str(twin), "-o", str(out), "--format", "pdf"])
    assert code == 2
    assert "also named state-of-play.pdf" in capsys.readouterr().err
    assert (out / "state-of-play.pdf").exists()


def test_draft_marks_every_page_and_breaks_them_as_before(repo, tmp_path, capsys):
    memo = repo / MEMOS / "state-of-play.brief.yaml"
    for name, extra in (("final", []), ("draft", ["--draft"])):
        for suffix in (".pdf", ".docx"):
            assert main(["export", str(memo), "-o", str(tmp_path / (name + suffix)), *extra]) == 0
    final = [p.extract_text() for p in PdfReader(str(tmp_path / "final.pdf")).pages]
    draft = [p.extract_text() for p in PdfReader(str(tmp_path / "draft.pdf")).pages]
    assert len(draft) == len(final)
    assert all("Draft printed" in page and "DRAFT" in page for page in draft)
    assert not any("Draft printed" in page for page in final)
    # Each page holds the same words as the final's, the marks aside.
    for ours, theirs in zip(draft, final, strict=True):
        assert theirs.splitlines()[2] in ours
    word = docx.Document(str(tmp_path / "draft.docx"))
    footer = "\n".join(p.text for p in word.sections[0].footer.paragraphs)
    assert "Draft printed" in footer
    header_xml = word.sections[0].header._element.xml
    assert 'string="DRAFT"' in header_xml
    plain = docx.Document(str(tmp_path / "final.docx"))
    assert "Draft printed" not in "\n".join(p.text for p in plain.sections[0].footer.paragraphs)


def test_draft_is_for_memos_a_book_has_its_own(repo, tmp_path, capsys):
    book = repo / "content" / "books" / "beijing-visit.book.yaml"
    code = main(["export", str(book), "-o", str(tmp_path / "book.pdf"), "--draft"])
    assert code == 2
    assert "--draft applies to a memo" in capsys.readouterr().err
    assert not (tmp_path / "book.pdf").exists()


def test_each_warning_is_said_once_in_the_form_validate_uses(repo, tmp_path, capsys, monkeypatch):
    """A check's warning reads ``path:line:col: warning: ...`` (as ``validate`` prints it),
    not "warning: path:...: warning: ..."; the export's own warnings name the file."""
    monkeypatch.chdir(tmp_path)
    memo = tmp_path / "visit.brief.yaml"
    memo.write_text(
        "format: 1\ntemplate: one-pager\nheader:\n  event: Visit\nsections:\n"
        "  bottom-line:\n    - text: '" + "Words that run on. " * 400 + "'\n",
        encoding="utf-8",
    )
    code = main(["export", memo.name, "-o", "visit.pdf"])
    err = capsys.readouterr().err.splitlines()
    assert code == 0
    assert "visit.brief.yaml:4:1: warning: header field 'event' is not shown" in err[0]
    assert err[1] == (
        "warning: the memo runs to 2 pages, over the 1-page limit of template 'one-pager'"
    )
    assert all(line.count("warning:") == 1 for line in err)
    code = main(
        ["export", memo.name, str(repo / MEMOS / "state-of-play.brief.yaml")]
        + ["-o", "out/", "--format", "docx"]
    )
    err = capsys.readouterr().err.splitlines()
    assert code == 0
    assert err[0].startswith("visit.brief.yaml:4:1: warning: header field 'event'")
    assert err[1].startswith("warning: visit.brief.yaml: the memo runs to 2 pages")
    assert all(line.count("warning:") == 1 for line in err)


def test_only_a_one_memo_export_leaves_the_cycle_collector_off(repo, tmp_path, capsys):
    # briefer.__main__ pauses the collector while the modules load; the command turns it
    # back on, except a one-memo export (its process ends when the file is written). A
    # batch or a book would otherwise keep every document's garbage: 290 MB for 50 memos.
    memo = str(repo / MEMOS / "state-of-play.brief.yaml")
    book = str(repo / "content" / "books" / "beijing-visit.book.yaml")
    out = tmp_path / "out"
    out.mkdir()
    runs = {
        "one memo": (["export", memo, "-o", str(tmp_path / "m.pdf")], False),
        "one memo into a folder": (["export", memo, "-o", f"{out}/", "--format", "pdf"], False),
        "two memos": (["export", memo, memo, "-o", f"{tmp_path}/two/", "--format", "pdf"], True),
        "a book": (["export", book, "-o", str(tmp_path / "b.pdf")], True),
        "validate": (["validate", memo], True),
    }
    try:
        for what, (argv, collecting) in runs.items():
            gc.disable()
            main(argv)
            assert gc.isenabled() is collecting, what
    finally:
        gc.enable()
    capsys.readouterr()
