"""MLflow metric names built from data values (slice values, subgroups, aliases) are valid."""

import numpy as np
from mlflow.utils.validation import path_not_unique, validate_param_and_metric_name

from benchmark import score
from benchmark.runner import tracking_metrics


def test_metric_names_from_arbitrary_slice_values_are_valid_for_mlflow():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 4, 120)
    pred = np.where(rng.random(120) < 0.7, gold, rng.integers(0, 4, 120))
    proba = np.eye(4)[pred] * 0.7 + 0.075
    platform = rng.choice(["x(y)/z", "ツイッター", "", "../up", "a.b"], 120).tolist()
    section = score(
        gold, pred, scores=proba, slices={"platform": platform}, bias_column="platform",
        n_resamples=20,
    ).to_dict()  # fmt: skip
    names = tracking_metrics({**section, "also_evaluated": {"my posts.csv": section}})
    assert any(name.startswith("slice.platform.ツイッター.") for name in names)
    assert any(name.startswith("bias.platform.x_y__z.") for name in names)
    assert any(name.startswith("my posts_csv.slice.platform._.") for name in names)
    for name in names:
        assert validate_param_and_metric_name(name), name
        assert not path_not_unique(name), name
    # values that differ only in characters MLflow refuses may collide: none here
    assert len({n for n in names if n.startswith("slice.platform.")}) == 5 * 5 * 3
