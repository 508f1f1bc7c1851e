"""Safe file writes: atomic replace, a few backups of what was replaced, and fingerprints.

A write goes to a temporary file in the same folder, is flushed to disk, then renamed over
the target in one step, so the file on disk is always the complete old or the complete new
version. When a backup folder is configured (the app does; the command line does not), the
version being replaced is first copied there, and the last ``keep`` copies are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

try:  # the BLAKE2 hashlib gives, without loading OpenSSL (4 ms of every start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b


@dataclass
class BackupPolicy:
    """Where replaced versions go and how many are kept per file."""

    folder: Path | None = None
    keep: int = 5


BACKUPS = BackupPolicy()


def configure_backups(folder: Path | None, keep: int = 5) -> None:
    """Keep the last ``keep`` replaced versions of every saved file under ``folder``."""
    BACKUPS.folder, BACKUPS.keep = folder, keep


def backup_folder_for(target: Path) -> Path | None:
    """The folder holding the backups of one file, named after it and its full path."""
    if BACKUPS.folder is None:
        return None
    full = str(Path(target).resolve())
    import hashlib

    digest = hashlib.sha256(full.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return BACKUPS.folder / f"{Path(target).name}-{digest}"


def backups_of(target: Path) -> list[Path]:
    """The kept versions of a file, oldest first."""
    folder = backup_folder_for(target)
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.endswith("~"))


def _back_up(target: Path) -> None:
    folder = backup_folder_for(target)
    if folder is None or not target.is_file():
        return
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    shutil.copy2(target, folder / f"{stamp}-{target.name}~")
    for old in backups_of(target)[: -BACKUPS.keep or None]:
        with contextlib.suppress(OSError):
            old.unlink()


class BackupFailed(OSError):
    """The version being replaced could not be kept, so the save did not happen."""

    def __init__(self, folder: Path, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror)
        self.folder, self.cause = folder, cause


def process_started(pid: int) -> str:
    """When a process started (Linux: ticks since boot), to tell a reused pid apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The command name (field 2) may hold spaces and parentheses; count from the last ')'.
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else ""


def process_alive(pid: int, started: str = "") -> bool:
    """Whether the process runs on this host (and, when known, is the same one that started)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists but belongs to someone else
    return not started or not process_started(pid) or process_started(pid) == started


def _sweep_temporaries(target: Path) -> None:
    """Remove temporary files beside ``target`` left by a Briefer that was killed while
    writing it (their names carry the writer's process id)."""
    prefix = f".{target.name}."
    try:
        entries = list(os.scandir(target.parent if str(target.parent) else "."))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid = name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


@contextlib.contextmanager
def atomic_path(target: Path, backup: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step.

    If the body raises, the temporary file is removed and ``target`` is left as it was.
    With ``backup``, the version being replaced is kept first (see ``configure_backups``).
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    _sweep_temporaries(target)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=folder
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            with contextlib.suppress(OSError):
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        if backup:
            try:
                _back_up(target)
            except OSError as exc:
                raise BackupFailed(backup_folder_for(target) or folder, exc) from exc
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_text(target: Path, text: str, backup: bool = True) -> None:
    """Write text as UTF-8 with ``\\n`` line endings, atomically, keeping a backup."""
    with atomic_path(target, backup=backup) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def digest(data: bytes) -> str:
    """The one content digest Briefer uses: file fingerprints, the library cache, watches."""
    return blake2b(data, digest_size=16).hexdigest()


def fingerprint(path: Path) -> str | None:
    """A digest of a file's bytes, or None when it does not exist (or cannot be read).

    Compared before a save to tell whether someone else changed the file since it was read.
    """
    try:
        return digest(Path(path).read_bytes())
    except OSError:
        return None


def write_failure(exc: OSError) -> str:
    """Why a write failed and what to do, in words."""
    if isinstance(exc, BackupFailed):
        return (
            f"the earlier version could not be kept in the backups folder {exc.folder} "
            f"({exc.cause.strerror or exc.cause}), so nothing was saved. Free space there, or "
            "lower the number of backups kept in Preferences."
        )
    if exc.errno == errno.ENOSPC:
        return "the disk is full. Free some space, or save somewhere else."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "Briefer may not write there (the folder or file is read-only or locked)."
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "the folder does not exist (a removed drive or a renamed folder?)."
    return f"{exc.strerror or exc}."


def _path_key(path: str) -> list[str]:
    """Sort as Path does: part by part (so "a/b" comes before "a-b/c")."""
    return path.split(os.sep)


def find_files(
    folder: Path, suffix: str, recursive: bool = True, exclude: str | tuple[str, ...] = ""
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files under ``folder`` whose names end in ``suffix`` (not ``exclude``), sorted, and the
    folders that could not be read with why. Walks with a list, never recursion, so a tree
    of any depth is fine; links to folders are not followed (no loops)."""
    found: list[str] = []  # strings until sorted: a Path comparison costs ten times more
    unreadable: list[tuple[Path, str]] = []
    pending = [str(folder)]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as exc:
            unreadable.append((Path(current), exc.strerror or str(exc)))
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if recursive and not entry.name.startswith("."):
                    pending.append(entry.path)
            elif (
                entry.name.endswith(suffix)
                and not (exclude and entry.name.endswith(exclude))
                and not entry.name.startswith(".")  # hidden: temporary files, locks
            ):
                found.append(entry.path)
    return [Path(p) for p in sorted(found, key=_path_key)], unreadable
