"""Predicts the most frequent training class for every input."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted


class MajorityClassifier(ClassifierMixin, BaseEstimator):
    """Always predicts the majority class; ``predict_proba`` returns the class priors.

    Ties are broken by the order of ``classes_`` (sorted labels), so the result is
    deterministic.
    """

    def fit(self, X: Sequence[Any], y: Sequence[Any]) -> MajorityClassifier:
        labels = np.asarray(y)
        if len(X) != labels.shape[0]:
            raise ValueError(
                f"X has {len(X)} items but y has {labels.shape[0]}; give one label per item."
            )
        if labels.shape[0] == 0:
            raise ValueError("cannot fit on an empty training set.")
        self.classes_, counts = np.unique(labels, return_counts=True)
        self.class_prior_ = counts / counts.sum()
        self.majority_index_ = int(np.argmax(counts))
        return self

    def predict_proba(self, X: Sequence[Any]) -> np.ndarray:
        check_is_fitted(self)
        return np.tile(self.class_prior_, (len(X), 1))

    def predict(self, X: Sequence[Any]) -> np.ndarray:
        check_is_fitted(self)
        return np.full(len(X), self.classes_[self.majority_index_])
