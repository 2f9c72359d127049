"""Loader for ``court_cases``, the court-case dataset of Hisada et al. (2024).

Layout of the data folder (``$HIBOBENCH_DATA_DIR/court_cases_hisada2024``): a clone of
``horshohei/japanese-offensive-language-from-court-case`` at the pinned commit, unchanged::

    experimentdata/train_{0..4}.json, test_{0..4}.json   the upstream experiment folds
    annotations/worker_{1,2,3}.jsonl                       the annotators' files

Two views (option ``view``):

``folds`` (default; option ``fold`` 0–4)
    The binary task of the paper: did the court recognise an infringement (``result``)?
    Splits ``train`` and ``test`` from ``experimentdata/{train,test}_<fold>.json`` (a dict of
    parallel lists ``caseID, text, context, result, labels``). ``label`` is the binary view
    ``illegal``; ``rights`` lists the right names whose ``labels`` entry is 1 (the rights at
    issue in the claim, recognised or not: the upstream multi-label task).
``annotations`` (option ``worker`` 1–3, default 1, the main annotator)
    ``annotations/worker_<n>.jsonl`` read as HiboBench four-way labels from the court's
    decision per right; one split, ``test``. Rows are excluded (counted, never guessed) when
    the post is not a usable text post (``Skip``) or the court did not decide the post either
    way in a way the schema can use (rejected or claimed only).

Every label rule (``result`` values, ``Skip`` values, decision values and their precedence,
right → subtype) is read from the spec ``benchmark/specs/court_cases.yaml``; nothing about
labels is hard-coded here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark import external
from benchmark.annotation import hisada2024
from benchmark.errors import ConfigError, SchemaError
from benchmark.features import binary_label_feature
from benchmark.loaders._tables import excluded_text
from benchmark.registry import DatasetSpec, LabelRule, get_spec
from benchmark.schema import LabelSchema

if TYPE_CHECKING:
    from datasets import DatasetDict

NAME = "court_cases"
VIEWS = ("folds", "annotations")
FOLDS = (0, 1, 2, 3, 4)
WORKERS = (1, 2, 3)
FOLD_SPLITS = ("train", "test")
ANNOTATION_SPLIT = "test"
BINARY_VIEW = "illegal"
FOLD_KEYS = ("caseID", "text", "context", "result", "labels")
FOLD_RIGHTS = hisada2024.RIGHTS[:6]  # the order of the multi-hot ``labels`` (upstream code)
RIGHTS = hisada2024.RIGHTS  # the nine rights columns of the annotation files
USABLE_SKIP = "誹謗中傷の事例"  # the only Skip value whose rows are labelled (see the spec)
MISSING = "None"  # the upstream files write a missing context or platform as the string "None"
NEGATIVE_CASE = "negative"  # caseID of the folds' posts that come from no court case
TRIAL_PREFIX = "trial_"  # caseID prefix of the posts from annotations/trialannotations.jsonl
# mapping fields in the spec
RESULT_FIELD, SKIP_FIELD, DECISION_FIELD, RIGHT_FIELD = "result", "Skip", "decision", "right"


def _check_options(view: str, fold: Any, worker: Any) -> tuple[int, int]:
    if view not in VIEWS:
        raise ConfigError(f"dataset.options.view is {view!r}; expected one of {list(VIEWS)}.")
    if isinstance(fold, bool) or not isinstance(fold, int) or fold not in FOLDS:
        raise ConfigError(
            f"dataset.options.fold is {fold!r}; expected one of {list(FOLDS)} (the five "
            "upstream folds experimentdata/{train,test}_<fold>.json)."
        )
    if isinstance(worker, bool) or not isinstance(worker, int) or worker not in WORKERS:
        raise ConfigError(
            f"dataset.options.worker is {worker!r}; expected one of {list(WORKERS)} "
            "(annotations/worker_<n>.jsonl; 1 is the main annotator)."
        )
    return fold, worker


def _file_names(view: str, fold: int, worker: int) -> list[str]:
    if view == "folds":
        return [f"experimentdata/{split}_{fold}.json" for split in FOLD_SPLITS]
    return [f"annotations/worker_{worker}.jsonl"]


def data_files(
    *,
    data_dir: str | Path | None = None,
    view: str = "folds",
    fold: int = 0,
    worker: int = 1,
    **_options: Any,
) -> list[Path]:
    fold, worker = _check_options(view, fold, worker)
    folder = external.dataset_folder(get_spec(NAME), data_dir)
    return [folder / name for name in _file_names(view, fold, worker)]


# ---- the mapping, read from the spec -------------------------------------------------------


def result_rules(spec: DatasetSpec) -> dict[str, LabelRule]:
    """``result`` ("True"/"False") → rule, for the folds view."""
    return {rule.native: rule for rule in spec.mapping(RESULT_FIELD).rules}


def skip_rules(spec: DatasetSpec) -> dict[str, LabelRule]:
    """``Skip`` values that exclude a row → rule (all have label None)."""
    return {rule.native: rule for rule in spec.mapping(SKIP_FIELD).rules}


def decision_rules(spec: DatasetSpec) -> list[LabelRule]:
    """The decision values in order of precedence: a row takes the first that it contains."""
    return list(spec.mapping(DECISION_FIELD).rules)


def right_rules(spec: DatasetSpec) -> dict[str, LabelRule]:
    """Right name → rule (its ``subtypes`` are the HiboBench illegal subtypes)."""
    return {rule.native: rule for rule in spec.mapping(RIGHT_FIELD).rules}


def _check_spec(spec: DatasetSpec, schema: LabelSchema, binary_names: list[str]) -> None:
    where = f"benchmark/specs/{NAME}.yaml"
    for native, rule in result_rules(spec).items():
        if rule.label not in binary_names:
            raise SchemaError(
                f"{where}: result {native!r} maps to {rule.label!r}; expected one of {binary_names}."
            )
    for native, rule in skip_rules(spec).items():
        if rule.label is not None or native == USABLE_SKIP:
            raise SchemaError(
                f"{where}: Skip rule {native!r} must exclude (label null); {USABLE_SKIP!r} is the "
                "value whose rows are labelled and has no rule of its own."
            )
    for rule in decision_rules(spec):
        if rule.label is not None and rule.label not in schema.class_ids:
            raise SchemaError(
                f"{where}: decision {rule.native!r} maps to {rule.label!r}; expected a class id "
                f"of the label schema {list(schema.class_ids)} or null."
            )
    subtypes = set(schema.fields["illegal_subtypes"].value_ids)
    rights = right_rules(spec)
    for right in RIGHTS:
        if right not in rights:
            raise SchemaError(f"{where}: the right {right!r} has no rule in the 'right' mapping.")
        right_rule = rights[right]
        if right_rule.label not in schema.class_ids:
            raise SchemaError(
                f"{where}: right {right!r} maps to {right_rule.label!r}; expected a class id of "
                f"the label schema {list(schema.class_ids)}."
            )
        unknown = sorted(set(right_rule.subtypes) - subtypes)
        if unknown:
            raise SchemaError(
                f"{where}: right {right!r} maps to subtypes {unknown}, which are not "
                f"illegal_subtypes of the label schema ({sorted(subtypes)})."
            )


# ---- loading -------------------------------------------------------------------------------


def load(
    schema: LabelSchema,
    *,
    data_dir: str | Path | None = None,
    accept_checksum_mismatch: bool = False,
    view: str = "folds",
    fold: int = 0,
    worker: int = 1,
) -> DatasetDict:
    fold, worker = _check_options(view, fold, worker)
    spec = get_spec(NAME)
    folder = external.dataset_folder(spec, data_dir)
    paths = external.require_files(spec, folder, _file_names(view, fold, worker))
    external.verify_checksums(spec, folder, accept_mismatch=accept_checksum_mismatch)
    _check_spec(spec, schema, list(binary_label_feature(BINARY_VIEW).names))
    if view == "folds":
        return _load_folds(spec, paths, fold)
    return _load_annotations(spec, schema, paths[0], worker)


def _load_folds(spec: DatasetSpec, paths: list[Path], fold: int) -> DatasetDict:
    from datasets import Dataset, DatasetDict, DatasetInfo, Features, List, Value

    feature = binary_label_feature(BINARY_VIEW)
    features = Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "label": feature,
            "case_id": Value("string"),
            "context": Value("string"),
            "rights": List(Value("string")),
        }
    )
    rules = result_rules(spec)
    splits = {}
    sizes = []
    for split, path in zip(FOLD_SPLITS, paths, strict=True):
        rows = read_fold_file(path, rules, id_prefix=f"f{fold}-{split}-")
        positives = sum(row["label"] == BINARY_VIEW for row in rows)
        sizes.append(f"{split} {len(rows)} ({positives} illegal)")
        for row in rows:
            row["label"] = feature.str2int(row["label"])
        splits[split] = rows
    info = DatasetInfo(
        description=(
            f"Hisada et al. 2024 court-case dataset @ {spec.version[:7]}, fold {fold} (binary view "
            f"'{BINARY_VIEW}' = court recognised an infringement): {'; '.join(sizes)}; "
            "no rows excluded."
        ),
        license=spec.license,
        features=features,
    )
    return DatasetDict(
        {
            split: Dataset.from_list(rows, features=features, info=info)
            for split, rows in splits.items()
        }
    )


def _load_json(path: Path) -> Any:
    import json

    from benchmark.jsonl import decode_utf8

    text = decode_utf8(path, path.read_bytes(), error=SchemaError)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise SchemaError(
            f"{path}:{err.lineno}: malformed JSON ({err.msg} at column {err.colno}); the fold "
            "files are single JSON objects. Re-download the file unchanged."
        ) from None


def read_fold_file(
    path: Path, rules: dict[str, LabelRule], *, id_prefix: str
) -> list[dict[str, Any]]:
    """Rows of one fold file (label still a string), validated."""
    data = _load_json(path)
    if not isinstance(data, dict) or any(key not in data for key in FOLD_KEYS):
        found = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise SchemaError(
            f"{path}: expected a JSON object of parallel lists with keys {list(FOLD_KEYS)}; "
            f"found {found}. Re-download the upstream experimentdata file unchanged."
        )
    lengths = {key: len(data[key]) if isinstance(data[key], list) else -1 for key in FOLD_KEYS}
    if len(set(lengths.values())) != 1 or -1 in lengths.values():
        raise SchemaError(
            f"{path}: the keys {list(FOLD_KEYS)} must be lists of the same length; found "
            f"lengths {lengths} (-1: not a list). Re-download the file unchanged."
        )
    rows = []
    for index in range(lengths["text"]):
        where = f"{path}: row {index}"
        case_id, text, context = (data[k][index] for k in ("caseID", "text", "context"))
        result, labels = data["result"][index], data["labels"][index]
        if isinstance(case_id, bool) or not isinstance(case_id, (int, str)):
            raise SchemaError(
                f"{where}: field 'caseID' is {case_id!r}; expected an integer or a string."
            )
        for field, value in (("text", text), ("context", context)):
            if not isinstance(value, str):
                raise SchemaError(
                    f"{where}: field {field!r} is {type(value).__name__}; expected a string."
                )
        if not isinstance(result, bool) or str(result) not in rules:
            raise SchemaError(
                f"{where}: field 'result' is {result!r}; expected one of {sorted(rules)} "
                f"(JSON true/false). Re-download the file, or add a rule for the value to "
                f"benchmark/specs/{NAME}.yaml."
            )
        if (
            not isinstance(labels, list)
            or len(labels) != len(FOLD_RIGHTS)
            or any(isinstance(v, bool) or v not in (0, 1) for v in labels)
        ):
            raise SchemaError(
                f"{where}: field 'labels' is {labels!r}; expected {len(FOLD_RIGHTS)} values "
                f"0 or 1 (multi-hot over {list(FOLD_RIGHTS)})."
            )
        label = rules[str(result)].label
        rows.append(
            {
                "id": f"{id_prefix}{index}",
                "text": text,
                "label": label,
                "case_id": str(case_id),
                "context": context,
                "rights": [right for right, v in zip(FOLD_RIGHTS, labels, strict=True) if v],
            }
        )
    return rows


def _load_annotations(
    spec: DatasetSpec, schema: LabelSchema, path: Path, worker: int
) -> DatasetDict:
    from datasets import ClassLabel, Dataset, DatasetDict, DatasetInfo, Features, List, Value

    rows, excluded = read_annotation_file(path, spec, schema)
    feature = ClassLabel(names=list(schema.class_ids))
    features = Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "label": feature,
            "illegal_subtypes": List(Value("string")),
            "native_label": Value("string"),
            "deciding_rights": List(Value("string")),
            "decisions": {right: Value("string") for right in RIGHTS},
            "context": Value("string"),
            "platform": Value("string"),
            "case_id": Value("string"),
            "case_number": Value("string"),
        }
    )
    kept = Counter(row["label"] for row in rows)
    for row in rows:
        row["label"] = feature.str2int(row["label"])
    description = (
        f"Hisada et al. 2024 court-case dataset @ {spec.version[:7]}, "
        f"annotations/worker_{worker}.jsonl as four-way "
        f"labels: {len(rows)} rows kept ({dict(sorted(kept.items()))}); " + excluded_text(excluded)
    )
    info = DatasetInfo(description=description, license=spec.license, features=features)
    return DatasetDict({ANNOTATION_SPLIT: Dataset.from_list(rows, features=features, info=info)})


def read_annotation_file(
    path: Path, spec: DatasetSpec, schema: LabelSchema
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Labelled rows (label still a string) and the count of excluded rows per bucket."""
    skips = skip_rules(spec)
    decisions = decision_rules(spec)
    by_value = {rule.native: rule for rule in decisions}
    rights = right_rules(spec)
    subtype_order = schema.fields["illegal_subtypes"].value_ids
    rows: list[dict[str, Any]] = []
    excluded: Counter[str] = Counter()
    positions: dict[str, int] = defaultdict(int)
    for number, row in hisada2024.iter_worker_rows(
        path, error=SchemaError, hint="; re-download it unchanged"
    ):
        where = f"{path}:{number}"
        for key in ("本件投稿記事", "文脈", "プラットフォーム", "事件番号", "Skip", *RIGHTS):
            if not isinstance(row.get(key), str):
                raise SchemaError(
                    f"{where}: field {key!r} is {row.get(key)!r}; expected a string. "
                    "Re-download the file unchanged."
                )
        case_id = row["caseID"]
        if isinstance(case_id, bool) or not isinstance(case_id, (int, str)):
            raise SchemaError(f"{where}: field 'caseID' is {case_id!r}; expected an integer.")
        case_number = row["事件番号"]
        # the item id of benchmark.annotation.hisada2024: case number and position in the case
        item_id = f"{case_number}#{positions[case_number]}"
        positions[case_number] += 1
        skip = row["Skip"]
        if skip != USABLE_SKIP:
            if skip not in skips:
                raise SchemaError(
                    f"{where}: field 'Skip' has value {skip!r}; allowed values are "
                    f"{[USABLE_SKIP, *skips]}. Upstream added a value: add a rule for it to "
                    f"benchmark/specs/{NAME}.yaml."
                )
            excluded[skips[skip].bucket or skip] += 1
            continue
        values = {right: row[right] for right in RIGHTS}
        for right, value in values.items():
            if value not in by_value:
                raise SchemaError(
                    f"{where}: field {right!r} has value {value!r}; allowed values are "
                    f"{list(by_value)}. Upstream added a decision value: add a rule for it to "
                    f"benchmark/specs/{NAME}.yaml."
                )
        rule = next(r for r in decisions if r.native in values.values())
        if rule.label is None:
            excluded[rule.bucket or rule.native] += 1
            continue
        deciding = [right for right in RIGHTS if values[right] == rule.native]
        subtypes = {
            subtype
            for right in deciding
            if rights[right].label == rule.label
            for subtype in rights[right].subtypes
        }
        rows.append(
            {
                "id": item_id,
                "text": row["本件投稿記事"],
                "label": rule.label,
                "illegal_subtypes": [s for s in subtype_order if s in subtypes],
                "native_label": rule.native,
                "deciding_rights": deciding,
                "decisions": values,
                "context": "" if row["文脈"] == MISSING else row["文脈"],
                "platform": "" if row["プラットフォーム"] == MISSING else row["プラットフォーム"],
                "case_id": str(case_id),
                "case_number": case_number,
            }
        )
    return rows, excluded
