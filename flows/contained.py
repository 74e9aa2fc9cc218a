"""Opening a local raw file without ever leaving the raw root, whatever changed since listing.

The listing (`flows.discovery.discover_files`) already refuses a link out of the raw root, but
a link can be swapped between the listing and the read (the model load alone leaves seconds).
So every read checks again, on the file it actually opened: the opened descriptor's own path
(`/proc/self/fd/N`, what the kernel resolved) must be under the raw root's real path, and the
descriptor must be a regular file. What is read is what was checked: there is no second
lookup of the name after the check.
"""

from __future__ import annotations

import os
import stat


class OutsideRaw(OSError):
    """The path, as opened, resolves outside the raw root."""


class NotAFile(OSError):
    """The path, as opened, is not a regular file (a FIFO, socket, device or folder)."""


def open_contained(root: str, relative: str) -> int:
    """A read-only descriptor of `root/relative`, refusing what resolves outside `root`
    or is not a regular file. Raises OutsideRaw, NotAFile or any OSError of the open."""
    real_root = os.path.realpath(root)
    path = os.path.join(root, relative)
    special = _special_kind(os.stat(path).st_mode)  # never open a device on purpose
    if special:
        raise NotAFile(f"the path is {special}, not a regular file: not read")
    # O_NONBLOCK: a FIFO swapped in after the stat opens at once instead of hanging.
    fd = os.open(path, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        opened = opened_path(fd, path)
        if not is_under(opened, real_root):
            raise OutsideRaw("the path leads outside the raw root when opened: not read")
        special = _special_kind(os.fstat(fd).st_mode)
        if special:
            raise NotAFile(f"the path is {special}, not a regular file: not read")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def is_under(path: str, real_root: str) -> bool:
    """Whether a resolved path is the root or inside it."""
    return path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep)


def opened_path(fd: int, path: str) -> str:
    """The real path of an open descriptor: the kernel's own (`/proc/self/fd`), or where
    `/proc` is missing, the resolved name if it is still the same file (else "")."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        resolved = os.path.realpath(path)
        try:
            same = os.path.samestat(os.stat(resolved), os.fstat(fd))
        except OSError:
            return ""
        return resolved if same else ""


def _special_kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "a device or other special file"
