"""Memo templates: ``templates/*.yaml`` declaring page set-up, header fields and sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from briefer.core import markings
from briefer.core.problems import Problem, display_path
from briefer.core.rules import CARD_KINDS
from briefer.core.schema import Reader
from briefer.core.storage import find_files
from briefer.core.yamlio import Map, Seq, YamlFileError, load_file

# Header fields a template may show, with their printed labels. Those placed at the
# end (drafted-by, cleared) close the memo, as clearance lines do.
HEADER_FIELDS: dict[str, str] = {
    "to": "TO",
    "from": "FROM",
    "through": "THROUGH",
    "subject": "SUBJECT",
    "date": "DATE",
    "event": "EVENT",
    "location": "LOCATION",
    "participants": "PARTICIPANTS",
    "drafted-by": "Drafted by",
    "cleared": "Cleared",
}
END_FIELDS = frozenset({"drafted-by", "cleared"})

PAGE_SIZES: dict[str, tuple[float, float]] = {
    "letter": (612.0, 792.0),
    "a4": (595.2756, 841.8898),
}
# Font families a template may name. Each has an embedded equivalent for the PDF
# (see briefer.render.fonts); Word uses the name as given.
FONT_FAMILIES: dict[str, str] = {
    "Times New Roman": "serif",
    "Liberation Serif": "serif",
    "Arial": "sans",
    "Helvetica": "sans",
    "Liberation Sans": "sans",
}
# What a memo can be laid out with: beyond these the pages break (or the writers fail).
FONT_BOUNDS = {"size": (8.0, 16.0), "heading_size": (8.0, 24.0), "small_size": (6.0, 14.0)}
LINE_LIMIT = 200  # characters in a heading or section title
SECTION_STYLES = ("prose", "bullets")
CARD_TITLE_STYLES = ("lead-in", "heading", "hidden")
SECTION_ROLES = ("body", "recommendation")
# How a section shows a card: its whole body, its one-sentence short form, or its title.
CARD_SHOW = ("body", "short", "title")
# How cards' sources are cited: numbered ([1] after the text, a numbered list at the end),
# or not at all (talking points are read aloud).
CITATION_STYLES = ("numbered", "none")
# Who reads the memo: staff inside the government, or a counterpart outside it (talking
# points read aloud to a foreign official). An external template carries U by default.
AUDIENCES = ("internal", "external")
# Header fields that must be filled whenever a template shows them; a template may add
# others (drafted-by and cleared on an action memo) with ``required_fields``.
ALWAYS_REQUIRED = ("to", "from", "subject")

TEMPLATE_KEYS_REQUIRED = ("id", "name", "description", "heading", "header", "sections")
TEMPLATE_KEYS_OPTIONAL = (
    "format",
    "page",
    "fonts",
    "marking",
    "page_limit",
    "reference_docx",
    "citations",
    "audience",
    "max_marking",
    "freshness_months",
    "required_fields",
)
SECTION_KEYS_REQUIRED = ("id", "title", "guidance", "kinds")
SECTION_KEYS_OPTIONAL = ("required", "style", "card_titles", "role", "show")
_LENGTH_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(in|cm|mm|pt)?\s*$")
_UNIT_POINTS = {"in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "pt": 1.0, None: 1.0}


@dataclass(frozen=True)
class Section:
    """One section of a memo template, in order."""

    id: str
    title: str
    guidance: str
    kinds: tuple[str, ...]
    required: bool = False
    style: str = "prose"
    card_titles: str = "lead-in"
    role: str = "body"
    show: str = "body"

    def accepts(self, kind: str) -> bool:
        return kind in self.kinds


@dataclass(frozen=True)
class PageSetup:
    """Page size and margins, in points. ``custom`` (width, height) and the header and
    footer distances come from a reference Word document, when a memo uses one."""

    size: str = "letter"
    top: float = 72.0
    bottom: float = 72.0
    left: float = 72.0
    right: float = 72.0
    custom: tuple[float, float] | None = None
    header: float | None = None
    footer: float | None = None

    @property
    def width(self) -> float:
        return self.custom[0] if self.custom else PAGE_SIZES[self.size][0]

    @property
    def height(self) -> float:
        return self.custom[1] if self.custom else PAGE_SIZES[self.size][1]


@dataclass(frozen=True)
class Fonts:
    """The memo's font family and sizes, in points."""

    family: str = "Times New Roman"
    size: float = 12.0
    heading_size: float = 12.0
    small_size: float = 10.0


@dataclass
class MemoTemplate:
    """A memo type: what its pages look like and which sections it holds."""

    id: str
    name: str
    description: str
    heading: str
    header: tuple[str, ...]
    sections: tuple[Section, ...]
    page: PageSetup = field(default_factory=PageSetup)
    fonts: Fonts = field(default_factory=Fonts)
    banner: bool = True
    portion_marks: bool = True
    page_limit: int | None = None
    reference_docx: Path | None = None
    citations: str = "numbered"
    audience: str = "internal"
    max_marking: str = "TS"  # the highest marking anything in the memo may carry
    freshness_months: int = 12  # a card reviewed longer ago than this is stale
    required_fields: tuple[str, ...] = ()
    path: Path | None = None

    def field_required(self, field_id: str) -> bool:
        return field_id in ALWAYS_REQUIRED or field_id in self.required_fields

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    @property
    def top_fields(self) -> tuple[str, ...]:
        return tuple(f for f in self.header if f not in END_FIELDS)

    @property
    def end_fields(self) -> tuple[str, ...]:
        return tuple(f for f in self.header if f in END_FIELDS)


def read_template(path: Path) -> tuple[MemoTemplate | None, list[Problem]]:
    """Read one template file; ``None`` with problems when it cannot be used."""
    shown = display_path(path)
    try:
        root = load_file(path)
    except YamlFileError as exc:
        return None, exc.problems
    reader = Reader(shown)
    top = reader.mapping(
        root, "a template", required=TEMPLATE_KEYS_REQUIRED, optional=TEMPLATE_KEYS_OPTIONAL
    )
    if top is None or not reader.format_version(top, "template"):
        return None, reader.problems
    template_id = reader.identifier(top, "id", "the template")
    what = f"template {template_id!r}" if template_id else "the template"
    header = tuple(reader.text_list(top, "header", what, required=True))
    header_node = top.values.get("header")
    for i, name in enumerate(header):
        if name not in HEADER_FIELDS:
            node = header_node.items[i] if isinstance(header_node, Seq) else header_node
            reader.error(
                node,
                f"unknown header field {name!r} in {what}; allowed: {', '.join(HEADER_FIELDS)}",
            )
    reference = reader.text(top, "reference_docx", what)
    reference_path = (path.parent / reference).resolve() if reference else None
    if reference_path is not None and not reference_path.is_relative_to(path.parent.resolve()):
        reader.error(
            top.values["reference_docx"],
            f"reference_docx {reference!r} in {what} must name a file in the template's own "
            "folder (or below it); copy the Word file there",
        )
        reference_path = None
    elif reference_path is not None and not reference_path.is_file():
        reader.error(
            top.values["reference_docx"],
            f"reference_docx {reference!r} in {what} does not exist "
            f"(looked for {display_path(reference_path)})",
        )
    banner, portion_marks = _read_marking_rules(reader, top, what)
    audience = reader.choice(top, "audience", what, AUDIENCES, default="internal")
    external = audience == "external"
    required = reader.text_list(top, "required_fields", what)
    for name in required:
        if name not in header:
            reader.error(
                top.values["required_fields"],
                f"required_fields names {name!r}, which the header of {what} does not show "
                f"(it shows: {', '.join(header)})",
            )
    template = MemoTemplate(
        id=template_id,
        name=reader.text(top, "name", what, required=True),
        description=reader.text(top, "description", what, required=True),
        heading=reader.line(top, "heading", what, LINE_LIMIT, required=True),
        header=header,
        sections=tuple(_read_sections(reader, top, what)),
        page=_read_page(reader, top, what),
        fonts=_read_fonts(reader, top, what),
        banner=banner,
        portion_marks=portion_marks,
        page_limit=reader.integer(top, "page_limit", what, minimum=1, maximum=500),
        reference_docx=reference_path,
        citations=reader.choice(top, "citations", what, CITATION_STYLES, default="numbered"),
        audience=audience,
        max_marking=reader.choice(
            top, "max_marking", what, markings.CODES, default="U" if external else "TS"
        ),
        freshness_months=reader.integer(
            top, "freshness_months", what, minimum=1, default=12, maximum=600
        )
        or 12,
        required_fields=tuple(required),
        path=path,
    )
    if any(p.is_error for p in reader.problems):
        return None, reader.problems
    return template, reader.problems


def _read_sections(reader: Reader, top: Map, what: str) -> list[Section]:
    sections: list[Section] = []
    seen: dict[str, int] = {}
    for node in reader.seq(top, "sections", what, required=True):
        entry = reader.mapping(
            node,
            f"a section of {what}",
            required=SECTION_KEYS_REQUIRED,
            optional=SECTION_KEYS_OPTIONAL,
        )
        if entry is None:
            continue
        section_id = reader.identifier(entry, "id", f"a section of {what}")
        where = f"section {section_id!r} of {what}"
        if section_id in seen:
            reader.error(
                entry.values["id"],
                f"duplicate section id {section_id!r} in {what} (first at line {seen[section_id]})",
            )
        seen[section_id] = entry.line
        kinds = reader.text_list(entry, "kinds", where, required=True)
        kinds_node = entry.values.get("kinds")
        for i, kind in enumerate(kinds):
            if kind not in CARD_KINDS:
                node_at = kinds_node.items[i] if isinstance(kinds_node, Seq) else kinds_node
                reader.error(
                    node_at,
                    f"unknown kind {kind!r} in {where}; allowed kinds: {', '.join(CARD_KINDS)}",
                )
        role = reader.choice(entry, "role", where, SECTION_ROLES, default="body")
        # A recommendation is one "That you ..." sentence: a card shows its short form.
        show_default = "short" if role == "recommendation" else "body"
        sections.append(
            Section(
                id=section_id,
                title=reader.line(entry, "title", where, LINE_LIMIT, required=True),
                guidance=reader.text(entry, "guidance", where, required=True),
                kinds=tuple(kinds),
                required=reader.boolean(entry, "required", where, default=False),
                style=reader.choice(entry, "style", where, SECTION_STYLES, default="prose"),
                card_titles=reader.choice(
                    entry, "card_titles", where, CARD_TITLE_STYLES, default="lead-in"
                ),
                role=role,
                show=reader.choice(entry, "show", where, CARD_SHOW, default=show_default),
            )
        )
    return sections


def _read_page(reader: Reader, top: Map, what: str) -> PageSetup:
    node = top.values.get("page")
    if node is None:
        return PageSetup()
    page = reader.mapping(node, f"'page' of {what}", optional=("size", "margins"))
    if page is None:
        return PageSetup()
    size = reader.choice(page, "size", f"'page' of {what}", PAGE_SIZES, default="letter")
    margins = {"top": 72.0, "bottom": 72.0, "left": 72.0, "right": 72.0}
    margin_node = page.values.get("margins")
    if margin_node is not None:
        where = f"'page.margins' of {what}"
        entry = reader.mapping(margin_node, where, optional=tuple(margins))
        if entry is not None:
            for side in margins:
                raw = reader.text(entry, side, where)
                if raw:
                    points = parse_length(raw)
                    if points is None or not 0 <= points <= 216:
                        reader.error(
                            entry.values[side],
                            f"{side!r} margin in {what} must be a length up to 3in, like "
                            f"'1in', '2.5cm', '20mm' or '72pt', not {raw!r}",
                        )
                    else:
                        margins[side] = points
    return PageSetup(
        size=size,
        top=margins["top"],
        bottom=margins["bottom"],
        left=margins["left"],
        right=margins["right"],
    )


def _read_fonts(reader: Reader, top: Map, what: str) -> Fonts:
    node = top.values.get("fonts")
    if node is None:
        return Fonts()
    where = f"'fonts' of {what}"
    entry = reader.mapping(node, where, optional=("family", "size", "heading_size", "small_size"))
    if entry is None:
        return Fonts()
    family = reader.choice(entry, "family", where, FONT_FAMILIES, default="Times New Roman")
    return Fonts(
        family=family,
        size=reader.number(entry, "size", where, 12.0, FONT_BOUNDS["size"]),
        heading_size=reader.number(entry, "heading_size", where, 12.0, FONT_BOUNDS["heading_size"]),
        small_size=reader.number(entry, "small_size", where, 10.0, FONT_BOUNDS["small_size"]),
    )


def _read_marking_rules(reader: Reader, top: Map, what: str) -> tuple[bool, bool]:
    node = top.values.get("marking")
    if node is None:
        return True, True
    where = f"'marking' of {what}"
    entry = reader.mapping(node, where, optional=("banner", "portion_marks"))
    if entry is None:
        return True, True
    return (
        reader.boolean(entry, "banner", where, default=True),
        reader.boolean(entry, "portion_marks", where, default=True),
    )


def parse_length(text: str) -> float | None:
    """Points in a length such as ``1in``, ``2.5cm``, ``20mm`` or ``72pt`` (bare = points)."""
    match = _LENGTH_RE.match(text)
    if not match:
        return None
    return float(match.group(1)) * _UNIT_POINTS[match.group(2)]


@dataclass
class TemplateSet:
    """The templates found in a folder, by id, with their problems."""

    templates: dict[str, MemoTemplate] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, template_id: str) -> MemoTemplate | None:
        return self.templates.get(template_id)


def load_templates(folder: Path) -> TemplateSet:
    """Load every ``*.yaml`` template in a folder."""
    result = TemplateSet()
    if not folder.is_dir():
        result.problems.append(
            Problem(display_path(folder), 1, 1, "templates folder does not exist")
        )
        return result
    paths, unreadable = find_files(folder, ".yaml", recursive=False)
    for where, why in unreadable:
        result.problems.append(
            Problem(display_path(where), 1, 1, f"cannot read the templates folder ({why})")
        )
    for path in paths:
        template, problems = read_template(path)
        result.problems.extend(problems)
        if template is None:
            continue
        if template.id in result.templates:
            first = result.templates[template.id].path
            result.problems.append(
                Problem(
                    display_path(path),
                    1,
                    1,
                    f"duplicate template id {template.id!r}: already used by "
                    f"{display_path(first) if first else 'another template'}",
                )
            )
            continue
        result.templates[template.id] = template
    return result
