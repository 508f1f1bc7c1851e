"""``python -m briefer`` runs the same entry point as the ``briefer`` command."""

from __future__ import annotations

import sys

from briefer.cli import main

if __name__ == "__main__":
    sys.exit(main())
