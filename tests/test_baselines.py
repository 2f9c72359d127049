import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV

from baselines import MajorityClassifier, TfidfLogReg

TEXTS = [
    "市長の予算案には反対です。財源の説明が足りない",
    "財務大臣の増税方針はおかしいと思う、国会で説明すべき",
    "お前みたいなクズは消えろ、死ね",
    "ゴミ人間、二度と顔を見せるな死ね",
    "今日のランチ美味しすぎて死ぬｗ",
    "明日は雨らしいので傘を忘れずに",
    "あいつの住所は桜ヶ丘市北浜町3-2だぞ、みんなで行こうぜ",
    "○○人は全員この国から出ていけ",
]
LABELS = np.array([2, 2, 0, 0, 3, 3, 0, 1])

ESTIMATORS = [MajorityClassifier(), TfidfLogReg(C=5.0)]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_sklearn_estimator_contract(estimator):
    params = estimator.get_params()
    cloned = clone(estimator)
    assert cloned.get_params() == params and cloned is not estimator
    with pytest.raises(NotFittedError):
        cloned.predict(TEXTS)
    assert cloned.fit(TEXTS, LABELS) is cloned
    np.testing.assert_array_equal(cloned.classes_, np.unique(LABELS))
    proba = cloned.predict_proba(TEXTS)
    assert proba.shape == (len(TEXTS), len(cloned.classes_))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(cloned.predict(TEXTS)) <= set(cloned.classes_)
    assert not any(k.endswith("_") for k in cloned.get_params())


def test_majority_predicts_the_most_frequent_class_and_its_prior():
    clf = MajorityClassifier().fit(TEXTS, LABELS)
    assert (clf.predict(["何でも"] * 3) == 0).all()
    np.testing.assert_allclose(clf.predict_proba(["x"])[0], [3 / 8, 1 / 8, 2 / 8, 2 / 8])


def test_tfidf_logreg_fits_its_training_data_and_accepts_string_labels():
    names = np.array(
        ["criticism", "criticism", "illegal", "illegal", "none", "none", "illegal", "harmful"]
    )
    clf = TfidfLogReg().fit(TEXTS, names)
    assert (clf.predict(TEXTS) == names).mean() == 1.0
    assert set(clf.classes_) == set(names)


def test_tfidf_logreg_treats_full_width_and_half_width_alike():
    clf = TfidfLogReg().fit(TEXTS, LABELS)
    half = clf.predict_proba(["ｺﾞﾐ人間ｗ ABC 123"])
    full = clf.predict_proba(["ゴミ人間ｗ ＡＢＣ １２３"])
    np.testing.assert_allclose(half, full)


def test_baselines_work_in_grid_search():
    search = GridSearchCV(TfidfLogReg(), {"C": [1.0, 10.0]}, cv=2, scoring="accuracy")
    search.fit(TEXTS * 2, np.concatenate([LABELS, LABELS]))
    assert search.best_params_["C"] in (1.0, 10.0)


def test_bad_inputs_are_refused():
    with pytest.raises(TypeError, match="not a single string"):
        TfidfLogReg().fit("一つの文字列", [0])
    with pytest.raises(ValueError, match="one label per item"):
        MajorityClassifier().fit(TEXTS, LABELS[:3])
