"""The Hydra entry point behind ``hibobench run`` and ``hibobench score``.

Hydra composes ``conf/``, handles overrides and multirun sweeps, and creates the run
directory; everything else happens in :func:`benchmark.runner.execute`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import MissingMandatoryValue

from benchmark.errors import HiboBenchError
from benchmark.resources import conf_dir


@hydra.main(config_path=str(conf_dir()), config_name="config", version_base="1.3")
def hydra_main(cfg: DictConfig) -> None:
    from benchmark.console import print_summary
    from benchmark.runner import execute

    output_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        config = {
            str(k): v
            for k, v in OmegaConf.to_container(cfg, resolve=True, throw_on_missing=True).items()  # type: ignore[union-attr]
        }
        estimator = instantiate(cfg.model.estimator) if cfg.task.name == "train_eval" else None
        outcome = execute(config, output_dir, estimator=estimator)
    except HiboBenchError as err:
        print(f"hibobench: error: {err}", file=sys.stderr)
        sys.exit(2)
    except MissingMandatoryValue as err:
        print(
            f"hibobench: error: config value '{err.full_key}' is required but not set; "
            f"add {err.full_key}=VALUE to the command line.",
            file=sys.stderr,
        )
        sys.exit(2)
    print_summary(outcome)
