"""The portion markings Briefer knows, lowest to highest. The one place they are declared."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Marking:
    """A marking: the short portion mark and the banner printed at top and bottom of a page."""

    code: str
    banner: str


MARKINGS: tuple[Marking, ...] = (
    Marking("U", "UNCLASSIFIED"),
    Marking("SBU", "SENSITIVE BUT UNCLASSIFIED"),
    Marking("C", "CONFIDENTIAL"),
    Marking("S", "SECRET"),
    Marking("TS", "TOP SECRET"),
)
# The classification authority block, header fields any memo may carry. A memo whose banner
# is AUTHORITY_FROM or higher prints them on its first page (and is reported when one is empty).
AUTHORITY_FIELDS: dict[str, str] = {
    "classified-by": "Classified by",
    "reason": "Reason",
    "declassify-on": "Declassify on",
}
AUTHORITY_FROM = "C"
CODES: tuple[str, ...] = tuple(m.code for m in MARKINGS)
LOWEST = CODES[0]
_RANK = {code: i for i, code in enumerate(CODES)}
_BANNER = {m.code: m.banner for m in MARKINGS}


def rank(code: str) -> int:
    """Position of a marking in the order, lowest first."""
    return _RANK[code]


def highest(codes: Iterable[str]) -> str:
    """The highest of some markings; the lowest marking when there are none."""
    return max(codes, key=rank, default=LOWEST)


def banner(code: str) -> str:
    """The banner line for a marking, e.g. ``UNCLASSIFIED``."""
    return _BANNER[code]


def portion(code: str) -> str:
    """The portion mark, e.g. ``(U)``."""
    return f"({code})"


def needs_authority(code: str) -> bool:
    """Whether a memo with this banner must carry the classification authority block."""
    return rank(code) >= rank(AUTHORITY_FROM)
