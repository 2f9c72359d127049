"""Renders the worked examples (examples.jsonl) into both guideline documents, so the
documents and the data cannot drift apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmark.annotation.records import AnnotationError
from benchmark.jsonl import iter_jsonl
from benchmark.resources import guidelines_dir
from benchmark.schema import LabelSchema

BEGIN = "<!-- BEGIN GENERATED: examples -->"
END = "<!-- END GENERATED: examples -->"
LANGUAGES = ("ja", "en")
SECTION = 11  # the guideline section that holds the worked examples

LABELS = {
    "ja": {
        "class": "クラス", "subtypes": "類型", "target": "対象", "identifiable": "同定可能",
        "claim": "主張", "speech_act": "発話行為", "platform": "場", "public": "公共性／公益目的／根拠",
        "flags": "フラグ", "pile_on": "炎上（スレッド）", "spans": "根拠箇所", "path": "判断フロー",
        "why": "判断理由", "edge": "難しい事例", "yes": "はい", "no": "いいえ",
        "note": "このセクションは examples.jsonl から自動生成されています（`hibobench annotate render-guidelines`）。手で編集しないでください。",
    },
    "en": {
        "class": "Class", "subtypes": "Subtypes", "target": "Target", "identifiable": "Identifiable",
        "claim": "Claim", "speech_act": "Speech act", "platform": "Platform",
        "public": "Public interest / purpose / basis", "flags": "Flags", "pile_on": "Pile-on (thread)",
        "spans": "Rationale spans", "path": "Decision path", "why": "Why", "edge": "Edge cases",
        "yes": "yes", "no": "no",
        "note": "This section is generated from examples.jsonl (`hibobench annotate render-guidelines`); do not edit it by hand.",
    },
}  # fmt: skip


def examples_path() -> Path:
    return guidelines_dir() / "examples.jsonl"


def guideline_path(lang: str) -> Path:
    return guidelines_dir() / f"guidelines.{lang}.md"


def read_examples(path: Path, schema: LabelSchema) -> list[dict[str, Any]]:
    examples = []
    required = ("id", "text", "label", "rationale_ja", "rationale_en", "decision_path")
    for number, row in iter_jsonl(path, error=AnnotationError):
        schema.validate_record(row, required=required, where=f"{path}:{number}")
        examples.append(row)
    return examples


def _name(schema: LabelSchema, field: str, value: str, lang: str) -> str:
    if field == "label":
        c = schema.class_def(value)
        return c.name_ja if lang == "ja" else c.name_en
    for v in schema.fields[field].values:
        if v.id == value:
            return v.name_ja if lang == "ja" else v.name_en
    return value


def render_example(ex: dict[str, Any], schema: LabelSchema, lang: str) -> str:
    t = LABELS[lang]
    steps = {s.id: (s.name_ja if lang == "ja" else s.name_en) for s in schema.decision_tree}
    subtypes = ex.get("illegal_subtypes", []) + ex.get("harmful_subtypes", [])
    subtype_field = "illegal_subtypes" if ex.get("illegal_subtypes") else "harmful_subtypes"
    quoted = "\n".join(f"> {line}" if line else ">" for line in ex["text"].splitlines())
    lines = [
        f"#### {ex['id']} — {_name(schema, 'label', ex['label'], lang)} (`{ex['label']}`)",
        "",
        quoted,
        "",
        f"- **{t['class']}**: `{ex['label']}`"
        + (
            f" · **{t['subtypes']}**: "
            + ", ".join(f"`{s}` {_name(schema, subtype_field, s, lang)}" for s in subtypes)
            if subtypes
            else ""
        ),
        f"- **{t['target']}**: `{ex['target_type']}` · **{t['identifiable']}**: "
        f"{t['yes'] if ex['identifiable'] else t['no']} · **{t['claim']}**: `{ex['claim_type']}` · "
        f"**{t['speech_act']}**: `{ex['speech_act']}` · **{t['platform']}**: `{ex['platform']}`",
    ]
    if "public_interest" in ex:
        lines.append(
            f"- **{t['public']}**: `{ex['public_interest']}` / `{ex['public_purpose']}` / `{ex['truth_basis']}`"
            + (
                f" · **{t['flags']}**: " + ", ".join(f"`{f}`" for f in ex["flags"])
                if ex.get("flags")
                else ""
            )
            + (f" · **{t['pile_on']}**: `{ex['pile_on']}`" if "pile_on" in ex else "")
        )
    if ex.get("rationale_spans"):
        lines.append(
            f"- **{t['spans']}**: "
            + "; ".join(f"`{s['label']}` 「{s['text']}」" for s in ex["rationale_spans"])
        )
    lines.append(
        f"- **{t['path']}**: "
        + " → ".join(f"{s} {steps.get(s, '')}".strip() for s in ex["decision_path"])
    )
    if ex.get("edge_cases"):
        lines.append(
            f"- **{t['edge']}**: "
            + ", ".join(_name(schema, "edge_cases", e, lang) for e in ex["edge_cases"])
        )
    lines.append(f"- **{t['why']}**: {ex['rationale_ja'] if lang == 'ja' else ex['rationale_en']}")
    return "\n".join(lines)


def render_block(examples: list[dict[str, Any]], schema: LabelSchema, lang: str) -> str:
    parts = [f"_{LABELS[lang]['note']}_"]
    for number, class_def in enumerate(schema.classes, start=1):
        chosen = [ex for ex in examples if ex["label"] == class_def.id]
        title = class_def.name_ja if lang == "ja" else class_def.name_en
        parts.append(f"### {SECTION}.{number} {title} (`{class_def.id}`) — {len(chosen)}")
        parts.extend(render_example(ex, schema, lang) for ex in chosen)
    return "\n\n".join(parts)


def rendered_document(text: str, block: str, path: Path) -> str:
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise AnnotationError(
            f"{path}: expected exactly one '{BEGIN}' followed by one '{END}'; put them where the "
            "examples belong."
        )
    head, rest = text.split(BEGIN)
    _, tail = rest.split(END)
    return f"{head}{BEGIN}\n\n{block}\n\n{END}{tail}"


def render_guidelines(schema: LabelSchema, *, check: bool = False) -> list[Path]:
    """Rewrite both guideline files (or, with ``check``, list those that are out of date)."""
    examples = read_examples(examples_path(), schema)
    stale = []
    for lang in LANGUAGES:
        path = guideline_path(lang)
        text = path.read_text(encoding="utf-8")
        new = rendered_document(text, render_block(examples, schema, lang), path)
        if new != text:
            stale.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    return stale
