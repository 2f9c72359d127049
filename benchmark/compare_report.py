"""Printing a comparison (``hibobench compare``) as bilingual console tables."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from benchmark.report import metric_names
from benchmark.schema import load_schema
from benchmark.terminal import make_console


def _fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _p(value: float | None) -> str:
    if value is None:
        return "—"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def print_comparison(outcome: dict[str, Any]) -> None:
    console = make_console()
    dataset = outcome["dataset"]
    view = f", binary view {dataset['binary_view']}" if dataset["binary_view"] else ""
    console.print(
        f"比較 / Comparison on {dataset['name']} v{dataset['version'][:12]} "
        f"{dataset['split']} (n={outcome['n_items']}{view}); "
        f"{outcome['bootstrap']['n_resamples']} paired resamples, seed {outcome['bootstrap']['seed']}",
        markup=False,
        soft_wrap=True,
    )
    level = round(100 * outcome["bootstrap"]["confidence"])
    names = metric_names(load_schema())
    for pair in outcome["pairs"]:
        table = Table(title=f"{pair['a']} − {pair['b']}")
        for header in ("指標 / Metric", "A", "B", "A − B", f"{level}% CI", "p (bootstrap)"):
            table.add_column(header, justify="left" if header.startswith("指標") else "right")
        for name, cell in pair["metrics"].items():
            ja, en = names.get(name, (name, name))
            table.add_row(
                f"{ja} / {en}",
                _fmt(cell["a"]), _fmt(cell["b"]), _fmt(cell["difference"]),
                f"[{_fmt(cell['ci_low'])}, {_fmt(cell['ci_high'])}]", _p(cell["p_value"]),
            )  # fmt: skip
        console.print(table)
        mcnemar = pair["mcnemar"]
        console.print(
            f"  McNemar (exact, correctness): only A right {mcnemar['only_a_right']}, only B right "
            f"{mcnemar['only_b_right']}, p = {_p(mcnemar['p_value'])} "
            f"(Holm over {len(outcome['pairs'])} pair(s): {_p(pair['mcnemar_p_holm'])}); "
            f"{outcome['rank_by']} difference p (Holm) = {_p(pair['rank_metric_p_holm'])}",
            markup=False,
            soft_wrap=True,
        )
    ranking = Table(
        title=f"順位（同順位＝有意差なし）/ Ranking by {outcome['rank_by']} with tie groups "
        f"(Holm, α = {outcome['level']})"
    )
    for header in ("順位 / Rank", "システム / System", outcome["rank_by"]):
        ranking.add_column(header)
    for row in outcome["ranking"]:
        ranking.add_row(str(row["rank"]), row["system"], _fmt(row[outcome["rank_by"]]))
    console.print(ranking)
    groups = "; ".join(
        f"rank {g['rank']}: {', '.join(g['systems'])}" for g in outcome["tie_groups"]
    )
    console.print(
        f"  同順位のグループ / Tie groups: {groups}. A system's rank is 1 + the number of systems "
        "significantly better; systems sharing a rank cannot be told apart at this level.",
        markup=False,
        soft_wrap=True,
    )
