"""Entry point of the frozen app: the same ``briefer`` command, safe without a console."""

from __future__ import annotations

import sys
from pathlib import Path


def _no_console_streams() -> None:
    # A windowed build on Windows or macOS has no stdout/stderr (they are None): anything
    # printed would crash the app at start. Send them to a log file instead.
    if sys.stdout is not None and sys.stderr is not None:
        return
    from briefer.gui.app import log_path

    path = Path(log_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    stream = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives with the app
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream


if __name__ == "__main__":
    _no_console_streams()
    from briefer.__main__ import main

    main()
