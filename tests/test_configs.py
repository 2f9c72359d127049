"""Every config option composes, and every model config instantiates a working estimator."""

from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate
from omegaconf import OmegaConf
from sklearn.base import clone

from benchmark.registry import list_datasets
from benchmark.resources import conf_dir

GROUPS = {
    group.name: sorted(p.stem for p in group.glob("*.yaml"))
    for group in conf_dir().iterdir()
    if group.is_dir()
}


def _compose(*overrides: str):
    with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
        return compose(config_name="config", overrides=list(overrides))


@pytest.mark.parametrize(
    "override",
    [f"{group}={option}" for group, options in sorted(GROUPS.items()) for option in options],
)
def test_every_option_composes(override):
    required = {
        "task=score": ["task.predictions=x.jsonl"],
        "dataset=local": ["dataset.options.path=x.csv"],
    }
    extra = required.get(override, [])
    cfg = _compose(override, *extra)
    container = OmegaConf.to_container(cfg, resolve=True, throw_on_missing=True)
    assert container["dataset"]["name"] in list_datasets()


@pytest.mark.parametrize("model", GROUPS["model"])
def test_model_configs_instantiate_sklearn_estimators(model):
    estimator = instantiate(_compose(f"model={model}").model.estimator)
    clone(estimator).fit(["a", "b", "a"], [0, 1, 0]).predict(["a"])


def test_dataset_group_matches_registry():
    assert GROUPS["dataset"] == list_datasets()
    assert Path(conf_dir(), "config.yaml").is_file()
