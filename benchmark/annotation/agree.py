"""``hibobench agree``: read annotations in any supported format and report agreement."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.annotation import hisada2024
from benchmark.annotation.agreement import FieldAgreement, field_agreement, span_f1
from benchmark.annotation.records import (
    AnnotationError,
    read_annotations,
    units,
    warn_single_annotations,
)
from benchmark.schema import LabelSchema

FORMATS = ("auto", "hibobench", "labelstudio", "hisada2024")


@dataclass
class AgreementReport:
    source: str
    format: str
    fields: list[FieldAgreement]
    span_f1: dict[str, float] | None
    notes: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "fields": [f.to_dict() for f in self.fields],
            "span_f1": self.span_f1,
            "notes": self.notes,
        }


def detect_format(paths: Sequence[Path]) -> str:
    first = paths[0]
    if first.suffix == ".json":
        return "labelstudio"
    try:
        with first.open(encoding="utf-8-sig") as handle:
            line = next((ln for ln in handle if ln.strip()), "{}")
        row = json.loads(line)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return "hibobench"  # the reader then reports the exact problem
    return (
        "hisada2024" if isinstance(row, dict) and hisada2024.looks_like_hisada(row) else "hibobench"
    )


def load_records(
    paths: Sequence[Path], schema: LabelSchema, fmt: str = "auto"
) -> tuple[list[dict[str, Any]], str, dict[str, Any]]:
    """Records from one or more files, the format used, and notes about the reading."""
    if fmt not in FORMATS:
        raise AnnotationError(f"--format is {fmt!r}; expected one of {list(FORMATS)}.")
    fmt = detect_format(paths) if fmt == "auto" else fmt
    if fmt == "hisada2024":
        records, notes = hisada2024.to_records(list(paths))
        return records, fmt, notes
    records = []
    for path in paths:
        if fmt == "labelstudio":
            from benchmark.annotation.labelstudio import read_export

            records.extend(read_export(path, schema))
        else:
            records.extend(read_annotations(path, schema))
    seen: set[tuple[str, str]] = set()
    for record in records:
        key = (record["item_id"], record["annotator"])
        if key in seen:
            raise AnnotationError(
                f"annotator {key[1]!r} labelled item {key[0]!r} in more than one file; "
                "keep one record per (item, annotator)."
            )
        seen.add(key)
    return records, fmt, {}


def default_fields(records: list[dict[str, Any]], schema: LabelSchema, fmt: str) -> list[str]:
    if fmt == "hisada2024":
        return list(hisada2024.FIELDS)
    present = {key for record in records for key in record}
    names = ["label"] + [
        name
        for name, field in schema.fields.items()
        if field.annotated and field.kind in ("single", "multi", "boolean") and name in present
    ]
    return [name for name in names if name in present]


def compute_agreement(
    records: list[dict[str, Any]],
    fields: Sequence[str],
    *,
    source: str,
    fmt: str,
    notes: dict[str, Any] | None = None,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> AgreementReport:
    single = warn_single_annotations(records, source)
    multi_items = len({r["item_id"] for r in records}) - single
    if multi_items == 0:
        raise AnnotationError(
            f"{source}: no item was annotated by two or more annotators, so agreement cannot be "
            "computed; give files in which annotators overlap."
        )
    results = [
        field_agreement(
            name, units(records, name), n_resamples=n_resamples, confidence=confidence, seed=seed
        )
        for name in fields
    ]
    spans = units(records, "rationale_spans")
    span_scores = span_f1(spans) if any(len(r) >= 2 for r in spans.values()) else None
    return AgreementReport(
        source=source,
        format=fmt,
        fields=results,
        span_f1=span_scores,
        notes={**(notes or {}), "items_with_one_annotation": single},
    )


def print_report(report: AgreementReport, *, confidence: float) -> None:
    from rich.table import Table

    from benchmark.terminal import make_console

    def fmt(value: float | None) -> str:
        return "—" if value is None or value != value else f"{value:.3f}"

    level = round(100 * confidence)
    table = Table(title=f"一致度 / Agreement ({report.format})")
    for column in ("field", "items", "coders", "α", f"α {level}% CI", "Fleiss κ", "pair κ"):
        table.add_column(column, justify="left" if column == "field" else "right", no_wrap=True)
    for f in report.fields:
        table.add_row(
            f.field,
            str(f.n_items),
            str(f.n_annotators),
            fmt(f.alpha),
            f"{fmt(f.alpha_ci.low)}–{fmt(f.alpha_ci.high)}",
            fmt(f.fleiss_kappa) + (f" (n={f.fleiss_n_items})" if f.note else ""),
            fmt(f.mean_pairwise_kappa),
        )
    console = make_console()
    console.print(table)
    first = report.fields[0] if report.fields else None
    if first is not None:
        detail = Table(title=f"{first.field}: annotator vs majority of the others / 多数派との一致")
        detail.add_column("annotator")
        detail.add_column("agreement", justify="right")
        detail.add_column("n", justify="right")
        for annotator, row in first.annotator_vs_majority.items():
            detail.add_row(annotator, fmt(row["agreement"]), str(int(row["n"])))
        console.print(detail)
    if report.span_f1:
        console.print(
            "rationale spans, character-level F1 between annotators: "
            + ", ".join(f"{k} {fmt(v)}" for k, v in report.span_f1.items()),
            markup=False,
        )
    for key, value in report.notes.items():
        console.print(f"  {key}: {value}", markup=False)


def write_json(report: AgreementReport, path: Path) -> None:
    path.write_text(
        json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
