"""The bilingual (Japanese / English) Markdown report, ``report.md``."""

from __future__ import annotations

from typing import Any

from benchmark.result import EvalResult
from benchmark.schema import LabelSchema

BASE_METRIC_NAMES = {
    "accuracy": ("正解率", "Accuracy"),
    "macro_f1": ("マクロF1", "Macro-F1"),
    "f1": ("F1（陽性クラス）", "F1 (positive class)"),
    "precision": ("適合率（陽性クラス）", "Precision (positive class)"),
    "recall": ("再現率（陽性クラス）", "Recall (positive class)"),
    "roc_auc": ("ROC-AUC", "ROC-AUC"),
    "pr_auc": ("PR-AUC（平均適合率）", "PR-AUC (average precision)"),
    "recall_at_wtr_1pct": ("過剰削除率1%での再現率", "Recall at 1% wrongful takedown"),
    "recall_at_wtr_5pct": ("過剰削除率5%での再現率", "Recall at 5% wrongful takedown"),
    "cost_weighted_error": ("コスト加重誤り", "Cost-weighted error"),
    "ece": ("期待較正誤差（ECE）", "Expected calibration error (ECE)"),
    "brier": ("ブライアスコア", "Brier score"),
    "illegal_roc_auc": (
        "違法クラスのROC-AUC",
        "ROC-AUC of the illegal class",
    ),  # results before 0.2
}
VIEW_NAMES = {
    "illegal": ("違法 対 その他", "illegal vs rest"),
    "actionable": ("対応要（違法＋有害）対 その他", "actionable (illegal + harmful) vs rest"),
}


def metric_names(schema: LabelSchema) -> dict[str, tuple[str, str]]:
    """``{metric: (Japanese name, English name)}`` for every headline metric."""
    names = dict(BASE_METRIC_NAMES)
    names.update({key: (rate.name_ja, rate.name_en) for key, rate in schema.rates.items()})
    return names


def md_escape(text: Any) -> str:
    """Make user-supplied text inert in a Markdown table cell."""
    out = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return out.replace("<", "&lt;").replace(">", "&gt;").replace("`", "\\`")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def render_markdown(result: EvalResult, schema: LabelSchema) -> str:
    scores = result.scores
    prov = result.provenance
    names = metric_names(schema)
    level = round(100 * scores["bootstrap"]["confidence"])
    lines = [
        "# HiboBench レポート / Report",
        "",
        f"- モデル / Model: `{md_escape(result.model)}`",
        f"- データセット / Dataset: `{md_escape(result.dataset)}` v{md_escape(prov.dataset.version)}"
        f", 評価分割 / split `{md_escape(result.split)}`, n = {scores['n']}",
        f"- ラベルスキーマ / Label schema: v{prov.label_schema_version}",
        "",
        "## 主要指標 / Headline scores",
        "",
        f"| 指標 / Metric | 値 / Value | {level}% 信頼区間 / CI |",
        "|---|---:|---:|",
        *_headline_rows(scores, names),
    ]
    if scores.get("binary_view"):
        lines += [
            "",
            f"二値の評価 / Binary evaluation: 陽性 / positive = `{scores['binary_view']}` "
            "(四値の予測は該当クラスなら陽性 / a four-way prediction counts as positive when it is "
            "one of the view's classes).",
        ]
    else:
        lines += ["", "指標の意味 / What the rates mean:", ""]
        for rate in schema.rates.values():
            lines.append(f"- **{rate.name_ja}**: {rate.description_ja}")
            lines.append(f"  **{rate.name_en}**: {rate.description_en}")
        lines += [
            "",
            "## クラス別 / Per class",
            "",
            "| クラス / Class | 適合率 / Precision | 再現率 / Recall | F1 | 件数 / Support |",
            "|---|---:|---:|---:|---:|",
        ]
        for class_def in schema.classes:
            c = scores["per_class"][class_def.id]
            lines.append(
                f"| {class_def.name_ja} / {class_def.name_en} (`{class_def.id}`) "
                + "".join(f"| {_with_ci(c, m)} " for m in ("precision", "recall", "f1"))
                + f"| {c['support']} |"
            )
    labels = scores["confusion_matrix"]["labels"]
    lines += [
        "",
        "## 混同行列 / Confusion matrix",
        "",
        "行が正解、列が予測 / rows are gold labels, columns are predictions.",
        "",
        "| 正解 \\ 予測 / gold \\ predicted | " + " | ".join(labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    for label, row in zip(labels, scores["confusion_matrix"]["matrix"], strict=True):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    lines += _score_sections(scores, names, level)
    lines += _check_section(scores.get("hibo_check"))
    lines += _robustness_section(scores.get("robustness"))
    lines += _also_evaluated_section(scores.get("also_evaluated"), names, level)
    boot = scores["bootstrap"]
    lines += [
        "",
        "## 来歴 / Provenance",
        "",
        f"- 信頼区間 / Intervals: {boot['method']}, {boot['n_resamples']} resamples, seed {boot['seed']}",
        "- データファイル / Data files (sha256): "
        + ", ".join(f"`{md_escape(k)}` {v[:12]}…" for k, v in prov.dataset.files_sha256.items()),
        f"- コード / Code revision: {md_escape(prov.code.get('commit') or 'unknown')}"
        + (" (未コミットの変更あり / uncommitted changes)" if prov.code.get("dirty") else ""),
        f"- 設定ハッシュ / Config sha256: {prov.config_sha256[:12]}…",
        "- パッケージ / Packages: "
        + ", ".join(f"{md_escape(k)} {md_escape(v)}" for k, v in prov.packages.items()),
    ]
    if prov.submission:
        lines.append(
            f"- 提出ファイル / Submitted file: `{md_escape(prov.submission['path'])}` "
            f"(sha256 {prov.submission['sha256'][:12]}…)"
        )
    return "\n".join(lines) + "\n"


def _with_ci(cell: dict[str, Any], measure: str) -> str:
    """``0.921 [0.875, 0.966]``, or the value alone for results without per-class intervals."""
    low, high = cell.get(f"{measure}_ci_low"), cell.get(f"{measure}_ci_high")
    interval = f" [{_fmt(low)}, {_fmt(high)}]" if low is not None and high is not None else ""
    return _fmt(cell[measure]) + interval


def _headline_rows(scores: dict[str, Any], names: dict[str, tuple[str, str]]) -> list[str]:
    rows = []
    for key, cell in scores["headline"].items():
        ja, en = names.get(key, (key, key))
        rows.append(
            f"| {ja} / {en} | {_fmt(cell['value'])} | [{_fmt(cell['ci_low'])}, {_fmt(cell['ci_high'])}] |"
        )
    return rows


def _also_evaluated_section(
    sections: dict[str, Any] | None, names: dict[str, tuple[str, str]], level: int
) -> list[str]:
    if not sections:
        return []
    lines = ["", "## 他のデータセットでの評価 / Also evaluated on", ""]
    for alias, section in sections.items():
        view = section.get("binary_view")
        lines += [
            f"### `{md_escape(alias)}` (`{md_escape(section['dataset'])}`/{md_escape(section['split'])}, "
            f"n = {section['n']}" + (f", 二値 / binary: {md_escape(view)}" if view else "") + ")",
            "",
            f"| 指標 / Metric | 値 / Value | {level}% 信頼区間 / CI |",
            "|---|---:|---:|",
            *_headline_rows(section, names),
            "",
        ]
    return lines


def _check_section(check: dict[str, Any] | None) -> list[str]:
    if not check:
        return []
    lines = [
        "",
        "## HiboCheck 機能別テスト / Functional tests",
        "",
        "| 機能 / Functionality | n | 正解率 / Accuracy | 95% CI |",
        "|---|---:|---:|---:|",
    ]
    for fid, cell in check["functionalities"].items():
        lines.append(
            f"| {fid} `{md_escape(cell['name'])}` | {cell['n']} | {_fmt(cell['accuracy'])} "
            f"| [{_fmt(cell['ci_low'])}, {_fmt(cell['ci_high'])}] |"
        )
    lines += [
        "",
        f"対比ペアの一貫性（両方正解の割合）/ Contrast-pair consistency (both members right): "
        f"{_fmt(check['pair_consistency'])}",
        "",
        "| ペアの種類 / Pair type | pairs | 一貫性 / consistency | 95% CI | 正解率 A / B | 差 / gap A−B | 95% CI |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for pair_type, cell in check["pairs"].items():
        lines.append(
            f"| `{md_escape(pair_type)}` ({cell['side_a']} / {cell['side_b']}) | {cell['n_pairs']} "
            f"| {_fmt(cell['consistency'])} | [{_fmt(cell['consistency_ci'][0])}, {_fmt(cell['consistency_ci'][1])}] "
            f"| {_fmt(cell['accuracy_a'])} / {_fmt(cell['accuracy_b'])} | {_fmt(cell['gap'])} "
            f"| [{_fmt(cell['gap_ci'][0])}, {_fmt(cell['gap_ci'][1])}] |"
        )
    return lines


def _robustness_section(robustness: dict[str, Any] | None) -> list[str]:
    if not robustness:
        return []
    lines = [
        "",
        "## 表記ゆれ・回避表現への頑健性 / Robustness to Japanese evasion",
        "",
        "マクロF1の低下（元のテキスト − 変換後）と対応のあるブートストラップ信頼区間 / "
        "Macro-F1 drop (original − perturbed) with a paired bootstrap interval.",
        "",
        "| 変換 / Perturbation | マクロF1 / Macro-F1 | 低下 / Drop | 95% CI |",
        "|---|---:|---:|---:|",
    ]
    for name, cell in robustness.items():
        lines.append(
            f"| `{md_escape(name)}` | {_fmt(cell['macro_f1'])} | {_fmt(cell['drop'])} "
            f"| [{_fmt(cell['ci_low'])}, {_fmt(cell['ci_high'])}] |"
        )
    return lines


def _cells_table(cells: dict[str, Any], names: dict[str, tuple[str, str]], level: int) -> list[str]:
    return [
        f"| 指標 / Metric | 値 / Value | {level}% 信頼区間 / CI |",
        "|---|---:|---:|",
        *_headline_rows({"headline": cells}, names),
    ]


def _score_sections(
    scores: dict[str, Any], names: dict[str, tuple[str, str]], level: int
) -> list[str]:
    """Tables of the sections beyond the headline, each only when present."""
    lines: list[str] = []
    if scores.get("cost_matrix"):
        cost = scores["cost_matrix"]
        lines += [
            "",
            "## コスト行列 / Cost matrix",
            "",
            "コスト加重誤りは1件あたりの平均コスト（行が正解、列が予測）/ The cost-weighted error is "
            "the mean cost per item (rows gold, columns predicted).",
            "",
            "| 正解 \\ 予測 / gold \\ predicted | " + " | ".join(cost["labels"]) + " |",
            "|---|" + "---:|" * len(cost["labels"]),
            *(
                f"| {label} | " + " | ".join(f"{v:g}" for v in row) + " |"
                for label, row in zip(cost["labels"], cost["matrix"], strict=True)
            ),
        ]
    if scores.get("illegal_subtype_recall"):
        lines += [
            "",
            "## 違法の類型別再現率 / Recall of illegal by subtype",
            "",
            f"| 類型 / Subtype | 再現率 / Recall | {level}% CI | 件数 / Support |",
            "|---|---:|---:|---:|",
        ]
        for subtype, cell in scores["illegal_subtype_recall"].items():
            lines.append(
                f"| `{subtype}` | {_fmt(cell['recall'])} | [{_fmt(cell['ci_low'])}, "
                f"{_fmt(cell['ci_high'])}] | {cell['support']} |"
            )
    for view, section in (scores.get("binary_views") or {}).items():
        ja, en = VIEW_NAMES.get(view, (view, view))
        lines += [
            "",
            f"## 二値ビュー / Binary view: {ja} / {en}",
            "",
            f"陽性 {section['n_positive']} 件、過剰削除の基準となる投稿（{md_escape(section['reference_negatives'])}）"
            f"{section['n_reference_negative']} 件 / {section['n_positive']} positives, "
            f"{section['n_reference_negative']} reference negatives ({md_escape(section['reference_negatives'])}).",
            "",
            *_cells_table(section["headline"], names, level),
        ]
    calibration = scores.get("calibration")
    if calibration:
        lines += [
            "",
            "## 較正 / Calibration",
            "",
            *_cells_table({k: calibration[k] for k in ("ece", "brier")}, names, level),
            "",
            "| 区間 / Bin | 件数 / Count | 平均確信度 / Mean confidence | 正解率 / Accuracy |",
            "|---|---:|---:|---:|",
            *(
                f"| [{b['low']:.1f}, {b['high']:.1f}) | {b['count']} | {_fmt(b['confidence'])} "
                f"| {_fmt(b['accuracy'])} |"
                for b in calibration["bins"]
            ),
        ]
    for column, values in (scores.get("slices") or {}).items():
        metrics = list(next(iter(values.values()))["headline"]) if values else []
        lines += [
            "",
            f"## 切り口別 / Slices by `{md_escape(column)}`",
            "",
            "| 値 / Value | n | "
            + " | ".join(" / ".join(names.get(m, (m, m))) for m in metrics)
            + " |",
            "|---|---:|" + "---:|" * len(metrics),
        ]
        for value, cell in values.items():
            lines.append(
                f"| `{md_escape(value)}` | {cell['n']} | "
                + " | ".join(_fmt(cell["headline"][m]["value"]) for m in metrics)
                + " |"
            )
    bias = scores.get("bias")
    if bias:
        lines += [
            "",
            f"## 意図しないバイアス / Unintended bias by `{md_escape(bias['subgroup_column'])}` "
            f"(view `{md_escape(bias['view'])}`)",
            "",
            "BPSN AUC が低い：その対象についての適法な投稿が過剰に削除されやすい。BNSP AUC が低い："
            "その対象への違法な投稿が見逃されやすい。/ Low BPSN AUC: lawful posts about the "
            "subgroup are ranked above illegal posts elsewhere (over-removal); low BNSP AUC: "
            "illegal posts about it are ranked below lawful posts elsewhere (under-protection).",
            "",
            "| 対象 / Subgroup | n | 陽性 / positives | subgroup AUC | BPSN AUC | BNSP AUC |",
            "|---|---:|---:|---:|---:|---:|",
            *(
                f"| `{md_escape(group)}` | {c['n']} | {c['n_positive']} | {_fmt(c['subgroup_auc'])} "
                f"| {_fmt(c['bpsn_auc'])} | {_fmt(c['bnsp_auc'])} |"
                for group, c in bias["subgroups"].items()
            ),
        ]
    return lines
