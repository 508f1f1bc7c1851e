"""Rebuild briefer/fonts/ARPLUMingCN-Subset.ttf, the serif Chinese face the PDF embeds.

Source: AR PL UMing CN, face 0 of ``uming.ttc`` in Debian's ``fonts-arphic-uming``
(0.2.20080216.2-11; Arphic Public License, see briefer/fonts/LICENSE-ArphicPL.txt). Kept:
the ideographs of GB 2312 and Big5 level 1 with CJK and full-width punctuation (about
9,200 characters, 6.6 MB instead of 21 MB). Dropped: hinting, bitmaps and layout tables,
which reportlab does not use. Characters outside the subset fall back to Droid Sans
Fallback. A development tool (needs ``fonttools``); Briefer itself never runs it.

    apt-get download fonts-arphic-uming && dpkg-deb -x fonts-arphic-uming_*.deb uming
    python packaging/make_cjk_serif.py uming/usr/share/fonts/truetype/arphic/uming.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

NOTICE = (
    "Modified 2026-12-01 for Briefer by packaging/make_cjk_serif.py: subset of AR PL UMing CN "
    "to the GB 2312 and Big5 level 1 ideographs with CJK and full-width punctuation; hinting, "
    "bitmaps and layout tables removed. Arphic Public License."
)
OUT = Path(__file__).resolve().parents[1] / "briefer" / "fonts" / "ARPLUMingCN-Subset.ttf"


def _decodes(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


def characters(cmap: dict[int, str]) -> set[int]:
    pairs = [(hi, lo, "gb2312") for hi in range(0xA1, 0xF8) for lo in range(0xA1, 0xFF)]
    pairs += [  # Big5 level 1: the frequent traditional characters
        (hi, lo, "big5")
        for hi in range(0xA4, 0xC7)
        for lo in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    ]
    chars = {ord(c) for hi, lo, codec in pairs if (c := _decodes(bytes([hi, lo]), codec))}
    chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))  # punctuation
    return {c for c in chars if c in cmap and c >= 0x2E80}


def main(source: str) -> None:
    font = TTCollection(source).fonts[0]
    options = subset.Options()
    options.hinting = False
    options.drop_tables += ["BDF ", "EBDT", "EBLC", "FFTM", "VORG", "vhea", "vmtx"]
    options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters(font.getBestCmap()))
    subsetter.subset(font)
    # The Arphic Public License (2a): a prominent notice of how and when the file changed.
    name = font["name"]
    name.setName(NOTICE, 10, 3, 1, 0x409)  # Description, Windows English
    name.setName(NOTICE, 10, 1, 0, 0)  # Description, Macintosh English
    font.save(str(OUT))
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
