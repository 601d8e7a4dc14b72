"""Running one notebook: the worker side (:func:`run_notebook`) and the runner process."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from .model import GRACE, REPORT_MIME, RUNNER_MEMORY, Limits, _grade_id
from .sandbox import _PR_SET_CHILD_SUBREAPER, _ident, _kill_descendants, _prctl, scrubbed_env

if TYPE_CHECKING:
    import nbformat


def run_notebook(nb: nbformat.NotebookNode, limits: Limits) -> tuple[dict[str, dict], str]:
    """Run ``nb`` in a fenced kernel; ``({grade_id: {"passed", "error"}}, note)``.

    The runner (``python -m utils.grading.runner``) gets the notebook on its standard input (no
    copy lies where the kernel could read it), starts the kernel in a fresh directory and kills
    every process below it at the end or after ``limits.timeout``. This process adopts orphans
    (a child subreaper) and kills any left when the runner is done.
    """
    import psutil

    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    me = psutil.Process()
    before = frozenset(_ident(p) for p in me.children(recursive=True))
    with tempfile.TemporaryDirectory(prefix="gdl-grade-", dir=limits.scratch) as tmp:
        task = Path(tmp)
        work = task / "work"
        work.mkdir()
        payload = {"notebook": nb, "task": str(task), "limits": asdict(limits)}
        with open(task / "runner.log", "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "utils.grading.runner", str(os.getpid())],
                cwd=task,
                env=scrubbed_env(work, limits.pythonpath),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
            note = ""
            try:
                out, _ = proc.communicate(
                    json.dumps(payload).encode(), timeout=limits.timeout + GRACE
                )
            except subprocess.TimeoutExpired:
                _kill_descendants(psutil.Process(proc.pid))
                proc.kill()
                out, _ = proc.communicate(timeout=10)
                note = f"stopped after {limits.timeout:.0f} s (time limit)"
            finally:
                _kill_descendants(me, before)
        try:
            result = json.loads(out.decode())
            return result["checks"], result["note"]
        except (ValueError, KeyError, UnicodeDecodeError):
            tail = (task / "runner.log").read_text(errors="replace").strip().splitlines()[-1:]
            return {}, note or "the notebook could not be run" + (
                f": {tail[0][:200]}" if tail else ""
            )


def _runner_main(parent: int) -> None:
    """The runner process of :func:`run_notebook` (child of ``parent``): nbclient under a
    deadline, and nothing left behind, whether it ends, times out or loses its parent."""
    import resource

    import nbformat
    import psutil

    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    me, started = psutil.Process(), time.monotonic()
    deadline = [math.inf]  # set once the limits are read
    done = threading.Event()
    stopped: list[str] = []
    result_fd = os.dup(1)  # our result goes here; the kernel inherits /dev/null on 0, 1 and 2

    def finish(checks: dict, note: str) -> None:
        with open(result_fd, "w") as fh:
            json.dump({"checks": checks, "note": note}, fh)

    def watchdog() -> None:
        while not done.wait(0.25):
            if os.getppid() != parent:  # the worker is gone: leave nothing behind
                _kill_descendants(me)
                os._exit(3)
            late = time.monotonic() - deadline[0]
            if late > 2 and not stopped:
                stopped.append(f"stopped after {time.monotonic() - started:.0f} s (time limit)")
                _kill_descendants(me)
            if late > GRACE - 10:  # the main thread is stuck: answer for it
                _kill_descendants(me)
                finish({}, stopped[0])
                os._exit(4)

    threading.Thread(target=watchdog, daemon=True).start()
    payload = json.loads(sys.stdin.buffer.read())
    limits = Limits(**payload["limits"])
    deadline[0] = started + limits.timeout
    task = Path(payload["task"])
    nb = nbformat.from_dict(payload["notebook"])
    del payload
    err_fd = os.dup(2)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    sys.stderr = open(err_fd, "w", buffering=1)  # noqa: SIM115 - lives as long as the process
    # The runner keeps every output the kernel sends: a bound, so a flood cannot take the host.
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]  # the kernel sets its own below it
    resource.setrlimit(resource.RLIMIT_AS, (RUNNER_MEMORY, hard))
    checks, note = _execute(nb, task, task / "work", limits, deadline[0])
    done.set()
    _kill_descendants(me)
    finish(checks, stopped[0] if stopped else note)


def _execute(
    nb: nbformat.NotebookNode, task: Path, work: Path, limits: Limits, deadline: float
) -> tuple[dict[str, dict], str]:
    """Run ``nb`` cell by cell in a fenced kernel; structured check results and a note."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    (task / "io").mkdir(exist_ok=True)  # the connection file (the kernel rewrites it)
    config = {"memory": limits.memory, "fence": limits.fence, "work": str(work)}
    spec = task / "kernels" / "gdl-grade"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "utils.grading.kernel", json.dumps(config)]
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [*argv, "-f", "{connection_file}"],
                "display_name": "graded",
                "language": "python",
            }
        )
    )
    km = AsyncKernelManager(
        kernel_name="gdl-grade",
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(task / "kernels")]),
        connection_file=str(task / "io" / "connection.json"),
    )
    client = NotebookClient(
        nb,
        km=km,
        timeout=max(1, int(limits.timeout)),
        allow_errors=True,
        interrupt_on_timeout=False,
        startup_timeout=60,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(work)}},
    )
    note = ""
    finished: set[int] = set()  # cells that ran to the end (a dying kernel leaves one unfinished)
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                client.timeout = max(1, math.ceil(deadline - time.monotonic()))
                client.execute_cell(cell, index)
                finished.add(index)
    except CellTimeoutError:
        note = f"stopped after {limits.timeout:.0f} s (time limit)"
    except DeadKernelError:
        note = "the kernel died"
    except Exception as exc:  # noqa: BLE001 - report, grade what ran
        note = f"execution stopped: {type(exc).__name__}: {str(exc).splitlines()[0][:150]}"
    checks: dict[str, dict] = {}
    token = nb.metadata.get("gdl_grade_token", "")
    for index, cell in enumerate(nb.cells):
        gid = _grade_id(cell)
        if cell.cell_type != "code" or gid is None or index not in finished:
            continue
        reported = any(
            o.get("output_type") == "display_data"
            and o.get("data", {}).get(REPORT_MIME) == {"id": gid, "token": token}
            for o in cell.get("outputs", [])
        )
        error = next(
            (
                f"{o.get('ename', 'Error')}: {o.get('evalue', '')}".strip().splitlines()[0][:200]
                for o in cell.get("outputs", [])
                if o.get("output_type") == "error"
            ),
            "",
        )
        passed = reported and not error
        if not passed and not error:
            error = "the check did not report its end"
        checks[gid] = {"passed": passed, "error": error}
    return checks, note


if __name__ == "__main__":  # pragma: no cover - runs as the child of a worker
    # jsonschema (imported by nbformat) builds the IRI grammar of rfc3987_syntax on import, about
    # 3 s per notebook; no notebook schema checks an IRI, so the runner goes without it.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
    _runner_main(int(sys.argv[1]))
