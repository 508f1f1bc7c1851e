"""The log file: details of errors the window has already explained in plain words."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path


def log_path() -> Path:
    from briefer.gui.settings import user_data_dir

    return user_data_dir() / "briefer.log"


def write_log(summary: str, error: BaseException | None = None) -> Path:
    """Append a dated entry (with the traceback, if any) and return the log's path."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"\n--- {dt.datetime.now().isoformat()} ---\n{summary}\n")
            if error is not None:
                log.writelines(traceback.format_exception(type(error), error, error.__traceback__))
    except OSError:
        pass  # the message on screen already said what matters
    return path
