"""The memo session: open, lock, save, reload and recover one memo, without a window."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefer.core import storage
from briefer.core.locks import lock_path
from briefer.core.recovery import RecoveryStore
from briefer.core.session import (
    MemoSession,
    read_memo_file,
    recovered_memo,
    save_recovered_copy,
)


@pytest.fixture
def memo_file(tmp_path: Path, repo: Path) -> Path:
    target = tmp_path / "power.brief.yaml"
    shutil.copy(repo / "content" / "memos" / "power-sector-dialogue.brief.yaml", target)
    return target


def open_session(path: Path, bundled) -> MemoSession:
    read = read_memo_file(path)
    assert read.memo is not None, read.problems
    template = bundled.templates.get(read.memo.template)
    return MemoSession(read.memo, template, path, read.fingerprint)


def test_open_lock_edit_save_and_close(memo_file, bundled):
    session = open_session(memo_file, bundled)
    assert session.acquire_lock() is None
    assert lock_path(memo_file).exists()
    session.memo.header["subject"] = "Changed here"
    result = session.save()
    assert result.ok
    assert "Changed here" in memo_file.read_text(encoding="utf-8")
    assert session.disk_state() == "same"
    session.close()
    assert not lock_path(memo_file).exists()


def test_a_change_on_disk_is_reported_before_saving_over_it(memo_file, bundled):
    session = open_session(memo_file, bundled)
    memo_file.write_text(memo_file.read_text().replace("subject:", "subject: THEIRS"), "utf-8")
    assert session.disk_state() == "changed"
    session.memo.header["subject"] = "Mine"
    result = session.save()
    assert result.status == "changed_on_disk"
    assert "THEIRS" in memo_file.read_text(encoding="utf-8")
    assert session.save(overwrite=True).ok
    assert "Mine" in memo_file.read_text(encoding="utf-8")


def test_reload_takes_the_new_version(memo_file, bundled):
    session = open_session(memo_file, bundled)
    text = memo_file.read_text(encoding="utf-8")
    subject = session.memo.header["subject"]
    memo_file.write_text(text.replace(subject, "Reloaded subject"), encoding="utf-8")
    assert session.reload(bundled.templates.templates) == []
    assert session.memo.header["subject"] == "Reloaded subject"
    assert session.disk_state() == "same"
    memo_file.write_text("template: [", encoding="utf-8")
    problems = session.reload(bundled.templates.templates)
    assert problems
    assert problems[0].is_error
    assert "YAML" in problems[0].message
    assert session.memo.header["subject"] == "Reloaded subject"  # the user's copy stays


def test_another_process_holds_the_lock(memo_file, bundled):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from briefer.core.locks import MemoLock; "
            f"MemoLock({str(memo_file)!r}).acquire(); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        session = open_session(memo_file, bundled)
        owner = session.acquire_lock()
        assert owner is not None
        assert owner.pid == holder.pid
        session.view_read_only(owner)
        assert session.read_only
        assert session.save().status == "read_only"
        # Save As under another name is the user's own copy.
        copy = memo_file.with_name("mine.brief.yaml")
        assert session.save(copy).ok
        assert not session.read_only
        assert session.path == copy
        # Saving onto the memo the other process holds is refused.
        result = session.save(memo_file)
        assert result.status == "locked"
        assert result.owner is not None
    finally:
        holder.kill()
        holder.wait()
    # A lock left by a dead process is stale and is cleared.
    session = open_session(memo_file, bundled)
    assert session.acquire_lock() is None
    session.close()


def test_a_failed_save_says_why_and_keeps_the_file(memo_file, bundled, monkeypatch):
    session = open_session(memo_file, bundled)
    before = memo_file.read_bytes()
    session.memo.header["subject"] = "Unsaved"

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", disk_full)
    result = session.save()
    assert result.status == "failed"
    assert "disk is full" in result.message
    assert memo_file.read_bytes() == before
    assert session.memo.header["subject"] == "Unsaved"  # the words stay


def test_recovery_round_trip(memo_file, bundled, tmp_path):
    session = open_session(memo_file, bundled)
    session.memo.header["subject"] = "Typed before the crash"
    store = RecoveryStore(tmp_path / "recovery")
    session.write_recovery(store, "key-1")
    entry = store.entries()[0]
    assert entry.original == str(memo_file)
    assert entry.based_on == session.fingerprint
    memo, message = recovered_memo(entry)
    assert memo is not None
    assert message == ""
    assert memo.header["subject"] == "Typed before the crash"
    copy = save_recovered_copy(memo, entry, tmp_path)
    assert copy.name == "power (recovered).brief.yaml"
    again = save_recovered_copy(memo, entry, tmp_path)
    assert again.name == "power (recovered 2).brief.yaml"
    entry.content_path.write_text("template: [", encoding="utf-8")
    memo, message = recovered_memo(entry)
    assert memo is None
    assert "cannot be read" in message
