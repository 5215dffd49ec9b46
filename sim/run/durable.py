"""Writing that survives a kill: an append-only journal, locks that die with their owner, files
synced into place, and a failed write (full disk, read-only folder) as one line.

A process killed outright (SIGKILL, out of memory, the machine's power) runs no cleanup, so what
it leaves must be readable as it is: a journal record is whole or is ignored, a file is under its
final name only once complete (and, where it matters, synced), and a lock is an ``flock`` the
kernel drops when its holder dies, however it dies.
"""

from __future__ import annotations

import errno
import os
import struct
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from ..core.errors import ConfigError

if sys.platform != "win32":
    import fcntl

# A journal record: magic, replication, payload length, CRC-32 of the payload; then the payload.
_HEADER = struct.Struct("<4sqqI")
_MAGIC = b"RPJ1"


class Journal:
    """An append-only file of records ``(replication, payload)``.

    :meth:`append` hands each record to the kernel before it returns, so a record survives the
    process being killed at any moment after; a record cut short (killed in the middle of its
    write, a write that failed) is ignored by :func:`journaled` and :func:`read_journal`, and a
    failed append is cut off so that later records follow a whole one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self._size = os.fstat(self._fd).st_size

    def append(self, replication: int, payload: bytes) -> None:
        head = _HEADER.pack(_MAGIC, replication, len(payload), zlib.crc32(payload))
        try:
            for part in (head, payload):
                view = memoryview(part)
                while view:
                    view = view[os.write(self._fd, view) :]
        except BaseException:
            os.ftruncate(self._fd, self._size)
            raise
        self._size += len(head) + len(payload)

    @property
    def empty(self) -> bool:
        return self._size == 0

    def clear(self) -> None:
        """Drop every record (they are safely elsewhere now)."""
        os.ftruncate(self._fd, 0)
        self._size = 0

    def close(self) -> None:
        """Close the file, and delete it when it holds nothing."""
        if self._fd < 0:
            return
        os.close(self._fd)
        self._fd = -1
        if self._size == 0:
            self.path.unlink(missing_ok=True)


def _records(path: Path, payloads: bool) -> Iterator[tuple[int, bytes]]:
    """Whole records of the journal at ``path`` up to the first that is not (with their payloads
    CRC-checked when ``payloads``, else ``b""`` for each)."""
    try:
        f = path.open("rb")
    except FileNotFoundError:
        return
    with f:
        size = os.fstat(f.fileno()).st_size
        at = 0
        while at + _HEADER.size <= size:
            magic, rep, length, crc = _HEADER.unpack(f.read(_HEADER.size))
            at += _HEADER.size
            if magic != _MAGIC or length < 0 or at + length > size:
                return
            if payloads:
                payload = f.read(length)
                if len(payload) != length or zlib.crc32(payload) != crc:
                    return
                yield rep, payload
            else:
                f.seek(length, os.SEEK_CUR)
                yield rep, b""
            at += length


def journaled(path: Path) -> list[int]:
    """The replications of the whole records of a journal (read by their headers only)."""
    return [rep for rep, _ in _records(path, payloads=False)]


def read_journal(path: Path) -> Iterator[tuple[int, bytes]]:
    """``(replication, payload)`` of each whole, intact record of a journal."""
    return _records(path, payloads=True)


class Lock:
    """An exclusive lock on a file, held by this process until :meth:`release` or its death.

    The file holds the holder's process id, for a person (or an error message) to read. Where
    there is no ``flock`` (Windows) every lock is granted.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def take(cls, path: Path, create: bool = True) -> "Lock | None":
        """The lock on ``path`` (created if need be and ``create``), or None when another
        process holds it. FileNotFoundError when it is gone (deleted by its holder)."""
        while True:
            fd = os.open(path, os.O_RDWR | (os.O_CREAT if create else 0), 0o644)
            if sys.platform == "win32":
                break
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return None
            except BaseException:
                os.close(fd)
                raise
            # The holder may have deleted the file between our open and flock: retry on the
            # file now at ``path``, if any (FileNotFoundError when its folder is gone too).
            try:
                if os.stat(path).st_ino == os.fstat(fd).st_ino:
                    break
            except FileNotFoundError:
                pass
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return cls(path, fd)

    @staticmethod
    def holder(path: Path) -> str:
        """The process id written in a lock file ("?" if unreadable)."""
        try:
            return path.read_text().strip() or "?"
        except OSError:
            return "?"

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def sync_file(path: Path) -> None:
    """Flush a file's contents to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename, a new file) to the disk, where the system allows."""
    if sys.platform == "win32":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, write: Callable[[Path], object], sync: bool = False) -> None:
    """Write a file through ``write(tmp)`` under a temporary name, then rename it into place
    (synced to the disk first when ``sync``); on any failure the temporary file is removed."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        write(tmp)
        if sync:
            sync_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_NEEDS = {
    errno.ENOSPC: "room to write (the disk is full)",
    errno.EDQUOT: "room to write (the disk quota is used up)",
    errno.EROFS: "a folder that can be written to (the file system is read-only)",
    errno.EACCES: "a folder that can be written to (this user may not write to it)",
    errno.EPERM: "a folder that can be written to (this user may not write to it)",
}


def disk_error(exc: OSError, folder: Path, key: str = "out_dir", kept: str = "") -> ConfigError:
    """A failed write under ``folder`` as one line naming it (``kept`` says what is safe)."""
    need = _NEEDS.get(exc.errno or 0)
    if need is None:
        need = f"a folder that can be written to ({exc.strerror or exc})"
    return ConfigError(key, str(folder), need + (f"; {kept}" if kept else ""))
