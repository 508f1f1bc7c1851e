"""Parsed card and memo text kept between runs, so a one-off export need not load the
Markdown parser (a fifth of its time) for text it has exported before.

An entry is the blocks ``compose.text_blocks`` made of one text, as JSON, by the digest of
that text and the code that parsed it (Briefer's version, and the size and time of the
composer's, the blocks' and markdown-it's files: a changed parser is a miss, never an old
reading).
Each entry is checked field by field when read; anything unexpected is a miss and the
text is parsed again, so a damaged cache can cost time but never change a word.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefer import __version__
from briefer.core.cardcache import TextCache
from briefer.core.storage import digest
from briefer.render.blocks import Block, ListItem, PageBreak, Paragraph, Run
from briefer.render.compose import MAX_LIST_LEVEL, parse_text

SCHEMA = 1  # bump when the payload below changes shape


@functools.cache
def parser_version() -> str | None:
    """Which code parses text, or None when that cannot be told (then nothing is cached)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("markdown_it")
        origin = spec.origin if spec is not None else None
        if origin is None:
            return None
        here = Path(__file__)
        stats = [os.stat(here.with_name(n)) for n in ("compose.py", "blocks.py")]
        stats.append(os.stat(origin))
    except (OSError, ValueError, ImportError):
        return None
    return ":".join([str(SCHEMA), __version__, *(f"{s.st_size}.{s.st_mtime_ns}" for s in stats)])


def text_blocks(
    text: str,
    next_list_id: Callable[[], int],
    warn: Callable[[str], None],
    cache: TextCache,
) -> list[Block]:
    """``compose.parse_text(text, next_list_id, warn)``, from the cache when it holds
    this text (list ids and warnings are issued as the parse issued them)."""
    version = parser_version()
    if version is None:
        return parse_text(text, next_list_id, warn)
    key = digest(text.encode("utf-8", "surrogatepass"))
    payload = cache.get(key, version)
    if payload is not None:
        replayed = _replay(payload, len(text), next_list_id, warn)
        if replayed is not None:
            cache.hits += 1
            return replayed
        cache.misses += 1  # a damaged entry: parse again, and store it afresh
    ids: list[int] = []
    warnings: list[str] = []

    def record_id() -> int:
        ids.append(next_list_id())
        return ids[-1]

    def record_warning(message: str) -> None:
        warnings.append(message)
        warn(message)

    blocks = parse_text(text, record_id, record_warning)
    stored = _payload(blocks, ids, warnings)
    if stored is not None:
        cache.put(key, version, stored)
    return blocks


def _payload(blocks: list[Block], ids: list[int], warnings: list[str]) -> str | None:
    """The blocks as JSON, list ids as their order of issue; None for a block this form
    does not hold (then the text is simply not cached)."""
    index = {list_id: n for n, list_id in enumerate(ids)}
    out: list[list[Any]] = []
    for block in blocks:
        if isinstance(block, PageBreak):
            out.append(["b"])
            continue
        if not isinstance(block, (Paragraph, ListItem)) or block.portion is not None:
            return None
        runs = [[r.text, r.bold, r.italic, r.href] for r in block.runs]
        if isinstance(block, Paragraph):
            out.append(["p", runs])
        elif block.list_id in index:
            out.append(["l", runs, block.level, block.ordered, index[block.list_id], block.number])
        else:
            return None
    data = {"ids": len(ids), "warnings": warnings, "blocks": out}
    return json.dumps(data, ensure_ascii=False)


def _replay(
    payload: str, size: int, next_list_id: Callable[[], int], warn: Callable[[str], None]
) -> list[Block] | None:
    """The blocks a payload holds, issuing list ids and warnings as the parse did; None
    for a payload that is not exactly what ``_payload`` writes for a text of ``size``
    characters (each list takes at least one)."""
    try:
        data = json.loads(payload)
        count, warnings, stored = data["ids"], data["warnings"], data["blocks"]
        if type(count) is not int or not 0 <= count <= size:
            return None
        if type(warnings) is not list or not all(type(w) is str for w in warnings):
            return None
        shapes = [_shape(item, count) for item in stored]
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    if any(shape is None for shape in shapes):
        return None
    ids = [next_list_id() for _ in range(count)]
    for message in warnings:
        warn(message)
    blocks: list[Block] = []
    for shape in shapes:
        assert shape is not None
        kind, runs, rest = shape
        if kind == "b":
            blocks.append(PageBreak())
        elif kind == "p":
            blocks.append(Paragraph(runs))
        else:
            level, ordered, which, number = rest
            blocks.append(ListItem(runs, level, ordered, ids[which], number))
    return blocks


def _shape(item: Any, count: int) -> tuple[str, tuple[Run, ...], tuple[Any, ...]] | None:
    """One stored block, checked: its kind, runs and list fields."""
    if type(item) is not list or not item or item[0] not in ("b", "p", "l"):
        return None
    kind = item[0]
    if kind == "b":
        return ("b", (), ()) if len(item) == 1 else None
    if len(item) != (2 if kind == "p" else 6) or type(item[1]) is not list:
        return None
    runs = []
    for run in item[1]:
        if type(run) is not list or len(run) != 4:
            return None
        text, bold, italic, href = run
        if type(text) is not str or type(bold) is not bool or type(italic) is not bool:
            return None
        if href is not None and type(href) is not str:
            return None
        runs.append(Run(text, bold, italic, href))
    if kind == "p":
        return "p", tuple(runs), ()
    level, ordered, which, number = item[2:]
    if type(level) is not int or type(ordered) is not bool or type(number) is not int:
        return None
    if type(which) is not int or not 0 <= which < count or not 0 <= level <= MAX_LIST_LEVEL:
        return None
    return "l", tuple(runs), (level, ordered, which, number)
