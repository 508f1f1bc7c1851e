"""The toolbar's icons: Briefer's own SVG drawings (``briefer/icons``), sharp at any scale."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

ICONS = Path(__file__).resolve().parent.parent / "icons"
NAMES = (
    "new",
    "open",
    "save",
    "undo",
    "redo",
    "export-docx",
    "export-pdf",
    "print",
    "find",
    "beside",
    "help",
)


@cache
def icon(name: str) -> QIcon:
    """The named icon; a vector image, so high-DPI screens get it drawn at their scale."""
    if name not in NAMES:
        raise KeyError(name)
    return QIcon(str(ICONS / f"{name}.svg"))
