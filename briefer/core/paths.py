"""Where the bundled library, templates and fonts live, in a checkout and in a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder holding ``content/`` and ``templates/``."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def bundled_library() -> Path:
    return app_root() / "content"


def bundled_templates() -> Path:
    return app_root() / "templates"
