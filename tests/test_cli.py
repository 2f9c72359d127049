"""End-to-end tests of the ``hibobench`` command line, each in its own temporary directory."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmark import load_schema
from benchmark.registry import REGISTRY
from benchmark.result import load_result
from benchmark.submission import sha256_file
from tests.conftest import REPO_ROOT, hibobench, mlflow_runs

pytestmark = pytest.mark.integration

FAST = "bootstrap.n_resamples=200"


def _result_files(root: Path) -> list[Path]:
    return sorted(root.rglob("result.json"))


def test_help_is_fast_and_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from benchmark.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('HEAVY', sorted(m for m in ('mlflow', 'sklearn', 'torch', 'datasets') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "hibobench run" in done.stdout
    assert "HEAVY []" in done.stdout


def test_default_run_writes_outputs_and_one_finished_mlflow_run(tmp_path, hibo_core):
    done = hibobench("run", FAST, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "マクロF1 / Macro-F1" in done.stdout and "MLflow run" in done.stdout

    (result_path,) = _result_files(tmp_path / "outputs")
    run_dir = result_path.parent
    result = load_result(result_path)
    assert result.kind == "train_eval" and result.model == "tfidf_lr"
    assert result.provenance.label_schema_version == load_schema().version
    assert (
        result.provenance.dataset.annotation_schema_version
        == REGISTRY["hibo_core"].annotation_schema_version
        == "0.2"
    )
    posts = REPO_ROOT / "benchmark" / "data" / "hibo_core" / "posts.jsonl"
    assert result.provenance.dataset.files_sha256["posts.jsonl"] == sha256_file(posts)
    assert result.provenance.config["model"]["estimator"]["_target_"] == "baselines.TfidfLogReg"
    assert "scikit-learn" in result.provenance.packages

    predictions = (run_dir / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(predictions) == len(hibo_core["test"]) == result.scores["n"]
    first = json.loads(predictions[0])
    assert set(first) == {"id", "gold", "predicted", "scores"}
    assert "過剰削除率" in (run_dir / "report.md").read_text(encoding="utf-8")

    runs = mlflow_runs(tmp_path / "mlflow.db")
    assert [status for _, status in runs] == ["FINISHED"]
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    run = client.get_run(runs[0][0])
    headline = result.scores["headline"]
    for name in ("macro_f1", "wrongful_takedown_rate", "illegal_miss_rate", "cost_weighted_error"):
        assert run.data.metrics[name] == pytest.approx(headline[name]["value"])
    # score-based metrics reach result.json, MLflow and the report
    view = result.scores["binary_views"]["illegal"]["headline"]
    for name in ("recall_at_wtr_1pct", "recall_at_wtr_5pct", "pr_auc"):
        assert run.data.metrics[f"illegal.{name}"] == pytest.approx(view[name]["value"])
    assert run.data.metrics["ece"] == pytest.approx(result.scores["calibration"]["ece"]["value"])
    company = result.scores["bias"]["subgroups"]["company"]
    for name in ("bpsn_auc", "bnsp_auc"):
        assert run.data.metrics[f"bias.target_type.company.{name}"] == pytest.approx(company[name])
    report = (run_dir / "report.md").read_text(encoding="utf-8")
    assert "過剰削除率1%での再現率 / Recall at 1% wrongful takedown" in report
    assert "BPSN AUC" in report and "期待較正誤差（ECE）" in report
    assert run.data.params["model.name"] == "tfidf_lr"
    assert run.data.tags["hibobench.dataset"] == "hibo_core"
    assert run.data.tags["hibobench.schema_version"] == load_schema().version
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert artifacts == {"result.json", "predictions.jsonl", "report.md", "report.html"}


def test_multirun_sweeps_models(tmp_path):
    done = hibobench("run", "-m", "model=majority,tfidf_lr", FAST, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    models = {load_result(p).model for p in _result_files(tmp_path / "multirun")}
    assert models == {"majority", "tfidf_lr"}
    assert [s for _, s in mlflow_runs(tmp_path / "mlflow.db")] == ["FINISHED", "FINISHED"]


def test_tracking_none_writes_outputs_without_mlflow(tmp_path):
    done = hibobench("run", "model=majority", "tracking=none", FAST, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(_result_files(tmp_path / "outputs")) == 1
    assert not (tmp_path / "mlflow.db").exists() and not (tmp_path / "mlruns").exists()


def _write_predictions(path: Path, rows: list) -> Path:
    path.write_text(
        "".join(
            (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows
        ),
        encoding="utf-8",
    )
    return path


def test_score_a_submitted_file(tmp_path, hibo_core, schema):
    test = hibo_core["test"]
    rows = [
        {"id": i, "label": schema.int2str(y)}
        for i, y in zip(test["id"], test["label"], strict=True)
    ]
    preds = _write_predictions(tmp_path / "perfect.jsonl", rows)
    done = hibobench(
        "score",
        "--dataset",
        "hibo_core",
        "--split",
        "test",
        "--predictions",
        str(preds),
        FAST,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    (result_path,) = _result_files(tmp_path / "outputs")
    result = load_result(result_path)
    assert result.kind == "score" and result.model == "perfect"
    assert result.scores["headline"]["macro_f1"]["value"] == 1.0
    assert result.provenance.submission["sha256"] == sha256_file(preds)
    assert [s for _, s in mlflow_runs(tmp_path / "mlflow.db")] == ["FINISHED"]


def _bad_submissions(test, schema) -> dict[str, tuple[list, str]]:
    good = [{"id": i, "label": "none"} for i in test["id"]]
    return {
        "unknown_id": ([*good, {"id": "no-such-item", "label": "none"}], "is not an item of hibo_core/test"),
        "missing_id": (good[1:], "have no prediction"),
        "duplicate_id": ([*good, good[0]], "already appeared on line 1"),
        "label_outside_schema": ([{**good[0], "label": "defamation"}, *good[1:]], "label 'defamation' is not a class"),
        "malformed_json": ([*good[:3], '{"id": oops}', *good[3:]], ":4: malformed JSON"),
    }  # fmt: skip


@pytest.mark.parametrize(
    "case",
    ["unknown_id", "missing_id", "duplicate_id", "label_outside_schema", "malformed_json", "cp932"],
)
def test_bad_submission_fails_cleanly(tmp_path, hibo_core, schema, case):
    preds = tmp_path / f"{case}.jsonl"
    if case == "cp932":  # a lead byte with no trail byte: neither UTF-8 nor CP932
        rows = [{"id": i, "label": "none", "memo": "批判"} for i in hibo_core["test"]["id"]]
        preds.write_bytes(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("cp932")
            + b"\x81\n"
        )
        expected = f":{len(rows) + 1}: the file is neither UTF-8 nor CP932"
    else:
        rows, expected = _bad_submissions(hibo_core["test"], schema)[case]
        _write_predictions(preds, rows)
    done = hibobench("score", "--predictions", str(preds), FAST, cwd=tmp_path)
    assert done.returncode == 2
    error_lines = [
        line for line in done.stderr.splitlines() if line.startswith("hibobench: error:")
    ]
    assert len(error_lines) == 1, done.stderr
    assert str(preds) in error_lines[0] and expected in error_lines[0]
    assert "Traceback" not in done.stderr
    assert [s for _, s in mlflow_runs(tmp_path / "mlflow.db")] == ["FAILED"]
    assert _result_files(tmp_path) == []
    assert not list(tmp_path.rglob("predictions.jsonl")) and not list(tmp_path.rglob("report.md"))


def test_unknown_split_is_a_config_error(tmp_path):
    done = hibobench("run", "task.eval_split=validation", "tracking=none", cwd=tmp_path)
    assert done.returncode == 2
    assert "has no split 'validation'; available splits are ['dev', 'test', 'train']" in done.stderr


def test_datasets_command_lists_the_registry(tmp_path):
    done = hibobench("datasets", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "hibo_core" in done.stdout and "CC BY 4.0" in done.stdout


def test_hibo_check_run_with_robustness_reports_every_section(tmp_path):
    done = hibobench(
        "run", "dataset=hibo_check", "robustness.perturbations=[fuseji,romaji]", FAST, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "contrast-pair consistency" in done.stdout and "robustness romaji" in done.stdout
    (result_path,) = _result_files(tmp_path / "outputs")
    result = load_result(result_path)
    assert result.provenance.dataset.train_dataset == "hibo_core"
    check = result.scores["hibo_check"]
    assert len(check["functionalities"]) >= 30 and len(check["weakest"]) == 5
    for cell in check["functionalities"].values():
        assert cell["ci_low"] <= cell["accuracy"] <= cell["ci_high"]
    assert "private_vs_official" in check["pairs"]
    robustness = result.scores["robustness"]
    assert set(robustness) == {"fuseji", "romaji"}
    report = (result_path.parent / "report.md").read_text(encoding="utf-8")
    assert "HiboCheck" in report and "`romaji`" in report
    from mlflow.tracking import MlflowClient

    ((run_id, status),) = mlflow_runs(tmp_path / "mlflow.db")
    metrics = (
        MlflowClient(tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
        .get_run(run_id)
        .data.metrics
    )
    assert status == "FINISHED"
    assert metrics["robust.romaji.drop"] == pytest.approx(robustness["romaji"]["drop"])
    assert metrics["pair_consistency"] == pytest.approx(check["pair_consistency"])
    assert "check.F01.accuracy" in metrics


def test_unknown_perturbation_is_a_config_error(tmp_path):
    done = hibobench(
        "run", "model=majority", "tracking=none", "robustness.perturbations=[leet]", cwd=tmp_path
    )
    assert done.returncode == 2
    assert "robustness.perturbations names 'leet'" in done.stderr


def test_train_on_hibo_core_and_evaluate_on_court_cases_and_a_local_csv_in_one_mlflow_run(
    tmp_path, shared_data_dir
):
    posts = tmp_path / "my_posts.csv"
    posts.write_text(
        "id,text,label\n"
        "a1,市長の図書館廃止案は説明不足だと思う。議事録を読む限り代替案がない,批判\n"
        "a2,店長の田中は客の金を盗んでるらしい、みんな知ってる,違法\n"
        "a3,今日はいい天気ですね,該当なし\n"
        "a4,○○人は全員出ていけ,有害\n",
        encoding="utf-8",
    )
    done = hibobench(
        "run", FAST,
        "+also_evaluate.court_cases={}",
        f"+also_evaluate.mine={{dataset: local, options: {{path: '{posts}'}}}}",
        cwd=tmp_path,
        env={"HIBOBENCH_DATA_DIR": str(shared_data_dir)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    ((run_id, status),) = mlflow_runs(tmp_path / "mlflow.db")
    assert status == "FINISHED"
    import mlflow

    run = mlflow.MlflowClient(f"sqlite:///{tmp_path / 'mlflow.db'}").get_run(run_id)
    for name in (
        "macro_f1",
        "court_cases.f1",
        "court_cases.roc_auc",
        "mine.macro_f1",
        "mine.accuracy",
    ):
        assert name in run.data.metrics, name
    (result_path,) = _result_files(tmp_path / "outputs")
    result = load_result(result_path)
    extra = result.scores["also_evaluated"]
    assert extra["court_cases"]["binary_view"] == "illegal" and extra["court_cases"]["n"] > 400
    assert extra["mine"]["n"] == 4 and extra["mine"]["dataset"] == "local"
    assert set(result.provenance.also_evaluated) == {"court_cases", "mine"}
    assert result.provenance.also_evaluated["mine"].files_sha256
    report = (result_path.parent / "report.md").read_text(encoding="utf-8")
    assert "他のデータセットでの評価 / Also evaluated on" in report and "`mine`" in report


def test_a_missing_external_dataset_fails_fast_with_where_to_get_it(tmp_path):
    done = hibobench(
        "run", "tracking=none", "dataset=court_cases", cwd=tmp_path,
        env={"HIBOBENCH_DATA_DIR": str(tmp_path / "nothing")},
    )  # fmt: skip
    assert done.returncode == 2
    message = done.stderr
    assert "court_cases" in message and "github.com" in message and "CC BY-NC 4.0" in message
    assert str(tmp_path / "nothing") in message
    assert not (tmp_path / "outputs").exists() or not _result_files(tmp_path / "outputs")
