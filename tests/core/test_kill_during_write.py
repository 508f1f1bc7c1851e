"""SIGKILL at random moments while a memo is saved and while it is exported.

Afterwards the file on disk must be the complete old version or the complete new one, and
it must load. A "zygote" process imports Briefer once; for each round it forks a child that
writes the file over and over (alternating two versions), and the test kills that child
with SIGKILL after a random delay. Forking from a preloaded, single-threaded process makes
each round cost milliseconds instead of a Python start-up, so each loop runs 120 kills.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefer.core.memos import Memo, MemoItem, memo_to_yaml, read_memo

ROUNDS = 120

ZYGOTE = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from briefer.core import storage
    from briefer.core.memos import read_memo, save_memo
    from briefer.core.workspace import Workspace
    from briefer.render.export import iter_export

    mode, target, first, second, backups = sys.argv[1:6]
    storage.configure_backups(Path(backups), keep=3)
    memos = [read_memo(Path(first))[0], read_memo(Path(second))[0]]
    workspace = Workspace.load()
    if mode != "save":
        for _ in iter_export(memos[0], Path(target), workspace):  # warm the imports
            pass

    def write(i):
        memo = memos[i % 2]
        if mode == "save":
            save_memo(memo, Path(target))
        else:
            for _ in iter_export(memo, Path(target), workspace):
                pass

    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            i = 1
            while True:  # until killed
                write(i)
                i += 1
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(status, flush=True)
    """
)


def big_memo(marker: str) -> Memo:
    """A memo large enough that a write takes a few milliseconds."""
    items = [
        MemoItem(text=f"{marker} paragraph {n}: " + "climate cooperation " * 60) for n in range(60)
    ]
    return Memo(
        template="information-memo",
        header={"subject": f"Kill test {marker}", "to": "The Secretary"},
        sections={"background": items},
    )


def kill_loop(tmp_path: Path, mode: str, target: Path, check) -> dict[str, int]:
    first, second = tmp_path / "a.brief.yaml", tmp_path / "b.brief.yaml"
    first.write_text(memo_to_yaml(big_memo("VERSION-A")))
    second.write_text(memo_to_yaml(big_memo("VERSION-B")))
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE, mode, str(target), str(first), str(second)]
        + [str(tmp_path / "backups")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert zygote.stdin is not None
    assert zygote.stdout is not None
    seen: dict[str, int] = {}
    rng = random.Random(20261122)
    try:
        assert zygote.stdout.readline().strip() == "ready"
        check(target)  # the first version is on disk before the loop starts
        for _ in range(ROUNDS):
            zygote.stdin.write("go\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            # Spread the kills over many writes: early, mid-write and between writes.
            delay = rng.uniform(0.0, 0.3 if mode == "save" else 0.4)
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
            status = int(zygote.stdout.readline())
            assert os.WIFSIGNALED(status)
            assert os.WTERMSIG(status) == signal.SIGKILL
            version = check(target)
            seen[version] = seen.get(version, 0) + 1
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)
    leftovers = [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    seen["killed mid-write (temporary file left)"] = len(leftovers)
    return seen


def check_memo_file(path: Path) -> str:
    memo, problems = read_memo(path)
    assert problems == [], problems
    assert memo is not None
    subject = memo.header["subject"]
    marker = subject.removeprefix("Kill test ")
    assert marker in ("VERSION-A", "VERSION-B")
    assert path.read_text() == memo_to_yaml(big_memo(marker))  # complete, byte for byte
    return marker


@pytest.mark.slow
def test_sigkill_while_saving_leaves_old_or_new_memo(tmp_path):
    target = tmp_path / "memo" / "kill.brief.yaml"
    target.parent.mkdir()
    target.write_text(memo_to_yaml(big_memo("VERSION-A")))
    seen = kill_loop(tmp_path, "save", target, check_memo_file)
    assert seen.get("VERSION-A", 0) + seen.get("VERSION-B", 0) == ROUNDS
    assert seen.get("VERSION-B", 0) > 0  # saves really were running when killed
    print(seen)


def check_pdf(path: Path) -> str:
    reader = PdfReader(str(path), strict=True)
    text = "\n".join(page.extract_text() for page in reader.pages)
    markers = {m for m in ("VERSION-A", "VERSION-B") if f"Kill test {m}" in text}
    assert len(markers) == 1, markers
    (marker,) = markers
    assert f"{marker} paragraph 59" in text  # the last paragraph: the file is complete
    return marker


def check_docx(path: Path) -> str:
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    markers = {m for m in ("VERSION-A", "VERSION-B") if f"Kill test {m}" in text}
    assert len(markers) == 1, markers
    (marker,) = markers
    assert f"{marker} paragraph 59" in text
    return marker


@pytest.mark.slow
@pytest.mark.parametrize(("suffix", "check"), [(".pdf", check_pdf), (".docx", check_docx)])
def test_sigkill_while_exporting_leaves_old_or_new_file(tmp_path, suffix, check):
    target = tmp_path / "out" / f"kill{suffix}"
    target.parent.mkdir()
    seen = kill_loop(tmp_path, "export", target, check)
    assert seen.get("VERSION-A", 0) + seen.get("VERSION-B", 0) == ROUNDS
    assert seen.get("VERSION-B", 0) > 0
    print(seen)
