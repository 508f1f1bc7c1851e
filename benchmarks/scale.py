"""Issue 19's figures: large libraries (10,000 files; 100,000 cards), search over 100,000
cards, one command exporting 50 memos, and a 1 MB paragraph. Each beside its reference."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
MEMO_3 = ROOT / "content" / "memos" / "state-of-play.brief.yaml"


def _env(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "BRIEFER_SETTINGS_DIR": str(work / "settings"),
        "BRIEFER_DATA_DIR": str(work / "data"),
        "BRIEFER_CACHE_DIR": str(work / "cache"),
    }


def timed_process(args: list[str], runs: int, env: dict[str, str]) -> float:
    """Median whole-process time; the first run (disk cache, parse cache) is not counted."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=env, cwd=ROOT)
        if i:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def window_start(library: Path, work: Path, runs: int) -> tuple[float, float]:
    """Second start of the window on a library, and the command line reading the same
    library (``briefer cards``), both with the parse cache warm. The window's figure is the
    whole process: started, shown, filled with every card (``--quit-after`` counts from
    there), closed and ended."""
    env = _env(work)
    window = timed_process(
        [PY, "-m", "briefer", "--library", str(library), "--quit-after", "0"], runs, env
    )
    cli = timed_process([PY, "-m", "briefer", "cards", "--library", str(library)], runs, env)
    return window, cli


def cli_load(library: Path, work: Path, runs: int) -> float:
    """``briefer validate --library DIR``, second run (parse cache warm)."""
    return timed_process(
        [PY, "-m", "briefer", "validate", "--library", str(library)], runs, _env(work)
    )


def bare_yaml(library: Path) -> float:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    start = time.perf_counter()
    for path in sorted(library.glob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return time.perf_counter() - start


def batch_export(work: Path, count: int, runs: int) -> tuple[float, float]:
    """One command exporting ``count`` memos, against ``count`` separate processes
    (measured as the median single export times ``count``)."""
    folder = work / "batch"
    folder.mkdir(exist_ok=True)
    memos = []
    for n in range(count):
        target = folder / f"memo-{n:02d}.brief.yaml"
        target.write_bytes(MEMO_3.read_bytes())
        memos.append(str(target))
    env = _env(work)
    out = work / "batch-out"
    one = timed_process(
        [PY, "-m", "briefer", "export", *memos, "-o", f"{out}/", "--format", "pdf"], runs, env
    )
    single = timed_process(
        [PY, "-m", "briefer", "export", memos[0], "-o", str(work / "one.pdf")], runs, env
    )
    return one, single * count


def long_paragraph(chars: int) -> Callable[[], object]:
    """An export of a memo whose one typed paragraph is ``chars`` long, in this process."""
    from briefer.core.memos import Memo, MemoItem
    from briefer.core.workspace import Workspace
    from briefer.render.compose import compose
    from briefer.render.pdf import PdfWriter

    ws = Workspace.load()
    words = ("diplomacy " * (chars // 10 + 1))[:chars]
    memo = Memo(
        template="information-memo",
        header={"subject": "A long paragraph"},
        sections={"summary": [MemoItem(text=words, marking="U")]},
    )

    def run() -> object:
        return PdfWriter(compose(memo, ws.library, ws.templates)).to_bytes()

    return run
