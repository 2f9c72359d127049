"""Check that a record's ``decision_path`` is the path the guideline prescribes (section 4).

The schema only checks that the steps exist and are in tree order; this module checks the
walk itself against the record's own label fields:

* every visited step is recorded, from S1 to the step that decided the label;
* the only jumps are S1 -> S10 (no target) and S2 -> S10 (no identifiable target), and
  S2 -> ... -> S6 for criticism of an unidentifiable target is walked in full;
* ``illegal`` stops at the earliest step of one of its subtypes, ``criticism`` ends at
  S5, S6 or S8, a below-threshold rude word about an identifiable person ends at S7
  (``harmful``/``abuse``), every other ``harmful`` and every ``none`` at S10;
* S11 is appended exactly when the thread-level ``pile_on`` is ``yes`` or ``no``.

>>> path_problems({"label": "none", "target_type": "none", "identifiable": False,
...                "decision_path": ["S1", "S10"], "pile_on": "unknown"})
[]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ORDER = tuple(f"S{number}" for number in range(1, 12))
# Steps at which each illegal subtype can stop the walk (defamation by an opinion that
# asserts a baseless negative verdict on a private person's character stops at S6).
SUBTYPE_STEPS = {
    "threat": ("S3",),
    "privacy": ("S4",),
    "defamation": ("S5", "S6"),
    "insult": ("S7",),
    "credit_business": ("S8",),
    "other_rights": ("S9",),
}
CRITICISM_STEPS = ("S5", "S6", "S8")


def walk_to(step: str) -> list[str]:
    return list(ORDER[: ORDER.index(step) + 1])


def path_problems(record: Mapping[str, Any]) -> list[str]:
    """Human-readable reasons why the record's decision_path breaks the convention."""
    path = list(record.get("decision_path") or [])
    if not path:
        return ["decision_path is empty; record every step visited, starting with S1"]
    problems: list[str] = []
    thread_known = record.get("pile_on") in ("yes", "no")
    if thread_known != (path[-1] == "S11"):
        problems.append(
            "S11 must end the path exactly when pile_on is 'yes' or 'no' "
            f"(pile_on is {record.get('pile_on')!r}, path ends with {path[-1]})"
        )
    core = [step for step in path if step != "S11"]
    if not core:
        return [*problems, "decision_path has no step before S11"]
    label, end = record.get("label"), core[-1]
    expected: list[list[str]]
    if record.get("target_type") == "none":
        expected = [["S1", "S10"]]
    elif record.get("identifiable") is False:
        expected = [["S1", "S2", "S10"]] + ([walk_to("S6")] if label == "criticism" else [])
    else:
        expected = [walk_to(end)] if end in ORDER else []
        problems += _end_problems(record, end)
    if core not in expected:
        shown = " or ".join("→".join(steps) for steps in expected) or "a path from S1"
        problems.append(f"path {'→'.join(core)} should be {shown}")
    return problems


def _end_problems(record: Mapping[str, Any], end: str) -> list[str]:
    """Is ``end`` a step where this record's label can be decided (identifiable target)?"""
    label = record.get("label")
    if label == "illegal":
        subtypes = record.get("illegal_subtypes") or []
        if not any(end in SUBTYPE_STEPS.get(subtype, ()) for subtype in subtypes):
            return [f"illegal path ends at {end}, which decides none of {subtypes}"]
        earlier = [
            s for s in subtypes if max(ORDER.index(x) for x in SUBTYPE_STEPS[s]) < ORDER.index(end)
        ]
        if earlier:
            return [f"illegal path ends at {end} but {earlier} would have stopped it earlier"]
        return []
    if label == "criticism" and end not in CRITICISM_STEPS:
        return [f"criticism is decided at {'/'.join(CRITICISM_STEPS)}, not {end}"]
    if label == "harmful":
        abuse = "abuse" in (record.get("harmful_subtypes") or [])
        if end not in (("S7", "S10") if abuse else ("S10",)):
            return [f"harmful ends at S10 (or S7 for a below-threshold insult, abuse), not {end}"]
    if label == "none" and end != "S10":
        return [f"none is decided at S10, not {end}"]
    return []
