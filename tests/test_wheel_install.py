"""An installed (non-editable) wheel finds its config, schema and data from any directory."""

import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import OFFLINE_ENV, REPO_ROOT

pytestmark = pytest.mark.integration


def test_wheel_carries_conf_and_schema_and_runs_elsewhere(tmp_path):
    pytest.importorskip("hatchling", reason="building the wheel needs hatchling (the dev extra)")
    wheel_dir, target, work = tmp_path / "wheel", tmp_path / "site", tmp_path / "elsewhere"
    work.mkdir()
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-w", str(wheel_dir), str(REPO_ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = wheel_dir.glob("hibobench-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for member in (
        "benchmark/_bundled/conf/config.yaml",
        "benchmark/_bundled/annotation_guidelines/schema.yaml",
        "benchmark/data/hibo_core/posts.jsonl",
        "baselines/tfidf_logreg.py",
    ):
        assert member in names, member
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    env = {**os.environ, **OFFLINE_ENV, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from benchmark.cli import main; sys.exit(main())",
         "run", "model=majority", "tracking=none", "bootstrap.n_resamples=50"],
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "_bundled" in subprocess.run(
        [sys.executable, "-c", "from benchmark.resources import conf_dir; print(conf_dir())"],
        cwd=work, env=env, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    assert len(list((work / "outputs").rglob("result.json"))) == 1
