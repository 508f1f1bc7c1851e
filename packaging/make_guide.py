"""Rebuild briefer/help/guide.md, the user guide Help › User guide shows, from the README's
"The window" section (images dropped: the guide ships without the screenshots).

    python packaging/make_guide.py
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "briefer" / "help" / "guide.md"
HEADER = "# Briefer user guide\n\n"


def guide_text(readme: str) -> str:
    """The guide made from the README's text."""
    start = readme.index("## The window\n")
    end = readme.index("\n## ", start + 1)
    section = readme[start:end]
    section = re.sub(r"^!\[.*\]\(.*\)\n\n?", "", section, flags=re.MULTILINE)
    return HEADER + section.strip() + "\n"


def main() -> None:
    GUIDE.write_text(guide_text((ROOT / "README.md").read_text(encoding="utf-8")), "utf-8")
    print(f"wrote {GUIDE}")


if __name__ == "__main__":
    main()
