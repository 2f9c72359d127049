"""Build HiboCore v1 from its authored parts and check parts while they are written.

  python data_build/hibo_core/build.py check parts/PART.jsonl   # validate one part
  python data_build/hibo_core/build.py build                     # write benchmark/data/hibo_core/

Each part is ``parts/NAME.jsonl`` (posts) with ``parts/NAME.scenarios.jsonl`` (scenarios:
``id``, ``domain``, ``description_ja``). ``build`` validates every part, assigns each scenario
to train/dev/test with a seeded shuffle per domain (by post count: 70/10/20), and writes
``posts.jsonl`` and ``scenarios.jsonl`` sorted by id, so the output is reproducible.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from benchmark.annotation.decision_path import path_problems
from benchmark.errors import SchemaError
from benchmark.jsonl import iter_jsonl
from benchmark.schema import load_schema

HERE = Path(__file__).resolve().parent
PARTS = HERE / "parts"
OUT = HERE.parents[1] / "benchmark" / "data" / "hibo_core"
SEED = 20261129
SPLIT_SHARES = (("test", 0.20), ("dev", 0.10))  # the rest is train
FIELDS = (
    "id", "scenario", "text", "label", "illegal_subtypes", "harmful_subtypes", "target_type",
    "identifiable", "claim_type", "speech_act", "platform", "public_interest", "public_purpose",
    "truth_basis", "flags", "pile_on", "decision_path", "rationale_ja",
)  # fmt: skip


def read_part(posts_path: Path) -> tuple[list[dict], dict[str, dict], list[str]]:
    """Posts, scenarios and the list of problems found (empty when the part is valid)."""
    schema = load_schema()
    problems: list[str] = []
    scenarios_path = posts_path.with_suffix(".scenarios.jsonl")
    scenarios: dict[str, dict] = {}
    if not scenarios_path.exists():
        problems.append(f"{scenarios_path}: missing; write one scenario per line")
    else:
        for number, row in iter_jsonl(scenarios_path, error=SchemaError):
            missing = {"id", "domain", "description_ja"} - set(row)
            if missing:
                problems.append(f"{scenarios_path}:{number}: missing {sorted(missing)}")
            scenarios[row.get("id", f"?{number}")] = row
    posts: list[dict] = []
    for number, row in iter_jsonl(posts_path, error=SchemaError):
        where = f"{posts_path}:{number}"
        try:
            schema.validate_record(row, required=FIELDS, where=where)
        except SchemaError as err:
            problems.append(str(err))
            continue
        extra = set(row) - set(FIELDS) - {"rationale_spans"}
        if extra:
            problems.append(f"{where}: unexpected fields {sorted(extra)}")
        if row["scenario"] not in scenarios:
            problems.append(
                f"{where}: scenario {row['scenario']!r} is not in {scenarios_path.name}"
            )
        problems += [f"{where} ({row['id']}): {p}" for p in path_problems(row)]
        posts.append({key: row[key] for key in FIELDS if key in row} | _spans(row))
    return posts, scenarios, problems


def _spans(row: dict) -> dict:
    return {"rationale_spans": row["rationale_spans"]} if row.get("rationale_spans") else {}


def duplicate_problems(posts: list[dict]) -> list[str]:
    problems, ids, texts = [], Counter(p["id"] for p in posts), defaultdict(list)
    problems += [f"id {i!r} is used {n} times" for i, n in ids.items() if n > 1]
    for post in posts:
        texts[unicodedata.normalize("NFKC", post["text"]).strip()].append(post["id"])
    problems += [f"same text in {ids_}" for ids_ in texts.values() if len(ids_) > 1]
    return problems


def assign_splits(posts: list[dict], scenarios: dict[str, dict]) -> dict[str, str]:
    size = Counter(post["scenario"] for post in posts)
    by_domain: dict[str, list[str]] = defaultdict(list)
    for scenario_id in sorted(scenarios):
        by_domain[scenarios[scenario_id]["domain"]].append(scenario_id)
    rng = random.Random(SEED)
    split_of: dict[str, str] = {}
    for domain in sorted(by_domain):
        ids = by_domain[domain]
        rng.shuffle(ids)
        total, filled = sum(size[i] for i in ids), 0
        quota, bounds = 0.0, []
        for split, share in SPLIT_SHARES:
            quota += share * total
            bounds.append((split, quota))
        for scenario_id in ids:
            split = next((s for s, bound in bounds if filled < bound), "train")
            split_of[scenario_id] = split
            filled += size[scenario_id]
    return split_of


def build(out: Path = OUT) -> int:
    posts, scenarios, problems = [], {}, []
    for path in sorted(PARTS.glob("*.jsonl")):
        if path.name.endswith(".scenarios.jsonl"):
            continue
        part_posts, part_scenarios, part_problems = read_part(path)
        posts += part_posts
        problems += part_problems
        clash = set(scenarios) & set(part_scenarios)
        problems += [f"{path.name}: scenario {s!r} also defined in another part" for s in clash]
        scenarios.update(part_scenarios)
    problems += duplicate_problems(posts)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    split_of = assign_splits(posts, scenarios)
    used = {post["scenario"] for post in posts}
    rows = [
        {"id": s, "split": split_of[s], **{k: v for k, v in scenarios[s].items() if k != "id"}}
        for s in sorted(used)
    ]
    _write(out / "scenarios.jsonl", rows)
    _write(out / "posts.jsonl", sorted(posts, key=lambda post: post["id"]))
    card = out / "README.md"
    if card.exists():
        card.write_text(
            with_statistics(card.read_text(encoding="utf-8"), posts, split_of), encoding="utf-8"
        )
    print(f"wrote {len(posts)} posts in {len(rows)} scenarios to {out}")
    return 0


def with_statistics(card: str, posts: list[dict], split_of: dict[str, str]) -> str:
    """The card with its generated statistics section (between the markers) brought up to date."""
    begin, end = "<!-- statistics:begin -->", "<!-- statistics:end -->"
    if begin not in card or end not in card:
        return card
    head, rest = card.split(begin, 1)
    return head + begin + "\n" + statistics_markdown(posts, split_of) + end + rest.split(end, 1)[1]


def _count(posts: list[dict], field: str, value: str) -> int:
    return sum(
        value in p[field] if isinstance(p[field], list) else p[field] == value for p in posts
    )


def statistics_markdown(posts: list[dict], split_of: dict[str, str]) -> str:
    schema = load_schema()
    splits = ("train", "dev", "test")
    by_split = {name: [p for p in posts if split_of[p["scenario"]] == name] for name in splits}
    classes = schema.class_ids
    lines = [
        "| split | scenarios | " + " | ".join(classes) + " | total |",
        "|---|---:|" + "---:|" * len(classes) + "---:|",
    ]
    for name in (*splits, "all"):
        rows = posts if name == "all" else by_split[name]
        counts = Counter(p["label"] for p in rows)
        cells = " | ".join(str(counts[c]) for c in classes)
        lines.append(f"| {name} | {len({p['scenario'] for p in rows})} | {cells} | {len(rows)} |")
    for field in (
        "illegal_subtypes",
        "harmful_subtypes",
        "target_type",
        "platform",
        "claim_type",
        "speech_act",
        "truth_basis",
    ):
        values = schema.fields[field].value_ids
        lines += ["", f"| `{field}` | " + " | ".join(splits) + " | all |", "|---|" + "---:|" * 4]
        for value in values:
            cells = " | ".join(str(_count(by_split[name], field, value)) for name in splits)
            lines.append(f"| `{value}` | {cells} | {_count(posts, field, value)} |")
    lengths = sorted(len(p["text"]) for p in posts)
    lines += [
        "",
        f"Post length in characters: median {lengths[len(lengths) // 2]}, "
        f"shortest {lengths[0]}, longest {lengths[-1]}.",
        "",
    ]
    return "\n".join(lines)


def _write(path: Path, rows: list[dict]) -> None:
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    path.write_text(text, encoding="utf-8")


def check(path: Path) -> int:
    posts, scenarios, problems = read_part(path)
    problems += duplicate_problems(posts)
    print(
        "\n".join(problems) or f"{path.name}: {len(posts)} posts, {len(scenarios)} scenarios, valid"
    )
    counts = {
        "label": Counter(p["label"] for p in posts),
        "illegal_subtypes": Counter(s for p in posts for s in p["illegal_subtypes"]),
        "harmful_subtypes": Counter(s for p in posts for s in p["harmful_subtypes"]),
        "target_type": Counter(p["target_type"] for p in posts),
        "platform": Counter(p["platform"] for p in posts),
    }
    for name, counter in counts.items():
        print(f"  {name}: {dict(counter.most_common())}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build")
    check_parser = sub.add_parser("check")
    check_parser.add_argument("part", type=Path)
    args = parser.parse_args(argv)
    return build() if args.command == "build" else check(args.part)


if __name__ == "__main__":
    raise SystemExit(main())
