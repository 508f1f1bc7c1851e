"""Run every benchmark and print one table: median of N runs, the reference, the ratio."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefer.core.cards import load_library
from briefer.core.memos import Memo, MemoItem, read_memo
from briefer.core.workspace import Workspace
from briefer.core.yamlio import LOADER_NAME
from briefer.render.compose import compose
from briefer.render.export import ExportResult, iter_export
from briefer.render.pdf import PdfWriter

ROOT = Path(__file__).resolve().parents[1]
MEMO_3 = ROOT / "content" / "memos" / "state-of-play.brief.yaml"
PY = sys.executable


@dataclass
class Row:
    name: str
    value: float
    unit: str = "s"
    reference: float | None = None
    reference_name: str = ""
    target: str = ""
    ok: bool | None = None

    def cells(self) -> list[str]:
        def fmt(v: float | None) -> str:
            if v is None:
                return "-"
            return f"{v * 1000:.1f} ms" if self.unit == "s" else f"{v:.1f} {self.unit}"

        ratio = f"{self.value / self.reference:.2f}x" if self.reference else "-"
        verdict = {True: "met", False: "MISSED", None: ""}[self.ok]
        ref = f"{fmt(self.reference)} ({self.reference_name})" if self.reference else "-"
        return [self.name, fmt(self.value), ref, ratio, self.target, verdict]


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    fn()  # warm-up
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_medians(fns: list[Callable[[], object]], runs: int) -> list[float]:
    """The median time of each function, run in turns (one of each, ``runs`` times over),
    so a stretch of the machine being busy falls on all of them alike and not on
    whichever happened to be measured then."""
    times: list[list[float]] = [[] for _ in fns]
    for fn in fns:
        fn()  # warm-up
    for _ in range(runs):
        for fn, spent in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def run_process(args: list[str]) -> None:
    subprocess.run(args, check=True, capture_output=True, cwd=ROOT)


BARE_PDF = """
import sys
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate
from xml.sax.saxutils import escape
text = open(sys.argv[1], encoding="utf-8").read().split("\\n\\n")
style = getSampleStyleSheet()["BodyText"]
SimpleDocTemplate(sys.argv[2]).build([Paragraph(escape(t), style) for t in text])
"""
BARE_DOCX = """
import sys
import docx
text = open(sys.argv[1], encoding="utf-8").read().split("\\n\\n")
d = docx.Document()
for t in text:
    d.add_paragraph(t)
d.save(sys.argv[2])
"""


def bench_processes(work: Path, runs: int, rows: list[Row]) -> None:
    ws = Workspace.load()
    memo, _ = read_memo(MEMO_3)
    assert memo is not None
    document = compose(memo, ws.library, ws.templates)
    text_file = work / "memo.txt"
    text_file.write_text("\n\n".join(document.text_blocks()), encoding="utf-8")
    md_file = work / "memo.md"
    md_file.write_text("\n\n".join(document.text_blocks()), encoding="utf-8")
    # The exports' own cache folder: the parsed-text cache starts empty, and its first
    # run is timed on its own (text never exported before loads the Markdown parser).
    cache = work / "export-cache"
    texts = cache / "texts.sqlite"
    os.environ["BRIEFER_CACHE_DIR"] = str(cache)
    try:
        for suffix, bare, name in (
            (".pdf", BARE_PDF, "bare reportlab"),
            (".docx", BARE_DOCX, "bare python-docx"),
        ):
            out = work / f"cli{suffix}"
            command = [PY, "-m", "briefer", "export", str(MEMO_3), "-o", str(out)]
            run_process(command)  # the library's parse cache, as after any first start
            script = work / f"bare{suffix}.py"
            script.write_text(bare, encoding="utf-8")
            bare_command = [PY, str(script), str(text_file), str(work / f"bare{suffix}")]
            first, ours, ref = interleaved_medians(
                [
                    lambda command=command: (texts.unlink(missing_ok=True), run_process(command)),
                    lambda command=command: run_process(command),
                    lambda bare_command=bare_command: run_process(bare_command),
                ],
                2 * runs + 1,  # a whole process varies more from run to run than the rest
            )
            what = f"briefer export, 3-page memo -> {suffix[1:]} (process)"
            rows.append(Row(what, ours, "s", ref, name, "<= 1.5x", ours <= 1.5 * ref))
            rows.append(
                Row(
                    f"{what}, its text never exported before",
                    first,
                    "s",
                    ref,
                    name,
                    "<= 1.5x",
                    first <= 1.5 * ref,
                )
            )
    finally:
        del os.environ["BRIEFER_CACHE_DIR"]
    docx_out = work / "cli.docx"
    if shutil.which("libreoffice"):
        lo = median_time(
            lambda: run_process(
                [
                    "libreoffice",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work / "lo"),
                    str(docx_out),
                ]
            ),
            max(3, runs // 2),
        )
        pdf_cli = next(r for r in rows if r.name.endswith("pdf (process)"))
        rows.append(
            Row(
                "briefer export -> pdf vs LibreOffice docx->pdf",
                pdf_cli.value,
                "s",
                lo,
                "libreoffice --convert-to pdf",
            )
        )
    else:
        rows.append(Row("LibreOffice docx->pdf", float("nan"), target="not installed"))
    if shutil.which("pandoc"):
        pandoc = median_time(
            lambda: run_process(["pandoc", str(md_file), "-o", str(work / "pandoc.docx")]), runs
        )
        docx_cli = next(r for r in rows if r.name.endswith("docx (process)"))
        rows.append(
            Row("briefer export -> docx vs pandoc md->docx", docx_cli.value, "s", pandoc, "pandoc")
        )
    else:
        rows.append(Row("pandoc md->docx", float("nan"), target="not installed"))


def long_memo(ws: Workspace, pages: int) -> Memo:
    """The 3-page memo's items repeated until the PDF has at least ``pages`` pages."""
    base, _ = read_memo(MEMO_3)
    assert base is not None
    memo = Memo(template=base.template, header=dict(base.header), sections={})
    repeat = 1
    while True:
        memo.sections = {
            sid: [MemoItem(**vars(i)) for i in items] * repeat
            for sid, items in base.sections.items()
        }
        writer = PdfWriter(compose(memo, ws.library, ws.templates))
        writer.to_bytes()
        if writer.pages >= pages:
            return memo
        repeat = max(repeat + 1, int(repeat * pages / max(writer.pages, 1)))


def bench_in_process(work: Path, runs: int, rows: list[Row]) -> None:
    ws = Workspace.load()
    memo3, _ = read_memo(MEMO_3)
    assert memo3 is not None
    memo100 = long_memo(ws, 100)
    figures = {}
    for label, memo in (("3", memo3), ("100", memo100)):
        for suffix in (".docx", ".pdf"):
            out = work / f"inproc{label}{suffix}"
            value = median_time(
                lambda memo=memo, out=out: list(
                    iter_export(memo, out, ws, None, ExportResult(out))
                ),
                runs,
            )
            figures[(label, suffix)] = value
    pdf100 = PdfWriter(compose(memo100, ws.library, ws.templates))
    pdf100.to_bytes()
    rows.append(
        Row(
            "export in-process, 3 pages -> docx",
            figures[("3", ".docx")],
            target="<= 50 ms",
            ok=figures[("3", ".docx")] <= 0.050,
        )
    )
    rows.append(
        Row(
            "export in-process, 3 pages -> pdf",
            figures[("3", ".pdf")],
            target="<= 80 ms",
            ok=figures[("3", ".pdf")] <= 0.080,
        )
    )
    rows.append(Row(f"export in-process, {pdf100.pages} pages -> docx", figures[("100", ".docx")]))
    rows.append(
        Row(
            f"export in-process, {pdf100.pages} pages -> pdf",
            figures[("100", ".pdf")],
            target="<= 2 s",
            ok=figures[("100", ".pdf")] <= 2.0,
        )
    )
    # Ten times the 100 pages, to Word: python-docx looks for the end of the body from the
    # first paragraph at every paragraph added, which made a 2,600-page memo take 87 s.
    memo1000 = Memo(
        template=memo100.template,
        header=dict(memo100.header),
        sections={sid: items * 10 for sid, items in memo100.sections.items()},
    )
    out = work / "inproc1000.docx"
    big = median_time(lambda: list(iter_export(memo1000, out, ws, None, ExportResult(out))), 1)
    rows.append(Row(f"export in-process, {10 * pdf100.pages} pages -> docx", big))
    ratio = big / figures[("100", ".docx")]
    rows.append(
        Row(
            f"growth {10 * pdf100.pages} pages / {pdf100.pages} pages, docx",
            ratio,
            "x",
            target="linear ~10x",
            ok=ratio <= 15,
        )
    )
    for suffix in (".docx", ".pdf"):
        ratio = figures[("100", suffix)] / figures[("3", suffix)]
        rows.append(
            Row(
                f"growth {pdf100.pages} pages / 3 pages, {suffix[1:]}",
                ratio,
                "x",
                target=f"linear ~{pdf100.pages / 3:.0f}x",
                ok=ratio <= 1.5 * pdf100.pages / 3,
            )
        )


def make_library(folder: Path, cards: int = 10_000, files: int = 100) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    per_file = cards // files
    body = (
        "Generated card body for the load benchmark. It has two sentences of text.\n\n"
        "- one bullet\n- another bullet\n"
    )
    for f in range(files):
        entries = []
        for c in range(per_file):
            n = f * per_file + c
            entries.append(
                {
                    "id": f"card-{n}",
                    "kind": "background",
                    "title": f"Card number {n}",
                    "body": body,
                    "tags": ["bench", f"file-{f}"],
                    "marking": "U",
                    "sources": [
                        {"title": "Benchmark source", "publisher": "Briefer", "date": "2026"}
                    ],
                    "reviewed": "2026-11-22",
                }
            )
        (folder / f"cards-{f:03d}.yaml").write_text(
            yaml.safe_dump({"format": 1, "cards": entries}, sort_keys=False), encoding="utf-8"
        )


def bench_library(work: Path, runs: int, rows: list[Row]) -> None:
    folder = work / "library"
    make_library(folder)
    size = sum(p.stat().st_size for p in folder.glob("*.yaml")) / 1e6
    files = sorted(folder.glob("*.yaml"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def bare() -> None:
        for p in files:
            yaml.load(p.read_text(encoding="utf-8"), Loader=loader)

    ours = median_time(lambda: load_library([folder]), runs)
    ref = median_time(bare, runs)
    rows.append(
        Row(
            f"load 10,000 cards / 100 files ({size:.1f} MB), {LOADER_NAME}",
            ours,
            "s",
            ref,
            f"yaml.load {loader.__name__}",
            "<= 1 s",
            ours <= 1.0,
        )
    )
    tracemalloc.start()
    library = load_library([folder])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(library) == 10_000, library.problems[:3]
    rows.append(Row("load 10,000 cards: peak Python memory", peak / 1e6, "MB"))


def bench_window(work: Path, runs: int, rows: list[Row]) -> None:
    from benchmarks import gui

    library = work / "library"
    if not library.is_dir():
        make_library(library)
    for length, ours, bare in gui.search_keystroke(library, runs):
        rows.append(
            Row(
                f"search 10,000 cards, keystroke {length} of a query",
                ours,
                "s",
                bare,
                "bare Python scan",
                "<= 8 ms",
                ours <= 0.008,
            )
        )
    ours, bare = gui.library_reload(library, work, runs)
    rows.append(
        Row(
            "one card file changed on disk: 10,000-card library updated",
            ours,
            "s",
            bare,
            "load_library alone",
            "<= 1 s",
            ours <= 1.0,
        )
    )
    ours, bare = gui.cold_start(work, runs)
    rows.append(
        Row(
            "cold start to window shown (process)",
            ours,
            "s",
            bare,
            "bare PySide6 window",
            "<= 3x",
            ours <= 3 * bare,
        )
    )
    refresh = gui.preview_refresh(runs)
    rows.append(
        Row(
            "preview refresh after the debounce, 3-page memo",
            refresh,
            target="<= 150 ms",
            ok=refresh <= 0.150,
        )
    )
    ours_mb, bare_mb = gui.memory(work, library)
    rows.append(
        Row(
            "peak memory, window with 10,000 cards",
            ours_mb,
            "MB",
            bare_mb,
            "bare PySide6 window",
            "<= +150 MB",
            ours_mb - bare_mb <= 150,
        )
    )


def bench_scale(work: Path, runs: int, rows: list[Row]) -> None:
    """Issue 19: large libraries, search over 100,000 cards, batch export, a long paragraph."""
    from benchmarks import gui, scale

    files = work / "library-10k-files"
    make_library(files, 10_000, 10_000)
    window, cli = scale.window_start(files, work, runs)
    rows.append(
        Row(
            "window start, 10,000 cards in 10,000 files, second start",
            window,
            "s",
            cli,
            "briefer cards, same library",
            "<= 1.5 s",
            window <= 1.5,
        )
    )
    big = work / "library-100k"
    make_library(big, 100_000, 1_000)
    load = scale.cli_load(big, work, runs)
    bare = scale.bare_yaml(big)
    rows.append(
        Row(
            "load 100,000 cards (briefer validate), second run",
            load,
            "s",
            bare,
            "bare yaml.load, once",
            "<= 1.5 s",
            load <= 1.5,
        )
    )
    window, cli = scale.window_start(big, work, runs)
    rows.append(
        Row(
            "window start, 100,000 cards in 1,000 files, second start",
            window,
            "s",
            cli,
            "briefer cards, same library",
            "<= 3 s",
            window <= 3.0,
        )
    )
    for length, ours, bare_scan in gui.search_keystroke(big, runs):
        rows.append(
            Row(
                f"search 100,000 cards, keystroke {length} of a query",
                ours,
                "s",
                bare_scan,
                "bare Python scan",
                "<= 16 ms",
                ours <= 0.016,
            )
        )
    one, separate = scale.batch_export(work, 50, max(1, runs // 2))
    rows.append(
        Row(
            "export 50 memos -> pdf, one command",
            one,
            "s",
            separate,
            "50 separate exports",
            "<= 0.2x",
            one <= 0.2 * separate,
        )
    )
    long = median_time(scale.long_paragraph(1_000_000), 1)
    tenth = median_time(scale.long_paragraph(100_000), runs)
    rows.append(
        Row(
            "a 1 MB paragraph -> pdf",
            long,
            "s",
            tenth * 10,
            "100 KB paragraph x 10 (linear)",
            "<= 10 s",
            long <= 10.0,
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Briefer benchmarks")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--skip-scale", action="store_true", help="leave out the 100,000-card figures"
    )
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench_processes(work, args.runs, rows)
        bench_in_process(work, args.runs, rows)
        bench_library(work, args.runs, rows)
        bench_window(work, args.runs, rows)
        if not args.skip_scale:
            bench_scale(work, args.runs, rows)
    header = ["figure", f"median of {args.runs}", "reference (same run)", "ratio", "target", ""]
    table = [header, ["---"] * len(header)] + [r.cells() for r in rows]
    print(
        f"Briefer benchmarks, {dt.date.today():%Y-%m-%d}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {_memory()}\n"
    )
    for line in table:
        print("| " + " | ".join(line) + " |")
    print(
        f"\nThe whole-process exports are the median of {2 * args.runs + 1}, each run in turn "
        "with its bare script; the 1,000-page export is one run."
    )
    return 0


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            kb = int(handle.readline().split()[1])
        return f"{kb / 1048576:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        return "memory unknown"


if __name__ == "__main__":
    sys.exit(main())
