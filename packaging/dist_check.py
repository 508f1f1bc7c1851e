"""Check a built app folder the way a user would use it: `make dist-check`."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dist" / "briefer"
EXE = APP / ("briefer.exe" if sys.platform == "win32" else "briefer")
MEMO = ROOT / "content" / "memos" / "power-sector-dialogue.brief.yaml"
BOOK = ROOT / "content" / "books" / "beijing-visit.book.yaml"
SUBJECT = "Proposing a U.S.-China power sector dialogue"
LEFT_OUT = ("Qt6Quick", "Qt6Qml", "Qt6WebEngine", "Qt63D", "Qt6Multimedia", "QtQuick", "qml")


def run(args: list[str], env: dict[str, str] | None = None, timeout: int = 120) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [str(EXE), *args], capture_output=True, text=True, timeout=timeout, env=env
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"FAIL: briefer {' '.join(args)} exited {result.returncode}\n{result.stderr}")
    return elapsed


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    if not EXE.exists():
        sys.exit(f"no build at {EXE}; run `make dist` first")
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        env.update(BRIEFER_SETTINGS_DIR=str(out / "settings"), BRIEFER_DATA_DIR=str(out / "data"))
        seconds = run(["validate"], env)
        print(f"ok  validate the bundled library ({seconds:.2f} s)")
        seconds = run(["export", str(MEMO), "-o", str(out / "memo.pdf")], env)
        pages = PdfReader(str(out / "memo.pdf")).pages
        text = "".join(p.extract_text() for p in pages)
        assert SUBJECT in text, "PDF text missing"
        assert "UNCLASSIFIED" in text, "PDF banner missing"
        print(f"ok  export to PDF, read back: {len(pages)} pages ({seconds:.2f} s)")
        seconds = run(["export", str(MEMO), "-o", str(out / "memo.docx")], env)
        paragraphs = [p.text for p in docx.Document(str(out / "memo.docx")).paragraphs]
        assert any(SUBJECT in p for p in paragraphs), "DOCX text missing"
        print(f"ok  export to DOCX, read back: {len(paragraphs)} paragraphs ({seconds:.2f} s)")
        # A briefing book: its PDF is joined with pypdf, which the build must carry.
        seconds = run(["export", str(BOOK), "-o", str(out / "book.pdf")], env)
        book_pages = PdfReader(str(out / "book.pdf")).pages
        book_text = "".join(p.extract_text() for p in book_pages)
        assert "Tab 1" in book_text, "book PDF text missing"
        assert "Contents" in book_text, "book PDF contents missing"
        print(f"ok  export a book to PDF, read back: {len(book_pages)} pages ({seconds:.2f} s)")
        seconds = run(["export", str(BOOK), "-o", str(out / "book.docx")], env)
        book_paragraphs = [p.text for p in docx.Document(str(out / "book.docx")).paragraphs]
        assert any("Tab 1" in p for p in book_paragraphs), "book DOCX text missing"
        print(f"ok  export a book to DOCX ({seconds:.2f} s)")
        gui_env = {**env, "QT_QPA_PLATFORM": "offscreen"}
        seconds = run(["--quit-after", "3000"], gui_env, timeout=60)
        print(f"ok  window started offscreen and closed when asked ({seconds:.2f} s)")
    shipped_locks = sorted(p.name for p in APP.rglob(".*.lock"))
    if shipped_locks:
        sys.exit(f"FAIL: lock files in the build: {', '.join(shipped_locks)}")
    print("ok  no lock file in the build")
    leftovers = sorted({p.name for p in APP.rglob("*") if any(part in p.name for part in LEFT_OUT)})
    if leftovers:
        print(f"note: unused Qt parts still in the build: {', '.join(leftovers[:12])}")
    else:
        print("ok  no QML/Quick, WebEngine, 3D or multimedia libraries in the build")
    for plugin in ("libqxcb.so", "libqoffscreen.so", "libqwayland.so"):
        found = list(APP.rglob(plugin))
        print(f"{'ok ' if found else 'MISSING'} platform plugin {plugin}")
    size = folder_size(APP) / 1048576
    print(f"size of {APP.relative_to(ROOT)}: {size:.0f} MiB (target: 238 MiB, 250 MB, or less)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
