"""``hibobench datasets`` (list, with local availability) and ``hibobench datasets show NAME``.

Stays fast and offline: it reads the specs and looks at the local folders, nothing else.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmark.registry import REGISTRY, DatasetSpec, get_spec


def add_commands(sub: argparse._SubParsersAction) -> None:
    datasets = sub.add_parser(
        "datasets", help="list the datasets and whether each is available here"
    )
    datasets.add_argument("action", nargs="?", choices=["list", "show"], default="list")
    datasets.add_argument("name", nargs="?", help="dataset to show (with `show`)")


def run(args: argparse.Namespace) -> int:
    from benchmark.terminal import make_console

    console = make_console()
    if args.action == "show":
        if not args.name:
            raise SystemExit(
                "hibobench datasets show: give a dataset name, e.g. 'hibobench datasets show court_cases'"
            )
        spec = get_spec(args.name)
        console.print(describe(spec), markup=False, highlight=False)
        return 0
    from rich.table import Table

    table = Table(title="HiboBench datasets")
    for column in ("name", "version", "license", "size", "splits", "source", "available here"):
        table.add_column(column)
    for spec in REGISTRY.values():
        table.add_row(
            spec.name, spec.version[:12], spec.license, _short(spec.size), ", ".join(spec.splits),
            source_text(spec), availability(spec),
        )  # fmt: skip
    console.print(table)
    return 0


def _short(text: str) -> str:
    """The first clause of a long description (the full text is in `datasets show`)."""
    first = text.split(";")[0].split(" (")[0]
    return first if len(first) <= 30 else first[:29] + "…"


def source_text(spec: DatasetSpec) -> str:
    source = spec.source
    if source.kind == "builtin":
        return "built-in"
    if source.hub_id:
        return f"hub {source.hub_id}" + (f"@{source.revision}" if source.revision else "")
    return source.url or "user-supplied"


def availability(spec: DatasetSpec) -> str:
    from benchmark.external import dataset_folder, is_available

    if spec.source.kind == "builtin":
        return "yes (built-in)"
    if not spec.source.files:
        return "your own file (dataset.options.path)"
    folder = dataset_folder(spec)
    return f"yes ({folder})" if is_available(spec) else f"no (looked in {folder})"


def describe(spec: DatasetSpec) -> str:
    """The card (if any) followed by the label mapping tables, as plain Markdown."""
    lines = [
        f"# {spec.name} {spec.version}",
        "",
        spec.description.strip(),
        "",
        f"- licence: {spec.license}",
        f"- source: {source_text(spec)}"
        + (f" — {spec.source.how_to_get}" if spec.source.how_to_get else ""),
        f"- splits: {', '.join(spec.splits)}; tasks: {', '.join(spec.tasks)}",
        f"- available here: {availability(spec)}",
    ]
    if spec.citation:
        lines.append(f"- citation: {spec.citation.strip()}")
    for pinned in spec.source.files:
        lines.append(
            f"- file `{pinned.path}`"
            + (f" sha256 {pinned.sha256}" if pinned.sha256 else " (user-supplied)")
        )
    for mapping in spec.mappings:
        lines += ["", f"## Label mapping: `{mapping.field}`", ""]
        if mapping.description:
            lines += [mapping.description.strip(), ""]
        lines += ["| native | HiboBench label | subtypes | rule |", "|---|---|---|---|"]
        for rule in mapping.rules:
            target = rule.label or f"excluded{f' ({rule.bucket})' if rule.bucket else ''}"
            lines.append(f"| {rule.native} | {target} | {', '.join(rule.subtypes)} | {rule.rule} |")
    card = _card_text(spec)
    if card:
        lines += ["", "---", "", card]
    return "\n".join(lines) + "\n"


def _card_text(spec: DatasetSpec) -> str | None:
    if not spec.card:
        return None
    path = Path(__file__).resolve().parent.parent / spec.card
    return path.read_text(encoding="utf-8") if path.is_file() else None
