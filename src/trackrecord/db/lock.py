"""Safe when two commands run at once: one writing stage at a time, and a one-line answer when the
database is busy.

The stages that write into build/ (build, fit, score, site) take one lock file there, so a second
`trackrecord build` started while the first runs says which command holds it and exits, instead of
deleting the first's temporary files. DuckDB lets one process open a database file for writing, or
many for reading; when another process holds it (a running fit, an analyst's notebook), the
connection fails, and `open_database` turns that into a message naming the holder.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".trackrecord.lock"


class Busy(Exception):
    """Another process holds the lock or the database; the message says who and what to do."""


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except OSError as err:
        return err.errno == errno.EPERM  # alive, but someone else's
    return True


def _command_of(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    command = re.sub(r"\s+", " ", " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)).strip()
    return command if len(command) <= 80 else command[:79] + "…"  # one line, whatever the command was


@contextmanager
def writer_lock(build_dir: Path, command: str) -> Iterator[None]:
    """Hold build/.trackrecord.lock for the length of a writing stage, or raise Busy at once. A stage
    that wrote nothing (a refused build) leaves no build/ folder behind: one it created only for the
    lock is removed again."""
    created = not build_dir.exists()
    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / LOCK_NAME
    handle = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().split(maxsplit=1)
            pid, what = (holder[0], holder[1].strip()) if len(holder) == 2 else ("?", "trackrecord command")
            raise Busy(
                f"another `trackrecord {what}` is running (pid {pid}) and writing into {build_dir}; "
                "wait for it to finish, or stop it, then run this again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {command}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            if created and [p.name for p in build_dir.iterdir()] == [LOCK_NAME]:
                path.unlink()
                build_dir.rmdir()
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def open_database(path: Path, *, read_only: bool):
    """duckdb.connect, with a Busy error naming the process that holds the file."""
    import duckdb

    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as err:
        text = str(err)
        if "lock" not in text.lower():
            raise
        match = re.search(r"PID (\d+)", text)
        pid = int(match.group(1)) if match else None
        command = _command_of(pid) if pid else ""
        who = f"process {pid}" + (f" ({command})" if command else "") if pid else "another process"
        raise Busy(
            f"the database {path} is in use by {who}; wait for it to finish (a running build, fit or score), "
            "or close the connection that holds it (an open notebook or `duckdb` shell), then run this again"
        ) from None


def owner_pid(name: str) -> int | None:
    """The pid in a temporary's name: .tmp-<pid>-..., .tmp-old-<pid>-..."""
    match = re.match(r"\.tmp-(?:old-)?(\d+)-", name)
    return int(match.group(1)) if match else None
