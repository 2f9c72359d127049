"""The decision-path convention of guideline section 4, checked record by record."""

import json

import pytest

from benchmark.annotation.decision_path import path_problems
from benchmark.resources import guidelines_dir

S = [f"S{n}" for n in range(1, 12)]


def record(
    label, path, *, target="private_individual", identifiable=True, pile_on="unknown", **fields
):
    return {
        "label": label,
        "decision_path": path,
        "target_type": target,
        "identifiable": identifiable,
        "pile_on": pile_on,
        "illegal_subtypes": fields.get("illegal", []),
        "harmful_subtypes": fields.get("harmful", []),
    }


GOOD = {
    "no target": record("none", ["S1", "S10"], target="none", identifiable=False),
    "unidentifiable group hate": record(
        "harmful", ["S1", "S2", "S10"], target="group", identifiable=False, harmful=["group_hate"]
    ),
    "criticism of an unidentifiable target walks to S6": record(
        "criticism", S[:6], identifiable=False
    ),
    "threat stops at S3": record("illegal", S[:3], illegal=["threat", "insult"]),
    "baseless allegation stops at S5": record(
        "illegal", S[:5], illegal=["defamation", "credit_business"]
    ),
    "verdict on a private person's character stops at S6": record(
        "illegal", S[:6], illegal=["defamation"]
    ),
    "below-threshold insult is decided at S7": record("harmful", S[:7], harmful=["abuse"]),
    "experience-based review ends at S8": record("criticism", S[:8], target="company"),
    "neutral post about a person ends at S10": record("none", S[:10]),
    "pile-on context appends S11": record(
        "illegal", [*S[:7], "S11"], pile_on="yes", illegal=["insult"]
    ),
}

BAD = {
    "skipped steps": (
        record("illegal", ["S1", "S2", "S5"], illegal=["defamation"]),
        "should be S1→S2→S3→S4→S5",
    ),
    "stops after an earlier subtype": (
        record("illegal", S[:7], illegal=["threat", "insult"]),
        "['threat'] would have stopped it earlier",
    ),
    "stops where no subtype is decided": (
        record("illegal", S[:4], illegal=["insult"]),
        "decides none of ['insult']",
    ),
    "criticism decided at S7": (record("criticism", S[:7]), "criticism is decided at S5/S6/S8"),
    "harmful without abuse at S7": (
        record("harmful", S[:7], harmful=["harassment"]),
        "harmful ends at S10",
    ),
    "none before S10": (record("none", S[:6]), "none is decided at S10"),
    "S11 without thread context": (
        record("none", [*S[:10], "S11"]),
        "S11 must end the path exactly when",
    ),
    "thread context without S11": (
        record("none", S[:10], pile_on="no"),
        "S11 must end the path exactly when",
    ),
    "no-target post walks the tree": (
        record("none", S[:10], target="none", identifiable=False),
        "should be S1→S10",
    ),
    "empty path": (record("none", []), "decision_path is empty"),
}


@pytest.mark.parametrize("name", GOOD)
def test_paths_that_follow_the_guideline_pass(name):
    assert path_problems(GOOD[name]) == []


@pytest.mark.parametrize("name", BAD)
def test_paths_that_break_the_guideline_are_explained(name):
    rec, expected = BAD[name]
    problems = path_problems(rec)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize("filename", ["examples.jsonl", "quiz.jsonl"])
def test_guideline_examples_and_quiz_keys_follow_the_convention(filename):
    lines = (guidelines_dir() / filename).read_text(encoding="utf-8").splitlines()
    problems = [
        f"{item['id']}: {problem}"
        for item in map(json.loads, lines)
        for problem in path_problems(item)
    ]
    assert len(lines) >= 50 and not problems, problems[:5]
