"""The checks shared by both readers: ids, duplicates, labels and their aliases, scores."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from benchmark.errors import PredictionsError
from benchmark.registry import get_spec
from benchmark.schema import LabelSchema
from benchmark.submission.common import Context, Fallback, Table

SUM_TOLERANCE = 1e-6
# Accepted on top of the aliases of user files (benchmark/specs/local.yaml); asked for in issue 6.
EXTRA_ALIASES = {"正当な批判": "criticism"}


def validate(table: Table, ctx: Context) -> tuple[np.ndarray, np.ndarray | None, list[str]]:
    """Labels and scores in dataset order, and notices; or the first problem, by line."""
    where = _locator(table, ctx)
    n = len(table.ids)
    if n == 0:
        raise PredictionsError(
            f"{ctx.path}: the file holds no predictions; write one row per item of {ctx.dataset}."
        )
    positions = _positions(table.ids, ctx, where)
    _check_duplicates(positions, table, ctx, where)
    labels = _label_indices(table.labels, ctx, where)
    notices = []
    if table.ignored:
        notices.append(
            f"{ctx.path}: ignored fields {list(table.ignored)}; only id, label and scores "
            f"(score_<class id> columns in CSV/TSV) are read."
        )
    scores = None
    if table.scores is not None:
        scores, note = _checked_scores(table.scores, ctx, where)
        notices.extend(note)
    if n != len(ctx.ids):
        missing = np.ones(len(ctx.ids), dtype=bool)
        missing[positions] = False
        first = ctx.ids[int(np.flatnonzero(missing)[0])]
        raise PredictionsError(
            f"{ctx.path}: {len(ctx.ids) - n} of {len(ctx.ids)} items of {ctx.dataset} have no "
            f"prediction (first missing id: {first!r}); add one row per missing id."
        )
    aligned = np.empty(n, dtype=np.int64)
    aligned[positions] = labels
    aligned_scores = None
    if scores is not None:
        aligned_scores = np.empty_like(scores)
        aligned_scores[positions] = scores
    return aligned, aligned_scores, notices


def _locator(table: Table, ctx: Context) -> Callable[[int], str]:
    lines = table.lines

    def where(row: int) -> str:
        if lines is None:
            raise Fallback
        return f"{ctx.path}:{lines[row]}"

    return where


def _positions(ids: pa.Array, ctx: Context, where: Callable[[int], str]) -> np.ndarray:
    """Dataset position of each row's id."""
    found = pc.index_in(ids, value_set=pa.array(list(ctx.ids), pa.string()))
    positions = np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    unmatched = np.flatnonzero(positions < 0)
    if unmatched.size:
        by_key = _normalised_ids(ctx.ids)
        for row in unmatched:
            raw = ids[int(row)].as_py()
            index = by_key.get(_id_key(raw))
            if index is None:
                raise PredictionsError(
                    f"{where(int(row))}: id {raw!r} is not an item of {ctx.dataset}; check that "
                    "you predicted the right dataset and split."
                )
            positions[row] = index
    return positions


def _id_key(item_id: str) -> str:
    return unicodedata.normalize("NFKC", item_id).strip()


def _normalised_ids(ids: Sequence[str]) -> dict[str, int]:
    by_key: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        by_key.setdefault(_id_key(item_id), index)
    return by_key


def _check_duplicates(
    positions: np.ndarray, table: Table, ctx: Context, where: Callable[[int], str]
) -> None:
    order = np.argsort(positions, kind="stable")
    ranked = positions[order]
    repeats = np.flatnonzero(ranked[1:] == ranked[:-1]) + 1
    if not repeats.size:
        return
    row = int(order[repeats].min())
    first = int(np.flatnonzero(positions == positions[row])[0])
    location = where(row)
    assert table.lines is not None  # where() returned, so lines are known
    raise PredictionsError(
        f"{location}: id {ctx.ids[positions[row]]!r} already appeared on line "
        f"{table.lines[first]}; keep exactly one prediction per id."
    )


def _label_indices(labels: pa.Array, ctx: Context, where: Callable[[int], str]) -> np.ndarray:
    encoded = labels.dictionary_encode()
    lookup = _label_lookup(ctx.schema)
    values = [lookup.get(_label_key(value), -1) for value in encoded.dictionary.to_pylist()]
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    indices = np.asarray(values, dtype=np.int64)[codes]
    bad = np.flatnonzero(indices < 0)
    if bad.size:
        row = int(bad[0])
        raise PredictionsError(
            f"{where(row)}: label {labels[row].as_py()!r} is not a class; expected a class id "
            f"{list(ctx.schema.class_ids)}, a Japanese name or alias "
            f"({sorted(k for k in lookup if not k.isascii())}) (schema {ctx.schema.version})."
        )
    return indices


def _label_key(label: str) -> str:
    return unicodedata.normalize("NFKC", label).strip().casefold()


def _label_lookup(schema: LabelSchema) -> dict[str, int]:
    """Normalised label → class index: class ids, Japanese names and the aliases."""
    lookup = {_label_key(c.id): i for i, c in enumerate(schema.classes)}
    lookup.update({_label_key(c.name_ja): i for i, c in enumerate(schema.classes)})
    aliases = {r.native: r.label for m in get_spec("local").mappings for r in m.rules if r.label}
    for alias, class_id in {**aliases, **EXTRA_ALIASES}.items():
        lookup[_label_key(alias)] = schema.str2int(class_id)
    return lookup


def _checked_scores(
    scores: np.ndarray, ctx: Context, where: Callable[[int], str]
) -> tuple[np.ndarray, list[str]]:
    names = ctx.schema.class_ids
    finite = np.logical_and.reduce(np.isfinite(scores), axis=1)
    negative = np.logical_or.reduce(scores < 0, axis=1)
    sums: np.ndarray = scores.sum(axis=1)
    off = ~(np.abs(sums - 1.0) <= SUM_TOLERANCE)
    bad = ~finite | negative | ((sums <= 0) if ctx.renormalise else off)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        shown = {name: float(v) for name, v in zip(names, scores[row], strict=True)}
        problem = _score_problem(
            bool(finite[row]), bool(negative[row]), float(sums[row]), ctx.renormalise
        )
        raise PredictionsError(f"{where(row)}: scores {shown} {problem}")
    if not ctx.renormalise:
        return scores, []
    notices = []
    if off.any():
        notices.append(
            f"{ctx.path}: renormalised the scores of {int(off.sum())} of {len(scores)} rows "
            "that did not sum to one (--renormalise-scores)."
        )
    return scores / sums[:, None], notices


def _score_problem(finite: bool, negative: bool, total: float, renormalise: bool) -> str:
    if not finite:
        return "include NaN or infinity; expected finite probabilities."
    if negative:
        return "include a negative value; expected probabilities (non-negative, summing to one)."
    if renormalise:
        return "sum to 0; cannot renormalise, give at least one positive score."
    return (
        f"sum to {total:.9g}; expected probabilities summing to one (±{SUM_TOLERANCE:g}). Apply "
        "a softmax, or pass --renormalise-scores (task.renormalise_scores=true) to divide each "
        "row by its sum."
    )
