"""``hibobench compare RUN_A RUN_B [RUN_C …]``: paired significance between runs.

Each argument is a run's output folder (or its ``result.json``); the item-level predictions
come from the ``predictions.jsonl`` beside it. Runs are compared only when they were scored
on the same dataset version, split, files, label schema and items with the same gold labels.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmark.errors import HiboBenchError

LEVEL = 0.05


def add_commands(sub: argparse._SubParsersAction) -> None:
    compare = sub.add_parser(
        "compare",
        help="paired bootstrap CIs of metric differences, McNemar tests and tie groups",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare.add_argument("runs", nargs="+", metavar="RUN", help="run folder or its result.json")
    compare.add_argument("--names", nargs="+", help="names for the runs (default: model names)")
    compare.add_argument(
        "--rank-by",
        default=None,
        help="metric for the ranking (default: macro_f1, or f1 on binary data)",
    )
    compare.add_argument("--level", type=float, default=LEVEL, help="significance level (Holm)")
    compare.add_argument("--n-resamples", type=int, default=1000)
    compare.add_argument("--confidence", type=float, default=0.95)
    compare.add_argument("--seed", type=int, default=0)
    compare.add_argument("--json", dest="json_out", help="also write the comparison as JSON here")


@dataclass(frozen=True)
class LoadedRun:
    folder: Path
    result: Any  # benchmark.result.EvalResult
    ids: list[str]
    gold: list[str]
    predicted: list[str]


def run(args: argparse.Namespace) -> int:
    from benchmark.compare import System, compare_systems

    if not 0 < args.level < 1:
        raise HiboBenchError(f"--level must be between 0 and 1; got {args.level}.")
    runs = [load_run(Path(path)) for path in args.runs]
    names = args.names or [r.result.model for r in runs]
    if len(names) != len(runs):
        raise HiboBenchError(
            f"--names gives {len(names)} names for {len(runs)} runs; give one per run."
        )
    check_comparable(runs, names)
    gold, predictions, k, metrics, rank_by = encode(runs, args.rank_by)
    outcome = compare_systems(
        gold,
        [System(n, p) for n, p in zip(names, predictions, strict=True)],
        k,
        metrics,
        rank_by=rank_by,
        level=args.level,
        n_resamples=args.n_resamples,
        confidence=args.confidence,
        seed=args.seed,
    )
    first = runs[0].result
    outcome["dataset"] = {
        "name": first.dataset,
        "version": first.provenance.dataset.version,
        "split": first.split,
        "binary_view": first.scores.get("binary_view"),
    }
    outcome["runs"] = {n: str(r.folder) for n, r in zip(names, runs, strict=True)}
    outcome["bootstrap"] = {
        "n_resamples": args.n_resamples, "confidence": args.confidence, "seed": args.seed,
    }  # fmt: skip
    from benchmark.compare_report import print_comparison

    print_comparison(outcome)
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(outcome, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return 0


def load_run(path: Path) -> LoadedRun:
    from benchmark.jsonl import iter_jsonl
    from benchmark.result import load_result

    folder = path.parent if path.name == "result.json" else path
    result_path, predictions_path = folder / "result.json", folder / "predictions.jsonl"
    for needed in (result_path, predictions_path):
        if not needed.is_file():
            raise HiboBenchError(
                f"{needed}: not found; give the output folder of a `hibobench run` or "
                "`hibobench score` (it holds result.json and predictions.jsonl)."
            )
    try:
        result = load_result(result_path)
    except ValueError as err:
        first = str(err).splitlines()[0]
        raise HiboBenchError(f"{result_path}: not a HiboBench result.json ({first}).") from None
    ids, gold, predicted = [], [], []
    for number, row in iter_jsonl(predictions_path):
        missing = [f for f in ("id", "gold", "predicted") if f not in row]
        if missing:
            raise HiboBenchError(
                f"{predictions_path}:{number}: field(s) {missing} missing; this file must be the "
                "predictions.jsonl a run wrote, unedited."
            )
        ids.append(str(row["id"]))
        gold.append(str(row["gold"]))
        predicted.append(str(row["predicted"]))
    return LoadedRun(folder, result, ids, gold, predicted)


def check_comparable(runs: list[LoadedRun], names: list[str]) -> None:
    """Refuse runs that were not scored on the same items of the same data."""
    base, base_name = runs[0], names[0]
    base_gold = dict(zip(base.ids, base.gold, strict=True))
    for other, name in zip(runs[1:], names[1:], strict=True):
        for what, get in _IDENTITY.items():
            mine, theirs = get(base), get(other)
            if mine != theirs:
                raise HiboBenchError(
                    f"cannot compare {base_name!r} and {name!r}: different {what} "
                    f"({_short(mine)} vs {_short(theirs)}); compare results computed on the "
                    "same dataset version, split and label schema."
                )
        other_ids = set(other.ids)
        if other_ids != set(base_gold) or len(other.ids) != len(base.ids):
            only_base = sorted(set(base_gold) - other_ids)
            only_other = sorted(other_ids - set(base_gold))
            raise HiboBenchError(
                f"cannot compare {base_name!r} ({len(base.ids)} items) and {name!r} "
                f"({len(other.ids)} items): {len(only_base)} ids only in the first (e.g. "
                f"{only_base[:1]}), {len(only_other)} only in the second (e.g. {only_other[:1]}); "
                "both must be scored on the same items."
            )
        for item_id, gold in zip(other.ids, other.gold, strict=True):
            if base_gold[item_id] != gold:
                raise HiboBenchError(
                    f"cannot compare {base_name!r} and {name!r}: item {item_id!r} has gold "
                    f"{base_gold[item_id]!r} in one and {gold!r} in the other (different "
                    "dataset options?); compare runs made with the same dataset configuration."
                )


_IDENTITY = {
    "dataset": lambda r: r.result.dataset,
    "dataset version": lambda r: r.result.provenance.dataset.version,
    "split": lambda r: r.result.split,
    "data files (sha256)": lambda r: r.result.provenance.dataset.files_sha256,
    "label schema version": lambda r: r.result.provenance.label_schema_version,
    "binary view": lambda r: r.result.scores.get("binary_view"),
}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def encode(
    runs: list[LoadedRun], rank_by: str | None
) -> tuple[np.ndarray, list[np.ndarray], int, Any, str]:
    """Gold and predictions as class indices in the first run's item order, the number of
    classes, the metric function and the ranking metric."""
    from benchmark.compare import binary_metrics_of_confusion, four_way_metrics
    from benchmark.costs import cost_matrix
    from benchmark.features import BINARY_VIEWS
    from benchmark.schema import load_schema

    base = runs[0]
    view = base.result.scores.get("binary_view")
    metrics: Any
    schema = load_schema()
    if view:
        positive = {view, *BINARY_VIEWS.get(view, ())}
        gold = np.array([g == view for g in base.gold], dtype=np.int64)
        to_index = lambda labels: np.array([p in positive for p in labels], dtype=np.int64)  # noqa: E731
        k, metrics, default_rank = 2, binary_metrics_of_confusion, "f1"
    else:
        gold = np.asarray(schema.to_indices(base.gold, what="gold"), dtype=np.int64)
        to_index = lambda labels: np.asarray(  # noqa: E731
            schema.to_indices(labels, what="predicted"), dtype=np.int64
        )
        costs = base.result.scores.get("cost_matrix")
        cost = np.asarray(costs["matrix"], dtype=float) if costs else cost_matrix(schema)
        k, metrics, default_rank = schema.num_classes, four_way_metrics(schema, cost), "macro_f1"
    position = {item_id: i for i, item_id in enumerate(base.ids)}
    predictions = []
    for r in runs:
        aligned = np.empty(len(base.ids), dtype=np.int64)
        aligned[[position[i] for i in r.ids]] = to_index(r.predicted)
        predictions.append(aligned)
    return gold, predictions, k, metrics, rank_by or default_rank
