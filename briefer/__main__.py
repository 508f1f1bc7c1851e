"""The process's entry point: ``python -m briefer``, the ``briefer`` command and the
frozen app all start here."""

from __future__ import annotations

import gc


def main() -> None:
    """Run the ``briefer`` command as this process, and end it."""
    # No cycle collection while Briefer's modules load: they make only objects that live
    # as long as the process (modules, classes, functions), which each collection walks
    # again and frees none of (54 collections, 8 ms of a one-off export). ``cli.main``
    # turns it back on as soon as the command is known, except for a one-memo export,
    # whose process ends when its file is written.
    gc.disable()
    from briefer.cli import main as run

    run()


if __name__ == "__main__":
    main()
