"""Lock files: a memo open in one Briefer is protected from being edited in another.

The lock is a small JSON file beside the memo (``.NAME.lock``) holding the process id, the
host, the user and when it was taken. It is created with ``O_EXCL``, so two processes can
never both think they hold it. A lock left by a process that no longer runs on this host is
stale and is cleared; a lock from another host cannot be checked and is reported as held.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from briefer.core.storage import process_alive, process_started


def _host_name() -> str:
    """This computer's own name (uname): no lookup, no network."""
    try:
        return os.uname().nodename
    except AttributeError:  # Windows has no uname; platform asks the same of Windows
        import platform

        return platform.node()


HOST = _host_name()


@dataclass(frozen=True)
class Owner:
    """Who holds a lock (or wrote a recovery file)."""

    pid: int
    host: str
    user: str = ""
    since: str = ""
    started: str = ""

    @classmethod
    def me(cls) -> Owner:
        try:  # the login name from the environment, else the account's own name
            user = getpass.getuser()
        except (OSError, KeyError, ImportError):  # no such variable and no account entry
            user = ""
        return cls(
            os.getpid(),
            HOST,
            user,
            dt.datetime.now().isoformat(timespec="seconds"),
            process_started(os.getpid()),
        )

    @property
    def is_me(self) -> bool:
        return self.host == HOST and self.pid == os.getpid()

    @property
    def is_stale(self) -> bool:
        """Left by a process that is gone (only checkable on this host)."""
        return self.host == HOST and not process_alive(self.pid, self.started)

    def describe(self) -> str:
        who = f"{self.user} on {self.host}" if self.user else self.host
        when = self.since.replace("T", " ") if self.since else "an unknown time"
        return f"{who} (process {self.pid}), since {when}"


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def read_owner(lock: Path) -> Owner | None:
    """The owner recorded in a lock file; None if it is missing or unreadable."""
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
        return Owner(
            pid=int(data["pid"]),
            host=str(data["host"]),
            user=str(data.get("user", "")),
            since=str(data.get("since", "")),
            started=str(data.get("started", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


class MemoLock:
    """The lock on one memo file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock = lock_path(self.path)
        self.held = False

    def acquire(self, force: bool = False) -> Owner | None:
        """Take the lock. Returns None when taken, or the owner who holds it.

        A stale lock (its process is gone) is cleared and taken; ``force`` breaks any lock.
        """
        for _ in range(3):
            try:
                fd = os.open(self.lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                owner = read_owner(self.lock)
                if owner is not None and owner.is_me:
                    self.held = True
                    return None
                if force or owner is None or owner.is_stale:
                    # Unreadable counts as stale only once it is old enough not to be
                    # a lock being written right now.
                    if owner is None and not force and _age(self.lock) < 5:
                        return Owner(0, "?", since="just now")
                    with contextlib.suppress(FileNotFoundError):
                        self.lock.unlink()
                    continue
                return owner
            except OSError:
                # A folder we cannot write to: nobody else can lock it through us either;
                # open without a lock rather than refuse (the save will say why it fails).
                return None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(asdict(Owner.me()), handle)
            self.held = True
            return None
        return read_owner(self.lock)

    def release(self) -> None:
        """Remove the lock if this process holds it."""
        if not self.held:
            return
        self.held = False
        owner = read_owner(self.lock)
        if owner is not None and owner.is_me:
            with contextlib.suppress(OSError):
                self.lock.unlink()


def _age(path: Path) -> float:
    try:
        return dt.datetime.now().timestamp() - path.stat().st_mtime
    except OSError:
        return 0.0
