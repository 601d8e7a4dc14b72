"""What a class run leaves: result records, grades.csv, feedback, hand-graded points."""

from __future__ import annotations

import csv
import json
import math
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from ..files import write_atomic
from .model import FIELDS, Grade


def result_path(out: Path, student: str, notebook: str) -> Path:
    """Where the result record of one task is kept."""
    return out / "results" / student / f"{notebook}.json"


def load_results(out: Path) -> dict[tuple[str, str], dict]:
    """Every result record under ``out/results``, by (student, notebook)."""
    records = {}
    for path in sorted((out / "results").glob("*/*.json")):
        try:
            rec = json.loads(path.read_text())
            records[rec["student"], rec["notebook"]] = rec
        except (ValueError, KeyError):
            continue  # a torn or foreign file: the task is graded again
    return records


def load_manual(out: Path) -> dict[tuple[str, str, str], float]:
    """Hand-graded points kept by :func:`merge`, by (student, notebook, id)."""
    path = out / "manual.json"
    if not path.exists():
        return {}
    return {
        (r["student"], r["notebook"], r["id"]): float(r["points"])
        for r in json.loads(path.read_text())
    }


def apply_manual(grades: list[Grade], manual: dict[tuple[str, str, str], float]) -> list[Grade]:
    """``grades`` with the hand-graded points of open questions filled in."""
    for g in grades:
        pts = manual.get((g.student, g.notebook, g.id))
        if pts is not None and g.passed is None:
            g.points, g.error = pts, "graded by hand"
    return grades


def merge(edited: str | Path, out: str | Path = "grades") -> int:
    """Merge the hand-graded points of an edited copy of ``grades.csv``; the number merged.

    Only rows graded by hand (``passed`` empty: open questions) take points; a blank keeps a
    row ungraded. Changing the points of an automatically graded row, a row the grader does
    not know, or points outside ``[0, max_points]`` stop with one line naming the row.
    """
    out, edited = Path(out), Path(edited)
    if not edited.is_file():
        raise ValueError(f"merge: {edited} is not a file")
    grades = apply_manual(
        [Grade(**row) for rec in load_results(out).values() for row in rec["rows"]],
        load_manual(out),
    )
    if not grades:
        raise ValueError(f"merge: no results in {out}/results (grade the class first)")
    index = {(g.student, g.notebook, g.id): g for g in grades}
    manual: dict[tuple[str, str, str], float] = {}
    with open(edited, newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"student", "notebook", "id", "points"}
        if not need <= set(reader.fieldnames or []):
            raise ValueError(f"merge: {edited} needs the columns {', '.join(sorted(need))}")
        for line, r in enumerate(reader, start=2):
            key = (r["student"], r["notebook"], r["id"])
            where = f"merge: {edited}:{line} ({'/'.join(key)})"
            g = index.get(key)
            if g is None:
                raise ValueError(f"{where}: no such row in {out}/results")
            text = (r["points"] or "").strip()
            try:
                pts = float(text) if text else None
            except ValueError:
                raise ValueError(f"{where}: points {text!r} is not a number") from None
            if g.passed is not None:
                if pts is not None and pts != g.points:
                    raise ValueError(
                        f"{where}: points of an automatically graded row changed "
                        f"({g.points:g} -> {pts:g}); only open questions are graded by hand"
                    )
                continue
            if pts is None:
                continue
            if not (math.isfinite(pts) and 0 <= pts <= g.max_points):
                raise ValueError(f"{where}: points {pts:g} outside [0, {g.max_points:g}]")
            manual[key] = pts
    kept = load_manual(out) | manual
    write_atomic(
        out / "manual.json",
        json.dumps(
            [
                {"student": s, "notebook": n, "id": i, "points": p}
                for (s, n, i), p in sorted(kept.items())
            ],
            indent=1,
        ),
    )
    write_outputs(apply_manual(grades, kept), out)
    return len(manual)


def write_outputs(grades: Sequence[Grade], out: Path) -> None:
    """``grades.csv`` and one feedback file per student."""
    grades = sorted(grades, key=lambda g: (g.student, g.notebook, g.exercise, g.id))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile("w+", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS)
        w.writeheader()
        for g in grades:
            row = {k: v for k, v in asdict(g).items() if k in FIELDS}
            w.writerow({**row, "passed": "" if g.passed is None else g.passed})
        fh.seek(0)
        write_atomic(out / "grades.csv", fh.read())
    fb = out / "feedback"
    for student in sorted({g.student for g in grades}):
        mine = [g for g in grades if g.student == student]
        auto = [g for g in mine if g.passed is not None]
        hand = [g for g in mine if g.passed is None]
        total, most = sum(g.points for g in auto), sum(g.max_points for g in auto)
        summary = f"Total: {total:g} / {most:g} points graded automatically"
        if hand:
            todo = sum(g.error != "graded by hand" for g in hand)
            summary += (
                f", and {sum(g.points for g in hand):g} / {sum(g.max_points for g in hand):g} "
                f"points of open questions graded by hand"
                + (f" ({todo} still to grade)." if todo else ".")
            )
        else:
            summary += "."
        lines = [f"# Feedback for {student}", "", summary, ""]
        for nb in sorted({g.notebook for g in mine}):
            lines += [f"## {nb}", "", "| exercise | points | result |", "|---|---|---|"]
            for g in (g for g in mine if g.notebook == nb):
                if g.passed is None:
                    shown = f"{g.points:g}" if g.error == "graded by hand" else "?"
                    lines.append(f"| {g.exercise} | {shown} / {g.max_points:g} | {g.error} |")
                    continue
                result = "passed" if g.passed else f"failed: {g.error}".replace("|", "/")
                lines.append(f"| {g.exercise} | {g.points:g} / {g.max_points:g} | {result} |")
            lines.append("")
            for g in (g for g in mine if g.notebook == nb and g.answer):
                quoted = "\n".join("> " + line for line in g.answer.splitlines())
                lines += [f"### {g.exercise}: the answer to grade", "", quoted, ""]
        write_atomic(fb / f"{student}.md", "\n".join(lines))
