"""Shared fixtures. No test may touch the network: hub look-ups and telemetry are off,
and sockets to anything but the loopback interface are refused."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "true",
}
os.environ.update(OFFLINE_ENV)

REPO_ROOT = Path(__file__).resolve().parents[1]
_LOOPBACK = ("127.", "::1", "localhost")
_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address, *args, **kwargs):  # type: ignore[no-untyped-def]
    host = address[0] if isinstance(address, tuple) else str(address)
    if self.family in (socket.AF_INET, socket.AF_INET6) and not str(host).startswith(_LOOPBACK):
        raise RuntimeError(
            f"test tried to reach the network ({address!r}); tests must stay offline"
        )
    return _real_connect(self, address, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(scope="session")
def schema():
    from benchmark import load_schema

    return load_schema()


@pytest.fixture(scope="session")
def hibo_core():
    from benchmark import load_dataset

    return load_dataset("hibo_core")


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    path = Path(os.environ.get("HIBOBENCH_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.skip(f"shared datasets not found at {path} (set HIBOBENCH_SHARED_DATA to use them)")
    return path


def hibobench(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300):
    """Run the ``hibobench`` CLI in a subprocess, offline, from ``cwd``."""
    full_env = {**os.environ, **OFFLINE_ENV, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), *filter(None, [full_env.get("PYTHONPATH")])]
    )
    return subprocess.run(
        [sys.executable, "-m", "benchmark.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def mlflow_runs(db: Path) -> list[tuple[str, str]]:
    """``(run_id, status)`` of every run in an MLflow sqlite database."""
    import sqlite3

    if not db.exists():
        return []
    with sqlite3.connect(db) as connection:
        return list(connection.execute("SELECT run_uuid, status FROM runs"))
