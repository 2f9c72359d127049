"""One benchmark run: dataset → classifier or submitted file → scores → outputs → tracking.

Configuration arrives as a plain dict (composed by Hydra in :mod:`benchmark.hydra_app`);
nothing here depends on Hydra.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmark import __version__
from benchmark.check_scoring import check_scores
from benchmark.errors import ConfigError
from benchmark.outputs import staged_outputs
from benchmark.perturbations import PERTURBATIONS, perturb_texts
from benchmark.provenance import (
    code_revision,
    config_hash,
    environment,
    file_checksums,
    package_versions,
)
from benchmark.registry import dataset_files, get_spec, load_dataset
from benchmark.report import render_markdown
from benchmark.result import DatasetProvenance, EvalResult, Provenance
from benchmark.schema import LabelSchema, load_schema
from benchmark.scoring import Scores, paired_macro_f1_difference, score
from benchmark.submission import read_submission
from benchmark.tracking import flatten, tracked_run

OUTPUT_FILES = ("result.json", "predictions.jsonl", "report.md")


@dataclass(frozen=True)
class RunOutcome:
    result: EvalResult
    scores: Scores
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
        gold = np.asarray(evaluation["label"], dtype=np.int64)
        texts = list(evaluation["text"])
        train_from = config["dataset"].get("train_from")  # test-only datasets train elsewhere
        train_name = train_from["name"] if train_from else dataset_name
        train_options = dict(train_from.get("options") or {}) if train_from else options
        if kind == "train_eval":
            train_data = (
                load_dataset(train_name, schema=schema, **train_options) if train_from else data
            )
            train = _split(train_data, task["train_split"], train_name)
            estimator.fit(list(train["text"]), np.asarray(train["label"]))
            predicted = np.asarray(estimator.predict(texts), dtype=np.int64)
            probabilities = _aligned_proba(estimator, texts, schema)
            submission_info = None
        else:
            submission = read_submission(
                task["predictions"],
                ids=list(evaluation["id"]),
                schema=schema,
                dataset=f"{dataset_name}/{task['eval_split']}",
            )
            predicted, probabilities = submission.labels, submission.scores
            submission_info = {"path": str(submission.path), "sha256": submission.sha256}

        boot = config["bootstrap"]
        scores = score(
            gold,
            predicted,
            scores=probabilities,
            schema=schema,
            n_resamples=int(boot["n_resamples"]),
            confidence=float(boot["confidence"]),
            seed=int(boot["seed"]),
        )
        sections = scores.to_dict()
        if "functionality" in evaluation.column_names:
            sections["hibo_check"] = check_scores(
                gold,
                predicted,
                case_ids=list(evaluation["id"]),
                functionality=list(evaluation["functionality"]),
                functionality_names=list(evaluation["functionality_name"]),
                ref_case_ids=list(evaluation["ref_case_id"]),
                pair_types=list(evaluation["pair_type"]),
                n_resamples=int(boot["n_resamples"]),
                confidence=float(boot["confidence"]),
                seed=int(boot["seed"]),
            )
        if perturbations and kind == "train_eval":
            sections["robustness"] = _robustness(
                estimator, texts, gold, predicted, perturbations, config, schema
            )
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
            ),
        )
        with staged_outputs(output_dir) as staging:
            staging.write_text("report.md", render_markdown(result, schema))
            staging.write_text(
                "predictions.jsonl",
                _predictions_jsonl(list(evaluation["id"]), gold, predicted, probabilities, schema),
            )
            staging.write_text("result.json", result.to_json())
            run.log_metrics(tracking_metrics(scores, sections))
            run.log_artifacts(staging.paths)
        return RunOutcome(result, scores, output_dir, run.run_id, run.tracking_uri)


def tracking_metrics(scores: Scores, sections: dict[str, Any] | None = None) -> dict[str, float]:
    """Flat metric names for MLflow: headline values and CI bounds, per-class P/R/F1, and the
    HiboCheck and robustness sections when present."""
    metrics: dict[str, float] = {}
    for name, value in scores.metrics.items():
        metrics[name] = value
        metrics[f"{name}_ci_low"] = scores.intervals[name].low
        metrics[f"{name}_ci_high"] = scores.intervals[name].high
    for label, c in scores.per_class.items():
        metrics[f"precision_{label}"] = c.precision
        metrics[f"recall_{label}"] = c.recall
        metrics[f"f1_{label}"] = c.f1
    metrics.update(scores.score_metrics)
    check = (sections or {}).get("hibo_check")
    if check:
        for fid, cell in check["functionalities"].items():
            metrics[f"check.{fid}.accuracy"] = cell["accuracy"]
        for pair_type, cell in check["pairs"].items():
            metrics[f"pair.{pair_type}.consistency"] = cell["consistency"]
            metrics[f"pair.{pair_type}.gap"] = cell["gap"]
        if check["pair_consistency"] is not None:
            metrics["pair_consistency"] = check["pair_consistency"]
    for name, cell in ((sections or {}).get("robustness") or {}).items():
        metrics[f"robust.{name}.macro_f1"] = cell["macro_f1"]
        metrics[f"robust.{name}.drop"] = cell["drop"]
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
) -> dict[str, dict[str, float]]:
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


def _aligned_proba(estimator: Any, texts: list[str], schema: LabelSchema) -> np.ndarray | None:
    """``predict_proba`` with one column per schema class (zeros for classes unseen in training)."""
    if not hasattr(estimator, "predict_proba"):
        return None
    raw = np.asarray(estimator.predict_proba(texts), dtype=float)
    aligned = np.zeros((len(texts), schema.num_classes))
    aligned[:, np.asarray(estimator.classes_, dtype=np.int64)] = raw
    return aligned


def _predictions_jsonl(
    ids: list[str],
    gold: np.ndarray,
    predicted: np.ndarray,
    probabilities: np.ndarray | None,
    schema: LabelSchema,
) -> str:
    names = schema.class_ids
    rows = []
    for i, item_id in enumerate(ids):
        row: dict[str, Any] = {
            "id": item_id,
            "gold": names[gold[i]],
            "predicted": names[predicted[i]],
        }
        if probabilities is not None:
            row["scores"] = {
                name: round(float(p), 6) for name, p in zip(names, probabilities[i], strict=True)
            }
        rows.append(json.dumps(row, ensure_ascii=False))
    return "\n".join(rows) + "\n"
