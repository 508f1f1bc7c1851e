"""Files that change under the window: watching, reloading, locks, save failures, bad input."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from briefer.core import locks, storage
from briefer.core.cards import read_card_file
from briefer.core.memos import read_memo
from briefer.gui import settings as S
from briefer.gui.watcher import FileWatcher
from tests.gui.conftest import type_at_end

from ..conftest import card_yaml


def replace_atomically(path: Path, text: str) -> None:
    """What git, sync clients and editors do: write a new file, rename it over the old."""
    tmp = path.with_name(path.name + ".incoming")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@pytest.fixture
def memo_copy(tmp_path: Path, repo: Path) -> Path:
    folder = tmp_path / "memos"
    folder.mkdir()
    target = folder / "power.brief.yaml"
    shutil.copy(repo / "content" / "memos" / "power-sector-dialogue.brief.yaml", target)
    return target


def drop(window, doc, section, card_ids):
    model = window.library.model
    mime = model.mimeData([model.index(model.row_of(c)) for c in card_ids])
    return doc.models[section].dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, QModelIndex())


# -- watching ------------------------------------------------------------------------
def test_watch_survives_two_atomic_replaces_in_a_row(qtbot, tmp_path):
    path = tmp_path / "memo.brief.yaml"
    path.write_text("one\n")
    watcher = FileWatcher(delay_ms=50)
    watcher.watch_file(path)
    for text in ("two\n", "three\n"):
        with qtbot.waitSignal(watcher.files_changed, timeout=5000) as signal:
            replace_atomically(path, text)
        assert signal.args == [[path.absolute()]]
        # The replaced file is watched again (QFileSystemWatcher had dropped it).
        qtbot.waitUntil(lambda: str(path.absolute()) in watcher.watched())
    # Writing the same bytes again is not a change.
    with qtbot.assertNotEmitted(watcher.files_changed, wait=300):
        replace_atomically(path, "three\n")


def test_open_memo_changed_twice_on_disk_offers_reload_each_time(window, answers, memo_copy, qtbot):
    doc = window.memo.open_path(memo_copy)
    assert doc.memo.header["subject"] != "First outside edit"
    answers.choose["Memo changed on disk"] = "Reload"
    for subject in ("First outside edit", "Second outside edit"):
        text = memo_copy.read_text().replace(
            doc.memo.header["subject"]
            if window.memo.doc is doc
            else window.memo.doc.memo.header["subject"],
            subject,
        )
        replace_atomically(memo_copy, text)
        qtbot.waitUntil(lambda s=subject: window.memo.doc.memo.header["subject"] == s, timeout=5000)
        assert window.composer.fields["subject"].text() == subject
    assert sum("was changed on disk by another program" in a for a in answers.asked) == 2
    assert not window.isWindowModified()


def test_keeping_my_version_then_saving_asks_before_overwriting(window, answers, memo_copy, qtbot):
    doc = window.memo.open_path(memo_copy)
    type_at_end(window.composer.fields["subject"], " (mine)")
    theirs = memo_copy.read_text().replace("subject:", "subject: THEIRS", 1)
    replace_atomically(memo_copy, theirs)
    qtbot.waitUntil(lambda: any("You have unsaved changes" in a for a in answers.asked))
    assert doc is window.memo.doc  # kept mine (the safe answer)
    assert window.composer.fields["subject"].text().endswith(" (mine)")
    # Save: the app notices the file is not what it read, and asks; cancel keeps theirs.
    assert not window.memo.save()
    assert "was changed on disk after you opened it" in answers.asked[-1]
    assert memo_copy.read_text() == theirs
    assert window.isWindowModified()
    answers.choose["Memo changed on disk"] = "Overwrite"
    assert window.memo.save()
    memo, _ = read_memo(memo_copy)
    assert memo.header["subject"].endswith(" (mine)")


def test_own_saves_are_not_reported_as_outside_changes(window, answers, memo_copy, qtbot):
    window.memo.open_path(memo_copy)
    for word in (" one", " two"):
        type_at_end(window.composer.fields["subject"], word)
        assert window.memo.save()
    qtbot.wait(600)  # longer than the watcher's pause
    assert not any("changed on disk" in a for a in answers.asked)


def test_cards_added_and_removed_on_disk_appear_and_disappear(window, library_copy, qtbot):
    extra = library_copy / "team" / "new.yaml"
    extra.parent.mkdir()
    extra.write_text("format: 1\ncards:\n" + card_yaml("team-card", title="From a colleague"))
    qtbot.waitUntil(lambda: window.workspace.library.get("team-card") is not None, timeout=5000)
    window.library_panel.search.setText("From a colleague")
    assert window.library_panel.proxy.rowCount() == 1
    # A colleague edits the title: the library follows.
    replace_atomically(
        extra, "format: 1\ncards:\n" + card_yaml("team-card", title="Renamed by git")
    )
    qtbot.waitUntil(
        lambda: window.workspace.library.get("team-card").title == "Renamed by git", timeout=5000
    )
    extra.unlink()
    qtbot.waitUntil(lambda: window.workspace.library.get("team-card") is None, timeout=5000)
    assert window.library_panel.proxy.rowCount() == 0
    assert "removed" in window.statusBar().currentMessage()


def test_a_broken_card_file_lists_problems_and_fixing_it_clears_them(
    window, library_copy, qtbot, answers
):
    good = len(window.workspace.library)
    broken = library_copy / "broken.yaml"
    broken.write_text(
        "format: 1\ncards:\n"
        + card_yaml("fine-card")
        + card_yaml("bad-card", kind="rumour")
        + "  - id: no-title\n"
    )
    qtbot.waitUntil(lambda: window.problems_panel.list.count() > 0, timeout=5000)
    lines = window.problems_panel.lines()
    assert any(line.startswith(f"{broken}:") or "broken.yaml:" in line for line in lines)
    assert any("unknown kind 'rumour'" in line for line in lines)
    assert all(line.split(":")[1].isdigit() for line in lines)  # file:line: message
    assert window.problems_dock.isVisible()
    # The rest of the library still loads, and the good card from the broken file too.
    assert len(window.workspace.library) == good + 1
    # Double-clicking an error opens the folder that holds the file.
    item = window.problems_panel.list.item(0)
    window.problems_panel.list.itemActivated.emit(item)
    assert answers.opened_urls == [broken.parent.absolute()]
    # Fix the file: the watch notices, the problems go, the fixed card arrives.
    broken.write_text("format: 1\ncards:\n" + card_yaml("fine-card") + card_yaml("bad-card"))
    qtbot.waitUntil(lambda: window.problems_panel.list.count() == 0, timeout=5000)
    assert window.workspace.library.get("bad-card") is not None


def test_broken_library_file_at_start_does_not_stop_the_app(qtbot, answers, library_copy, repo):
    from briefer.core.workspace import Workspace
    from briefer.gui.main_window import MainWindow

    (library_copy / "zz-broken.yaml").write_text("format: 1\ncards: [\n")
    workspace = Workspace.load([library_copy], repo / "templates")
    win = MainWindow(workspace, S.Settings())
    qtbot.addWidget(win)
    win.show()
    assert len(workspace.library) == len(Workspace.load().library)  # every good card
    assert any("zz-broken.yaml:" in line for line in win.problems_panel.lines())
    assert win.problems_dock.isVisible()


# -- locks ---------------------------------------------------------------------------
def hold_lock_in_other_process(path: Path) -> subprocess.Popen[str]:
    code = (
        "import sys, time; from pathlib import Path; from briefer.core.locks import MemoLock;"
        "lock = MemoLock(Path(sys.argv[1])); assert lock.acquire() is None;"
        "print('held', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_memo_open_in_another_process_offers_a_read_only_view(window, answers, memo_copy, qtbot):
    other = hold_lock_in_other_process(memo_copy)
    try:
        answers.choose["Memo already open"] = "Open read-only"
        doc = window.memo.open_path(memo_copy)
        assert "is open in another Briefer" in answers.asked[-1]
        assert f"process {other.pid}" in answers.asked[-1]
        assert doc.read_only
        assert "(read-only)" in window.windowTitle()
        assert window.composer.banner.isVisible()
        assert f"process {other.pid}" in window.composer.banner.text()
        assert not window.act_save.isEnabled()
        assert window.composer.fields["subject"].isReadOnly()
        before = memo_copy.read_text()
        assert drop(window, doc, "background", ["bg-2021-envoy-talks"]) is False
        window.composer.remove_items("background")
        assert memo_copy.read_text() == before
        assert window.memo.stack.count() == 0
        # The other person saves: the read-only view follows without asking.
        replace_atomically(memo_copy, before.replace("subject:", "subject: Their save", 1))
        qtbot.waitUntil(
            lambda: window.memo.doc.memo.header["subject"].startswith("Their save"), timeout=5000
        )
        assert window.memo.doc.read_only
        assert not any("Memo changed on disk" in a for a in answers.asked)
        # Cancel leaves the window as it was.
        shown = window.memo.doc
        answers.choose["Memo already open"] = "Cancel"
        window.memo.open_path(memo_copy)
        assert window.memo.doc is shown
    finally:
        other.kill()
        other.wait()


def test_stale_lock_from_a_killed_process_is_cleared(window, answers, memo_copy):
    other = hold_lock_in_other_process(memo_copy)
    other.kill()
    other.wait()
    lock_file = locks.lock_path(memo_copy)
    assert locks.read_owner(lock_file).pid == other.pid  # left behind by kill -9
    doc = window.memo.open_path(memo_copy)
    assert not doc.read_only
    assert not any("Memo already open" in a for a in answers.asked)
    assert locks.read_owner(lock_file).pid == os.getpid()
    window.close()
    assert not lock_file.exists()


def test_saving_as_a_memo_another_process_has_open_is_refused(window, answers, memo_copy, tmp_path):
    other = hold_lock_in_other_process(memo_copy)
    try:
        window.memo.new_memo("one-pager")
        answers.save_file = str(memo_copy)
        before = memo_copy.read_text()
        assert not window.memo.save()
        assert "is open in another Briefer" in answers.told[-1]
        assert memo_copy.read_text() == before
    finally:
        other.kill()
        other.wait()


# -- saves that fail -----------------------------------------------------------------
def test_failed_save_keeps_the_old_file_and_the_changes(
    window, answers, memo_copy, monkeypatch, qtbot
):
    window.memo.open_path(memo_copy)
    before = memo_copy.read_bytes()
    type_at_end(window.composer.fields["subject"], " (edited)")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", disk_full)
    assert not window.memo.save()
    assert "the disk is full" in answers.told[-1]
    assert "The file on disk was not changed" in answers.told[-1]
    assert memo_copy.read_bytes() == before
    assert window.isWindowModified()
    assert window.composer.fields["subject"].text().endswith(" (edited)")
    assert not [p for p in memo_copy.parent.iterdir() if p.name.endswith(".tmp")]
    log = (S.user_data_dir() / "briefer.log").read_text()
    assert "No space left on device" in log
    monkeypatch.undo()
    assert window.memo.save()


def test_save_into_a_folder_that_vanished_says_so(window, answers, tmp_path, qtbot):
    window.memo.new_memo("one-pager")
    type_at_end(window.composer.fields["subject"], "Unsaved words")
    answers.save_file = str(tmp_path / "gone" / "memo.brief.yaml")
    assert not window.memo.save()
    assert "the folder does not exist" in answers.told[-1]
    assert window.isWindowModified()
    assert window.memo.session.path is None
    assert window.composer.fields["subject"].text() == "Unsaved words"


def test_failed_card_save_keeps_the_editor_open(window, answers, monkeypatch):
    editor = window.library.edit_card("risk-mixed-signals")
    editor.title_edit.setText("My careful rewording")
    monkeypatch.setattr(
        storage.os, "replace", lambda *a: (_ for _ in ()).throw(PermissionError(13, "denied"))
    )
    editor.try_accept()
    assert editor.isVisible()
    assert editor.title_edit.text() == "My careful rewording"
    assert "may not write there" in answers.told[-1]
    assert window.workspace.library.get("risk-mixed-signals").title != "My careful rewording"
    assert window.library.stack.count() == 0


def test_card_changed_on_disk_while_editing_asks_before_overwriting(window, answers, library_copy):
    card = window.workspace.library.get("risk-mixed-signals")
    editor = window.library.edit_card(card.id)
    editor.title_edit.setText("Mine")
    path = card.origin.path
    text = path.read_text()
    path.write_text(text.replace(f"title: {card.title}", "title: Theirs", 1))
    assert "title: Theirs" in path.read_text()
    editor.try_accept()  # the safe answer is Cancel
    assert "after you began editing it" in answers.asked[-1]
    assert editor.isVisible()
    assert "title: Theirs" in path.read_text()
    answers.choose["Card changed on disk"] = "Overwrite"
    editor.try_accept()
    cards = {c.id: c for c in read_card_file(path)[0]}
    assert cards[card.id].title == "Mine"


def test_saves_keep_the_last_versions_as_backups(window, answers, memo_copy, qtbot):
    window.memo.open_path(memo_copy)
    first = memo_copy.read_text()
    versions = [first]
    for n in range(7):
        type_at_end(window.composer.fields["subject"], str(n))
        assert window.memo.save()
        versions.append(memo_copy.read_text())
    kept = storage.backups_of(memo_copy)
    assert len(kept) == S.BACKUPS_KEPT.default == 5
    assert [p.read_text() for p in kept] == versions[-6:-1]
    assert all(p.is_relative_to(S.backups_dir()) for p in kept)
