"""HiboBench: can a classifier tell illegal Japanese online defamation apart from harmful
content and from legitimate criticism — and what does it cost free expression when it cannot?

Public API::

    from benchmark import load_dataset, score
"""

from benchmark.errors import HiboBenchError, PredictionsError, SchemaError
from benchmark.registry import DatasetSpec, list_datasets, load_dataset
from benchmark.schema import LabelSchema, load_schema
from benchmark.scoring import Interval, Scores, score

__version__ = "0.1.0"

__all__ = [
    "DatasetSpec",
    "HiboBenchError",
    "Interval",
    "LabelSchema",
    "PredictionsError",
    "SchemaError",
    "Scores",
    "__version__",
    "list_datasets",
    "load_dataset",
    "load_schema",
    "score",
]
