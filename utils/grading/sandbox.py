"""The fence around a graded kernel: prctl, Landlock, a scrubbed environment, tree kills."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..config import CACHE_DIR, DATA_DIR, FAST_ENV, ROOT
from .model import THREAD_VARS

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_NO_NEW_PRIVS = 38


def _prctl(option: int, value: int) -> bool:
    """``prctl(option, value)`` on Linux; False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _landlock_abi() -> int:
    """The Landlock ABI version of the running Linux kernel (0: none)."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return max(0, libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1)))
    except (OSError, AttributeError):
        return 0


def fence_paths(sources: Iterable[Path] = ()) -> dict[str, list[str]]:
    """What a fenced kernel may read: the system, the Python installation, ``utils/``, ``data/``.

    The repository root may be listed (imports look up names there) but not read, so
    ``notebooks/``, ``.git`` and anything else in it stay closed. Raises ``ValueError`` if a
    folder of instructor notebooks in ``sources`` would be readable.
    """
    system = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/opt", "/proc", "/sys"]
    py = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(sys.executable).resolve().parent)}
    py |= {p for p in sys.path if p and Path(p).is_dir()}
    read = sorted(
        {str(Path(p).resolve()) for p in [*system, *py] if Path(p).exists()}
        | {str(ROOT / "utils"), str(DATA_DIR), str(CACHE_DIR)}
    )
    # The repository itself never: a path inside it is read only if named above or in .venv.
    inside = (ROOT / "utils", DATA_DIR, CACHE_DIR, ROOT / ".venv")
    read = [
        p
        for p in read
        if Path(p).exists()
        and (
            ROOT not in [Path(p), *Path(p).parents]
            or any(Path(p).is_relative_to(i) for i in inside)
        )
    ]
    for src in sources:
        src = Path(src).resolve()
        for p in read:
            if src == Path(p) or Path(p) in src.parents:
                raise ValueError(
                    f"grade: the instructor notebooks in {src} lie inside {p}, which graded "
                    "kernels must read; move them (or pass --no-fence)"
                )
    return {"read": read, "list": [str(ROOT)], "write": ["/dev"]}


def _landlock(read: Sequence[str], listable: Sequence[str], write: Sequence[str]) -> None:
    """Restrict this process and its children to ``read`` (read, execute), ``listable`` (list
    names) and ``write`` (everything); raises ``OSError`` if Linux refuses."""
    libc = ctypes.CDLL(None, use_errno=True)
    abi = _landlock_abi()
    if abi < 1:
        raise OSError("Landlock is not available")
    handled = (1 << 13) - 1 | (1 << 13 if abi >= 2 else 0) | (1 << 14 if abi >= 3 else 0)
    execute, read_file, read_dir = 1, 4, 8
    file_rights = execute | 2 | read_file | (1 << 14 if abi >= 3 else 0)

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed", ctypes.c_uint64), ("fd", ctypes.c_int32)]

    attr = ctypes.c_uint64(handled)
    ruleset = libc.syscall(444, ctypes.byref(attr), ctypes.c_size_t(8), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    try:
        rules = [(p, execute | read_file | read_dir) for p in read]
        rules += [(p, read_dir) for p in listable] + [(p, handled) for p in write]
        for path, access in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            if not Path(path).is_dir():
                access &= file_rights
            rule = PathBeneath(access & handled, fd)
            err = libc.syscall(445, ruleset, 1, ctypes.byref(rule), ctypes.c_uint32(0))
            os.close(fd)
            if err:
                raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
        if not _prctl(_PR_SET_NO_NEW_PRIVS, 1) or libc.syscall(446, ruleset, 0):
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)


def scrubbed_env(work: Path, pythonpath: str = "") -> dict[str, str]:
    """The whole environment of a graded kernel: nothing of the grader's is passed on."""
    env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin:/usr/bin:/bin"]),
        "HOME": str(work),
        "TMPDIR": str(work),
        "IPYTHONDIR": str(work.parent / "io" / "ipython"),  # beside the work, not in it
        "MPLCONFIGDIR": str(work.parent / "io" / "matplotlib"),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "Agg",
        "CUDA_VISIBLE_DEVICES": "",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        FAST_ENV: "1",
        **dict.fromkeys(THREAD_VARS, "1"),
    }
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


def _kill_descendants(root: object, keep: frozenset[tuple[int, float]] = frozenset()) -> None:
    """Stop, then kill, every descendant of the psutil process ``root`` not in ``keep``."""
    import psutil

    for _ in range(50):
        try:
            procs = [p for p in root.children(recursive=True) if _ident(p) not in keep]
        except psutil.Error:
            return
        if not procs:
            return
        for how in ("suspend", "kill"):  # stopped first, so nothing forks while we kill
            for p in procs:
                try:
                    getattr(p, how)()
                except psutil.Error:
                    pass
        psutil.wait_procs(procs, timeout=2)


def _ident(p: object) -> tuple[int, float]:
    import psutil

    try:
        return (p.pid, p.create_time())
    except psutil.Error:
        return (p.pid, 0.0)
