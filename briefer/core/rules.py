"""The one place for Briefer's rules: what makes a card valid, which kinds a section takes,
and what is checked in a memo. The file reader, the card editor, a drop into a section,
compose and both exports all ask here, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefer.core import markings
from briefer.core.problems import Problem, display_path
from briefer.core.schema import ID_RE

if TYPE_CHECKING:  # the modules below read files and ask here; types only, no cycle
    from briefer.core.cards import Card, CardLibrary
    from briefer.core.checks import Finding
    from briefer.core.memos import Memo, MemoItem
    from briefer.core.templates import MemoTemplate, Section, TemplateSet

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


# What strptime's %Y-%m-%d accepts, written out (its module and patterns cost a start 2 ms).
_DATE = re.compile(
    r"(?P<Y>\d\d\d\d)(?:-(?P<m>1[0-2]|0[1-9]|[1-9])(?:-(?P<d>3[01]|[12]\d|0[1-9]|[1-9]| [1-9]))?)?"
)


def parse_date(text: str, partial: bool = False) -> dt.date | None:
    """A date written ``YYYY-MM-DD`` (or, with ``partial``, ``YYYY`` or ``YYYY-MM``, read
    as the first day of that year or month); None when it is not one. Accepts exactly
    what ``strptime`` with those shapes does (tests/core/test_dates.py compares them)."""
    found = _DATE.fullmatch(text.strip())
    if found is None or (not partial and found["d"] is None):
        return None
    try:
        return dt.date(int(found["Y"]), int(found["m"] or 1), int(found["d"] or 1))
    except ValueError:  # 2023-02-30
        return None


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
        found.append(
            CardIssue(
                "sources",
                f"{what} has no 'sources'; add where its content comes from (a memo check "
                "reports it as unsourced)",
                "warning",
            )
        )
    for name, value, shapes in (
        ("reviewed", card.reviewed, ("YYYY-MM-DD",)),
        ("review_by", card.review_by, ("YYYY-MM-DD",)),
        ("as_of", card.as_of, ("YYYY", "YYYY-MM", "YYYY-MM-DD")),
    ):
        if value and parse_date(value, len(shapes) > 1) is None:
            found.append(
                CardIssue(
                    name,
                    f"'{name}' in {what} is {value!r}, not a date the checks can read; write "
                    f"it as {' or '.join(shapes)}",
                    "warning",
                )
            )
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


def suggest_id(title: str, taken: Iterable[str] = ()) -> str:
    """A card id made from a title: lowercase words joined by '-', unique among ``taken``."""
    words = re.findall(r"[a-z0-9]+", title.casefold().replace("'", ""))
    base = "-".join(words)[:48].strip("-") or "card"
    used = set(taken)
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def refusal(card: Card, section: Section, template: MemoTemplate | None = None) -> str | None:
    """Why a card cannot go into a section (of a template, whose audience bounds the
    marking), in words; None when it can."""
    too_high = (
        template is not None
        and card.marking in markings.CODES
        and markings.rank(card.marking) > markings.rank(template.max_marking)
    )
    if too_high and template is not None:
        return (
            f"“{card.title}” is marked {card.marking}; {template.name} is for an "
            f"{template.audience} audience and may carry only {template.max_marking} material."
        )
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


def item_marking(item: MemoItem, card: Card | None, memo_marking: str | None) -> str:
    """An item's portion marking: the higher of its own and its card's; typed text without
    its own follows the memo's. The one rule compose, the checks and the window use."""
    codes = [item.marking] if item.marking else []
    if card is not None and card.marking in markings.CODES:
        codes.append(card.marking)
    elif item.card is None and not codes:
        codes.append(memo_marking or markings.LOWEST)
    return markings.highest(codes)


def memo_level(memo: Memo, library: CardLibrary) -> str:
    """The highest marking in the memo as it stands: its own, its cards' and its items'."""
    codes = [memo.marking or markings.LOWEST]
    for _, item in memo.items():
        card = library.get(item.card) if item.card is not None else None
        codes.append(item_marking(item, card, memo.marking))
    return markings.highest(codes)


# What validate and export report of the preflight findings, with the severities they have
# always had there: a memo that is not finished (an empty required section, say) can still
# be exported as a draft; `briefer check` holds it to the full standard.
EXPORT_CHECKS = {
    "unknown-template": "error",
    "unknown-section": "error",
    "card-missing": "error",
    "card-invalid": "error",
    "header-field-not-shown": "warning",
    "link-not-written": "warning",
    "kind-not-accepted": "warning",
    "short-form-missing": "warning",
    "not-that-you": "warning",
    "required-section-empty": "warning",
    "classification-block-missing": "warning",
    "marking-above-audience": "warning",
}


def check_memo(
    memo: Memo,
    library: CardLibrary,
    templates: TemplateSet,
    findings: list[Finding] | None = None,
) -> list[Problem]:
    """Problems with what a memo names (its template, sections and cards), as validate and
    export report them; see ``checks.preflight`` for the whole set (``findings``, when the
    caller has them already)."""
    from briefer.core.checks import preflight  # it builds on this module

    if findings is None:
        findings = preflight(memo, library, templates)
    shown = display_path(memo.path) if memo.path else "<memo>"
    return [
        Problem(shown, f.line, f.col, f.message, EXPORT_CHECKS[f.code])
        for f in findings
        if f.code in EXPORT_CHECKS
    ]


def missing_card(card_id: str, section_id: str, library: CardLibrary) -> tuple[str, bool]:
    """An unknown card, or one whose file has errors: say which, and where. The flag is
    True for a card that exists but is broken."""
    broken = [p for p in library.errors if f"card {card_id!r}" in p.message]
    if broken:
        first = broken[0]
        return (
            f"card {card_id!r} in section {section_id!r} is invalid: {first.path}:{first.line}: "
            f"{first.message}; fix the card file",
            True,
        )
    return f"unknown card {card_id!r} in section {section_id!r}", False
