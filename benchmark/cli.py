"""The ``hibobench`` command line.

``--help`` stays fast: heavy libraries (mlflow, scikit-learn, datasets, torch) are
imported only by the subcommand that needs them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

OFFLINE_DEFAULTS = {
    # No hub look-ups or telemetry unless the user turns them on explicitly.
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}

EPILOG = """\
examples:
  hibobench run                                   train tfidf_lr on hibo_core, score it on test
  hibobench run model=majority                    any Hydra override
  hibobench run -m model=majority,tfidf_lr        a multirun sweep
  hibobench run tracking=none                     no MLflow tracking
  hibobench score --dataset hibo_core --split test --predictions preds.jsonl
  hibobench compare RUN_A RUN_B [RUN_C ...]       paired significance and tie groups
  hibobench datasets                              list the datasets
  hibobench annotate quiz --answers my_answers.jsonl
  hibobench agree annotations.jsonl --disagreements queue.jsonl
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hibobench",
        description="HiboBench: Japanese online defamation benchmark "
        "(illegal vs harmful vs legitimate criticism).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="train a baseline and score it (Hydra overrides and -m multirun accepted)",
        add_help=False,
    )
    run.add_argument(
        "overrides", nargs="*", help="Hydra overrides; `hibobench run --help` shows Hydra's help"
    )
    score = sub.add_parser("score", help="score a submitted predictions file (JSONL, CSV, TSV)")
    score.add_argument("--dataset", default="hibo_core", help="registered dataset name")
    score.add_argument("--split", default="test", help="split the predictions are for")
    score.add_argument(
        "--predictions", required=True, help="JSONL {id, label, scores?} per line, CSV or TSV"
    )
    score.add_argument("--encoding", default=None, help="e.g. cp932 (default: detect)")
    score.add_argument(
        "--renormalise-scores",
        action="store_true",
        help="divide each score row by its sum instead of rejecting rows that do not sum to one",
    )
    score.add_argument("--model-name", default=None, help="name for the model (default: file stem)")
    score.add_argument("overrides", nargs="*", help="further Hydra overrides, e.g. tracking=none")
    from benchmark import cli_annotate, cli_compare, cli_datasets

    cli_compare.add_commands(sub)
    cli_datasets.add_commands(sub)
    cli_annotate.add_commands(sub)
    return parser


def _hydra_value(value: str) -> str:
    """Quote a value for Hydra's override grammar."""
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def _run_hydra(overrides: Sequence[str]) -> int:
    from benchmark.hydra_app import hydra_main

    sys.argv = ["hibobench", *overrides]
    hydra_main()
    return 0


def _user_errors(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run ``command``; a HiboBench error becomes one line on stderr and exit code 2."""
    from benchmark.errors import HiboBenchError

    try:
        return command(args)
    except HiboBenchError as err:
        print(f"hibobench: error: {err}", file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["run"]:
        # everything after `run` belongs to Hydra (overrides, -m, --cfg job, --help …)
        return _run_hydra(argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "score":
        overrides = [
            "task=score",
            f"dataset={args.dataset}",
            f"task.eval_split={_hydra_value(args.split)}",
            f"task.predictions={_hydra_value(os.path.abspath(args.predictions))}",
        ]
        if args.model_name:
            overrides.append(f"task.model_name={_hydra_value(args.model_name)}")
        if args.encoding:
            overrides.append(f"task.encoding={_hydra_value(args.encoding)}")
        if args.renormalise_scores:
            overrides.append("task.renormalise_scores=true")
        return _run_hydra([*overrides, *args.overrides])
    if args.command == "compare":
        from benchmark.cli_compare import run as run_compare

        return _user_errors(run_compare, args)
    if args.command == "datasets":
        from benchmark.cli_datasets import run as run_datasets

        return _user_errors(run_datasets, args)
    if args.command in ("annotate", "agree"):
        from benchmark.cli_annotate import run

        return run(args)
    _parser().print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
