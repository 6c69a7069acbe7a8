"""Run the data directory's own scorer (``score_attributions.py``) on our predictions.

The scorer is not part of the project: it is loaded at run time from the data
directory's parent (or a given path) and its ``main(data_dir, pred_path)`` is
called with stdout captured. Per outlet, the scorer runs on a temporary
directory of symlinks to one publisher's articles, with the predictions
filtered to those articles. Pure: no Django.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from .contract import documents_json

SUMMARY = re.compile(
    r"quotation F1 (?P<quotation_f1>[\d.]+) speaker (?P<speaker>[\d.]+) "
    r"cue F1 (?P<cue_f1>[\d.]+) all-overlap F1 (?P<all_overlap_f1>[\d.]+) "
    r"bad spans (?P<bad_spans>\d+)"
)


def default_scorer(data_dir: Path) -> Path:
    return Path(data_dir).resolve().parent / "score_attributions.py"


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_attributions", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_summary(line: str) -> dict[str, Any] | None:
    match = SUMMARY.search(line)
    if not match:
        return None
    figures: dict[str, Any] = {k: float(v) for k, v in match.groupdict().items()}
    figures["bad_spans"] = int(match["bad_spans"])
    return figures


def run_scorer(scorer, data_dir: Path, predictions: dict[str, list[Any]]) -> dict[str, Any]:
    """Write ``predictions`` (article name -> items) as the contract, score, capture."""
    docs = [(f"{name}.txt", items) for name, items in sorted(predictions.items())]
    with tempfile.TemporaryDirectory() as tmp:
        pred_path = Path(tmp) / "predictions.json"
        pred_path.write_text(json.dumps(documents_json(docs), ensure_ascii=False), "utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = scorer.main(str(data_dir), str(pred_path))
    lines = out.getvalue().splitlines()
    return {
        "lines": lines,
        "exit_status": status,
        "summary": parse_summary(lines[-1]) if lines else None,
    }


def publishers(data_dir: Path, names: list[str]) -> dict[str, list[str]]:
    """Publisher -> article names, from metadata.tsv or else the filename prefix."""
    by_name: dict[str, str] = {}
    metadata = Path(data_dir) / "metadata.tsv"
    if metadata.exists():
        with metadata.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row.get("filename") and row.get("publisher"):
                    by_name[row["filename"]] = row["publisher"]
    groups: dict[str, list[str]] = {}
    for name in names:
        publisher = by_name.get(name) or name.split("_", 1)[0]
        groups.setdefault(publisher, []).append(name)
    return dict(sorted(groups.items()))


def subset_dir(data_dir: Path, names: list[str], target: Path) -> Path:
    """``target`` with text/ and attributions/ symlinking only these articles' files."""
    data_dir = Path(data_dir).resolve()
    (target / "text").mkdir(parents=True)
    (target / "attributions").mkdir()
    for name in names:
        (target / "text" / f"{name}.txt").symlink_to(data_dir / "text" / f"{name}.txt")
        for ann in (data_dir / "attributions").glob("*.ann"):
            if ann.stem.rsplit("_", 1)[0] == name:
                (target / "attributions" / ann.name).symlink_to(ann)
    return target


def per_outlet(scorer, data_dir: Path, predictions: dict[str, list[Any]]) -> list[dict[str, Any]]:
    rows = []
    for publisher, names in publishers(data_dir, sorted(predictions)).items():
        with tempfile.TemporaryDirectory() as tmp:
            subset = subset_dir(data_dir, names, Path(tmp) / publisher)
            result = run_scorer(scorer, subset, {n: predictions[n] for n in names})
        rows.append({"publisher": publisher, "articles": len(names), **result})
    return rows


def format_strict(result: dict[str, Any]) -> str:
    return "\n".join(["Strict figures (score_attributions.py)", *result["lines"]])


def format_outlets(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'publisher':<22} {'articles':>8} {'quote F1':>9} {'speaker':>8} "
        f"{'cue F1':>7} {'overlap F1':>10} {'bad spans':>9}"
    )
    lines = ["Per outlet (score_attributions.py)", head, "-" * len(head)]
    for row in rows:
        s = row["summary"]
        if s is None:
            lines.append(f"{row['publisher']:<22} {row['articles']:>8} (no summary line)")
            continue
        lines.append(
            f"{row['publisher']:<22} {row['articles']:>8} {s['quotation_f1']:>9.3f} "
            f"{s['speaker']:>8.3f} {s['cue_f1']:>7.3f} {s['all_overlap_f1']:>10.3f} "
            f"{s['bad_spans']:>9}"
        )
    return "\n".join(lines)
