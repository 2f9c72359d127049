"""Character n-gram TF-IDF with class-balanced logistic regression.

Character n-grams need no Japanese tokenizer; texts are NFKC-normalised first so
full-width and half-width forms (ＡＢＣ/ABC, ｶﾀｶﾅ/カタカナ) share features.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted


def normalize_text(text: str) -> str:
    """NFKC normalisation and lower-casing (full-width/half-width become one form)."""
    return unicodedata.normalize("NFKC", text).lower()


class TfidfLogReg(ClassifierMixin, BaseEstimator):
    """Char ``ngram_range`` TF-IDF (sublinear tf) + ``class_weight="balanced"`` logistic regression.

    Args:
        ngram_range: character n-gram lengths.
        min_df: minimum document frequency of an n-gram.
        max_features: keep at most this many n-grams (``None``: all).
        C: inverse regularisation strength.
        max_iter: solver iterations.
        random_state: seed of the solver.
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 3),
        min_df: int = 1,
        max_features: int | None = None,
        C: float = 10.0,
        max_iter: int = 2000,
        random_state: int | None = 0,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.C = C
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X: Sequence[str], y: Sequence) -> TfidfLogReg:
        texts = _as_texts(X)
        labels = np.asarray(y)
        if len(texts) != labels.shape[0]:
            raise ValueError(f"X has {len(texts)} texts but y has {labels.shape[0]} labels.")
        self.pipeline_ = Pipeline(
            [
                (
                    "tfidf",
                    TfidfVectorizer(
                        analyzer="char",
                        ngram_range=tuple(self.ngram_range),
                        min_df=self.min_df,
                        max_features=self.max_features,
                        preprocessor=normalize_text,
                        sublinear_tf=True,
                    ),
                ),
                (
                    "logreg",
                    LogisticRegression(
                        C=self.C,
                        class_weight="balanced",
                        max_iter=self.max_iter,
                        random_state=self.random_state,
                    ),
                ),
            ]
        ).fit(texts, labels)
        self.classes_ = self.pipeline_.classes_
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self)
        return self.pipeline_.predict_proba(_as_texts(X))

    def predict(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self)
        return self.pipeline_.predict(_as_texts(X))


def _as_texts(X: Sequence[str]) -> list[str]:
    if isinstance(X, str):
        raise TypeError("X must be a sequence of texts, not a single string; wrap it in a list.")
    texts = list(X)
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"X[{position}] is {type(text).__name__}; expected str.")
    return texts
