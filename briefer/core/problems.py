"""Problems found in a user's files, reported as ``path:line:col: message``."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"

    @property
    def located(self) -> str:
        """``path:line:col: message``, for a list already headed "Warnings"."""
        return f"{self.path}:{self.line}:{self.col}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class BrieferError(Exception):
    """An error a user can cause and fix; its message is shown as is, never a traceback."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])

    def __str__(self) -> str:
        text = super().__str__()
        if self.problems:
            text += "\n" + "\n".join(str(p) for p in self.problems)
        return text


def counted(n: int, noun: str) -> str:
    """``n`` and the noun, singular or plural as the number asks: "1 error", "3 warnings"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def display_path(path: str | Path) -> str:
    """A path as the user will recognise it: relative to the working folder when inside it."""
    try:
        here = os.getcwd()
    except OSError:  # the working folder was removed
        return str(path)
    return _display_path(str(path), here)


@functools.lru_cache(maxsize=4096)
def _display_path(path: str, cwd: str) -> str:
    # Resolving walks every folder of the path (a system call each): a library of 10,000
    # files asks for each path more than once, so the answer is kept per working folder.
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except (ValueError, OSError):
        return str(p)
