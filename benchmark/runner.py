"""One benchmark run: dataset → classifier or submitted file → scores → outputs → tracking.

Configuration arrives as a plain dict (composed by Hydra in :mod:`benchmark.hydra_app`);
nothing here depends on Hydra.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmark import __version__
from benchmark.binary_scoring import BinaryScores, four_way_to_binary, score_binary
from benchmark.check_scoring import check_scores
from benchmark.compare import paired_macro_f1_difference
from benchmark.errors import ConfigError
from benchmark.features import binary_view_of
from benchmark.html_report import render_html
from benchmark.outputs import staged_outputs
from benchmark.perturbations import PERTURBATIONS, perturb_texts
from benchmark.predictions_file import predictions_jsonl
from benchmark.provenance import (
    code_revision,
    config_hash,
    environment,
    file_checksums,
    package_versions,
)
from benchmark.ranking_metrics import WTR_LEVELS
from benchmark.registry import dataset_files, get_spec, load_dataset
from benchmark.report import render_markdown
from benchmark.result import DatasetProvenance, EvalResult, Provenance
from benchmark.schema import LabelSchema, load_schema
from benchmark.scoring import Scores, score
from benchmark.submission import read_submission
from benchmark.tracking import flatten, tracked_run

OUTPUT_FILES = ("result.json", "predictions.jsonl", "report.md", "report.html")


@dataclass(frozen=True)
class RunOutcome:
    result: EvalResult
    scores: Scores | BinaryScores
    output_dir: Path
    run_id: str | None
    tracking_uri: str | None


def execute(config: dict[str, Any], output_dir: Path, *, estimator: Any = None) -> RunOutcome:
    """Run the task in ``config`` (``train_eval`` needs an unfitted ``estimator``)."""
    task = config["task"]
    kind = task["name"]
    if kind not in ("train_eval", "score"):
        raise ConfigError(f"task.name is {kind!r}; expected 'train_eval' or 'score'.")
    if kind == "train_eval" and estimator is None:
        raise ConfigError("task 'train_eval' needs a model; choose one with model=tfidf_lr.")
    perturbations = _perturbation_names(config.get("robustness") or {})
    schema = load_schema()
    dataset_name = config["dataset"]["name"]
    spec = get_spec(dataset_name)
    options = dict(config["dataset"].get("options") or {})
    model_name = _model_name(config)
    tags = {
        "hibobench.kind": kind,
        "hibobench.dataset": dataset_name,
        "hibobench.model": model_name,
        "hibobench.schema_version": schema.version,
        "hibobench.code_revision": code_revision()["commit"] or "unknown",
        "hibobench.version": __version__,
    }
    with tracked_run(config["tracking"], run_name=f"{model_name}@{dataset_name}", tags=tags) as run:
        run.log_params(flatten(config))
        data = load_dataset(dataset_name, schema=schema, **options)
        evaluation = _split(data, task["eval_split"], dataset_name)
        gold = _labels(evaluation)
        ids = _column(evaluation, "id")
        train_from = config["dataset"].get("train_from")  # test-only datasets train elsewhere
        train_name = train_from["name"] if train_from else dataset_name
        train_options = dict(train_from.get("options") or {}) if train_from else options
        if kind == "train_eval":
            train_data = (
                load_dataset(train_name, schema=schema, **train_options) if train_from else data
            )
            train = _split(train_data, task["train_split"], train_name)
            model_labels = list(train.features["label"].names)
            estimator.fit(_column(train, "text"), _labels(train))
            texts = _column(evaluation, "text")
            predicted = np.asarray(estimator.predict(texts), dtype=np.int64)
            probabilities = _aligned_proba(estimator, texts, len(model_labels))
            submission_info = None
        else:
            if binary_view_of(list(evaluation.features["label"].names)):
                raise ConfigError(
                    f"{dataset_name} has binary labels; submitted predictions can only be scored "
                    "on four-way datasets for now. Train and evaluate with task=train_eval instead."
                )
            submission = read_submission(
                task["predictions"],
                ids=ids,
                schema=schema,
                dataset=f"{dataset_name}/{task['eval_split']}",
                encoding=task.get("encoding"),
                renormalise_scores=bool(task.get("renormalise_scores", False)),
            )
            for notice in submission.notices:
                print(f"hibobench: notice: {notice}", file=sys.stderr)
            model_labels = list(schema.class_ids)
            predicted, probabilities = submission.labels, submission.scores
            submission_info = submission.provenance()

        boot = config["bootstrap"]
        scoring = config.get("scoring") or {}
        scores = _score_split(
            evaluation, gold, predicted, probabilities, model_labels, schema, boot, scoring
        )
        sections = scores.to_dict()
        if "functionality" in evaluation.column_names:
            sections["hibo_check"] = check_scores(
                gold,
                predicted,
                case_ids=ids,
                functionality=_column(evaluation, "functionality"),
                functionality_names=_column(evaluation, "functionality_name"),
                ref_case_ids=_column(evaluation, "ref_case_id"),
                pair_types=_column(evaluation, "pair_type"),
                n_resamples=int(boot["n_resamples"]),
                confidence=float(boot["confidence"]),
                seed=int(boot["seed"]),
            )
        if perturbations and kind == "train_eval":
            sections["robustness"] = _robustness(
                estimator, texts, gold, predicted, perturbations, config, schema
            )
        extra = _extra_evaluations(config, kind)
        extra_provenance = {}
        if extra:
            sections["also_evaluated"] = {}
            for alias, entry in extra.items():
                extra_scores, extra_provenance[alias] = _evaluate_elsewhere(
                    alias, entry, estimator, model_labels, schema, boot, scoring
                )
                sections["also_evaluated"][alias] = extra_scores
        result = EvalResult(
            kind=kind,
            model=model_name,
            dataset=dataset_name,
            split=task["eval_split"],
            scores=sections,
            provenance=Provenance(
                dataset=DatasetProvenance(
                    name=dataset_name,
                    version=spec.version,
                    license=spec.license,
                    train_split=task.get("train_split") if kind == "train_eval" else None,
                    eval_split=task["eval_split"],
                    n_eval=len(gold),
                    files_sha256=file_checksums(dataset_files(dataset_name, **options)),
                    annotation_schema_version=spec.annotation_schema_version,
                    train_dataset=train_name if kind == "train_eval" else None,
                    train_files_sha256=(
                        file_checksums(dataset_files(train_name, **train_options))
                        if kind == "train_eval" and train_from
                        else None
                    ),
                ),
                label_schema_version=schema.version,
                config=config,
                config_sha256=config_hash(config),
                code=code_revision(),
                packages=package_versions(),
                environment=environment(),
                submission=submission_info,
                also_evaluated=extra_provenance or None,
            ),
        )
        with staged_outputs(output_dir) as staging:
            staging.write_text("report.md", render_markdown(result, schema))
            staging.write_text("report.html", render_html(result, schema))
            staging.write_text(
                "predictions.jsonl",
                predictions_jsonl(
                    ids,
                    gold,
                    list(evaluation.features["label"].names),
                    predicted,
                    model_labels,
                    probabilities,
                ),
            )
            staging.write_text("result.json", result.to_json())
            run.log_metrics(tracking_metrics(sections))
            run.log_artifacts(staging.paths)
        return RunOutcome(result, scores, output_dir, run.run_id, run.tracking_uri)


def tracking_metrics(sections: dict[str, Any]) -> dict[str, float]:
    """Flat metric names for MLflow from the result's score sections: headline values and CI
    bounds, per-class P/R/F1, HiboCheck and robustness, and every ``also_evaluate`` dataset
    under its own prefix (``court_cases.f1``)."""
    metrics = _score_section_metrics(sections)
    check = sections.get("hibo_check")
    if check:
        for fid, cell in check["functionalities"].items():
            metrics[f"check.{fid}.accuracy"] = cell["accuracy"]
        for pair_type, cell in check["pairs"].items():
            metrics[f"pair.{pair_type}.consistency"] = cell["consistency"]
            metrics[f"pair.{pair_type}.gap"] = cell["gap"]
        if check["pair_consistency"] is not None:
            metrics["pair_consistency"] = check["pair_consistency"]
    for name, cell in (sections.get("robustness") or {}).items():
        metrics[f"robust.{name}.macro_f1"] = cell["macro_f1"]
        metrics[f"robust.{name}.drop"] = cell["drop"]
    for alias, section in (sections.get("also_evaluated") or {}).items():
        metrics.update(
            {f"{_metric_part(alias)}.{k}": v for k, v in _score_section_metrics(section).items()}
        )
    return metrics


def _score_section_metrics(section: dict[str, Any]) -> dict[str, float]:
    metrics = _cell_metrics(section["headline"])
    for label, cell in (section.get("per_class") or {}).items():
        for measure in ("precision", "recall", "f1"):
            metrics[f"{measure}_{label}"] = cell[measure]
    for view, view_section in (section.get("binary_views") or {}).items():
        metrics.update(_cell_metrics(view_section["headline"], prefix=f"{view}."))
    calibration = section.get("calibration")
    if calibration:
        metrics.update(_cell_metrics({k: calibration[k] for k in ("ece", "brier")}))
    for subtype, cell in (section.get("illegal_subtype_recall") or {}).items():
        if cell["recall"] is not None:
            metrics[f"recall_illegal_{subtype}"] = cell["recall"]
    for column, values in (section.get("slices") or {}).items():
        for value, cell in values.items():
            metrics.update(
                _cell_metrics(
                    cell["headline"], prefix=f"slice.{_metric_part(column)}.{_metric_part(value)}."
                )
            )
    bias = section.get("bias") or {"subgroups": {}}
    for group, cell in bias["subgroups"].items():
        for measure in ("subgroup_auc", "bpsn_auc", "bnsp_auc"):
            if cell[measure] is not None:
                metrics[
                    f"bias.{_metric_part(bias['subgroup_column'])}.{_metric_part(group)}.{measure}"
                ] = cell[measure]
    return metrics


def _metric_part(part: Any) -> str:
    """A data value made safe inside an MLflow metric name (letters of any script, digits,
    ``_ - space`` stay; anything else, dots and slashes included, becomes ``_``)."""
    return re.sub(r"[^\w\- ]", "_", str(part)) or "_"


def _cell_metrics(cells: dict[str, Any], *, prefix: str = "") -> dict[str, float]:
    """``{name: value, name_ci_low: …, name_ci_high: …}`` from result cells (None skipped)."""
    metrics = {}
    for name, cell in cells.items():
        for suffix, key in (("", "value"), ("_ci_low", "ci_low"), ("_ci_high", "ci_high")):
            if cell[key] is not None:
                metrics[f"{prefix}{name}{suffix}"] = cell[key]
    return metrics


def _perturbation_names(robustness: dict[str, Any]) -> list[str]:
    names = robustness.get("perturbations") or []
    if isinstance(names, str):
        names = [names]
    if "all" in names:
        return sorted(PERTURBATIONS)
    unknown = [n for n in names if n not in PERTURBATIONS]
    if unknown:
        raise ConfigError(
            f"robustness.perturbations names {unknown[0]!r}; choose from {sorted(PERTURBATIONS)} or 'all'."
        )
    return list(names)


def _robustness(
    estimator: Any,
    texts: list[str],
    gold: np.ndarray,
    predicted: np.ndarray,
    names: list[str],
    config: dict[str, Any],
    schema: LabelSchema,
) -> dict[str, dict[str, float | None]]:
    """Macro-F1 drop under each perturbation of the evaluation texts, with a paired interval."""
    boot = config["bootstrap"]
    seed = int((config.get("robustness") or {}).get("seed", 0))
    out = {}
    for name in names:
        perturbed = np.asarray(
            estimator.predict(perturb_texts(texts, name, seed=seed)), dtype=np.int64
        )
        paired = paired_macro_f1_difference(
            gold,
            predicted,
            perturbed,
            schema=schema,
            n_resamples=int(boot["n_resamples"]),
            confidence=float(boot["confidence"]),
            seed=int(boot["seed"]),
        )
        out[name] = {
            "macro_f1": paired["macro_f1_b"],
            "drop": paired["difference"],
            "ci_low": paired["ci_low"],
            "ci_high": paired["ci_high"],
        }
    return out


def _model_name(config: dict[str, Any]) -> str:
    if config["task"]["name"] == "score":
        return config["task"].get("model_name") or Path(config["task"]["predictions"]).stem
    return str(config["model"]["name"])


def _split(data: Any, split: str, dataset_name: str) -> Any:
    if split not in data:
        raise ConfigError(
            f"dataset {dataset_name!r} has no split {split!r}; available splits are {sorted(data)}."
        )
    return data[split]


def _column(data: Any, name: str) -> list[Any]:
    """Every value of column ``name`` (after any select/filter/shuffle) as a Python list.

    ``data[name]`` on a ``datasets.Dataset`` converts row by row, about 40 s per million rows;
    the Arrow view takes a fraction of a second.
    """
    values: list[Any] = data.with_format("arrow")[name].to_pylist()
    return values


def _labels(data: Any) -> np.ndarray:
    """The ``label`` column (class indices) as an int64 array."""
    return np.asarray(data.with_format("arrow")["label"].to_numpy(), dtype=np.int64)


def _aligned_proba(estimator: Any, texts: list[str], n_classes: int) -> np.ndarray | None:
    """``predict_proba`` with one column per label of the training data (zeros for unseen ones)."""
    if not hasattr(estimator, "predict_proba"):
        return None
    raw = np.asarray(estimator.predict_proba(texts), dtype=float)
    aligned = np.zeros((len(texts), n_classes))
    aligned[:, np.asarray(estimator.classes_, dtype=np.int64)] = raw
    return aligned


def _score_split(
    evaluation: Any,
    gold: np.ndarray,
    predicted: np.ndarray,
    probabilities: np.ndarray | None,
    model_labels: list[str],
    schema: LabelSchema,
    boot: dict[str, Any],
    scoring: dict[str, Any],
) -> Scores | BinaryScores:
    """Four-way scores, or binary scores when the evaluation data only has a binary label.

    A model trained on the same binary task predicts 0/1 directly; a four-way model is read
    through the dataset's binary view (e.g. predicted ``illegal`` counts as positive).
    """
    gold_labels = list(evaluation.features["label"].names)
    n_resamples, confidence, seed = (
        int(boot["n_resamples"]),
        float(boot["confidence"]),
        int(boot["seed"]),
    )
    view = binary_view_of(gold_labels)
    wtr_levels = [float(r) for r in scoring.get("wtr_levels", WTR_LEVELS)]
    if view is None:
        if model_labels != list(schema.class_ids):
            raise ConfigError(
                "the model was trained on binary labels and cannot be scored on a four-way "
                "dataset; train it on a four-way dataset (e.g. hibo_core)."
            )
        columns = evaluation.column_names
        slices = {c: _column(evaluation, c) for c in scoring.get("slices") or [] if c in columns}
        bias_column = scoring.get("bias_column")
        return score(
            gold,
            predicted,
            scores=probabilities,
            schema=schema,
            costs=scoring.get("cost_matrix"),
            gold_subtypes=(
                _column(evaluation, "illegal_subtypes") if "illegal_subtypes" in columns else None
            ),
            slices=slices,
            bias_column=bias_column if bias_column in slices else None,
            wtr_levels=wtr_levels,
            calibration_bins=int(scoring.get("calibration_bins", 10)),
            n_resamples=n_resamples,
            confidence=confidence,
            seed=seed,
        )
    if model_labels == gold_labels:
        positive = None if probabilities is None else probabilities[:, 1]
        return score_binary(
            gold,
            predicted,
            positive_scores=positive,
            view=view,
            wtr_levels=wtr_levels,
            n_resamples=n_resamples,
            confidence=confidence,
            seed=seed,
        )
    if model_labels != list(schema.class_ids):
        raise ConfigError(
            f"the model was trained on labels {model_labels} and cannot be scored on labels "
            f"{gold_labels}; train it on a four-way dataset or on the same binary task."
        )
    binary, positive = four_way_to_binary(predicted, probabilities, view, schema)
    return score_binary(
        gold,
        binary,
        positive_scores=positive,
        view=view,
        wtr_levels=wtr_levels,
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
    )


def _extra_evaluations(config: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """``also_evaluate`` entries: ``{alias: {dataset?, options?, split?}}``."""
    entries = config.get("also_evaluate") or {}
    if entries and kind != "train_eval":
        raise ConfigError("also_evaluate needs a trained model (task=train_eval).")
    if not isinstance(entries, dict):
        raise ConfigError(
            "also_evaluate must map a name to {dataset, options, split}, e.g. "
            "+also_evaluate.court_cases.split=test; got " + repr(entries)
        )
    return {alias: dict(entry or {}) for alias, entry in entries.items()}


def _evaluate_elsewhere(
    alias: str,
    entry: dict[str, Any],
    estimator: Any,
    model_labels: list[str],
    schema: LabelSchema,
    boot: dict[str, Any],
    scoring: dict[str, Any],
) -> tuple[dict[str, Any], DatasetProvenance]:
    """Scores of the trained model on another dataset, and that dataset's provenance."""
    name = entry.get("dataset", alias)
    options = dict(entry.get("options") or {})
    split = entry.get("split", "test")
    spec = get_spec(name)
    evaluation = _split(load_dataset(name, schema=schema, **options), split, name)
    texts, gold = _column(evaluation, "text"), _labels(evaluation)
    predicted = np.asarray(estimator.predict(texts), dtype=np.int64)
    probabilities = _aligned_proba(estimator, texts, len(model_labels))
    scores = _score_split(
        evaluation, gold, predicted, probabilities, model_labels, schema, boot, scoring
    )
    provenance = DatasetProvenance(
        name=name,
        version=spec.version,
        license=spec.license,
        train_split=None,
        eval_split=split,
        n_eval=len(texts),
        files_sha256=file_checksums(dataset_files(name, **options)),
        annotation_schema_version=spec.annotation_schema_version,
    )
    return {"dataset": name, "split": split, **scores.to_dict()}, provenance
