"""A class through Dask: a result per task as it finishes, resumed after an interruption."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

from ..config import NOTEBOOKS_DIR, ROOT
from ..files import write_atomic
from .checks import load_assignment
from .model import DEFAULT_MEMORY_GB, DEFAULT_TIMEOUT, Grade, Limits, require_extra
from .outputs import apply_manual, load_manual, load_results, result_path, write_outputs
from .sandbox import _landlock_abi, fence_paths, scrubbed_env
from .submissions import _digest_file, find_submissions
from .task import _rows, grade_task


def _fence_for(sources: Iterable[Path], fence: bool | None) -> dict[str, list[str]] | None:
    available = _landlock_abi() > 0
    if fence is None:
        fence = available
    if not fence:
        return None
    if not available:
        raise ValueError("grade: this system has no Landlock file-system fence (pass --no-fence)")
    return fence_paths(sources)


def _pythonpath(scratch: str | None) -> str:
    """``""`` if a clean interpreter imports ``utils`` (installed), else the repository root."""
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        env = scrubbed_env(Path(tmp))
        ok = subprocess.run(
            [sys.executable, "-c", "import utils"], cwd=tmp, env=env, capture_output=True
        )
    return "" if ok.returncode == 0 else str(ROOT)


def grade_class(
    folder: str | Path,
    out: str | Path = "grades",
    *,
    source_dir: str | Path = NOTEBOOKS_DIR,
    notebooks: Sequence[str] | None = None,
    scheduler: str = "local",
    timeout: float = DEFAULT_TIMEOUT,
    memory_gb: float = DEFAULT_MEMORY_GB,
    workers: int | None = None,
    fence: bool | None = None,
    regrade: bool = False,
    scratch: str | Path | None = None,
    progress: bool = True,
) -> tuple[list[Grade], dict[str, int]]:
    """Grade every submission in ``folder`` through Dask; ``(rows, counts)``.

    Results are written per task as they finish; a task whose record matches its submission
    and checks is not run again (``regrade=True`` runs all). ``counts``: ``graded``,
    ``resumed``, ``not_submitted``. Writes ``grades.csv`` and ``feedback/`` into ``out``.
    """
    if not (isinstance(timeout, int | float) and timeout > 0):
        raise ValueError(f"grade: timeout must be a positive number of seconds, got {timeout!r}")
    if not (isinstance(memory_gb, int | float) and memory_gb >= 0):
        raise ValueError(f"grade: memory must be a number of GB >= 0 (0: none), got {memory_gb!r}")
    require_extra()
    from distributed import Client, LocalCluster, as_completed
    from tqdm.auto import tqdm

    out, source_dir = Path(out), Path(source_dir)
    sources = {p.stem: p for p in sorted(source_dir.glob("[0-9][0-9]_*.ipynb"))}
    tasks = find_submissions(Path(folder), sources, notebooks)
    stems = sorted({t.stem for t in tasks})
    before = {stem: _digest_file(sources[stem]) for stem in stems}
    assignments = {stem: load_assignment(sources[stem]) for stem in stems}  # read once, here
    scratch = str(scratch) if scratch is not None else None
    limits = Limits(
        timeout=float(timeout),
        memory=int(memory_gb * 2**30),
        fence=_fence_for([source_dir], fence),
        pythonpath=_pythonpath(scratch),
        scratch=scratch,
    )
    done = {} if regrade else load_results(out)
    todo, counts = [], {"graded": 0, "resumed": 0, "not_submitted": 0}
    for t in tasks:
        rec = done.get((t.student, t.stem))
        if (
            rec is not None
            and rec["fingerprint"] == f"{t.fingerprint}:{assignments[t.stem].digest}"
        ):
            counts["resumed"] += t.path is not None
            counts["not_submitted"] += t.path is None
        elif t.path is None:
            rec = grade_task(t, assignments[t.stem], limits)
            write_atomic(result_path(out, t.student, t.stem), json.dumps(rec))
            counts["not_submitted"] += 1
        else:
            todo.append(t)
    if todo:
        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                memory_limit=0,
            )
            client = Client(cluster)
        else:
            cluster, client = None, Client(scheduler)
        try:
            futures = {
                client.submit(grade_task, t, assignments[t.stem], limits, pure=False): t
                for t in todo
            }
            for fut in tqdm(
                as_completed(futures), total=len(futures), desc="grading", disable=not progress
            ):
                t = futures[fut]
                try:
                    rec = fut.result()
                except Exception as exc:  # noqa: BLE001 - e.g. a submission killed its worker
                    rows = _rows(t, assignments[t.stem], {}, {}, f"grader failed: {exc!r}"[:200])
                    rec = {
                        "student": t.student,
                        "notebook": t.stem,
                        "fingerprint": f"{t.fingerprint}:{assignments[t.stem].digest}",
                        "rows": [asdict(g) for g in rows],
                    }
                write_atomic(result_path(out, t.student, t.stem), json.dumps(rec))
                counts["graded"] += 1
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    changed = [s for s in stems if _digest_file(sources[s]) != before[s]]
    if changed:
        print(
            f"warning: instructor notebook(s) {', '.join(changed)} changed while grading; "
            "every task used the checks read before it started",
            file=sys.stderr,
        )
    records = load_results(out)
    grades = [
        Grade(**row)
        for t in tasks
        for row in records.get((t.student, t.stem), {"rows": []})["rows"]
    ]
    grades = apply_manual(grades, load_manual(out))
    write_outputs(grades, out)
    return grades, counts
