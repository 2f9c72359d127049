"""The bilingual (Japanese / English) HTML report, ``report.html``.

One self-contained page: inline CSS, figures as SVG data URIs (:mod:`benchmark.plots`), no
scripts and nothing fetched from anywhere. Each section appears only when its key is in
``result.scores``, so results written before a key existed still render. Every string
from the result goes through Jinja's autoescaping.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from benchmark import __version__, plots
from benchmark.report import VIEW_NAMES, metric_names
from benchmark.result import EvalResult
from benchmark.schema import LabelSchema

# Headline metrics that are not proportions get no 0-1 bar (cost_weighted_error runs to 5).
NOT_PROPORTIONS = frozenset({"cost_weighted_error"})


@dataclass(frozen=True)
class Section:
    anchor: str
    title_ja: str
    title_en: str
    body: Any  # markupsafe.Markup from a template macro


@dataclass(frozen=True)
class _Context:
    schema: LabelSchema
    names: dict[str, tuple[str, str]]
    macros: Any
    anchor_prefix: str = ""

    def name(self, key: str) -> tuple[str, str]:
        return self.names.get(key, (key, key))

    def class_name(self, class_id: str) -> str:
        for c in self.schema.classes:
            if c.id == class_id:
                return f"{c.name_ja} / {c.name_en} ({c.id})"
        return class_id


def fmt(value: Any) -> str:
    """Three decimals for numbers; an em dash for a missing value."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def fmt_cell(cell: Mapping[str, Any] | None) -> str:
    """``value [low, high]`` for a score cell; a bare value when it has no interval."""
    if not cell:
        return "—"
    text = fmt(cell.get("value"))
    if cell.get("ci_low") is None and cell.get("ci_high") is None:
        return text
    return f"{text} [{fmt(cell.get('ci_low'))}, {fmt(cell.get('ci_high'))}]"


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_html(result: EvalResult, schema: LabelSchema) -> str:
    env = _environment()
    names = {
        "illegal_roc_auc": ("違法クラスのROC-AUC", "ROC-AUC of the illegal class"),
        **metric_names(schema),
    }
    ctx = _Context(schema, names, macros=env.get_template("macros.html.j2").module)
    sections = [*score_sections(result.scores, ctx), _provenance(result, ctx)]
    page = env.get_template("report.html.j2")
    return str(page.render(header=_header(result), sections=sections))


def _header(result: EvalResult) -> dict[str, Any]:
    prov = result.provenance
    dataset = f"{result.dataset} v{prov.dataset.version} ({prov.dataset.license})"
    items = [
        _item("モデル", "Model", result.model, code=True),
        _item("データセット", "Dataset", dataset),
        _item("評価分割", "Split", f"{result.split} (n = {result.scores.get('n', '—')})"),
        _item("種類", "Kind", result.kind),
        _item("ラベルスキーマ", "Label schema", f"v{prov.label_schema_version}"),
        _item("作成日時", "Created", prov.environment.get("created_at", "—")),
    ]
    return {
        "model": result.model,
        "dataset": result.dataset,
        "entries": items,
        "version": __version__,
    }


def _item(ja: str, en: str, value: Any, *, code: bool = False) -> dict[str, Any]:
    return {"ja": ja, "en": en, "value": value, "code": code}


def score_sections(scores: Mapping[str, Any], ctx: _Context) -> list[Section]:
    """The sections of one score dictionary (the main one, or one ``also_evaluated`` entry)."""
    out = []
    for key, renderer in _RENDERERS:
        if scores.get(key):
            out.append(renderer(scores, ctx))
    return out


def _section(ctx: _Context, key: str, ja: str, en: str, *parts: Any) -> Section:
    from markupsafe import Markup

    return Section(f"{ctx.anchor_prefix}{key}", ja, en, Markup("\n").join(parts))


def _level(scores: Mapping[str, Any]) -> int:
    return round(100 * (scores.get("bootstrap") or {}).get("confidence", 0.95))


def _headline(scores: Mapping[str, Any], ctx: _Context) -> Section:
    rows = []
    for key, cell in scores["headline"].items():
        ja, en = ctx.name(key)
        rows.append(
            {
                "name_ja": ja,
                "name_en": en,
                "value": fmt(cell.get("value")),
                "ci_low": fmt(cell.get("ci_low")),
                "ci_high": fmt(cell.get("ci_high")),
                "bar": None if key in NOT_PROPORTIONS else _bar(cell),
            }
        )
    view = scores.get("binary_view")
    rates = [] if view else [r for k, r in ctx.schema.rates.items() if k in scores["headline"]]
    body = ctx.macros.headline(rows, _level(scores), view, rates)
    return _section(ctx, "headline", "主要指標", "Headline scores", body)


def _bar(cell: Mapping[str, Any]) -> dict[str, float] | None:
    """Percent positions of a value and its interval on a 0-1 track; None when out of range."""
    value, low, high = cell.get("value"), cell.get("ci_low"), cell.get("ci_high")
    if value is None or not 0.0 <= value <= 1.0:
        return None
    low = value if low is None else max(0.0, low)
    high = value if high is None else min(1.0, high)
    return {
        "left": round(100 * low, 2),
        "width": round(100 * (high - low), 2),
        "point": round(100 * value, 2),
    }


def _score_metrics(scores: Mapping[str, Any], ctx: _Context) -> Section:
    rows = [(" / ".join(ctx.name(k)), fmt(v)) for k, v in scores["score_metrics"].items()]
    table = ctx.macros.table(["指標 / Metric", "値 / Value"], rows)
    return _section(ctx, "score-metrics", "スコアに基づく指標", "Score-based metrics", table)


def _per_class(scores: Mapping[str, Any], ctx: _Context) -> Section:
    per_class = scores["per_class"]
    ids = list(per_class)
    rows = [
        (ctx.class_name(c), fmt_cell(_measure(per_class[c], "precision")),
         fmt_cell(_measure(per_class[c], "recall")), fmt(per_class[c].get("f1")),
         fmt(per_class[c].get("support")))
        for c in ids
    ]  # fmt: skip
    head = ["クラス / Class", "適合率 / Precision", "再現率 / Recall", "F1", "件数 / Support"]
    series = {m: [per_class[c].get(m) for c in ids] for m in ("precision", "recall", "f1")}
    intervals = {
        m: (
            [per_class[c].get(f"{m}_ci_low") for c in ids],
            [per_class[c].get(f"{m}_ci_high") for c in ids],
        )
        for m in ("precision", "recall")
        if all(f"{m}_ci_low" in per_class[c] for c in ids)
    }
    caption = (
        "クラスごとの適合率・再現率・F1" + ("（ひげは信頼区間）" if intervals else ""),
        "Precision, recall and F1 per class"
        + (" (whiskers: confidence intervals)" if intervals else ""),
    )
    figure = ctx.macros.figure(
        plots.grouped_bars(ids, series, intervals), "per-class bars", *caption
    )
    return _section(ctx, "per-class", "クラス別", "Per class", ctx.macros.table(head, rows), figure)


def _measure(cell: Mapping[str, Any], measure: str) -> dict[str, Any]:
    return {
        "value": cell.get(measure),
        "ci_low": cell.get(f"{measure}_ci_low"),
        "ci_high": cell.get(f"{measure}_ci_high"),
    }


def _confusion(scores: Mapping[str, Any], ctx: _Context) -> Section:
    cm = scores["confusion_matrix"]
    uri = plots.confusion_heatmap(cm["labels"], cm["matrix"])
    figure = ctx.macros.figure(
        uri,
        "confusion matrix",
        "行が正解、列が予測。セルの数字は件数、色は正解の行に占める割合。",
        "Rows are gold labels, columns are predictions; numbers are counts, shading is the share of the gold row.",
    )
    head = ["正解 \\ 予測 / gold \\ predicted", *cm["labels"]]
    rows = [(label, *row) for label, row in zip(cm["labels"], cm["matrix"], strict=True)]
    return _section(
        ctx, "confusion", "混同行列", "Confusion matrix", figure, ctx.macros.table(head, rows)
    )


def _binary_views(scores: Mapping[str, Any], ctx: _Context) -> Section:
    views = scores["binary_views"]
    parts = []
    for view, data in views.items():
        ja, en = VIEW_NAMES.get(view, (view, view))
        rows = [
            (" / ".join(ctx.name(k)), fmt_cell(c)) for k, c in (data.get("headline") or {}).items()
        ]
        meta = ctx.macros.note(
            f"陽性 {fmt(data.get('n_positive'))} 件、参照陰性 {fmt(data.get('n_reference_negative'))} 件"
            f"（{data.get('reference_negatives', '—')}）",
            f"{fmt(data.get('n_positive'))} positives, {fmt(data.get('n_reference_negative'))} reference "
            f"negatives ({data.get('reference_negatives', '—')})",
        )
        table = ctx.macros.table([f"{ja} / {en}", f"値 [{_level(scores)}% CI] / Value"], rows)
        parts += [table, meta]
    curves = {view: data["curves"] for view, data in views.items() if data.get("curves")}
    if curves:
        parts.insert(0, _curve_figure(curves, ctx))
    return _section(ctx, "binary-views", "二値の見方", "Binary views", *parts)


def _curves(scores: Mapping[str, Any], ctx: _Context) -> Section:
    view = scores.get("binary_view") or "positive"
    return _section(
        ctx,
        "curves",
        "PR曲線・ROC曲線",
        "PR and ROC curves",
        _curve_figure({view: scores["curves"]}, ctx),
    )


def _curve_figure(curves: Mapping[str, Any], ctx: _Context) -> Any:
    return ctx.macros.figure(
        plots.curves(curves),
        "precision-recall and ROC curves",
        "左: 適合率-再現率曲線、右: ROC曲線（点線は無作為）。",
        "Left: precision-recall curve; right: ROC curve (dotted: chance).",
    )


def _calibration(scores: Mapping[str, Any], ctx: _Context) -> Section:
    cal = scores["calibration"]
    summary = ctx.macros.table(
        ["指標 / Metric", f"値 [{_level(scores)}% CI] / Value"],
        [(" / ".join(ctx.name(k)), fmt_cell(cal.get(k))) for k in ("ece", "brier") if k in cal],
    )
    parts = [summary]
    bins = cal.get("bins") or []
    if bins:
        parts.insert(
            0,
            ctx.macros.figure(
                plots.reliability_diagram(bins),
                "reliability diagram",
                "信頼度の区間ごとの正解率。対角線に近いほど較正がよい。",
                "Accuracy per confidence bin; the closer to the diagonal, the better calibrated.",
            ),
        )
        head = ["区間 / Bin", "件数 / Count", "平均信頼度 / Confidence", "正解率 / Accuracy"]
        rows = [
            (f"[{fmt(b.get('low'))}, {fmt(b.get('high'))})", fmt(b.get("count")),
             fmt(b.get("confidence")), fmt(b.get("accuracy")))
            for b in bins
        ]  # fmt: skip
        parts.append(ctx.macros.table(head, rows))
    return _section(ctx, "calibration", "較正", "Calibration", *parts)


def _slices(scores: Mapping[str, Any], ctx: _Context) -> Section:
    parts = []
    for column, values in scores["slices"].items():
        metrics = list(dict.fromkeys(k for v in values.values() for k in (v.get("headline") or {})))
        head = [f"{column}", "n", *(" / ".join(ctx.name(m)) for m in metrics)]
        rows = [
            (
                value,
                fmt(cell.get("n")),
                *(fmt_cell((cell.get("headline") or {}).get(m)) for m in metrics),
            )
            for value, cell in values.items()
        ]
        parts.append(ctx.macros.table(head, rows))
    note = ctx.macros.note(
        "列の値ごとの指標と信頼区間。件数の少ない値では区間が広くなります。",
        "Scores per value of each column, with intervals; small slices have wide intervals.",
    )
    return _section(ctx, "slices", "スライス別", "Slices", note, *parts)


def _bias(scores: Mapping[str, Any], ctx: _Context) -> Section:
    bias = scores["bias"]
    head = [bias.get("subgroup_column", "subgroup"), "n", "陽性 / positives",
            "Subgroup AUC", "BPSN AUC", "BNSP AUC"]  # fmt: skip
    rows = [
        (value, fmt(c.get("n")), fmt(c.get("n_positive")), fmt(c.get("subgroup_auc")),
         fmt(c.get("bpsn_auc")), fmt(c.get("bnsp_auc")))
        for value, c in (bias.get("subgroups") or {}).items()
    ]  # fmt: skip
    note = ctx.macros.note(
        f"二値の見方「{bias.get('view', '—')}」での部分集団ごとのAUC。BPSN（部分集団の陰性と他の陽性）が低いと"
        "その部分集団の無害な投稿が誤って削除されやすい。",
        f"Per-subgroup AUCs under the '{bias.get('view', '—')}' view. A low BPSN AUC (subgroup negatives vs "
        "other positives) means harmless posts about that subgroup are likelier to be taken down.",
    )
    return _section(
        ctx, "bias", "部分集団のバイアス", "Subgroup bias", note, ctx.macros.table(head, rows)
    )


def _cost(scores: Mapping[str, Any], ctx: _Context) -> Section:
    cost = scores["cost_matrix"]
    head = ["正解 \\ 予測 / gold \\ predicted", *cost["labels"]]
    rows = [
        (label, *(f"{v:g}" for v in row))
        for label, row in zip(cost["labels"], cost["matrix"], strict=True)
    ]
    parts = [
        ctx.macros.note(
            "誤りの種類ごとのコスト（行が正解、列が予測）。",
            "Cost of each kind of error (rows gold, columns predicted).",
        ),
        ctx.macros.table(head, rows),
    ]
    return _section(ctx, "cost", "誤りのコスト", "Cost of errors", *parts)


def _subtype_recall(scores: Mapping[str, Any], ctx: _Context) -> Section:
    head = [
        "違法の類型 / Illegal subtype",
        "件数 / Support",
        f"再現率 [{_level(scores)}% CI] / Recall",
    ]
    rows = [
        (subtype, fmt(c.get("support")), fmt_cell({**c, "value": c.get("recall")}))
        for subtype, c in scores["illegal_subtype_recall"].items()
    ]
    table = ctx.macros.table(head, rows)
    return _section(
        ctx, "subtype-recall", "違法の類型別の再現率", "Recall per illegal subtype", table
    )


def _hibo_check(scores: Mapping[str, Any], ctx: _Context) -> Section:
    check = scores["hibo_check"]
    funcs = check.get("functionalities") or {}
    rows = [(fid, cell.get("name"), fmt(cell.get("n")), fmt_cell({**cell, "value": cell.get("accuracy")}))
            for fid, cell in funcs.items()]  # fmt: skip
    parts = [
        ctx.macros.table(
            ["機能 / Functionality", "名前 / Name", "n", "正解率 [CI] / Accuracy"], rows, 2
        )
    ]
    if funcs:
        labels = [f"{fid} {cell.get('name', '')}" for fid, cell in funcs.items()]
        uri = plots.interval_plot(
            labels,
            [c.get("accuracy") for c in funcs.values()],
            [c.get("ci_low") for c in funcs.values()],
            [c.get("ci_high") for c in funcs.values()],
        )
        parts.insert(
            0,
            ctx.macros.figure(
                uri,
                "accuracy per functionality",
                "機能ごとの正解率と信頼区間。",
                "Accuracy per functionality with its interval.",
            ),
        )
    parts += _pairs(check, ctx)
    return _section(
        ctx, "hibo-check", "HiboCheck 機能別テスト", "HiboCheck functional tests", *parts
    )


def _pairs(check: Mapping[str, Any], ctx: _Context) -> list[Any]:
    pairs = check.get("pairs") or {}
    note = ctx.macros.note(
        f"対比ペアの一貫性（両方正解の割合）: {fmt(check.get('pair_consistency'))}",
        f"Contrast-pair consistency (both members right): {fmt(check.get('pair_consistency'))}",
    )
    head = ["ペアの種類 / Pair type", "ペア数 / Pairs", "一貫性 [CI] / Consistency",
            "正解率 A / B", "差 A−B [CI] / Gap"]  # fmt: skip
    rows = [
        (f"{name} ({c.get('side_a')} / {c.get('side_b')})", fmt(c.get("n_pairs")),
         _with_interval(c.get("consistency"), c.get("consistency_ci")),
         f"{fmt(c.get('accuracy_a'))} / {fmt(c.get('accuracy_b'))}", _with_interval(c.get("gap"), c.get("gap_ci")))
        for name, c in pairs.items()
    ]  # fmt: skip
    return [note, ctx.macros.table(head, rows)] if pairs else [note]


def _with_interval(value: Any, bounds: Any) -> str:
    low, high = bounds if bounds else (None, None)
    return fmt_cell({"value": value, "ci_low": low, "ci_high": high})


def _robustness(scores: Mapping[str, Any], ctx: _Context) -> Section:
    head = ["変換 / Perturbation", "マクロF1 / Macro-F1", "低下 / Drop", f"{_level(scores)}% CI"]
    rows = [
        (
            name,
            fmt(c.get("macro_f1")),
            fmt(c.get("drop")),
            f"[{fmt(c.get('ci_low'))}, {fmt(c.get('ci_high'))}]",
        )
        for name, c in scores["robustness"].items()
    ]
    note = ctx.macros.note(
        "マクロF1の低下（元のテキスト − 変換後）と対応のあるブートストラップ信頼区間。",
        "Macro-F1 drop (original − perturbed) with a paired bootstrap interval.",
    )
    return _section(
        ctx,
        "robustness",
        "表記ゆれ・回避表現への頑健性",
        "Robustness to Japanese evasion",
        note,
        ctx.macros.table(head, rows),
    )


def _also_evaluated(scores: Mapping[str, Any], ctx: _Context) -> Section:
    parts = []
    for i, (alias, section) in enumerate(scores["also_evaluated"].items()):
        inner = _Context(ctx.schema, ctx.names, ctx.macros, f"{ctx.anchor_prefix}also-{i}-")
        meta = f"{section.get('dataset', '—')} / {section.get('split', '—')}, n = {section.get('n', '—')}"
        if section.get("binary_view"):
            meta += f", 二値 / binary: {section['binary_view']}"
        body = ctx.macros.section_list(score_sections(section, inner), 4)
        parts.append(ctx.macros.subsection(alias, meta, body))
    return _section(ctx, "also-evaluated", "他のデータセットでの評価", "Also evaluated on", *parts)


def _provenance(result: EvalResult, ctx: _Context) -> Section:
    prov = result.provenance
    boot = result.scores.get("bootstrap") or {}
    items = [
        _item("データセット", "Dataset", f"{prov.dataset.name} v{prov.dataset.version}"),
        _item("ライセンス", "Licence", prov.dataset.license),
        _item("分割", "Splits", f"train: {prov.dataset.train_split or '—'}, eval: {prov.dataset.eval_split} (n = {prov.dataset.n_eval})"),
        _item("信頼区間", "Intervals", f"{boot.get('method', '—')}, {boot.get('n_resamples', '—')} resamples, seed {boot.get('seed', '—')}"),
        _item("コード", "Code revision", f"{prov.code.get('commit') or 'unknown'}" + (" (未コミットの変更あり / uncommitted changes)" if prov.code.get("dirty") else ""), code=True),
        _item("設定ハッシュ", "Config sha256", prov.config_sha256, code=True),
    ]  # fmt: skip
    if prov.submission:
        items.append(
            _item(
                "提出ファイル",
                "Submitted file",
                f"{prov.submission.get('path')} (sha256 {prov.submission.get('sha256')})",
                code=True,
            )
        )
    files = [(name, digest) for name, digest in prov.dataset.files_sha256.items()]
    for alias, extra in (prov.also_evaluated or {}).items():
        files += [(f"{alias}: {name}", digest) for name, digest in extra.files_sha256.items()]
    parts = [
        ctx.macros.definitions(items),
        ctx.macros.table(["データファイル / Data file", "sha256"], files, 2),
        ctx.macros.table(
            ["パッケージ / Package", "バージョン / Version"], list(prov.packages.items()), 2
        ),
        ctx.macros.table(["環境 / Environment", ""], list(prov.environment.items()), 2),
        ctx.macros.details(
            "設定 / Configuration", json.dumps(prov.config, ensure_ascii=False, indent=2)
        ),
    ]
    return _section(ctx, "provenance", "来歴", "Provenance", *parts)


_Renderer = Callable[[Mapping[str, Any], _Context], Section]
_RENDERERS: tuple[tuple[str, _Renderer], ...] = (
    ("headline", _headline),
    ("score_metrics", _score_metrics),
    ("per_class", _per_class),
    ("confusion_matrix", _confusion),
    ("binary_views", _binary_views),
    ("curves", _curves),
    ("calibration", _calibration),
    ("slices", _slices),
    ("bias", _bias),
    ("cost_matrix", _cost),
    ("illegal_subtype_recall", _subtype_recall),
    ("hibo_check", _hibo_check),
    ("robustness", _robustness),
    ("also_evaluated", _also_evaluated),
)
