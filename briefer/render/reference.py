"""A user's reference .docx (a letterhead), read defensively before python-docx sees it.

A Word file is a zip of XML parts. Only the parts a memo needs are kept: the body (emptied
later), styles, numbering, theme, fonts, headers and footers with their images, and the
document properties. Comments, thumbnails, custom XML, macros, glossaries, attached
templates and every link to an outside address are dropped, so nothing of the colleague's
file reaches the memo and nothing in it makes Word reach out. Zip bombs and XML entities
are refused with a message that names the file.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from briefer.core.problems import BrieferError, display_path
from briefer.core.yamlio import YamlFileError, read_bytes

MAX_FILE = 20 * 1024 * 1024  # the .docx itself
MAX_UNPACKED = 100 * 1024 * 1024  # all of its parts, unpacked
MAX_PART = 40 * 1024 * 1024
MAX_RATIO = 200  # unpacked size over packed size, per part
KEEP = re.compile(
    r"^(\[Content_Types\]\.xml|_rels/\.rels|docProps/(core|app)\.xml"
    r"|word/(document|styles|numbering|settings|fontTable|webSettings)\.xml"
    r"|word/theme/[^/]+\.xml|word/(header|footer)\d*\.xml|word/media/[^/]+"
    r"|word/_rels/(document|header\d*|footer\d*|settings)\.xml\.rels)$"
)
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_ATTACHED = re.compile(rb"<w:attachedTemplate\b[^>]*/>")


def clean_reference(path: Path) -> io.BytesIO:
    """The reference document with only what a memo needs, ready for ``docx.Document``."""
    shown = display_path(path)

    def refuse(why: str) -> BrieferError:
        return BrieferError(
            f"reference document {shown} cannot be used: {why}. Open it in Word, save it as "
            "a .docx (Word Document), and try again"
        )

    try:
        raw = read_bytes(path, MAX_FILE)
    except YamlFileError as exc:
        raise BrieferError(str(exc)) from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse("it is not a Word (.docx) file") from None
    names = {i.filename for i in infos}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise refuse("it is not a Word (.docx) file (no document part)")
    kept = [i for i in infos if KEEP.match(i.filename)]
    total = sum(i.file_size for i in kept)
    if total > MAX_UNPACKED or any(
        i.file_size > MAX_PART or i.file_size > MAX_RATIO * max(i.compress_size, 1024) for i in kept
    ):
        raise refuse(f"it unpacks to {total / 1048576:.0f} MB, far more than a letterhead needs")
    keep_names = {i.filename for i in kept}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in kept:
            try:
                data = archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
                raise refuse(f"its part {info.filename} is damaged") from None
            if info.filename.endswith((".xml", ".rels")):
                head = data[:4096].lower()
                if b"<!doctype" in head or b"<!entity" in head:
                    raise refuse(f"its part {info.filename} declares XML entities")
                if info.filename.endswith(".rels"):
                    data = _filter_rels(data, info.filename, keep_names, refuse)
                elif info.filename == "word/settings.xml":
                    data = _ATTACHED.sub(b"", data)
            target.writestr(info.filename, data)
    out.seek(0)
    return out


def _filter_rels(
    data: bytes, name: str, kept: set[str], refuse: Callable[[str], BrieferError]
) -> bytes:
    """Relationships to kept parts only; outside links only as safe hyperlinks."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise refuse(f"its part {name} is not well-formed XML") from None
    base = posixpath.dirname(posixpath.dirname(name))  # word/_rels/x.rels -> word
    for rel in list(root):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            if rel.get("Type") != HYPERLINK or not SAFE_LINK.match(target):
                root.remove(rel)
            continue
        part = posixpath.normpath(
            target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        )
        if part not in kept:
            root.remove(rel)
    ElementTree.register_namespace("", RELS_NS)
    return ElementTree.tostring(root, xml_declaration=True, encoding="UTF-8")
