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
                f"| {class_def.name_ja} / {class_def.name_en} (`{class_def.id}`) | {_fmt(c['precision'])} "
                f"| {_fmt(c['recall'])} | {_fmt(c['f1'])} | {c['support']} |"
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
    if scores.get("score_metrics"):
        lines += ["", "## スコアに基づく指標 / Score-based metrics", ""]
        for key, value in scores["score_metrics"].items():
            lines.append(f"- `{key}`: {_fmt(value)}")
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
