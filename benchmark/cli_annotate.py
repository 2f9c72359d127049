"""``hibobench annotate …`` and ``hibobench agree``: tools for annotators and project leads."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from benchmark.errors import HiboBenchError


def add_commands(sub: argparse._SubParsersAction) -> None:
    annotate = sub.add_parser(
        "annotate", help="annotation tools: quiz, Label Studio, adjudication, guidelines"
    )
    tools = annotate.add_subparsers(dest="tool", metavar="TOOL", required=True)

    quiz = tools.add_parser("quiz", help="score an annotator's qualification-quiz answers")
    quiz.add_argument(
        "--answers", required=True, type=Path, help="JSONL: {id, label, <fields>} per quiz item"
    )
    quiz.add_argument(
        "--key", type=Path, default=None, help="answer key (default: the packaged quiz.jsonl)"
    )
    quiz.add_argument(
        "--threshold", type=float, default=0.8, help="class accuracy needed to pass (default 0.8)"
    )

    config = tools.add_parser(
        "labelstudio-config", help="write the Label Studio labeling config (XML)"
    )
    config.add_argument("--out", type=Path, default=None, help="file to write (default: print it)")

    export = tools.add_parser("export", help="write Label Studio import tasks for a dataset split")
    export.add_argument("--dataset", required=True)
    export.add_argument("--split", required=True)
    export.add_argument("--format", choices=["labelstudio"], default="labelstudio")
    export.add_argument(
        "--predictions", type=Path, default=None, help="predictions JSONL to pre-annotate with"
    )
    export.add_argument("--out", type=Path, required=True)

    imp = tools.add_parser(
        "import",
        help="convert a Label Studio JSON export to HiboBench JSONL (one record per annotator)",
    )
    imp.add_argument("export_file", type=Path)
    imp.add_argument("--out", type=Path, required=True)

    adjudicate = tools.add_parser(
        "adjudicate", help="apply adjudicated decisions and write gold labels (raw labels kept)"
    )
    adjudicate.add_argument(
        "annotations",
        type=Path,
        nargs="+",
        help="annotation files (HiboBench JSONL or Label Studio export)",
    )
    adjudicate.add_argument(
        "--decisions",
        type=Path,
        required=True,
        help="the queue from `agree --disagreements`, with decisions filled in",
    )
    adjudicate.add_argument(
        "--fields",
        default=None,
        help="comma-separated fields to adjudicate, as given to `agree` (default: every field)",
    )
    adjudicate.add_argument("--out", type=Path, required=True)

    render = tools.add_parser(
        "render-guidelines", help="regenerate the worked examples in both guideline files"
    )
    render.add_argument(
        "--check", action="store_true", help="only report whether the files are up to date"
    )

    agree = sub.add_parser(
        "agree", help="inter-annotator agreement (Krippendorff's α, Cohen's and Fleiss' κ)"
    )
    agree.add_argument(
        "files",
        type=Path,
        nargs="+",
        help="HiboBench JSONL, a Label Studio export, or court-case worker files",
    )
    agree.add_argument(
        "--format", default="auto", choices=["auto", "hibobench", "labelstudio", "hisada2024"]
    )
    agree.add_argument(
        "--fields",
        default=None,
        help="comma-separated fields (default: every annotated field present)",
    )
    agree.add_argument(
        "--n-resamples", type=int, default=1000, help="bootstrap resamples for the α interval"
    )
    agree.add_argument("--confidence", type=float, default=0.95)
    agree.add_argument("--seed", type=int, default=0)
    agree.add_argument(
        "--disagreements", type=Path, default=None, help="write the adjudication queue here"
    )
    agree.add_argument("--json", type=Path, default=None, help="write the full report as JSON here")


def run(args: argparse.Namespace) -> int:
    """Run an annotate/agree command; user errors become one line on stderr and exit code 2."""
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = _show_warning
        try:
            return _dispatch(args)
        except HiboBenchError as err:
            print(f"hibobench: error: {err}", file=sys.stderr)
            return 2


def _show_warning(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
    print(f"hibobench: warning: {message}", file=sys.stderr)


def _dispatch(args: argparse.Namespace) -> int:
    from benchmark.schema import load_schema

    schema = load_schema()
    if args.command == "agree":
        return _agree(args, schema)
    tool = args.tool
    if tool == "quiz":
        from benchmark.annotation import quiz

        key = quiz.read_items(args.key or quiz.default_key_path(), schema, key=True)
        answers = quiz.read_items(args.answers, schema, key=False)
        result = quiz.score_quiz(
            key, answers, schema, threshold=args.threshold, source=str(args.answers)
        )
        quiz.print_result(result, schema)
        return 0 if result.passed else 1
    if tool == "labelstudio-config":
        from benchmark.annotation.labelstudio import labeling_config

        xml = labeling_config(schema)
        if args.out:
            args.out.write_text(xml, encoding="utf-8")
            print(f"wrote {args.out}")
        else:
            print(xml, end="")
        return 0
    if tool == "export":
        return _export(args, schema)
    if tool == "import":
        from benchmark.annotation.labelstudio import read_export

        records = read_export(args.export_file, schema)
        _write_jsonl(args.out, records)
        annotators = len({r["annotator"] for r in records})
        print(f"wrote {len(records)} records ({annotators} annotators) to {args.out}")
        return 0
    if tool == "adjudicate":
        from benchmark.annotation.adjudication import gold_records, read_decisions
        from benchmark.annotation.agree import default_fields, load_records

        records, fmt, _ = load_records(args.annotations, schema)
        decisions = read_decisions(args.decisions, schema)
        fields = args.fields.split(",") if args.fields else default_fields(records, schema, fmt)
        gold = gold_records(records, decisions, fields, queue=args.decisions)
        _write_jsonl(args.out, gold)
        adjudicated = sum(1 for g in gold if g["gold_source"] == "adjudicated")
        print(f"wrote {len(gold)} gold records ({adjudicated} adjudicated) to {args.out}")
        return 0
    if tool == "render-guidelines":
        from benchmark.annotation.guideline_render import render_guidelines

        stale = render_guidelines(schema, check=args.check)
        if args.check and stale:
            print(
                "out of date: "
                + ", ".join(str(p) for p in stale)
                + " (run `hibobench annotate render-guidelines`)"
            )
            return 1
        print(
            "guidelines are up to date"
            if not stale
            else "updated: " + ", ".join(str(p) for p in stale)
        )
        return 0
    raise AssertionError(tool)


def _agree(args: argparse.Namespace, schema) -> int:  # type: ignore[no-untyped-def]
    from benchmark.annotation.adjudication import write_queue
    from benchmark.annotation.agree import (
        compute_agreement,
        default_fields,
        load_records,
        print_report,
        write_json,
    )

    records, fmt, notes = load_records(args.files, schema, args.format)
    fields = args.fields.split(",") if args.fields else default_fields(records, schema, fmt)
    report = compute_agreement(
        records,
        fields,
        source=", ".join(str(f) for f in args.files),
        fmt=fmt,
        notes=notes,
        n_resamples=args.n_resamples,
        confidence=args.confidence,
        seed=args.seed,
    )
    print_report(report, confidence=args.confidence)
    if args.json:
        write_json(report, args.json)
        print(f"wrote {args.json}")
    if args.disagreements:
        count = write_queue(records, fields, args.disagreements)
        print(f"wrote {count} items with disagreements to {args.disagreements}")
    return 0


def _export(args: argparse.Namespace, schema) -> int:  # type: ignore[no-untyped-def]
    from benchmark.annotation.labelstudio import export_tasks
    from benchmark.registry import load_dataset
    from benchmark.submission import read_submission

    data = load_dataset(args.dataset, schema=schema)
    if args.split not in data:
        raise HiboBenchError(
            f"dataset {args.dataset!r} has no split {args.split!r}; available: {sorted(data)}."
        )
    split = data[args.split]
    rows = [{"id": i, "text": t} for i, t in zip(split["id"], split["text"], strict=True)]
    predictions = None
    if args.predictions:
        submission = read_submission(
            args.predictions,
            ids=[r["id"] for r in rows],
            schema=schema,
            dataset=f"{args.dataset}/{args.split}",
        )
        predictions = {
            r["id"]: (
                schema.int2str(int(submission.labels[i])),
                float(submission.scores[i].max()) if submission.scores is not None else None,
            )
            for i, r in enumerate(rows)
        }
    tasks = export_tasks(
        rows,
        dataset=args.dataset,
        split=args.split,
        schema=schema,
        predictions=predictions,
        model_version=args.predictions.stem if args.predictions else "hibobench",
    )
    args.out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(tasks)} Label Studio tasks to {args.out}")
    return 0


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
