"""End-to-end ``hibobench score`` on 1,000,000 predictions versus just parsing the file.

Run on demand (pytest does not collect ``bench_*.py``)::

    .venv/bin/python tests/perf/bench_score.py [--rows 1000000] [--keep DIR]

It writes a ``local`` dataset (CSV: id, text, label) and a JSONL predictions file with scores
into a temporary folder, runs ``hibobench score ... tracking=none`` in a subprocess, and
compares its wall time with ``pyarrow.json.read_json`` on the same file (the fastest reader
HiboBench uses). Peak memory is the child's peak RSS. A breakdown (start-up, dataset load,
parsing, scoring, writing), timed in this process, explains the ratio.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
CLASSES = ("illegal", "harmful", "criticism", "none")
CLASS_MIX = (0.15, 0.25, 0.20, 0.40)
TEXTS = (
    "市長の図書館廃止案は説明不足だと思う",
    "店長は客の金を盗んでるらしい",
    "今日はいい天気ですね",
)
TARGET_RATIO, TARGET_PEAK_GB = 3.0, 1.5


def write_files(folder: Path, n: int) -> tuple[Path, Path]:
    rng = np.random.default_rng(0)
    gold = rng.choice(4, size=n, p=CLASS_MIX)
    probs = rng.dirichlet(np.ones(4), size=n).round(6)
    probs[:, 3] = 1 - probs[:, :3].sum(axis=1)
    pred = probs.argmax(axis=1)
    posts, preds = folder / "posts.csv", folder / "preds.jsonl"
    with posts.open("w", encoding="utf-8") as handle:
        handle.write("id,text,label\n")
        handle.writelines(
            f"post-{i:07d},{TEXTS[i % 3]}{i},{CLASSES[g]}\n" for i, g in enumerate(gold)
        )
    with preds.open("w", encoding="utf-8") as handle:
        for i in range(n):
            scores = dict(zip(CLASSES, probs[i].round(6).tolist(), strict=True))
            row = {"id": f"post-{i:07d}", "label": CLASSES[pred[i]], "scores": scores}
            handle.write(json.dumps(row) + "\n")
    return posts, preds


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def parse_only(preds: Path) -> float:
    import pyarrow.json as pa_json

    def read() -> Any:
        return pa_json.read_json(io.BytesIO(preds.read_bytes()))

    return min(timed(read)[0] for _ in range(3))


def end_to_end(folder: Path, posts: Path, preds: Path, resamples: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (GB) of ``hibobench score`` in a child process."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "HF_HUB_OFFLINE": "1",
           "HF_DATASETS_OFFLINE": "1", "MLFLOW_DISABLE_TELEMETRY": "true"}  # fmt: skip
    command = [sys.executable, "-m", "benchmark.cli", "score", "--dataset", "local",
               "--predictions", str(preds), "tracking=none",
               f"dataset.options.path={posts}", f"bootstrap.n_resamples={resamples}"]  # fmt: skip
    seconds, done = timed(
        lambda: subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    )
    if done.returncode != 0:
        sys.exit(f"hibobench score failed:\n{done.stderr}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb / 1024**2


def breakdown(posts: Path, preds: Path, resamples: int) -> dict[str, float]:
    """Seconds of each stage of the score task, run in this process."""
    startup = timed(
        lambda: subprocess.run(
            [sys.executable, "-c", "import benchmark.cli, benchmark.hydra_app, benchmark.runner"],
            cwd=REPO_ROOT,
            check=True,
        )
    )[0]
    from benchmark.registry import load_dataset
    from benchmark.runner import _column, _labels, _predictions_jsonl
    from benchmark.schema import load_schema
    from benchmark.scoring import score
    from benchmark.submission import read_submission

    schema = load_schema()
    load, data = timed(lambda: load_dataset("local", schema=schema, path=str(posts)))
    test = data["test"]
    columns, (ids, gold) = timed(lambda: (_column(test, "id"), _labels(test)))
    parse, sub = timed(lambda: read_submission(preds, ids=ids, schema=schema, dataset="local/test"))
    scoring = timed(
        lambda: score(gold, sub.labels, scores=sub.scores, schema=schema, n_resamples=resamples)
    )[0]
    names = list(schema.class_ids)
    writing = timed(lambda: _predictions_jsonl(ids, gold, names, sub.labels, names, sub.scores))[0]
    return {
        "process start-up and imports": startup,
        "dataset load (local CSV)": load,
        "dataset columns to Python": columns,
        "parsing and validating predictions": parse,
        f"scoring ({resamples} bootstrap resamples)": scoring,
        "writing predictions.jsonl": writing,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap.n_resamples")
    parser.add_argument("--keep", type=Path, default=None, help="write the files here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        posts, preds = write_files(folder, args.rows)
        size_mb = preds.stat().st_size / 1e6
        parse = parse_only(preds)
        total, peak = end_to_end(folder, posts, preds, args.resamples)
        stages = breakdown(posts, preds, args.resamples)
    ratio = total / parse
    print(f"hibobench score on {args.rows:,} predictions with scores ({size_mb:.0f} MB JSONL), "
          f"bootstrap.n_resamples={args.resamples}")  # fmt: skip
    print(f"  pyarrow.json.read_json alone:  {parse:.2f} s")
    print(f"  hibobench score end to end:    {total:.2f} s")
    print(f"  ratio: {ratio:.1f}x (target <= {TARGET_RATIO:g}x: "
          f"{'met' if ratio <= TARGET_RATIO else 'NOT met'})")  # fmt: skip
    print(f"  peak memory (child RSS): {peak:.2f} GB (target < {TARGET_PEAK_GB} GB: "
          f"{'met' if peak < TARGET_PEAK_GB else 'NOT met'})")  # fmt: skip
    print("  breakdown, timed in this process:")
    for stage, seconds in stages.items():
        print(f"    {stage:<38} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
