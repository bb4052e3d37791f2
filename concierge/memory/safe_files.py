"""Files of the data folder opened without following links, checked on the descriptor, changed through it.

Why: as root the data folder is shared with the account the server runs as (``embedded_postgres``, or
the owner of ``pg/``). That account can replace anything inside ``pg/`` (the server log, the pid file)
with a symbolic or hard link to any file of the machine. Opening such a path by name would make root
append to it, chown it or print it. So every file here is opened with ``O_NOFOLLOW`` (a link fails),
checked on the open descriptor (a regular file with one name, owned by whom we expect), and changed only
through it (``fchown``). A folder whose parts are owned by someone else is refused with one line.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from concierge.errors import StoreUnavailableError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def owner_name(uid: int) -> str:
    """A user name for a uid (the number when it has none)."""
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _refused(path: Path, problem: str, fix: str) -> StoreUnavailableError:
    return StoreUnavailableError(f"refusing {path}: {problem}; {fix}")


def _check_owner(path: Path, st: os.stat_result, owners: frozenset[int]) -> None:
    if st.st_uid not in owners:
        expected = " or ".join(sorted(owner_name(uid) for uid in owners))
        chown = f"chown {owner_name(min(owners))} {path}"
        fix = f"{chown}, or run as {owner_name(st.st_uid)}" if stat.S_ISDIR(st.st_mode) else f"remove it, or {chown}"
        raise _refused(path, f"it is owned by {owner_name(st.st_uid)}, not by {expected}", f"{fix}, then retry")


def check_folder(path: Path, owners: frozenset[int] | None) -> None:
    """``path`` is a real folder (not a link) owned by one of ``owners`` (anyone: None); a missing one is fine."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise _refused(path, "it is a symbolic link", "point CONCIERGE_DATA_DIR at the real folder")
    if not stat.S_ISDIR(st.st_mode):
        raise _refused(path, "it is not a folder", "remove it or point CONCIERGE_DATA_DIR elsewhere")
    if owners is not None:
        _check_owner(path, st, owners)


def _checked_fd(path: Path, fd: int, owners: frozenset[int]) -> int:
    """``fd`` when it is a regular file with one name owned by one of ``owners``; else closed and refused."""
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _refused(path, "it is not a regular file", "remove it and retry")
        if st.st_nlink != 1:
            raise _refused(path, "it has other names (a hard link)", "remove it and retry")
        _check_owner(path, st, owners)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_file(path: Path, flags: int, owners: frozenset[int], chown_to: tuple[int, int] | None = None) -> int:
    """Open (creating it, mode 600, when ``flags`` has ``O_CREAT``) a file of the data folder without
    following a link, and check it; a file created here is given to ``chown_to`` through its descriptor.

    Raises StoreUnavailableError naming the path for a link, a non-regular file or a foreign owner;
    other OSErrors (missing, read-only, full) propagate.
    """
    flags |= _NOFOLLOW | _CLOEXEC
    if flags & os.O_CREAT:
        try:
            fd = os.open(path, flags | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            if chown_to is not None:
                try:
                    os.fchown(fd, *chown_to)
                except BaseException:
                    os.close(fd)
                    raise
            return fd
    try:
        fd = os.open(path, (flags & ~os.O_CREAT) | os.O_NONBLOCK)  # a FIFO must not block us
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refused(path, "it is a symbolic link", "remove it and retry") from None
        if exc.errno in (errno.ENXIO, errno.EISDIR):  # a FIFO with no reader, a folder
            raise _refused(path, "it is not a regular file", "remove it and retry") from None
        raise
    fd = _checked_fd(path, fd, owners)
    os.set_blocking(fd, True)
    return fd


def read_text(path: Path, owners: frozenset[int], *, tail: int | None = None, limit: int = 65536) -> str | None:
    """The text of a data-folder file (at most ``limit`` bytes, or its last ``tail`` bytes), or None when it
    is missing or refused."""
    try:
        fd = open_file(path, os.O_RDONLY, owners)
    except (OSError, StoreUnavailableError):
        return None
    with os.fdopen(fd, "rb") as handle:
        if tail is not None:
            size = os.fstat(handle.fileno()).st_size
            handle.seek(max(0, size - tail))
        return handle.read(tail or limit).decode(errors="replace")


_MAX_LINKS = 40  # as the kernel: more hops is a loop


def _check_component(path: Path, st: os.stat_result, owners: frozenset[int]) -> None:
    """One part of the data folder's path: owned by one of ``owners``, a folder no one else can write
    into (unless sticky: then others cannot rename what we own)."""
    if st.st_uid not in owners:
        kind = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "a folder"
        raise _refused(
            path,
            f"the data folder's path goes through {kind} owned by {owner_name(st.st_uid)}, who could redirect it",
            "set CONCIERGE_DATA_DIR to a folder whose every parent is owned by root or by you",
        )
    writable = st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if stat.S_ISDIR(st.st_mode) and writable and not st.st_mode & stat.S_ISVTX:
        raise _refused(
            path,
            "the data folder's path goes through a folder others can write into",
            f"chmod go-w {path}, or set CONCIERGE_DATA_DIR to another folder",
        )


def check_path(path: Path, owners: frozenset[int]) -> None:
    """Every existing part of ``path``, from ``/`` down and through each symbolic link (checked with
    ``lstat``), is owned by one of ``owners`` and not writable by others; raise one line otherwise.

    Why: ``resolve()`` then a check of the end only misses a link (or a parent) another account owns:
    between the check and the use, that account can point it at any folder root then writes into.
    """
    pending = list(Path(os.path.abspath(path)).parts)
    current = Path(pending.pop(0))
    hops = 0
    while pending:
        candidate = current / pending.pop(0)
        try:
            st = candidate.lstat()
        except (FileNotFoundError, NotADirectoryError):
            return  # created by us below what was checked
        _check_component(candidate, st, owners)
        if not stat.S_ISLNK(st.st_mode):
            current = candidate
            continue
        hops += 1
        if hops > _MAX_LINKS:
            raise _refused(path, "its symbolic links loop", "point CONCIERGE_DATA_DIR at the real folder")
        target = Path(os.readlink(candidate))
        target_parts = list((target if target.is_absolute() else current / target).parts)
        current = Path(target_parts.pop(0))
        pending[:0] = target_parts
