"""Every setting Briefer remembers, declared once with its type and default (QSettings)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QSettings, QStandardPaths

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """A key, its Python type (passed to QSettings.value as ``type=``) and its default."""

    key: str
    type: type
    default: T


WINDOW_GEOMETRY = Setting("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = Setting("window/state", QByteArray, QByteArray())
MEMO_SPLIT = Setting("window/memo_split", QByteArray, QByteArray())  # composer | preview
# The board and the memo side by side (a splitter) rather than in two tabs, and that split.
BOARD_BESIDE_MEMO = Setting("window/board_beside_memo", bool, False)
BESIDE_SPLIT = Setting("window/beside_split", QByteArray, QByteArray())
PREVIEW_ZOOM = Setting("window/preview_zoom", str, "width")
RECENT_FILES: Setting[list[str]] = Setting("files/recent", list, [])
LAST_MEMO_FOLDER = Setting("files/last_folder", str, "")
LIBRARY_FOLDERS: Setting[list[str]] = Setting("library/folders", list, [])
NEW_CARD_FOLDER = Setting("library/new_card_folder", str, "")
DEFAULT_FROM = Setting("memo/default_from", str, "")
LAST_EXPORT_FOLDER = Setting("export/last_folder", str, "")
# The library's filters, as the user left them (kind, strategy, tag, marking, stale only).
# One text, the values joined by "|" (a QSettings list would drop the empty ones).
LIBRARY_FILTERS = Setting("library/filters", str, "")
# A folder of memos the library's "Used in" searches, besides the recent files.
MEMOS_FOLDER = Setting("memo/memos_folder", str, "")
LAST_TEMPLATE = Setting("memo/last_template", str, "")  # the chooser starts on it
# Unsaved work goes to the recovery folder this many seconds after an edit (and at once
# when the window loses focus).
# Red underlines under misspelled words in memo and card fields (Preferences).
SPELL_CHECK = Setting("edit/spell_check", bool, True)
AUTOSAVE_SECONDS = Setting("files/autosave_seconds", int, 10)
BACKUPS_KEPT = Setting("files/backups_kept", int, 5)
MAX_RECENT = 10


def split_sizes(state: object) -> list[int]:
    """The pane sizes in a remembered splitter state (``QSplitter.saveState``); none when
    it is not one. The window restores a split only with a size for each of its panes,
    none of them folded away: an earlier Briefer saved the memo area with one pane after
    a memo was closed, and restoring that hid the preview at every start."""
    if not isinstance(state, QByteArray) or state.size() < 12:
        return []
    stream = QDataStream(state, QIODevice.OpenModeFlag.ReadOnly)
    magic, version, panes = stream.readInt32(), stream.readInt32(), stream.readInt32()
    if magic != 0xFF or version != 1 or not 0 < panes <= 16:
        return []
    sizes = [stream.readInt32() for _ in range(panes)]
    return sizes if stream.status() == QDataStream.Status.Ok else []


def restorable_split(state: object, panes: int) -> bool:
    """Whether a remembered split fits a splitter of ``panes`` panes, each one showing."""
    sizes = split_sizes(state)
    return len(sizes) == panes and all(size > 0 for size in sizes)


class Settings:
    """QSettings behind typed accessors. ``BRIEFER_SETTINGS_DIR`` redirects it (tests)."""

    def __init__(self) -> None:
        folder = os.environ.get("BRIEFER_SETTINGS_DIR")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            self._qs = QSettings(str(Path(folder) / "briefer.ini"), QSettings.Format.IniFormat)
        else:
            self._qs = QSettings("Briefer", "Briefer")

    def get(self, setting: Setting[T]) -> T:
        # QSettings returns 'true'/'false' strings and one-item lists as plain strings
        # unless told the type; always pass it.
        value: Any = self._qs.value(setting.key, setting.default, type=setting.type)
        if setting.type is list:
            value = [str(v) for v in (value or []) if v]
        result: T = value
        return result

    def set(self, setting: Setting[T], value: T) -> None:
        self._qs.setValue(setting.key, value)

    def sync(self) -> None:
        self._qs.sync()

    def forget_recent(self, path: Path) -> None:
        self.set(RECENT_FILES, [p for p in self.get(RECENT_FILES) if p != str(path)])

    def add_recent(self, path: Path) -> list[str]:
        self.forget_recent(path)  # (then first in the list)
        recent = self.get(RECENT_FILES)
        recent.insert(0, str(path))
        recent = recent[:MAX_RECENT]
        self.set(RECENT_FILES, recent)
        return recent


def user_data_dir() -> Path:
    """Briefer's per-user data folder (the user's own library lives under it)."""
    override = os.environ.get("BRIEFER_DATA_DIR")
    if override:
        return Path(override)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".local" / "share" / "Briefer")


def recovery_dir() -> Path:
    """Unsaved work written aside by autosave, offered back after a crash."""
    return user_data_dir() / "recovery"


def backups_dir() -> Path:
    """The last few versions of every memo and card file Briefer replaced."""
    return user_data_dir() / "backups"


def user_dictionary() -> Path:
    """The words the user added to the spelling dictionary, one per line."""
    return user_data_dir() / "dictionary.txt"


def default_library_dir() -> Path:
    """The user's own library unless Preferences names another: ``library`` in the data
    folder."""
    return user_data_dir() / "library"


def user_library_dir(settings: Settings) -> Path:
    """Where new cards are saved: the setting, or the default library folder."""
    chosen = settings.get(NEW_CARD_FOLDER)
    return Path(chosen) if chosen else default_library_dir()
