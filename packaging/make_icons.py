"""Make the Windows (.ico) and macOS (.icns) icons from briefer.png, into packaging/build/."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent


def main() -> None:
    out = HERE / "build"
    out.mkdir(exist_ok=True)
    image = Image.open(HERE / "briefer.png").convert("RGBA")
    image.save(out / "briefer.ico", sizes=[(16, 16), (32, 32), (48, 48), (256, 256)])
    image.resize((512, 512)).save(out / "briefer.icns")


if __name__ == "__main__":
    main()
