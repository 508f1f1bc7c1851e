"""Briefer: draft briefing memos from a library of cards, export to Word and PDF."""

from __future__ import annotations

__version__ = "0.1.0"
