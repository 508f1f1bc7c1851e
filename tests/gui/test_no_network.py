"""Briefer makes no network connection: not at start, not loading, previewing or exporting.

The session runs in a fresh process with a Python audit hook installed before anything of
Briefer or Qt is imported. The hook records every internet socket created, every connect
to a non-local address and every name lookup. At the end, the process's open file
descriptors are checked against /proc/net as well, which also catches a socket opened from
C++ (Qt) that is still open.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SESSION = textwrap.dedent(
    """
    import json, os, socket, sys
    from pathlib import Path

    seen = []

    def hook(event, args):
        if event == "socket.__new__" and args[1] in (socket.AF_INET, socket.AF_INET6):
            seen.append(f"{event} family={args[1]}")
        elif event in ("socket.connect", "socket.sendto", "socket.bind") and (
            isinstance(args[1], tuple)
        ):
            seen.append(f"{event} {args[1]}")
        elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
            seen.append(f"{event} {args[0]}")

    sys.addaudithook(hook)

    def open_inet_sockets():
        inodes = set()
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        found = []
        for table in ("tcp", "tcp6", "udp", "udp6"):
            try:
                rows = Path(f"/proc/net/{table}").read_text().splitlines()[1:]
            except OSError:
                continue
            found += [f"{table}: {r.split()[2]}" for r in rows if r.split()[9] in inodes]
        return found

    from PySide6.QtWidgets import QApplication
    from briefer.gui import settings as S
    from briefer.gui.app import gui_workspace
    from briefer.gui.main_window import MainWindow

    app = QApplication([])
    settings = S.Settings()
    window = MainWindow(gui_workspace(settings), settings)          # start, load the library
    window.show()
    app.processEvents()
    doc = window.memo.open_path(Path(sys.argv[1]))                       # open a memo
    window.preview.wait_idle()                                      # preview
    app.processEvents()
    out = Path(sys.argv[2])
    from briefer.gui.exporting import run_export
    results = [
        run_export(window, doc.memo, out / name, window.workspace)
        for name in ("memo.docx", "memo.pdf")
    ]
    window.close()
    report = {
        "seen": list(seen),
        "open_sockets": open_inet_sockets(),
        "qtnetwork": "PySide6.QtNetwork" in sys.modules,
        "cards": len(window.workspace.library),
        "preview_pages": window.preview.pages,
        "exported": [r is not None and r.path.stat().st_size > 0 for r in results],
    }
    if "--self-check" in sys.argv:  # prove the hook would have caught a connection
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, nothing is sent
        except OSError:
            pass
        report["open_sockets_after_probe"] = open_inet_sockets()
        probe.close()
        report["seen_after_probe"] = seen
    print("REPORT " + json.dumps(report))
    """
)


def run_session(tmp_path: Path, repo: Path, *extra: str) -> dict[str, object]:
    memo = repo / "content" / "memos" / "power-sector-dialogue.brief.yaml"
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", SESSION, str(memo), str(work), *extra],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("REPORT ")), None)
    assert line is not None, done.stderr[-3000:]
    report: dict[str, object] = json.loads(line.removeprefix("REPORT "))
    return report


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc")
def test_no_network_during_start_load_preview_and_export(tmp_path, repo):
    report = run_session(tmp_path, repo)
    # The session really did the work...
    from briefer.core.workspace import Workspace

    assert report["cards"] == len(Workspace.load().library)
    assert report["preview_pages"] >= 1
    assert report["exported"] == [True, True]
    # ...without any internet socket, lookup or connection.
    assert report["seen"] == []
    assert report["open_sockets"] == []
    assert report["qtnetwork"] is False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc")
def test_the_network_check_catches_a_connection(tmp_path, repo):
    report = run_session(tmp_path, repo, "--self-check")
    assert report["seen"] == []
    after = report["seen_after_probe"]
    assert any("socket.__new__" in s for s in after)
    assert any("socket.connect ('192.0.2.1', 9)" in s for s in after)
    assert report["open_sockets_after_probe"]  # the /proc check sees an open one too
