"""Baseline classifiers: small scikit-learn estimators over raw Japanese text.

Each follows the scikit-learn contract (``fit`` returns ``self``, ``predict``,
``predict_proba``, learned ``classes_``), so it works with ``clone``, grid search
and Hydra's ``_target_``.
"""

from baselines.majority import MajorityClassifier
from baselines.tfidf_logreg import TfidfLogReg

__all__ = ["MajorityClassifier", "TfidfLogReg"]
