"""Files for HiboCore's independent second labeling pass.

python data_build/hibo_core/second_pass.py sample NAME --parts p5 p6 --per-class 25
    write second_pass/NAME.items.jsonl: a seeded sample stratified by the first-pass label,
    with only item_id, text and platform (what the second annotator may see)
python data_build/hibo_core/second_pass.py first-pass
    write second_pass/first_pass.jsonl: the shipped (first-pass) labels of every sampled item,
    one record per item with annotator "author", for `hibobench agree`
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASS_DIR = HERE / "second_pass"
POSTS = HERE.parents[1] / "benchmark" / "data" / "hibo_core" / "posts.jsonl"
FIELDS = (
    "label", "illegal_subtypes", "harmful_subtypes", "target_type", "identifiable", "claim_type",
    "speech_act", "public_interest", "public_purpose", "truth_basis", "flags", "pile_on",
    "decision_path",
)  # fmt: skip


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )


def sampled_ids() -> set[str]:
    return {row["item_id"] for path in PASS_DIR.glob("*.items.jsonl") for row in _read(path)}


def sample(name: str, parts: list[str], per_class: int, seed: int) -> None:
    taken = sampled_ids()
    posts = [p for part in parts for p in _read(HERE / "parts" / f"{part}.jsonl")]
    rng = random.Random(seed)
    chosen: list[dict] = []
    for label in sorted({p["label"] for p in posts}):
        pool = [p for p in posts if p["label"] == label and p["id"] not in taken]
        chosen += rng.sample(pool, min(per_class, len(pool)))
    rng.shuffle(chosen)
    rows = [{"item_id": p["id"], "text": p["text"], "platform": p["platform"]} for p in chosen]
    _write(PASS_DIR / f"{name}.items.jsonl", rows)
    print(f"{len(rows)} items -> {PASS_DIR / f'{name}.items.jsonl'}")


def first_pass() -> None:
    target = PASS_DIR / "first_pass.jsonl"
    if (PASS_DIR / "adjudication.jsonl").exists():
        raise SystemExit(
            f"{target} is frozen: adjudication has started, and regenerating it from the shipped "
            "(adjudicated) labels would inflate agreement. Delete adjudication.jsonl to start over."
        )
    wanted = sampled_ids()
    rows = [
        {"item_id": p["id"], "annotator": "author", "text": p["text"], "platform": p["platform"]}
        | {name: p[name] for name in FIELDS}
        for p in _read(POSTS)
        if p["id"] in wanted
    ]
    missing = wanted - {row["item_id"] for row in rows}
    if missing:
        raise SystemExit(f"sampled items not in {POSTS}: {sorted(missing)[:5]}; rebuild first")
    _write(target, rows)
    print(f"{len(rows)} first-pass records -> {target}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sampler = sub.add_parser("sample")
    sampler.add_argument("name")
    sampler.add_argument("--parts", nargs="+", required=True)
    sampler.add_argument("--per-class", type=int, default=25)
    sampler.add_argument("--seed", type=int, default=1)
    sub.add_parser("first-pass")
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.name, args.parts, args.per_class, args.seed)
    else:
        first_pass()


if __name__ == "__main__":
    main()
