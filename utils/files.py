"""The one atomic writer: every file the course rewrites goes through :func:`write_atomic`."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(
    path: str | Path,
    content: str | bytes | Callable[[Path], None],
    *,
    exclusive: bool = False,
) -> Path:
    """Write ``content`` to ``path`` through a temporary file in the same folder, then rename.

    ``content`` is text, bytes, or a function that writes the temporary path it is given (for
    ``torch.save``). A crash mid-write leaves the old file (or none), never a truncated one.
    ``exclusive=True`` never replaces an existing file: ``FileExistsError`` instead.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        if callable(content):
            content(tmp)
        elif isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
        if exclusive:
            os.link(tmp, path)  # fails if path exists: a result file is never overwritten
        else:
            os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


__all__ = ["write_atomic"]
