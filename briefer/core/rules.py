"""The one place for Briefer's rules: what makes a card valid, which kinds a section takes,
and what is checked in a memo. The file reader, the card editor, a drop into a section,
compose and both exports all ask here, so they cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefer.core import markings
from briefer.core.problems import Problem, display_path
from briefer.core.schema import ID_RE

if TYPE_CHECKING:  # the modules below read files and ask here; types only, no cycle
    from briefer.core.cards import Card, CardLibrary
    from briefer.core.memos import Memo, MemoItem
    from briefer.core.templates import Section, TemplateSet

CARD_KINDS: tuple[str, ...] = (
    "strategy",
    "initiative",
    "benefit",
    "background",
    "quote",
    "talking-point",
    "risk",
)
KIND_LABELS = {
    "strategy": "Strategy",
    "initiative": "Initiative",
    "benefit": "Benefit",
    "background": "Background",
    "quote": "Quote",
    "talking-point": "Talking point",
    "risk": "Risk",
}


SHORT_LIMIT = 400  # characters in a card's one-sentence short form
LINK_SCHEMES = ("http://", "https://", "mailto:")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)|<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^>\s]*)>")


def link_problem(url: str) -> str | None:
    """Why a link may not be written into a memo, or None. Only http, https and mailto
    links are written: ``javascript:``, ``file:`` or a PDF ``pdf:`` action could run code or
    open a file on the reader's machine."""
    if _CONTROL.search(url) or any(c.isspace() for c in url):
        return f"the link {url[:60]!r} holds spaces or control characters"
    if not url.lower().startswith(LINK_SCHEMES):
        return (
            f"the link {url[:60]!r} is not an http, https or mailto address; Briefer writes "
            "only those"
        )
    return None


def markdown_link_problems(text: str) -> list[str]:
    """Links in Markdown text that the exports will print as plain text, not as links."""
    found = []
    for match in _MD_LINK.finditer(text):
        url = match.group(1) or match.group(2) or ""
        if url and ":" in url.split("/")[0] and (why := link_problem(url)):
            found.append(f"{why}; it will print as plain text")
    return found


@dataclass(frozen=True)
class CardIssue:
    """One thing wrong with a card: the field at fault, how bad it is, and what to do."""

    field: str
    message: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def card_issues(card: Card, taken_ids: Iterable[str] = ()) -> list[CardIssue]:
    """Everything wrong with a card's values. ``taken_ids``: ids a new card may not reuse."""
    what = f"card {card.id!r}" if card.id else "a card"
    found: list[CardIssue] = []

    def error(name: str, message: str) -> None:
        found.append(CardIssue(name, message))

    if not card.id.strip():
        error("id", f"'id' in {what} is empty; it needs a value")
    elif not ID_RE.match(card.id):
        error(
            "id",
            f"'id' {card.id!r} in {what} may use only lowercase letters, digits and '-' "
            "(for example 'green-stimulus')",
        )
    elif card.id in set(taken_ids):
        error("id", f"the id {card.id!r} is already used by another card; choose another")
    if not card.kind:
        error("kind", f"'kind' in {what} is empty; it needs a value")
    elif card.kind not in CARD_KINDS:
        error(
            "kind", f"unknown kind {card.kind!r} in {what}; allowed kinds: {', '.join(CARD_KINDS)}"
        )
    if not card.marking:
        error("marking", f"'marking' in {what} is empty; it needs a value")
    elif card.marking not in markings.CODES:
        error(
            "marking",
            f"unknown marking {card.marking!r} in {what}; allowed, lowest to highest: "
            f"{', '.join(markings.CODES)}",
        )
    if not card.title.strip():
        error("title", f"'title' in {what} is empty; it needs a value")
    if "\n\n" in card.short.strip():
        error("short", f"'short' in {what} must be one sentence, not several paragraphs")
    elif len(card.short) > SHORT_LIMIT:
        found.append(
            CardIssue(
                "short",
                f"'short' in {what} is {len(card.short)} characters; a short form is one "
                f"sentence (at most {SHORT_LIMIT} characters)",
                "warning",
            )
        )
    # Warnings, not errors: nothing is lost or misleading, so the card stays usable.
    if not card.body.strip():
        found.append(CardIssue("body", f"{what} has no text; only its title will print", "warning"))
    if not card.reviewed.strip():
        found.append(
            CardIssue(
                "reviewed", f"{what} has no 'reviewed' date: it was never reviewed", "warning"
            )
        )
    if not card.sources:
        error("sources", f"{what} needs 'sources': a list with at least one entry")
    for index, source in enumerate(card.sources):
        if not source.title.strip():
            error(f"sources.{index}", f"source {index + 1} of {what} has no title")
        if source.url and (why := link_problem(source.url)):
            error(f"sources.{index}", f"source {index + 1} of {what}: {why}")
    for why in markdown_link_problems(card.body):
        found.append(CardIssue("body", f"{what}: {why}", "warning"))
    if card.kind == "initiative" and not card.strategy:
        found.append(
            CardIssue(
                "strategy",
                f"{what} is an initiative that serves no strategy; link it to one so it shows "
                "on the board",
                "warning",
            )
        )
    if card.strategy and card.kind and card.kind != "initiative":
        found.append(
            CardIssue(
                "strategy",
                f"{what} is a {card.kind!r}; only initiative cards link to a strategy",
                "warning",
            )
        )
    return found


def refusal(card: Card, section: Section) -> str | None:
    """Why a card cannot go into a section, in words; None when it can."""
    if section.accepts(card.kind):
        return None
    kinds = ", ".join(KIND_LABELS.get(k, k).lower() for k in section.kinds)
    kind = KIND_LABELS.get(card.kind, card.kind).lower()
    return f"“{card.title}” is a {kind} card; the {section.title} section takes {kinds} cards."


def card_wording(card: Card, section: Section) -> str:
    """The text a section prints for a card unless the memo rewords it: the whole body, the
    one-sentence short form (the title when the card has none), or the title."""
    if section.show == "short":
        return card.short.strip() or card.title
    if section.show == "title":
        return card.title
    return card.body


def memo_level(memo: Memo, library: CardLibrary) -> str:
    """The highest marking in the memo as it stands: its own, its cards' and its items'."""
    codes = [memo.marking] if memo.marking else []
    for _, item in memo.items():
        if item.marking:
            codes.append(item.marking)
        card = library.get(item.card) if item.card is not None else None
        if card is not None and card.marking in markings.CODES:
            codes.append(card.marking)
        elif item.card is None and not item.marking and memo.marking:
            codes.append(memo.marking)
    return markings.highest(codes)


def check_memo(memo: Memo, library: CardLibrary, templates: TemplateSet) -> list[Problem]:
    """Problems with what a memo names: its template, sections and cards."""
    shown = display_path(memo.path) if memo.path else "<memo>"
    problems: list[Problem] = []

    def add(line: int, message: str, severity: str = "error", col: int = 1) -> None:
        problems.append(Problem(shown, line or 1, col or 1, message, severity))

    template = templates.get(memo.template)
    if template is None:
        known = ", ".join(sorted(templates.templates)) or "none"
        add(memo.lines.get("template", 1), f"unknown template {memo.template!r}; known: {known}")
        return problems
    for key in memo.header:
        if key not in template.header and key not in markings.AUTHORITY_FIELDS:
            add(
                memo.lines.get(f"header.{key}", 1),
                f"header field {key!r} is not shown by template {template.id!r} "
                f"(it shows: {', '.join(template.header)})",
                "warning",
            )
    for section_id, items in memo.sections.items():
        section = template.section(section_id)
        if section is None:
            known = ", ".join(s.id for s in template.sections)
            add(
                memo.lines.get(section_id, 1),
                f"unknown section {section_id!r} for template {template.id!r}; "
                f"its sections are: {known}",
            )
            continue
        for item in items:
            wording = item.text if item.card is None else item.body
            for link in markdown_link_problems(wording or ""):
                add(item.line, link, "warning", item.col)
            if item.card is None:
                continue
            card = library.get(item.card)
            if card is None:
                add(item.line, _missing_card(item.card, section_id, library), col=item.col)
                continue
            if (refused := refusal(card, section)) is not None:
                add(item.line, refused, "warning", item.col)
            if section.show == "short" and not card.short.strip() and item.body is None:
                add(
                    item.line,
                    f"card {card.id!r} has no short form, so {section.title} shows its title; "
                    "reword it for this memo or give the card a 'short' sentence",
                    "warning",
                    item.col,
                )
        if section.role == "recommendation":
            for item in items:
                if not _printed(item, section, library).lstrip().startswith("That "):
                    add(
                        item.line,
                        f"a recommendation reads as one 'That you ...' sentence; this item of "
                        f"{section.title} does not start with 'That'",
                        "warning",
                        item.col,
                    )
    level = memo_level(memo, library)
    if template.banner and markings.needs_authority(level):
        empty = [
            label for key, label in markings.AUTHORITY_FIELDS.items() if not memo.header.get(key)
        ]
        if empty:
            add(
                memo.lines.get("template", 1),
                f"the memo is marked {markings.banner(level)}, so its first page needs the "
                f"classification authority block; fill in the header: {', '.join(empty)}",
                "warning",
            )
    for section in template.sections:
        if section.required and not memo.sections.get(section.id):
            add(
                memo.lines.get("template", 1),
                f"required section {section.id!r} ({section.title}) is empty",
                "warning",
            )
    return problems


def _printed(item: MemoItem, section: Section, library: CardLibrary) -> str:
    card = library.get(item.card) if item.card is not None else None
    if item.card is None or card is None:
        return item.text or ""
    if section.show == "title":
        return item.title if item.title is not None else card.title
    return item.body if item.body is not None else card_wording(card, section)


def _missing_card(card_id: str, section_id: str, library: CardLibrary) -> str:
    """An unknown card, or one whose file has errors: say which, and where."""
    broken = [p for p in library.errors if f"card {card_id!r}" in p.message]
    if broken:
        first = broken[0]
        return (
            f"card {card_id!r} in section {section_id!r} is invalid: {first.path}:{first.line}: "
            f"{first.message}; fix the card file"
        )
    return f"unknown card {card_id!r} in section {section_id!r}"
