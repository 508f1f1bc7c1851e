"""Where the bundled library, templates and fonts live, in a checkout and in a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder holding ``content/`` and ``templates/``: the frozen app's folder, the
    source checkout, or ``briefer/bundled`` inside an installed wheel."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "templates").is_dir() and (checkout / "content").is_dir():
        return checkout
    return Path(__file__).resolve().parents[1] / "bundled"


def bundled_library() -> Path:
    return app_root() / "content"


def bundled_templates() -> Path:
    return app_root() / "templates"
