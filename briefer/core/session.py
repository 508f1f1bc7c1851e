"""One open memo (or book) as a user works on it: its file, its lock, saving, reloading
and recovery.

Plain Python with typed results: the window asks the user when a result calls for a choice
(someone else has the memo open, the file changed on disk), then calls again with the
answer. Whether the memo has unsaved changes is not kept here: that is the undo stack's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefer.core.cards import MEMO_SUFFIX
from briefer.core.locks import MemoLock, Owner
from briefer.core.memos import Memo, memo_to_yaml, parse_memo, read_memo, save_memo
from briefer.core.problems import Problem, display_path
from briefer.core.recovery import RecoveryEntry, RecoveryStore
from briefer.core.storage import atomic_write_text, digest, fingerprint, write_failure
from briefer.core.templates import MemoTemplate


@dataclass
class MemoRead:
    """A memo read from a file: the memo (None when it cannot be used), its problems, and the
    fingerprint of the bytes it was read from (taken first, so a change in between shows)."""

    memo: Memo | None
    problems: list[Problem]
    fingerprint: str | None


@dataclass
class MemoSave:
    """What a save did. ``status``: ``saved``; ``changed_on_disk`` (someone else saved the
    file since it was read: ask, then save with ``overwrite``); ``locked`` (another Briefer has
    the target open: ``owner``); ``read_only``; or ``failed`` (``message`` says why)."""

    status: str
    path: Path
    message: str = ""
    owner: Owner | None = None
    detail: str = ""  # the system's own words, for the log

    @property
    def ok(self) -> bool:
        return self.status == "saved"


def read_memo_file(path: Path) -> MemoRead:
    seen = fingerprint(path)
    memo, problems = read_memo(path)
    return MemoRead(memo, problems, seen)


def memo_file_name(name: str) -> str:
    """A file name that ends in ``.brief.yaml``, as the open and save dialogs expect."""
    return name if name.endswith(MEMO_SUFFIX) else name.removesuffix(".yaml") + MEMO_SUFFIX


def memo_stem(memo: Memo, path: Path | None) -> str:
    """The name a memo's files are offered under: its file's, else its subject's, else memo."""
    if path is not None:
        return path.name.removesuffix(MEMO_SUFFIX).removesuffix(".yaml")
    subject = memo.header.get("subject", "") or memo.header.get("event", "")
    words = re.findall(r"[\w]+", subject.casefold().replace("'", ""))
    return "-".join(words)[:60].strip("-_") or "memo"


class FileSession:
    """A document open for editing, the file it belongs to and the lock that protects it.
    Subclasses say how their document is written (``_text``, ``_write``) and named."""

    kind = "document"
    untitled = "Untitled"

    def __init__(self, path: Path | None = None, seen: str | None = None) -> None:
        self.path = path
        # What the file held when it was read: a save first checks nobody changed it since.
        self.fingerprint = seen if seen is not None or path is None else fingerprint(path)
        self.lock: MemoLock | None = None
        self.read_only_reason = ""

    @property
    def read_only(self) -> bool:
        return bool(self.read_only_reason)

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else self.untitled

    # -- locking ----------------------------------------------------------------------
    def acquire_lock(self, force: bool = False) -> Owner | None:
        """Lock the file for editing; returns who holds it when someone else does."""
        if self.path is None:
            return None
        lock = self.lock or MemoLock(self.path)
        owner = lock.acquire(force=force)
        if owner is None:
            self.lock = lock
        return owner

    def view_read_only(self, owner: Owner) -> None:
        """Follow another Briefer's file without editing it."""
        self.read_only_reason = (
            f"It is open in another Briefer ({owner.describe()}); this view follows their saves."
        )

    def close(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    # -- saving -----------------------------------------------------------------------
    def _text(self) -> str:
        raise NotImplementedError

    def _write(self, target: Path) -> str:
        """Write the document to ``target`` atomically; the text written."""
        text = self._text()
        atomic_write_text(target, text)
        return text

    def _saved_as(self, target: Path) -> None:
        """The document now belongs to ``target``."""

    def save(self, path: Path | None = None, overwrite: bool = False) -> MemoSave:
        """Write the document atomically (a backup of the old version is kept)."""
        target = Path(path or self.path or "")
        same = self.path is not None and target.absolute() == self.path.absolute()
        if same and self.read_only:
            return MemoSave("read_only", target, f"this {self.kind} is open read-only")
        if same and not overwrite and self.disk_state() == "changed":
            return MemoSave("changed_on_disk", target)
        lock = self.lock if same else MemoLock(target)
        if lock is not None and not same and (owner := lock.acquire()) is not None:
            return MemoSave("locked", target, owner=owner)
        try:
            text = self._write(target)
        except OSError as exc:
            if not same and lock is not None:
                lock.release()
            return MemoSave("failed", target, write_failure(exc), detail=repr(exc))
        if not same:
            self.close()
            self.lock = lock
            self.read_only_reason = ""  # a copy under a new name is the user's to edit
        self.path = target
        self._saved_as(target)
        self.fingerprint = digest(text.encode("utf-8"))
        return MemoSave("saved", target)

    # -- the file on disk -------------------------------------------------------------
    def disk_state(self) -> str:
        """``same``, ``changed`` (someone else saved it) or ``missing``."""
        if self.path is None:
            return "same"
        now = fingerprint(self.path)
        if now is None:
            return "missing"
        return "same" if now == self.fingerprint or self.fingerprint is None else "changed"

    # -- recovery ---------------------------------------------------------------------
    def write_recovery(self, store: RecoveryStore, key: str) -> None:
        store.write(
            key,
            self.kind,
            self.display_name,
            self._text(),
            original=str(self.path or ""),
            based_on=self.fingerprint or "",
        )


class MemoSession(FileSession):
    """The memo being edited, the file it belongs to, and the lock that protects that file."""

    kind = "memo"
    untitled = "Untitled memo"

    def __init__(
        self,
        memo: Memo,
        template: MemoTemplate,
        path: Path | None = None,
        seen: str | None = None,
    ) -> None:
        super().__init__(path, seen)
        self.memo = memo
        self.template = template

    def _text(self) -> str:
        return memo_to_yaml(self.memo)

    def _write(self, target: Path) -> str:
        return save_memo(self.memo, target)

    def _saved_as(self, target: Path) -> None:
        self.memo.path = target

    def reload(self, templates: dict[str, MemoTemplate]) -> list[Problem]:
        """Read the file again; on success the memo is replaced. Problems when it cannot be."""
        assert self.path is not None
        read = read_memo_file(self.path)
        template = templates.get(read.memo.template) if read.memo else None
        if read.memo is None or template is None:
            shown = display_path(self.path)
            return read.problems or [Problem(shown, 1, 1, "its template is unknown")]
        self.memo, self.template, self.fingerprint = read.memo, template, read.fingerprint
        return []


def recovered_memo(entry: RecoveryEntry) -> tuple[Memo | None, str]:
    """The memo kept in a recovery entry, or None and why it cannot be read."""
    try:
        text = entry.content_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"Could not read the recovered copy of {entry.title}: {exc}"
    memo, problems = parse_memo(text, entry.title)
    if memo is None:
        return None, (
            f"The recovered copy of {entry.title} cannot be read; it was kept in "
            f"{entry.content_path}.\n" + "\n".join(str(p) for p in problems)
        )
    return memo, ""


def save_recovered_copy(memo: Memo, entry: RecoveryEntry, folder: Path) -> Path:
    """Save a recovered memo beside its original as ``NAME (recovered).brief.yaml``."""
    base = Path(entry.original) if entry.original else folder / f"memo{MEMO_SUFFIX}"
    stem = base.name.removesuffix(MEMO_SUFFIX)
    target, n = base.with_name(f"{stem} (recovered){MEMO_SUFFIX}"), 2
    while target.exists():
        target, n = base.with_name(f"{stem} (recovered {n}){MEMO_SUFFIX}"), n + 1
    atomic_write_text(target, memo_to_yaml(memo))
    return target
