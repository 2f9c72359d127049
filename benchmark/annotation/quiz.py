"""The annotator qualification quiz: score an annotator's answers against the key."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.annotation.agreement import category
from benchmark.annotation.records import AnnotationError
from benchmark.jsonl import iter_jsonl
from benchmark.resources import guidelines_dir
from benchmark.schema import LabelSchema

NOT_SCORED = ("flags",)  # annotator_unsure etc. describe the annotator, not the post


def default_key_path() -> Path:
    return guidelines_dir() / "quiz.jsonl"


def scored_fields(schema: LabelSchema) -> list[str]:
    return ["label"] + [
        name
        for name, f in schema.fields.items()
        if f.annotated and f.kind in ("single", "multi", "boolean") and name not in NOT_SCORED
    ]


def read_items(path: Path, schema: LabelSchema, *, key: bool) -> dict[str, dict[str, Any]]:
    items: dict[str, dict[str, Any]] = {}
    for number, row in iter_jsonl(path, error=AnnotationError):
        where = f"{path}:{number}"
        if "id" not in row:
            raise AnnotationError(
                f"{where}: field 'id' is missing; give the quiz item's id (e.g. qz-001)."
            )
        if row["id"] in items:
            raise AnnotationError(
                f"{where}: item {row['id']!r} is answered twice; keep one line per item."
            )
        required = ("label", "explanation_ja", "explanation_en") if key else ("label",)
        schema.validate_record(row, required=required, where=where)
        items[str(row["id"])] = row
    if not items:
        raise AnnotationError(f"{path}: the file holds no quiz items.")
    return items


@dataclass
class Miss:
    item_id: str
    text: str
    fields: dict[str, tuple[Any, Any]]  # field -> (answer, key)
    explanation_ja: str
    explanation_en: str


@dataclass
class QuizResult:
    n_items: int
    n_answered: int
    field_accuracy: dict[str, float]
    confusion: dict[str, dict[str, int]]  # key class -> answered class (or "unanswered") -> count
    threshold: float
    misses: list[Miss] = field(default_factory=list)

    @property
    def label_accuracy(self) -> float:
        return self.field_accuracy["label"]

    @property
    def passed(self) -> bool:
        return self.label_accuracy >= self.threshold


def score_quiz(
    key: dict[str, dict[str, Any]],
    answers: dict[str, dict[str, Any]],
    schema: LabelSchema,
    *,
    threshold: float = 0.8,
    source: str = "answers",
) -> QuizResult:
    if not 0 < threshold <= 1:
        raise AnnotationError(f"--threshold must be in (0, 1]; got {threshold}.")
    unknown = sorted(set(answers) - set(key))
    if unknown:
        raise AnnotationError(
            f"{source}: item {unknown[0]!r} is not in the quiz; answer only the quiz's items (qz-…)."
        )
    fields = scored_fields(schema)
    correct = dict.fromkeys(fields, 0)
    totals = dict.fromkeys(fields, 0)
    confusion = {
        c: {**dict.fromkeys(schema.class_ids, 0), "unanswered": 0} for c in schema.class_ids
    }
    misses = []
    for item_id, gold in key.items():
        answer = answers.get(item_id, {})
        confusion[gold["label"]][answer.get("label", "unanswered")] += 1
        wrong = {}
        for name in fields:
            if name not in gold:
                continue
            totals[name] += 1
            if name in answer and category(answer[name]) == category(gold[name]):
                correct[name] += 1
            else:
                wrong[name] = (answer.get(name), gold[name])
        if wrong:
            misses.append(
                Miss(item_id, gold["text"], wrong, gold["explanation_ja"], gold["explanation_en"])
            )
    return QuizResult(
        n_items=len(key),
        n_answered=len(answers),
        field_accuracy={n: correct[n] / totals[n] for n in fields if totals[n]},
        confusion=confusion,
        threshold=threshold,
        misses=misses,
    )


def print_result(result: QuizResult, schema: LabelSchema) -> None:
    from rich.table import Table

    from benchmark.terminal import make_console

    console = make_console()
    table = Table(
        title=f"資格テスト / Qualification quiz: {result.n_answered} of {result.n_items} answered"
    )
    table.add_column("項目 / field")
    table.add_column("正答率 / accuracy", justify="right")
    for name, accuracy in result.field_accuracy.items():
        table.add_row(name, f"{accuracy:.1%}")
    console.print(table)
    confusion = Table(title="クラスの混同 / class confusion (rows: key, columns: your answer)")
    confusion.add_column("key \\ answer")
    columns = [*schema.class_ids, "unanswered"]
    for column in columns:
        confusion.add_column(column, justify="right")
    for gold, row in result.confusion.items():
        confusion.add_row(gold, *(str(row[c]) for c in columns))
    console.print(confusion)
    for miss in result.misses:
        console.print(f"\n[bold]{miss.item_id}[/bold]", miss.text, markup=True, highlight=False)
        for name, (answer, gold) in miss.fields.items():
            console.print(f"  {name}: your answer {answer!r}, key {gold!r}", markup=False)
        console.print(f"  解説: {miss.explanation_ja}", markup=False)
        console.print(f"  Why: {miss.explanation_en}", markup=False)
    verdict = "合格 / PASS" if result.passed else "不合格 / FAIL"
    console.print(
        f"\n{verdict}: class accuracy {result.label_accuracy:.1%} "
        f"(threshold {result.threshold:.0%})",
        markup=False,
    )
