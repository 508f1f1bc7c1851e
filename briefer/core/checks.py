"""Preflight: every check on a memo before it goes out, each finding with a stable code.

``preflight`` is the one implementation. ``briefer check`` prints its findings, the window's
Checks panel lists them live, and ``rules.check_memo`` (validate and export) reports the
structural ones with the severities it always had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from briefer.core import markings
from briefer.core.cards import Card, CardLibrary
from briefer.core.memos import Memo, MemoItem
from briefer.core.problems import Problem
from briefer.core.rules import (
    card_wording,
    item_marking,
    markdown_link_problems,
    memo_level,
    missing_card,
    parse_date,
    refusal,
)
from briefer.core.templates import HEADER_FIELDS, MemoTemplate, Section, TemplateSet

# The codes, their severity in `briefer check`, and when they are reported. The README's
# table is written from this one.
CODES: dict[str, tuple[str, str]] = {
    "unknown-template": ("error", "the memo names a template that is not installed"),
    "unknown-section": ("error", "the memo has a section its template does not have"),
    "required-section-empty": ("error", "a section the template marks required has no item"),
    "header-field-empty": (
        "error",
        "a header field the template shows is empty: an error for to/from/subject and the "
        "template's required_fields, else a warning",
    ),
    "header-field-not-shown": ("warning", "a header field the template does not print"),
    "over-page-limit": ("error", "the memo lays out to more pages than the page_limit"),
    "card-missing": ("error", "an item names a card that is not in the library"),
    "card-invalid": ("error", "an item names a card whose file has errors"),
    "card-unsourced": ("warning", "a card in the memo has no source"),
    "card-stale": (
        "warning",
        "a card's reviewed date is older than the template's freshness_months (default 12), "
        "or it has none",
    ),
    "card-review-overdue": ("warning", "a card's review_by date has passed"),
    "marking-above-audience": (
        "error",
        "a card or typed item is marked above the template's max_marking (its audience)",
    ),
    "card-changed-since-added": (
        "warning",
        "the library's card differs from the version the memo item was built from",
    ),
    "reworded-card-changed": (
        "warning",
        "a card this memo rewords has changed in the library since the rewording",
    ),
    "classification-block-missing": (
        "error",
        "the banner is C or higher and a classification authority field is empty",
    ),
    "kind-not-accepted": ("warning", "a card of a kind the section does not take"),
    "short-form-missing": ("warning", "a card shown short (a recommendation) has no short form"),
    "not-that-you": ("warning", "a recommendation that does not start with 'That'"),
    "link-not-written": ("warning", "a link the exports print as plain text"),
}


@dataclass(frozen=True)
class Finding:
    """One thing to fix before the memo goes out, at a line of the memo file."""

    code: str
    severity: str
    message: str
    line: int = 1
    col: int = 1
    section: str | None = None
    card: str | None = None
    field: str | None = None  # a header field
    index: int | None = None  # the item's position in its section (for the window)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def problem(self, path: str, with_code: bool = True) -> Problem:
        message = f"{self.message} [{self.code}]" if with_code else self.message
        return Problem(path, self.line or 1, self.col or 1, message, self.severity)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "col": self.col,
        }
        for key in ("section", "card", "field"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class _Where:
    """An item's place: its line and column in the memo file, its section and card."""

    line: int
    col: int
    section: str
    card: str | None
    index: int


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, 28))


FRESHNESS_LABELS = {
    "fresh": "",
    "stale": "stale",
    "never": "never reviewed",
    "overdue": "review overdue",
}


def freshness(card: Card, today: dt.date | None = None, months: int = 12) -> str:
    """``fresh``, ``stale`` (reviewed more than ``months`` ago), ``never`` (no reviewed
    date) or ``overdue`` (its review_by date has passed; this wins)."""
    today = today or dt.date.today()
    review_by = parse_date(card.review_by)
    if review_by is not None and review_by < today:
        return "overdue"
    reviewed = parse_date(card.reviewed)
    if reviewed is None:
        return "never"
    return "stale" if reviewed < _months_before(today, months) else "fresh"


class _Checker:
    def __init__(self, memo: Memo, library: CardLibrary, template: MemoTemplate, today: dt.date):
        self.memo, self.library, self.template, self.today = memo, library, template, today
        self.found: list[Finding] = []
        self.cards_seen: set[str] = set()

    def add(
        self,
        code: str,
        message: str,
        line: int = 1,
        *,
        at: _Where | None = None,
        section: str | None = None,
        field: str | None = None,
    ) -> None:
        severity = CODES[code][0]
        if code == "header-field-empty" and not self.template.field_required(field or ""):
            severity = "warning"
        if at is not None:
            finding = Finding(
                code, severity, message, at.line, at.col, at.section, at.card, index=at.index
            )
        else:
            finding = Finding(code, severity, message, line or 1, 1, section, None, field)
        self.found.append(finding)

    def header(self) -> None:
        memo, template = self.memo, self.template
        for key in memo.header:
            if key not in template.header and key not in markings.AUTHORITY_FIELDS:
                self.add(
                    "header-field-not-shown",
                    f"header field {key!r} is not shown by template {template.id!r} "
                    f"(it shows: {', '.join(template.header)})",
                    memo.lines.get(f"header.{key}", 1),
                    field=key,
                )
        for key in template.header:
            if key == "date" or memo.header.get(key, "").strip():
                continue  # an empty date prints today's
            self.add(
                "header-field-empty",
                f"header field {HEADER_FIELDS[key]} is empty",
                memo.lines.get(f"header.{key}", memo.lines.get("header", 1)),
                field=key,
            )

    def sections(self) -> None:
        memo, template = self.memo, self.template
        for section_id, items in memo.sections.items():
            section = template.section(section_id)
            if section is None:
                known = ", ".join(s.id for s in template.sections)
                self.add(
                    "unknown-section",
                    f"unknown section {section_id!r} for template {template.id!r}; "
                    f"its sections are: {known}",
                    memo.lines.get(section_id, 1),
                    section=section_id,
                )
                continue
            for index, item in enumerate(items):
                self.item(section, item, index)
        for section in template.sections:
            if section.required and not memo.sections.get(section.id):
                self.add(
                    "required-section-empty",
                    f"required section {section.id!r} ({section.title}) is empty",
                    memo.lines.get(section.id, memo.lines.get("template", 1)),
                    section=section.id,
                )

    def item(self, section: Section, item: MemoItem, index: int) -> None:
        at = _Where(item.line or 1, item.col or 1, section.id, item.card, index)
        wording = item.text if item.card is None else item.body
        for link in markdown_link_problems(wording or ""):
            self.add("link-not-written", link, at=at)
        card = self.library.get(item.card) if item.card is not None else None
        if item.card is not None:
            if card is None:
                message, broken = missing_card(item.card, section.id, self.library)
                self.add("card-invalid" if broken else "card-missing", message, at=at)
                return
            if (refused := refusal(card, section)) is not None:
                self.add("kind-not-accepted", refused, at=at)
            if section.show == "short" and not card.short.strip() and item.body is None:
                self.add(
                    "short-form-missing",
                    f"card {card.id!r} has no short form, so {section.title} shows its title; "
                    "reword it for this memo or give the card a 'short' sentence",
                    at=at,
                )
            self.card(card, item, at)
        marking = item_marking(item, card, self.memo.marking)
        limit = self.template.max_marking
        if markings.rank(marking) > markings.rank(limit):
            what = f"card {card.id!r}" if card else "typed text"
            self.add(
                "marking-above-audience",
                f"{what} is marked {marking}, above the {limit} that template "
                f"{self.template.id!r} ({self.template.audience} audience) may carry; remove "
                "it or use a card marked for this audience",
                at=at,
            )
        printed = _printed(item, card, section).lstrip()
        if section.role == "recommendation" and not printed.startswith("That "):
            self.add(
                "not-that-you",
                f"a recommendation reads as one 'That you ...' sentence; this item of "
                f"{section.title} does not start with 'That'",
                at=at,
            )

    def card(self, card: Card, item: MemoItem, at: _Where) -> None:
        if item.version and item.version != card.version():
            if item.is_override:
                self.add(
                    "reworded-card-changed",
                    f"card {card.id!r} has changed in the library since this memo reworded it; "
                    "compare the two and update the memo's wording if needed",
                    at=at,
                )
            else:
                self.add(
                    "card-changed-since-added",
                    f"card {card.id!r} has changed in the library since it was added to this "
                    "memo; the memo will print the library's new wording",
                    at=at,
                )
        if card.id in self.cards_seen:
            return  # the card's own state is said once per memo
        self.cards_seen.add(card.id)
        if not card.sources:
            self.add("card-unsourced", f"card {card.id!r} has no source", at=at)
        window = self.template.freshness_months
        reviewed = parse_date(card.reviewed)
        if reviewed is None:
            self.add(
                "card-stale",
                f"card {card.id!r} has never been reviewed (no 'reviewed' date)",
                at=at,
            )
        elif reviewed < _months_before(self.today, window):
            self.add(
                "card-stale",
                f"card {card.id!r} was last reviewed on {card.reviewed}, more than {window} "
                "months ago; check its facts still hold",
                at=at,
            )
        if freshness(card, self.today, window) == "overdue":
            self.add(
                "card-review-overdue",
                f"card {card.id!r} was due for review by {card.review_by}",
                at=at,
            )

    def authority(self) -> None:
        level = memo_level(self.memo, self.library)
        if not (self.template.banner and markings.needs_authority(level)):
            return
        empty = [
            (key, label)
            for key, label in markings.AUTHORITY_FIELDS.items()
            if not self.memo.header.get(key, "").strip()
        ]
        if empty:
            self.add(
                "classification-block-missing",
                f"the memo is marked {markings.banner(level)}, so its first page needs the "
                f"classification authority block; fill in the header: "
                f"{', '.join(label for _, label in empty)}",
                self.memo.lines.get(f"header.{empty[0][0]}", self.memo.lines.get("template", 1)),
                field=empty[0][0],
            )


def _printed(item: MemoItem, card: Card | None, section: Section) -> str:
    """The text an item prints in its section."""
    if card is None:
        return item.text or ""
    if section.show == "title":
        return item.title if item.title is not None else card.title
    return item.body if item.body is not None else card_wording(card, section)


def preflight(
    memo: Memo,
    library: CardLibrary,
    templates: TemplateSet,
    today: dt.date | None = None,
    pages: int | None = None,
) -> list[Finding]:
    """Every finding on a memo, in the order of the memo (header, then sections and their
    items, then the memo as a whole). ``pages``: how many pages the export lays it
    out to (the caller renders; this module never does)."""
    template = templates.get(memo.template)
    if template is None:
        known = ", ".join(sorted(templates.templates)) or "none"
        return [
            Finding(
                "unknown-template",
                "error",
                f"unknown template {memo.template!r}; known: {known}",
                memo.lines.get("template", 1),
            )
        ]
    checker = _Checker(memo, library, template, today or dt.date.today())
    checker.header()
    checker.sections()
    checker.authority()
    if template.page_limit is not None and pages is not None and pages > template.page_limit:
        checker.add(
            "over-page-limit",
            f"the memo runs to {pages} pages, over the {template.page_limit}-page limit of "
            f"template {template.id!r}",
            memo.lines.get("template", 1),
        )
    return checker.found


def strict(findings: Iterable[Finding]) -> bool:
    """Whether any finding is an error."""
    return any(f.is_error for f in findings)
