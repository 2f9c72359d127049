"""The console summary printed at the end of a run."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from benchmark.report import metric_names
from benchmark.runner import OUTPUT_FILES, RunOutcome
from benchmark.schema import load_schema
from benchmark.terminal import make_console


def print_summary(outcome: RunOutcome, console: Console | None = None) -> None:
    console = console or make_console()
    names = metric_names(load_schema())
    result = outcome.result
    level = round(100 * outcome.scores.confidence)
    table = Table(
        title=f"HiboBench: {result.model} on {result.dataset}/{result.split} (n={outcome.scores.n})"
    )
    table.add_column("指標 / Metric")
    table.add_column("値 / Value", justify="right")
    table.add_column(f"{level}% CI", justify="right")
    for key, value in outcome.scores.metrics.items():
        ja, en = names.get(key, (key, key))
        interval = outcome.scores.intervals[key]
        table.add_row(f"{ja} / {en}", f"{value:.3f}", f"[{interval.low:.3f}, {interval.high:.3f}]")
    console.print(table)
    for view, section in (result.scores.get("binary_views") or {}).items():
        cells = section["headline"]
        console.print(
            f"  {view} vs rest: ROC-AUC {_cell(cells['roc_auc'])}, PR-AUC {_cell(cells['pr_auc'])}, "
            + ", ".join(
                f"recall at {name.removeprefix('recall_at_wtr_').replace('pct', '%')} wrongful "
                f"takedown {_cell(cell)}"
                for name, cell in cells.items()
                if name.startswith("recall_at_wtr_")
            ),
            markup=False,
        )
    calibration = result.scores.get("calibration")
    if calibration:
        console.print(
            f"  calibration: ECE {_cell(calibration['ece'])}, Brier {_cell(calibration['brier'])}",
            markup=False,
        )
    check = result.scores.get("hibo_check")
    if check:
        weakest = ", ".join(
            f"{f} {check['functionalities'][f]['name']} {check['functionalities'][f]['accuracy']:.2f}"
            for f in check["weakest"]
        )
        console.print(
            f"  HiboCheck: contrast-pair consistency {check['pair_consistency']:.3f}; weakest: {weakest}",
            markup=False,
        )
    for name, cell in (result.scores.get("robustness") or {}).items():
        console.print(
            f"  robustness {name}: macro-F1 {cell['macro_f1']:.3f}, drop {cell['drop']:.3f} "
            f"[{cell['ci_low']:.3f}, {cell['ci_high']:.3f}]",
            markup=False,
        )
    for alias, section in (result.scores.get("also_evaluated") or {}).items():
        cells = ", ".join(
            f"{key} {cell['value']:.3f} [{cell['ci_low']:.3f}, {cell['ci_high']:.3f}]"
            for key, cell in section["headline"].items()
            if cell["value"] is not None and cell["ci_low"] is not None
        )
        view = f", binary {section['binary_view']}" if section.get("binary_view") else ""
        console.print(
            f"  also evaluated {alias} ({section['dataset']}/{section['split']}, n={section['n']}{view}): {cells}",
            markup=False,
        )
    for name in OUTPUT_FILES:
        console.print(f"  {name}: {outcome.output_dir / name}", soft_wrap=True, markup=False)
    if outcome.run_id:
        console.print(
            f"  MLflow run {outcome.run_id} in {outcome.tracking_uri} "
            f"(browse: mlflow ui --backend-store-uri {outcome.tracking_uri})",
            soft_wrap=True,
            markup=False,
        )
    else:
        console.print("  MLflow tracking is off (tracking=none).")


def _cell(cell: dict[str, float | None]) -> str:
    if cell["value"] is None:
        return "—"
    if cell["ci_low"] is None or cell["ci_high"] is None:
        return f"{cell['value']:.3f}"
    return f"{cell['value']:.3f} [{cell['ci_low']:.3f}, {cell['ci_high']:.3f}]"
