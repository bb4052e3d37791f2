"""Faults of the data folder (read-only, full, not a folder, not ours) as one line naming the fault and the fix.

Why: these come from deep inside libraries (mem0 creates its folder at import, initdb and the server
write their own files), where they surface as tracebacks or as a server log tail that names something
else. Every place that touches the data folder turns an ``OSError`` (or a server's "No space left on
device") into the same line through ``fault_line``; ``prepare_data_dir`` checks the folder before any
library is imported.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from concierge.errors import StoreUnavailableError

_OTHER_DIR = "or set CONCIERGE_DATA_DIR to another folder"


def _not_a_folder(folder: Path) -> str:
    blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
    return f"the data folder {folder} is not a folder ({blocker} is a file): move that file away, {_OTHER_DIR}"


def fault_line(exc: BaseException, folder: Path) -> str | None:
    """The one line for a data-folder fault, or None when ``exc`` is something else."""
    code = getattr(exc, "errno", None)
    if code == errno.EROFS:
        return f"the data folder {folder} is read-only: remount it read-write, {_OTHER_DIR}"
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on the device holding {folder}: free some space and retry"
    if code == errno.ENOTDIR or (code == errno.EEXIST and folder.exists() and not folder.is_dir()):
        return _not_a_folder(folder)
    if code in (errno.EACCES, errno.EPERM):
        return f"the data folder {folder} is not writable by this user: fix its permissions, {_OTHER_DIR}"
    return None


def text_fault_line(text: str, folder: Path) -> str | None:
    """The line for a fault a server reported in words (its log or stderr), or None."""
    if "No space left on device" in text or "Disk quota exceeded" in text:
        return fault_line(OSError(errno.ENOSPC, "full"), folder)
    if "Read-only file system" in text:
        return fault_line(OSError(errno.EROFS, "read-only"), folder)
    return None


_NEARLY_FULL = 16 * 1024 * 1024  # one WAL segment: PostgreSQL cannot work with less


def disk_full_line(folder: Path) -> str | None:
    """The full-disk line when the device holding ``folder`` has (next to) no space or inodes left, else None.

    Why: a server that cannot write refuses connections, and the client only sees a pool timeout; this
    is asked after a store error, to name the real fault.
    """
    try:
        st = os.statvfs(folder)
    except OSError:
        return None
    blocks = st.f_bfree if os.geteuid() == 0 else st.f_bavail  # root may use the reserved blocks
    no_inodes = st.f_files > 0 and st.f_favail == 0
    if blocks * st.f_frsize < _NEARLY_FULL or no_inodes:
        return fault_line(OSError(errno.ENOSPC, "full"), folder)
    return None


def data_subfolders(folder: Path) -> dict[str, Path]:
    """Every sub-folder of the data folder something creates, by name: the one list ``prepare_data_dir`` checks.

    mem0 and crewAI create theirs at import or first use (``MEM0_DIR``, ``CREWAI_STORAGE_DIR``, set under the
    data folder by ``runtime_env``); ``pg`` is the embedded server's, ``cache`` the catalog's and turn kinds'.
    """
    return {
        "pg": folder / "pg",
        "mem0": Path(os.environ.get("MEM0_DIR") or folder / "mem0"),
        "crewai": Path(os.environ.get("CREWAI_STORAGE_DIR") or folder / "crewai"),
        "cache": folder / "cache",
    }


def subfolder_fault(name: str, path: Path, folder: Path) -> str | None:
    """One line when the sub-folder ``name`` exists but is not a folder (a file, a link, a pipe), else None.

    Why: each library then fails its own way, deep inside (mem0's and crewAI's ``mkdir``: 40-line tracebacks).
    Inside the data folder a link is refused too (never followed, as for every part of it); a folder a variable
    puts elsewhere (``MEM0_DIR=/srv/mem0``) may be reached through one.
    """
    try:
        st = path.lstat() if path.parent == folder else path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return fault_line(exc, path) or f"the data sub-folder {path} cannot be read ({exc.strerror}); {_OTHER_DIR}"
    if stat.S_ISDIR(st.st_mode):
        return None
    if stat.S_ISLNK(st.st_mode):
        return f"the data sub-folder {name} ({path}) is a symbolic link: put the folder itself there, {_OTHER_DIR}"
    kind = "a file" if stat.S_ISREG(st.st_mode) else "a special file (a pipe, a socket or a device)"
    again = "the folder is made again"
    return f"the data sub-folder {name} ({path}) is {kind}, not a folder: move it away ({again}), {_OTHER_DIR}"


def prepare_data_dir(folder: Path) -> None:
    """Create the data folder if needed, prove it writable and ours, or raise one line naming the fault.

    Ours: the app (root, often) writes files in it by name (mem0's, the catalog cache); in a folder
    someone else owns, they could put a link where such a file goes.
    """
    from concierge.memory.safe_files import check_folder, check_path

    trusted = frozenset({0, os.geteuid()})
    try:
        check_path(folder, trusted)  # before mkdir: a link another account owns is never followed
        folder.mkdir(parents=True, exist_ok=True)
        check_path(folder, trusted)
        if not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
        check_folder(folder.resolve(), frozenset({os.geteuid()}))
        with tempfile.TemporaryFile(dir=folder):
            pass  # writable; a full disk is reported where a write fails (reading memories still works)
    except OSError as exc:
        line = fault_line(exc, folder) or f"the data folder {folder} cannot be used ({exc.strerror}); {_OTHER_DIR}"
        raise StoreUnavailableError(line) from None
    for name, path in data_subfolders(folder).items():
        if line := subfolder_fault(name, path, folder):
            raise StoreUnavailableError(line)
