"""Golden files for the Word structure: document.xml and styles.xml, pretty-printed.

Set BRIEFER_UPDATE_GOLDEN=1 to rewrite them after an intended change, then read the diff.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.render.conftest import export, make_memo

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?")


def pretty(data: bytes) -> str:
    parser = etree.XMLParser(remove_blank_text=True)
    text = etree.tostring(etree.fromstring(data, parser), pretty_print=True, encoding="unicode")
    return DATE_RE.sub("<date>", text)


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/numbering.xml"])
def test_docx_structure_matches_golden(part, workspace, tmp_path):
    path = tmp_path / "golden.docx"
    export(make_memo(), workspace, path)
    with zipfile.ZipFile(path) as archive:
        got = pretty(archive.read(part))
    golden = REFERENCE / ("golden-" + part.replace("/", "-"))
    if os.environ.get("BRIEFER_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"missing {golden}; run with BRIEFER_UPDATE_GOLDEN=1"
    assert got == golden.read_text(encoding="utf-8")
