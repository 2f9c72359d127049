"""Tracking to an MLflow server through config (server started here on 127.0.0.1)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import OFFLINE_ENV, hibobench

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mlflow_server(tmp_path: Path):
    port = _free_port()
    server_dir = tmp_path / "server"
    server_dir.mkdir()
    mlflow_bin = Path(sys.executable).with_name("mlflow")
    process = subprocess.Popen(
        [str(mlflow_bin), "server", "--backend-store-uri", f"sqlite:///{server_dir / 'mlflow.db'}",
         "--artifacts-destination", str(server_dir / "artifacts"),
         "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        cwd=server_dir, env={**os.environ, **OFFLINE_ENV},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    pytest.fail("mlflow server exited during start-up")
                time.sleep(0.5)
        else:
            pytest.fail("mlflow server did not answer within 60 s")
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_run_logs_to_a_server_given_in_config(tmp_path, mlflow_server):
    done = hibobench(
        "run",
        "model=majority",
        f"tracking.uri={mlflow_server}",
        "bootstrap.n_resamples=50",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "mlflow.db").exists()
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=mlflow_server)
    experiment = client.get_experiment_by_name("hibobench")
    (run,) = client.search_runs([experiment.experiment_id])
    assert run.info.status == "FINISHED"
    assert "macro_f1" in run.data.metrics
    assert {a.path for a in client.list_artifacts(run.info.run_id)} == {
        "result.json", "predictions.jsonl", "report.md", "report.html",
    }  # fmt: skip
