"""Reference results of the baselines on the real datasets, kept for the leaderboard.

  python -m baselines.reference --data-dir ../shared/data [--out leaderboard/results/reference]

Runs (each a normal ``hibobench run``, tracking off, outputs under ``--out``):
  * ``MajorityClassifier`` and ``TfidfLogReg`` on the five official court-case folds
    (binary: did the court recognise an infringement), summarised as mean ± sd over folds;
  * both baselines trained on HiboCore ``train`` and evaluated on ``inspection_ai`` and on the
    court-case folds' test sets and annotation view (transfer).
Writes ``SUMMARY.md`` and ``summary.json`` next to the run folders. Datasets that are not
available are reported and skipped, never faked.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

MODELS = ("majority", "tfidf_lr")
FOLDS = range(5)


def run(name: str, overrides: list[str], out: Path, env: dict[str, str]) -> dict[str, Any] | None:
    run_dir = out / name
    command = [
        sys.executable, "-m", "benchmark.cli", "run", "tracking=none",
        f"hydra.run.dir={run_dir}", *overrides,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        print(
            f"skipped {name}: {done.stderr.strip().splitlines()[-1] if done.stderr else done.returncode}"
        )
        return None
    return json.loads((run_dir / "result.json").read_text(encoding="utf-8"))["scores"]


def headline(scores: dict[str, Any], metric: str) -> float | None:
    cell = scores["headline"].get(metric)
    return None if cell is None else cell["value"]


def mean_sd(values: list[float]) -> str:
    if not values:
        return "—"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {sd:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, required=True, help="folder holding the datasets")
    parser.add_argument("--out", type=Path, default=Path("leaderboard/results/reference"))
    args = parser.parse_args(argv)
    env = {**os.environ, "HIBOBENCH_DATA_DIR": str(args.data_dir.resolve())}
    out = args.out.resolve()
    summary: dict[str, Any] = {}
    for model in MODELS:
        folds = [
            run(f"court_folds/{model}/fold{k}", [f"model={model}", "dataset=court_cases", f"dataset.options.fold={k}"], out, env)
            for k in FOLDS
        ]  # fmt: skip
        folds_done = [f for f in folds if f is not None]
        summary[f"court_cases folds ({model}, trained per fold)"] = _fold_summary(folds_done)
        transfer_overrides = [f"model={model}"] + [
            f"+also_evaluate.court_fold{k}={{dataset: court_cases, options: {{fold: {k}}}}}"
            for k in FOLDS
        ] + [
            "+also_evaluate.court_annotations={dataset: court_cases, options: {view: annotations}}",
            "+also_evaluate.inspection_ai={dataset: inspection_ai}",
        ]  # fmt: skip
        transfer = run(f"hibo_core_transfer/{model}", transfer_overrides, out, env)
        if transfer is not None:
            extra = transfer.get("also_evaluated", {})
            court = [extra[f"court_fold{k}"] for k in FOLDS if f"court_fold{k}" in extra]
            summary[f"court_cases folds ({model}, trained on HiboCore)"] = _fold_summary(court)
            for alias in ("court_annotations", "inspection_ai"):
                if alias in extra:
                    summary[f"{alias} ({model}, trained on HiboCore)"] = {
                        key: cell["value"] for key, cell in extra[alias]["headline"].items()
                    } | {"n": extra[alias]["n"]}
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (out / "SUMMARY.md").write_text(_markdown(summary), encoding="utf-8")
    print(_markdown(summary))
    return 0


def _fold_summary(folds: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "folds": len(folds),
        "f1": mean_sd([v for f in folds if (v := headline(f, "f1")) is not None]),
        "roc_auc": mean_sd([v for f in folds if (v := headline(f, "roc_auc")) is not None]),
        "f1_per_fold": [headline(f, "f1") for f in folds],
    }


def _markdown(summary: dict[str, Any]) -> str:
    lines = ["# Reference results / 参照結果", "", "| evaluation | results |", "|---|---|"]
    for name, cells in summary.items():
        text = ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in cells.items()
        )
        lines.append(f"| {name} | {text} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
