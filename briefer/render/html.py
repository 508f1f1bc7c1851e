"""Blocks to HTML for the window's card views (QTextBrowser): the same parse as the exports,
so what a card shows in the editor and the library is what prints. All text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from briefer.core.cards import Card
from briefer.core.rules import KIND_LABELS
from briefer.render import blocks as b
from briefer.render.compose import markdown_blocks
from briefer.render.layout import bullet, link_hex


def runs_html(runs: Sequence[b.Run]) -> str:
    out = []
    for run in runs:
        text = escape(run.text).replace("\n", "<br/>")
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        if run.href:
            text = f'<a href="{escape(run.href)}" style="color:{link_hex()}">{text}</a>'
        out.append(text)
    return "".join(out)


def blocks_html(blocks: Sequence[b.Block]) -> str:
    """Paragraphs and list items as HTML; list markers are the ones the exports print."""
    out = []
    for block in blocks:
        if isinstance(block, b.Paragraph):
            out.append(f"<p>{runs_html(block.runs)}</p>")
        elif isinstance(block, b.ListItem):
            marker = f"{block.number}." if block.ordered else bullet(block.level)
            indent = 18 * (block.level + 1)
            out.append(
                f'<p style="margin-left:{indent}px; margin-top:0; margin-bottom:2px">'
                f"{escape(marker)}&nbsp;&nbsp;{runs_html(block.runs)}</p>"
            )
        elif isinstance(block, b.PageBreak):
            out.append("<hr/>")
    return "\n".join(out)


def markdown_html(text: str) -> str:
    """Card text (Markdown) as the exports will show it."""
    return blocks_html(markdown_blocks(text))


def card_html(card: Card, used_in: Sequence[str], state: str = "") -> str:
    """A card in full for the library's detail pane; ``state`` says how fresh it is
    ("stale", "review overdue", or "" for fresh)."""
    kind = KIND_LABELS.get(card.kind, card.kind)
    meta = f"{escape(kind)} · marking {escape(card.marking)} · <code>{escape(card.id)}</code>"
    dates = (
        f"As of {escape(card.as_of or 'not given')} · reviewed "
        f"{escape(card.reviewed or 'never')} · review by {escape(card.review_by or 'not set')}"
    )
    parts = [f"<h2>{escape(card.title)}</h2>", f"<p><i>{meta}</i><br/>{dates}</p>"]
    if state:
        parts.append(
            f'<p style="color:#7a5200"><b>{escape(state.capitalize())}:</b> check '
            "its facts still hold before it goes out.</p>"
        )
    if card.strategy:
        parts.append(f"<p>Serves: {escape(', '.join(card.strategy))}</p>")
    parts.append(markdown_html(card.body))
    parts.append("<p><b>Sources</b></p>")
    for number, source in enumerate(card.sources, start=1):
        parts.append(f"<p>{number}. {escape(source.citation())}</p>")
    if card.tags:
        parts.append(f"<p><b>Tags:</b> {escape(', '.join(card.tags))}</p>")
    used = ", ".join(used_in) if used_in else "no open memo"
    parts.append(f"<p><b>Used in:</b> {escape(used)}</p>")
    return "\n".join(parts)
