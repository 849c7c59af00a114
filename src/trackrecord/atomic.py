"""Writing a file so that readers see the old file or the new one, never half of one.

Every stage writes through these two functions: a temporary file beside the target (same folder,
so the rename stays on one file system), then `os.replace` over it; a failure removes the
temporary and leaves the target as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(path: Path, *, keep_mode: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `path` to write; on success it replaces `path`.

    The temporary's name starts with a dot and carries the pid, so stale ones are recognisable.
    `keep_mode` gives the new file the old one's permissions (a record file a contributor made
    executable stays so); a new file gets 0o644.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".tmp-{os.getpid()}-{path.name}.", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        mode = path.stat().st_mode & 0o777 if keep_mode and path.exists() else 0o644
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: str | bytes, *, fsync: bool = False) -> None:
    """Write text (UTF-8, newlines as given) or bytes to `path` in one replacement."""
    with replacing(path) as temp:
        if isinstance(data, bytes):
            with open(temp, "wb") as handle:
                handle.write(data)
                if fsync:
                    handle.flush()
                    os.fsync(handle.fileno())
        else:
            with open(temp, "w", encoding="utf-8", newline="") as handle:
                handle.write(data)
                if fsync:
                    handle.flush()
                    os.fsync(handle.fileno())
