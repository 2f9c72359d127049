"""The Python entry points promised in the README and the issue's acceptance list."""

from baselines import MajorityClassifier, TfidfLogReg
from benchmark import load_dataset, score


def test_readme_example_and_tfidf_beats_majority_with_separated_intervals():
    ds = load_dataset("hibo_core")
    clf = TfidfLogReg().fit(ds["train"]["text"], ds["train"]["label"])
    s = score(ds["test"]["label"], clf.predict(ds["test"]["text"]))
    majority = MajorityClassifier().fit(ds["train"]["text"], ds["train"]["label"])
    m = score(ds["test"]["label"], majority.predict(ds["test"]["text"]))
    assert 0.0 <= s.wrongful_takedown_rate <= 1.0 and 0.0 <= s.illegal_miss_rate <= 1.0
    assert s.intervals["macro_f1"].low > m.intervals["macro_f1"].high, (s.macro_f1, m.macro_f1)


def test_labels_may_be_names():
    ds = load_dataset("hibo_core")
    names = ds["test"].features["label"].int2str(ds["test"]["label"])
    clf = TfidfLogReg().fit(
        ds["train"]["text"], ds["train"].features["label"].int2str(ds["train"]["label"])
    )
    by_name = score(names, clf.predict(ds["test"]["text"]))
    assert 0.0 < by_name.macro_f1 <= 1.0
