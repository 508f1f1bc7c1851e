"""Autosave to the recovery folder, and getting the work back after a crash or kill -9."""

from __future__ import annotations

import json
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from briefer.core.memos import read_memo
from briefer.core.recovery import RecoveryStore
from briefer.core.workspace import Workspace
from briefer.gui import settings as S
from tests.gui.conftest import type_at_end


@pytest.fixture
def memo_copy(tmp_path: Path, repo: Path) -> Path:
    target = tmp_path / "memos" / "power.brief.yaml"
    target.parent.mkdir()
    shutil.copy(repo / "content" / "memos" / "power-sector-dialogue.brief.yaml", target)
    return target


def new_window(qtbot, library: Path, repo: Path):
    from briefer.gui.main_window import MainWindow

    win = MainWindow(Workspace.load([library], repo / "templates"), S.Settings())
    qtbot.addWidget(win)
    win.show()
    return win


def store() -> RecoveryStore:
    return RecoveryStore(S.recovery_dir())


def test_edits_reach_the_recovery_folder_within_the_autosave_interval(
    qtbot, answers, library_copy, repo, memo_copy, tmp_path, monkeypatch
):
    monkeypatch.setenv("BRIEFER_DATA_DIR", str(tmp_path / "userdata"))
    S.Settings().set(S.AUTOSAVE_SECONDS, 1)
    win = new_window(qtbot, library_copy, repo)
    win.memo.open_path(memo_copy)
    assert store().entries() == []
    type_at_end(win.composer.fields["subject"], " (draft)")
    qtbot.waitUntil(lambda: len(store().entries()) == 1, timeout=3000)
    entry = store().entries()[0]
    assert entry.kind == "memo"
    assert entry.original == str(memo_copy)
    assert " (draft)" in entry.content_path.read_text()
    assert store().orphaned() == []  # this process is alive: not offered to anyone
    assert win.memo.save()
    assert store().entries() == []  # saved work is not kept twice


def test_focus_loss_writes_unsaved_work_at_once(window, answers, memo_copy, qtbot):
    window.memo.open_path(memo_copy)
    type_at_end(window.composer.fields["subject"], " (before lunch)")
    editor = window.library.new_card("risk", "")
    editor.title_edit.setText("Half-written risk")
    editor.body.setPlainText("Words that must not be lost.")
    assert store().entries() == []  # the 10 s timer has not fired yet
    app = QApplication.instance()
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    kinds = sorted(e.kind for e in store().entries())
    assert kinds == ["card", "memo"]
    card = next(e for e in store().entries() if e.kind == "card")
    assert "Words that must not be lost." in card.content_path.read_text()
    editor.reject()  # Cancel with changes asks first; while it is asked, all is kept
    assert answers.asked[-1] == "save Half-written risk?"
    assert sorted(e.kind for e in store().entries()) == ["card", "memo"]
    answers.ask_save = "discard"
    editor.reject()  # discarded: its draft goes with it
    assert [e.kind for e in store().entries()] == ["memo"]


CRASHING_SESSION = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from briefer.core.workspace import Workspace
    from briefer.gui import settings as S
    from briefer.gui.main_window import MainWindow

    app = QApplication([])
    S.Settings().set(S.AUTOSAVE_SECONDS, 1)
    window = MainWindow(Workspace.load([Path(sys.argv[1])], Path(sys.argv[2])), S.Settings())
    window.show()
    window.memo.open_path(Path(sys.argv[3]))
    QTest.keyClick(window.composer.fields["subject"], Qt.Key.Key_End)
    QTest.keyClicks(window.composer.fields["subject"], " - typed before the crash")
    editor = window.library.new_card("risk", "")
    QTest.keyClicks(editor.title_edit, "Unsaved risk")
    QTest.keyClicks(editor.body, "A risk nobody saved.")
    print("typed", flush=True)
    app.exec()
    """
)


def test_recovery_after_kill_9(
    qtbot, answers, library_copy, repo, memo_copy, tmp_path, monkeypatch
):
    """A real crash: a Briefer process is edited, killed with SIGKILL, and started again."""
    monkeypatch.setenv("BRIEFER_DATA_DIR", str(tmp_path / "userdata"))
    before = memo_copy.read_text()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CRASHING_SESSION,
            str(library_copy),
            str(repo / "templates"),
            str(memo_copy),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        # A window that cannot start (a modal error, say) must fail the test, not hang it.
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "the Briefer process did not start within 60 s"
        assert proc.stdout.readline().strip() == "typed"
        recovery = RecoveryStore(tmp_path / "userdata" / "recovery")
        deadline = time.monotonic() + 15
        while len(recovery.entries()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sorted(e.kind for e in recovery.entries()) == ["card", "memo"]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert memo_copy.read_text() == before  # the file itself was never touched

    if True:  # the second start, in this process, on the same user data
        win = new_window(qtbot, library_copy, repo)
        win.unsaved.offer()
        offered = answers.recovery_offered
        assert len(offered) == 2
        assert any(o.startswith("Memo “power.brief.yaml”") and "autosaved" in o for o in offered)
        assert any(o.startswith("Card “Unsaved risk”") for o in offered)
        # The memo is back, with the typed words, unsaved, at its own path.
        assert win.memo.session.path == memo_copy
        assert win.composer.fields["subject"].text().endswith(" - typed before the crash")
        assert win.isWindowModified()
        # The card draft is back in an editor.
        (editor,) = win.library.editors.values()
        assert editor.body.toPlainText() == "A risk nobody saved."
        # The killed process's lock was stale and is now this window's.
        assert not win.memo.doc.read_only
        # Cleaned up: nothing is offered twice.
        assert RecoveryStore(S.recovery_dir()).orphaned() == []
        assert win.memo.save()
        memo, _ = read_memo(memo_copy)
        assert memo.header["subject"].endswith(" - typed before the crash")
        editor.reject()
        assert RecoveryStore(S.recovery_dir()).entries() == []


def test_discarding_recovered_work_cleans_up(qtbot, answers, library_copy, repo, tmp_path):
    recovery = store()
    entry = recovery.write("someone-1-memo", "memo", "old.brief.yaml", "template: x\n")
    meta = json.loads(entry.meta_path.read_text())
    meta["owner"]["pid"] = 999_999_999  # a process that cannot exist
    entry.meta_path.write_text(json.dumps(meta))
    answers.recover = "later"
    win = new_window(qtbot, library_copy, repo)
    win.unsaved.offer()
    assert len(recovery.orphaned()) == 1  # kept for later
    answers.recover = "discard"
    win.unsaved.offer()
    assert recovery.entries() == []
    assert win.memo.doc is None


def test_two_recovered_memos_one_opens_one_is_saved_beside_its_original(
    qtbot, answers, library_copy, repo, memo_copy
):
    recovery = store()
    for n, subject in ((1, "Older"), (2, "Newer")):
        text = memo_copy.read_text().replace("subject:", f"subject: {subject}", 1)
        entry = recovery.write(f"dead-{n}-memo", "memo", memo_copy.name, text, str(memo_copy))
        meta = json.loads(entry.meta_path.read_text())
        meta["owner"]["pid"] = 999_999_990 + n
        meta["saved_at"] = f"2026-11-2{n}T10:00:00"
        entry.meta_path.write_text(json.dumps(meta))
    win = new_window(qtbot, library_copy, repo)
    win.unsaved.offer()
    assert win.composer.fields["subject"].text().startswith("Newer")
    copy = memo_copy.with_name("power (recovered).brief.yaml")
    memo, problems = read_memo(copy)
    assert problems == []
    assert memo.header["subject"].startswith("Older")
    assert str(copy) in answers.told[-1]
    assert recovery.entries() == []


def test_exception_in_the_event_loop_is_logged_shown_and_work_kept(
    window, answers, memo_copy, qtbot
):
    from briefer.gui.app import install_excepthook

    window.memo.open_path(memo_copy)
    type_at_end(window.composer.fields["subject"], " (keep me)")
    old_hook = sys.excepthook
    install_excepthook(window.unsaved.autosave_now)
    try:
        try:
            raise RuntimeError("a bug in a slot")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = old_hook
    assert "unexpected problem: a bug in a slot" in answers.told[-1]
    assert "recovery folder" in answers.told[-1]
    assert "RuntimeError: a bug in a slot" in (S.user_data_dir() / "briefer.log").read_text()
    (entry,) = store().entries()
    assert " (keep me)" in entry.content_path.read_text()
    assert window.composer.fields["subject"].text().endswith(" (keep me)")
