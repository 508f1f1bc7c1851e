"""Lock files, the recovery store and backups, without a window."""

from __future__ import annotations

import json
import os
import time

import pytest

from briefer.core import locks, storage
from briefer.core.cards import Card, Source
from briefer.core.locks import MemoLock, Owner
from briefer.core.recovery import RecoveryStore, card_draft_text, card_from_draft


def test_lock_is_taken_released_and_reentrant(tmp_path):
    memo = tmp_path / "m.brief.yaml"
    lock = MemoLock(memo)
    assert lock.acquire() is None
    data = json.loads(locks.lock_path(memo).read_text())
    assert data["pid"] == os.getpid()
    assert data["host"] == locks.HOST
    assert MemoLock(memo).acquire() is None  # the same process may open it again
    lock.release()
    assert not locks.lock_path(memo).exists()


def write_lock(memo, **owner):
    data = {"pid": 1, "host": locks.HOST, "user": "colleague", "since": "2026-11-22T09:00:00"}
    data.update(owner)
    locks.lock_path(memo).write_text(json.dumps(data))


def test_lock_held_by_a_live_process_is_reported(tmp_path):
    memo = tmp_path / "m.brief.yaml"
    write_lock(memo, pid=os.getppid(), started=locks.process_started(os.getppid()))
    owner = MemoLock(memo).acquire()
    assert owner is not None
    assert owner.pid == os.getppid()
    assert "colleague on" in owner.describe()
    assert "2026-11-22 09:00:00" in owner.describe()


def test_lock_from_a_dead_process_is_stale_and_cleared(tmp_path):
    memo = tmp_path / "m.brief.yaml"
    write_lock(memo, pid=2**22 + 12345)  # above the kernel's pid limit: never alive
    lock = MemoLock(memo)
    assert lock.acquire() is None
    assert json.loads(locks.lock_path(memo).read_text())["pid"] == os.getpid()


def test_lock_whose_pid_was_reused_is_stale(tmp_path):
    memo = tmp_path / "m.brief.yaml"
    # pid 1 is alive, but it is not the process that took the lock (another start time).
    write_lock(memo, pid=1, started="1")
    if not locks.process_started(1) or locks.process_started(1) == "1":
        pytest.skip("no /proc start times here")
    assert MemoLock(memo).acquire() is None


def test_lock_from_another_host_is_respected_and_can_be_forced(tmp_path):
    memo = tmp_path / "m.brief.yaml"
    write_lock(memo, host="laptop-of-a-colleague", pid=2**22 + 1)
    lock = MemoLock(memo)
    owner = lock.acquire()
    assert owner is not None
    assert owner.host == "laptop-of-a-colleague"  # cannot be checked from here
    assert lock.acquire(force=True) is None


def test_unreadable_lock_is_cleared_only_once_old(tmp_path):
    memo = tmp_path / "m.brief.yaml"
    path = locks.lock_path(memo)
    path.write_text("{half a lock")
    assert MemoLock(memo).acquire() is not None  # maybe being written right now
    old = time.time() - 60
    os.utime(path, (old, old))
    assert MemoLock(memo).acquire() is None


def test_recovery_entries_of_live_processes_are_not_offered(tmp_path):
    store = RecoveryStore(tmp_path / "recovery")
    mine = store.write("k1", "memo", "a.brief.yaml", "text", original="/x/a.brief.yaml")
    assert [e.key for e in store.entries()] == ["k1"]
    assert store.orphaned() == []  # this process is alive
    meta = json.loads(mine.meta_path.read_text())
    meta["owner"]["pid"] = 2**22 + 7
    mine.meta_path.write_text(json.dumps(meta))
    (entry,) = store.orphaned()
    assert entry.describe().startswith("Memo “a.brief.yaml” (/x/a.brief.yaml), autosaved ")
    store.remove("k1")
    assert store.entries() == []


def test_incomplete_recovery_entries_are_skipped(tmp_path):
    store = RecoveryStore(tmp_path)
    (tmp_path / "half.json").write_text("{not json")
    (tmp_path / "nocontent.json").write_text(json.dumps({"kind": "memo"}))
    entry = store.write("ok", "memo", "m", "text")
    entry.content_path.unlink()
    assert store.entries() == []


def test_card_drafts_round_trip_even_when_incomplete():
    draft = Card(
        id="",
        kind="risk",
        title="Half done",
        body="Only a **start**",
        tags=("x",),
        sources=(Source(title="", author="Someone"),),
    )
    again = card_from_draft(card_draft_text(draft))
    assert again == draft


@pytest.mark.parametrize(
    "text",
    [
        '{"id": 3}',
        '{"title": {"x": 1}}',
        '{"tags": "not a list"}',
        '{"sources": [{"title": ["a"]}]}',
        "[]",
    ],
)
def test_card_drafts_accept_only_texts(text):
    with pytest.raises((ValueError, TypeError)):
        card_from_draft(text)


def test_backups_are_off_unless_configured(tmp_path):
    storage.configure_backups(None)
    target = tmp_path / "f.yaml"
    storage.atomic_write_text(target, "one")
    storage.atomic_write_text(target, "two")
    assert storage.backups_of(target) == []
    storage.configure_backups(tmp_path / "backups", keep=2)
    try:
        for text in ("three", "four", "five"):
            storage.atomic_write_text(target, text)
        assert [p.read_text() for p in storage.backups_of(target)] == ["three", "four"]
        assert storage.fingerprint(target) != storage.fingerprint(storage.backups_of(target)[0])
    finally:
        storage.configure_backups(None)


def test_owner_me_describes_this_process():
    me = Owner.me()
    assert me.is_me
    assert not me.is_stale


def test_a_lock_names_the_user_when_the_environment_does_not(monkeypatch):
    """A session without USER (a service, a container) still says whose the memo is."""
    pwd = pytest.importorskip("pwd")  # (Windows has no account database to fall back on)

    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    account = pwd.getpwuid(os.getuid()).pw_name
    assert Owner.me().user == account
    assert f"{account} on " in Owner.me().describe()
