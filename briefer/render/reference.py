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
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from briefer.core.problems import BrieferError, display_path
from briefer.core.templates import PageSetup
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


W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PAGE_BOUNDS = (72.0, 2000.0)  # points: a page between 1 inch and about 70 cm a side


def reference_page(path: Path, fallback: PageSetup) -> PageSetup:
    """The reference document's page size, margins and header/footer distances, so the PDF
    lays out on the same page as the Word file. ``fallback`` fills what it does not say."""
    package = zipfile.ZipFile(clean_reference(path))
    try:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    except ElementTree.ParseError:
        return fallback
    body = root.find(f"{W_NS}body")
    sect = body.find(f"{W_NS}sectPr") if body is not None else None
    if sect is None:
        return fallback  # no page set-up: the Word file gets the template's too

    def points(element: ElementTree.Element | None, name: str) -> float | None:
        raw = element.get(f"{W_NS}{name}") if element is not None else None
        try:
            return abs(int(float(raw))) / 20 if raw is not None else None  # twips
        except (ValueError, OverflowError):  # "abc", "nan", "inf"
            return None

    size, margins = sect.find(f"{W_NS}pgSz"), sect.find(f"{W_NS}pgMar")
    width, height = points(size, "w"), points(size, "h")
    custom = fallback.custom
    if width is not None and height is not None:
        low, high = _PAGE_BOUNDS
        if low <= width <= high and low <= height <= high:
            custom = (width, height)

    def margin(name: str, default: float) -> float:
        value = points(margins, name)
        return value if value is not None and value < 1000 else default

    return PageSetup(
        size=fallback.size,
        top=margin("top", fallback.top),
        bottom=margin("bottom", fallback.bottom),
        left=margin("left", fallback.left),
        right=margin("right", fallback.right),
        custom=custom,
        header=margin("header", fallback.header if fallback.header is not None else 36.0),
        footer=margin("footer", fallback.footer if fallback.footer is not None else 36.0),
    )


R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass(frozen=True)
class Letterhead:
    """The text lines of a reference document's default header and footer (its page-number
    lines left out: Briefer writes its own "Page N of M"), and whether either has images."""

    header: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()
    images: bool = False


def has_page_field(paragraph: ElementTree.Element) -> bool:
    """Whether a Word paragraph numbers pages (a PAGE or NUMPAGES field)."""
    codes = [t.text or "" for t in paragraph.iter(f"{W_NS}instrText")]
    codes += [f.get(f"{W_NS}instr", "") for f in paragraph.iter(f"{W_NS}fldSimple")]
    return any("PAGE" in code.upper() for code in codes)


def letterhead(path: Path) -> Letterhead:
    """What the letterhead prints on every page, read from the cleaned reference."""
    package = zipfile.ZipFile(clean_reference(path))
    try:
        document = ElementTree.fromstring(package.read("word/document.xml"))
        rels = ElementTree.fromstring(package.read("word/_rels/document.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return Letterhead()
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    sect = document.find(f"{W_NS}body/{W_NS}sectPr")
    found: dict[str, tuple[str, ...]] = {"header": (), "footer": ()}
    images = False
    for kind in found:
        refs = sect.findall(f"{W_NS}{kind}Reference") if sect is not None else []
        ref = next((r for r in refs if r.get(f"{W_NS}type", "default") == "default"), None)
        target = targets.get(ref.get(f"{R_NS}id")) if ref is not None else None
        if not target:
            continue
        try:
            part = ElementTree.fromstring(package.read(posixpath.join("word", target)))
        except (KeyError, ElementTree.ParseError):
            continue
        lines = []
        for para in part.iter(f"{W_NS}p"):
            images = images or any(e.tag in (f"{W_NS}drawing", f"{W_NS}pict") for e in para.iter())
            text = "".join(t.text or "" for t in para.iter(f"{W_NS}t")).strip()
            if text and not has_page_field(para):
                lines.append(text)
        found[kind] = tuple(lines)
    return Letterhead(found["header"], found["footer"], images)


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
