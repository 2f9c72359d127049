"""HiboCheck: a deterministic generator of functional test cases from templates.

``python -m benchmark.hibocheck`` regenerates ``benchmark/data/hibo_check/cases.jsonl`` from
``templates.yaml`` and ``fillers.yaml``; a test checks that the committed file matches.
Cases of a functionality that declares a ``contrast`` reference the case of the contrasting
functionality with the same template index and fillers (``ref_case_id``), forming a pair.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from benchmark.errors import SchemaError
from benchmark.resources import builtin_data_dir
from benchmark.schema import LabelSchema, load_schema

SLOT = re.compile(r"\{(\w+)\}")
GOLD_DEFAULTS = {"illegal_subtypes": [], "harmful_subtypes": [], "platform": "sns"}


def data_dir() -> Path:
    return builtin_data_dir("hibo_check")


def _load_yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def generate(
    templates: dict[str, Any], fillers: dict[str, list[str]], schema: LabelSchema
) -> list[dict[str, Any]]:
    """Every case of every functionality, in a fixed order."""
    seed = templates["seed"]
    per_template = templates["cases_per_template"]
    functionalities = {f["id"]: f for f in templates["functionalities"]}
    cases = []
    for functionality in templates["functionalities"]:
        contrast = functionality.get("contrast")
        if contrast and contrast["functionality"] not in functionalities:
            raise SchemaError(
                f"templates.yaml: {functionality['id']} contrasts with unknown functionality "
                f"{contrast['functionality']!r}."
            )
        for t, template in enumerate(functionality["templates"], start=1):
            for k in range(per_template):
                text = _fill(template, fillers, t, k, seed)
                case = {
                    "id": f"{functionality['id']}-T{t}-{k:02d}",
                    "text": text,
                    **GOLD_DEFAULTS,
                    **functionality["gold"],
                    "functionality": functionality["id"],
                    "functionality_name": functionality["name"],
                    "template_id": f"{functionality['id']}-T{t}",
                    "ref_case_id": f"{contrast['functionality']}-T{t}-{k:02d}"
                    if contrast
                    else None,
                    "pair_type": contrast["pair_type"] if contrast else None,
                }
                schema.validate_record(case, where=f"templates.yaml {case['template_id']}")
                cases.append(case)
    ids = {c["id"] for c in cases}
    dangling = [c["ref_case_id"] for c in cases if c["ref_case_id"] and c["ref_case_id"] not in ids]
    if dangling:
        raise SchemaError(
            f"templates.yaml: contrast case {dangling[0]!r} does not exist; contrasting functionalities "
            "need the same number of templates."
        )
    return cases


def _fill(template: str, fillers: dict[str, list[str]], t: int, k: int, seed: int) -> str:
    return SLOT.sub(lambda m: _filler(fillers, m.group(1), t, k, seed), template)


def _filler(fillers: dict[str, list[str]], slot: str, template: int, k: int, seed: int) -> str:
    try:
        values = fillers[slot]
    except KeyError:
        raise SchemaError(
            f"templates.yaml uses slot {{{slot}}}, which fillers.yaml does not define."
        ) from None
    order = list(range(len(values)))
    # depends on slot, template index and k only, so contrasting cases share their fillers
    random.Random(f"{seed}-{slot}-{template}").shuffle(order)
    return values[order[k % len(values)]]


def build(schema: LabelSchema | None = None) -> str:
    folder = data_dir()
    cases = generate(
        _load_yaml(folder / "templates.yaml"),
        _load_yaml(folder / "fillers.yaml"),
        schema or load_schema(),
    )
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)


def main() -> int:
    target = data_dir() / "cases.jsonl"
    text = build()
    target.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} cases to {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
