"""Experiment tracking: MLflow, or nothing (``tracking=none``).

mlflow is imported only when a tracked run starts. A run whose body raises is ended
as FAILED (KILLED on Ctrl-C), never FINISHED.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from benchmark.errors import ConfigError

_MAX_PARAM_VALUE = 6000
_BATCH = 100


class TrackedRun(Protocol):
    run_id: str | None
    tracking_uri: str | None

    def log_params(self, params: Mapping[str, Any]) -> None: ...

    def log_metrics(self, metrics: Mapping[str, float]) -> None: ...

    def log_artifacts(self, paths: list[Path]) -> None: ...


class NullRun:
    """Tracking turned off: every call does nothing."""

    run_id: str | None = None
    tracking_uri: str | None = None

    def log_params(self, params: Mapping[str, Any]) -> None:
        pass

    def log_metrics(self, metrics: Mapping[str, float]) -> None:
        pass

    def log_artifacts(self, paths: list[Path]) -> None:
        pass


class MlflowRun:
    def __init__(self, client: Any, run_id: str, tracking_uri: str) -> None:
        self._client = client
        self.run_id: str | None = run_id
        self.tracking_uri: str | None = tracking_uri

    def log_params(self, params: Mapping[str, Any]) -> None:
        from mlflow.entities import Param

        items = [Param(k, str(v)[:_MAX_PARAM_VALUE]) for k, v in params.items()]
        for start in range(0, len(items), _BATCH):
            self._client.log_batch(self.run_id, params=items[start : start + _BATCH])

    def log_metrics(self, metrics: Mapping[str, float]) -> None:
        import time

        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        items = [Metric(k, float(v), now, 0) for k, v in metrics.items() if math.isfinite(v)]
        for start in range(0, len(items), _BATCH):
            self._client.log_batch(self.run_id, metrics=items[start : start + _BATCH])

    def log_artifacts(self, paths: list[Path]) -> None:
        for path in paths:
            self._client.log_artifact(self.run_id, str(path))


@contextmanager
def tracked_run(
    tracking: Mapping[str, Any], *, run_name: str, tags: Mapping[str, str]
) -> Iterator[TrackedRun]:
    """Open a run for the ``tracking`` config (``backend: mlflow`` or ``backend: none``)."""
    backend = tracking.get("backend")
    if backend == "none":
        yield NullRun()
        return
    if backend != "mlflow":
        raise ConfigError(
            f"tracking.backend is {backend!r}; expected 'mlflow' or 'none' "
            "(choose with tracking=mlflow or tracking=none)."
        )
    from mlflow.tracking import MlflowClient

    uri = str(tracking["uri"])
    client = MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name(tracking["experiment"])
    experiment_id = (
        experiment.experiment_id
        if experiment is not None
        else client.create_experiment(tracking["experiment"])
    )
    run = client.create_run(experiment_id, run_name=run_name, tags=dict(tags))
    run_id = run.info.run_id
    try:
        yield MlflowRun(client, run_id, uri)
    except KeyboardInterrupt:
        client.set_terminated(run_id, status="KILLED")
        raise
    except BaseException:
        client.set_terminated(run_id, status="FAILED")
        raise
    client.set_terminated(run_id, status="FINISHED")


def flatten(config: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` → ``{"a.b": 1}`` (lists kept as values)."""
    flat: dict[str, Any] = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, prefix=f"{name}."))
        else:
            flat[name] = value
    return flat
