"""Writing ``predictions.jsonl``: one JSON object per item (id, gold, predicted and, with
probabilities, scores rounded to 6 digits), built column by column with Arrow string kernels —
the same text ``json.dumps(row, ensure_ascii=False)`` gives, at a million rows a second."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa


def predictions_jsonl(
    ids: Sequence[str],
    gold: np.ndarray,
    gold_labels: list[str],
    predicted: np.ndarray,
    model_labels: list[str],
    probabilities: np.ndarray | None,
) -> str:
    """One ``json.dumps(row, ensure_ascii=False)`` line per item: id, gold and predicted label
    names and, with probabilities, scores rounded to 6 digits; built column by column."""
    import pyarrow.compute as pc

    if len(ids) == 0:
        return "\n"
    label_json = _json_strings(model_labels)
    pieces: list[Any] = [
        '{"id": ',
        _json_strings(ids),
        ', "gold": ',
        _json_strings(gold_labels).take(np.asarray(gold)),
        ', "predicted": ',
        label_json.take(np.asarray(predicted)),
    ]
    if probabilities is not None:
        probabilities = np.asarray(probabilities)
        for k, name in enumerate(label_json.to_pylist()):
            opening = ', "scores": {' if k == 0 else ", "
            pieces += [f"{opening}{name}: ", _json_floats(probabilities[:, k])]
        pieces.append("}")
    pieces.append("}")
    rows = pc.binary_join_element_wise(*pieces, "")  # the last argument is the separator
    return "\n".join(rows.to_pylist()) + "\n"


def _json_strings(values: Sequence[str]) -> pa.Array:
    """Each string as a JSON string literal (non-ASCII kept)."""
    import pyarrow as pa

    # The function json.dumps(..., ensure_ascii=False) itself applies to a str.
    return pa.array(list(map(json.encoder.encode_basestring, values)), pa.string())


def _json_floats(values: np.ndarray) -> pa.Array:
    """Each value as ``json.dumps(round(float(value), 6))`` writes it.

    Where that round is plainly ``rint(value * 1e6) / 1e6`` (no near-half that the product's
    error, below 1e-6 for values up to 1e3, could flip) and Python writes the result
    positionally (0 and from 1e-4 up), its shortest repr is the millionths written out with
    trailing zeros dropped. Other values go through ``round`` and ``json.dumps`` one by one.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    values = np.asarray(values, dtype=np.float64)
    scaled = values * 1e6
    millionths = np.rint(scaled)
    with np.errstate(invalid="ignore"):  # NaN and infinities fail both tests
        clear = np.abs(np.abs(scaled - millionths) - 0.5) >= 1e-6
        positional = ((millionths >= 100) & (millionths <= 1e9)) | (
            (millionths == 0) & ~np.signbit(millionths)
        )
    plain = clear & positional
    text = _decimal_millionths(np.where(plain, millionths, 0).astype(np.int64))
    if plain.all():
        return text
    others = np.full(len(values), None, dtype=object)
    for i in np.flatnonzero(~plain).tolist():
        others[i] = json.dumps(round(float(values[i]), 6))
    return pc.if_else(pa.array(plain), text, pa.array(others, pa.string()))


def _decimal_millionths(millionths: np.ndarray) -> pa.Array:
    """Non-negative millionths as decimals: 12345678 → "12.345678", 1500000 → "1.5", 0 → "0.0"."""
    import pyarrow as pa
    import pyarrow.compute as pc

    whole = pc.cast(pa.array(millionths // 1_000_000), pa.string())
    digits = pc.utf8_lpad(
        pc.cast(pa.array(millionths % 1_000_000), pa.string()), width=6, padding="0"
    )
    fraction = pc.utf8_rtrim(digits, characters="0")
    fraction = pc.if_else(pc.equal(fraction, ""), "0", fraction)
    return pc.binary_join_element_wise(whole, fraction, ".")
