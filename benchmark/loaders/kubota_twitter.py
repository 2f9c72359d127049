"""Loader for ``kubota_twitter``: kubota/defamation-japanese-twitter (labels and tweet ids only).

Folder layout (the upstream ``input/`` files plus the user's hydrated tweets)::

    data_twitter.json    id → {target: [3 codes], label: [3 codes], user_id_list: [3 ids]}
    train_twitter.json   the upstream train split (same answers as resA_label / resB_label)
    test_twitter.json    the upstream test split
    texts.csv            id,text — supplied by the user (option ``texts_file``)

Binary view "illegal": the spec's ``label`` mapping turns each answer into a voting option and
the option with at least two of the three votes wins. Unintelligible and no-majority rows, and
rows whose id has no text, are excluded and counted in ``info.description`` (read them back
with :func:`benchmark.loaders._tables.exclusion_counts`; ``missing_texts`` is the number of ids without a text).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark import external
from benchmark.errors import ConfigError, SchemaError
from benchmark.features import binary_label_feature
from benchmark.loaders._tables import COUNTS_PREFIX, to_dataset, voting_options
from benchmark.registry import DatasetSpec, get_spec
from benchmark.schema import LabelSchema

if TYPE_CHECKING:
    from datasets import DatasetDict

NAME = "kubota_twitter"
VIEW = "illegal"
ANNOTATIONS = "data_twitter.json"
SPLIT_FILES = {"train": "train_twitter.json", "test": "test_twitter.json"}
TEXTS = "texts.csv"
N_ANNOTATORS = 3
NO_MAJORITY = "no_majority"
OPTIONS = ("data_dir", "accept_checksum_mismatch", "texts_file", "require_individual_target")


def spec() -> DatasetSpec:
    return get_spec(NAME)


def texts_path(folder: Path, texts_file: str | Path | None) -> Path:
    return Path(texts_file).expanduser() if texts_file is not None else folder / TEXTS


def data_files(
    *, data_dir: str | Path | None = None, texts_file: str | Path | None = None, **view_options: Any
) -> list[Path]:
    folder = external.dataset_folder(spec(), data_dir)
    return [
        folder / ANNOTATIONS,
        *(folder / name for name in SPLIT_FILES.values()),
        texts_path(folder, texts_file),
    ]


def label_options() -> dict[str, str]:
    """Answer code → voting option (the rule's label, or its bucket when excluded)."""
    return voting_options(spec().mapping("label"), dataset=NAME)


def majority(values: list[str]) -> str | None:
    """The value given by more than half of the answers, else None."""
    value, count = Counter(values).most_common(1)[0]
    return value if 2 * count > len(values) else None


def vote(answers: list[str]) -> dict[str, Any]:
    """Majority over the mapped answers: outcome (a label, a bucket or ``no_majority``),
    subtypes of the majority's answers (most voted first), soft shares per code."""
    rules = {rule.native: rule for rule in spec().mapping("label").rules}
    options = label_options()
    winner = majority([options[a] for a in answers]) or NO_MAJORITY
    codes = Counter(a for a in answers if options[a] == winner)
    subtypes: list[str] = []
    for code in sorted(codes, key=lambda c: (-codes[c], list(rules).index(c))):
        subtypes.extend(s for s in rules[code].subtypes if s not in subtypes)
    n = len(answers)
    return {
        "outcome": winner,
        "subtypes": subtypes if winner == VIEW else [],
        "native_label": majority(answers) or "",
        **{f"soft_{code}": answers.count(code) / n for code in rules},
        f"soft_{VIEW}": sum(options[a] == VIEW for a in answers) / n,
    }


def target_cap(target: str) -> str | None:
    """With require_individual_target: the highest label a target majority allows (None:
    excluded); a missing majority ("") allows only not_illegal."""
    if not target:
        return f"not_{VIEW}"
    for rule in spec().mapping("target").rules:
        if rule.native == target:
            return rule.label
    raise SchemaError(f"{NAME} spec, mapping 'target': no rule for target code {target!r}.")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SchemaError(
            f"{path}: not valid UTF-8 JSON ({err}); re-download the upstream file."
        ) from None
    if not isinstance(data, dict):
        raise SchemaError(
            f"{path}: expected a JSON object mapping tweet ids to annotations, found "
            f"{type(data).__name__}; re-download the upstream file."
        )
    return data


def read_annotations(path: Path) -> dict[str, dict[str, list]]:
    """data_twitter.json, checked: every id has three label and target codes."""
    label_codes = set(label_options())
    target_codes = {rule.native for rule in spec().mapping("target").rules}
    annotations = {}
    for tweet_id, entry in _read_json(path).items():
        where = f"{path}, id {tweet_id}"
        if not isinstance(entry, dict):
            raise SchemaError(f"{where}: expected an object with target, label, user_id_list.")
        for key, allowed in (("label", label_codes), ("target", target_codes)):
            values = entry.get(key)
            if not isinstance(values, list) or len(values) != N_ANNOTATORS:
                raise SchemaError(
                    f"{where}: field {key!r} should be a list of {N_ANNOTATORS} codes, found "
                    f"{values!r}; re-download the upstream file."
                )
            unknown = [v for v in values if v not in allowed]
            if unknown:
                raise SchemaError(
                    f"{where}: field {key!r} has code(s) {unknown}; expected one of "
                    f"{sorted(allowed)}. A new upstream code needs a rule in "
                    f"benchmark/specs/{NAME}.yaml."
                )
        users = entry.get("user_id_list")
        if not isinstance(users, list) or len(users) != N_ANNOTATORS:
            raise SchemaError(
                f"{where}: field 'user_id_list' should list {N_ANNOTATORS} annotator ids, "
                f"found {users!r}."
            )
        annotations[str(tweet_id)] = {
            "label": entry["label"],
            "target": entry["target"],
            "users": users,
        }
    return annotations


def read_splits(folder: Path, annotations: dict[str, dict[str, list]]) -> dict[str, list[str]]:
    """Ids per upstream split, checked against data_twitter.json."""
    splits: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    for split, name in SPLIT_FILES.items():
        path = folder / name
        splits[split] = []
        for tweet_id, entry in _read_json(path).items():
            where = f"{path}, id {tweet_id}"
            if tweet_id in seen:
                raise SchemaError(f"{where}: id is also in the {seen[tweet_id]} split.")
            seen[tweet_id] = split
            known = annotations.get(tweet_id)
            if known is None:
                raise SchemaError(f"{where}: id is not in {ANNOTATIONS}; use matching files.")
            found = (entry.get("resB_label"), entry.get("resA_label"), entry.get("user_id_list"))
            if found != (known["label"], known["target"], known["users"]):
                raise SchemaError(
                    f"{where}: resB_label/resA_label/user_id_list {list(found)} differ from "
                    f"{ANNOTATIONS} {[known['label'], known['target'], known['users']]}; use "
                    "files from the same upstream commit."
                )
            splits[split].append(tweet_id)
    return splits


def read_texts(path: Path) -> tuple[dict[str, str], int]:
    """id → text from the user's CSV (empty texts count as missing), and the number of rows."""
    texts: dict[str, str] = {}
    where_first: dict[str, int] = {}
    rows = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            if "id" not in header or "text" not in header:
                raise SchemaError(
                    f"{path}:1: header should have the columns id and text, found {header}; "
                    "write the hydrated tweets as CSV with a first line 'id,text'."
                )
            id_at, text_at = header.index("id"), header.index("text")
            for line, values in enumerate(reader, start=2):
                if not values:
                    continue
                where = f"{path}:{line}"
                if len(values) != len(header):
                    raise SchemaError(
                        f"{where}: expected {len(header)} fields ({','.join(header)}), found "
                        f"{len(values)}; quote texts that contain commas, quotes or newlines "
                        "(Python's csv module does this)."
                    )
                rows += 1
                tweet_id, text = values[id_at].strip(), values[text_at]
                if not tweet_id.isdigit():
                    raise SchemaError(
                        f"{where}: field 'id' should be a numeric tweet id such as "
                        f"1234567890123456789, found {tweet_id!r}; if a spreadsheet turned the "
                        "ids into numbers like 1.49E+18, export them as text."
                    )
                if not text.strip():
                    continue
                if tweet_id in texts and texts[tweet_id] != text:
                    raise SchemaError(
                        f"{where}: id {tweet_id} already has a different text on line "
                        f"{where_first[tweet_id]}; keep one text per id."
                    )
                texts.setdefault(tweet_id, text)
                where_first.setdefault(tweet_id, line)
    except UnicodeDecodeError as err:
        raise SchemaError(
            f"{path}: not UTF-8 ({err}); save the texts file as UTF-8 (a BOM is fine)."
        ) from None
    return texts, rows


def _texts_unavailable(the_spec: DatasetSpec, path: Path, problem: str) -> str:
    return (
        f"dataset {NAME!r}: {problem}. The upstream files hold tweet ids and labels only; the "
        f"tweets themselves must be hydrated by you (X/Twitter API, under its terms) and saved "
        f"as a UTF-8 CSV with the columns id,text at {path} (or give its path with "
        f"dataset.options.texts_file). Labels: {the_spec.source.url} ({the_spec.license})."
    )


def _features() -> Any:
    from datasets import Features, List, Value

    codes = [rule.native for rule in spec().mapping("label").rules]
    return Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "label": binary_label_feature(VIEW),
            "subtypes": List(Value("string")),
            "native_label": Value("string"),
            "annotations": List(Value("string")),
            "target": Value("string"),
            "target_annotations": List(Value("string")),
            "annotator_ids": List(Value("int32")),
            **{f"soft_{code}": Value("float64") for code in codes},
            f"soft_{VIEW}": Value("float64"),
        }
    )


def build_records(
    ids: list[str],
    annotations: dict[str, dict[str, list]],
    texts: dict[str, str],
    *,
    require_individual_target: bool = False,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The labelled records of one split and its counts."""
    label_ids = {name: i for i, name in enumerate(binary_label_feature(VIEW).names)}
    records = []
    excluded: Counter[str] = Counter()
    capped = 0
    for tweet_id in ids:
        if tweet_id not in texts:
            excluded["missing_text"] += 1
            continue
        entry = annotations[tweet_id]
        voted = vote(entry["label"])
        outcome = voted.pop("outcome")
        target = majority(entry["target"]) or ""
        if require_individual_target and outcome == VIEW:
            cap = target_cap(target)
            if cap is None:
                outcome = "unintelligible_target"
            elif cap != VIEW:
                outcome, voted["subtypes"] = cap, []
                capped += 1
        if outcome not in label_ids:
            excluded[outcome] += 1
            continue
        records.append(
            {
                "id": tweet_id,
                "text": texts[tweet_id],
                "label": label_ids[outcome],
                "target": target,
                "annotations": entry["label"],
                "target_annotations": entry["target"],
                "annotator_ids": entry["users"],
                **voted,
            }
        )
    counts = {
        "ids": len(ids),
        "missing_texts": excluded["missing_text"],
        "rows": len(records),
        "by_label": {name: sum(r["label"] == i for r in records) for name, i in label_ids.items()},
        "excluded": dict(sorted(excluded.items())),
    }
    if require_individual_target:
        counts["capped_to_not_illegal"] = capped
    return records, counts


def load(
    schema: LabelSchema,
    *,
    data_dir: str | Path | None = None,
    accept_checksum_mismatch: bool = False,
    texts_file: str | Path | None = None,
    require_individual_target: bool = True,
    **view_options: Any,
) -> DatasetDict:
    """Splits ``train`` and ``test`` (the upstream split files), rows with a text only."""
    the_spec = spec()
    folder = external.dataset_folder(the_spec, data_dir)
    external.require_files(the_spec, folder, [ANNOTATIONS, *SPLIT_FILES.values()])
    texts_at = texts_path(folder, texts_file)
    if not texts_at.is_file():
        raise external.DatasetUnavailableError(
            _texts_unavailable(the_spec, texts_at, f"the tweet texts file {texts_at} is missing")
        )
    if view_options:
        raise ConfigError(
            f"{NAME}: unknown option(s) {sorted(view_options)}; known options are {list(OPTIONS)}."
        )
    external.verify_checksums(the_spec, folder, accept_mismatch=accept_checksum_mismatch)
    from datasets import DatasetDict, DatasetInfo

    annotations = read_annotations(folder / ANNOTATIONS)
    splits = read_splits(folder, annotations)
    texts, text_rows = read_texts(texts_at)
    matched = sum(tweet_id in texts for tweet_id in annotations)
    if matched == 0:
        raise external.DatasetUnavailableError(
            _texts_unavailable(
                the_spec,
                texts_at,
                f"none of the {len(annotations)} tweet ids has a text in {texts_at} "
                f"({text_rows} rows read, {len(texts)} non-empty texts)",
            )
        )
    in_split = {tweet_id for ids in splits.values() for tweet_id in ids}
    totals = {
        "ids": len(annotations),
        "missing_texts": len(annotations) - matched,
        "texts_rows": text_rows,
        "texts_unknown_ids": sum(tweet_id not in annotations for tweet_id in texts),
        "not_in_any_split": len(set(annotations) - in_split),
        "require_individual_target": require_individual_target,
    }
    dataset_dict = {}
    features = _features()
    for split, ids in splits.items():
        records, counts = build_records(
            ids, annotations, texts, require_individual_target=require_individual_target
        )
        description = (
            f"kubota/defamation-japanese-twitter ({the_spec.version[:7]}) split {split!r}, binary "
            f"view '{VIEW}' by majority of 3 answers. {counts['ids']} ids, "
            f"{counts['missing_texts']} without a text in {texts_at.name} (excluded), "
            f"{counts['rows']} rows; excluded: {counts['excluded']}."
            + ("" if not totals["not_in_any_split"] else
               f" {totals['not_in_any_split']} ids are in no split file (not loaded).")
            + "\n" + COUNTS_PREFIX
            + json.dumps({**counts, "all_splits": totals}, ensure_ascii=False, sort_keys=True)
        )  # fmt: skip
        info = DatasetInfo(
            description=description,
            license=the_spec.license,
            citation=the_spec.citation or "",
            homepage=the_spec.source.url or "",
            features=features,
        )
        dataset_dict[split] = to_dataset(records, features, info)
    return DatasetDict(dataset_dict)
