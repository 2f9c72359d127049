"""The worked agreement study on the court-case dataset's re-annotated subsets."""

import re

import pytest

from benchmark.annotation import hisada2024
from benchmark.annotation.agree import compute_agreement
from benchmark.cli import main
from benchmark.errors import HiboBenchWarning
from benchmark.resources import guidelines_dir


@pytest.fixture(scope="module")
def worker_files(shared_data_dir):
    folder = shared_data_dir / "court_cases_hisada2024" / "annotations"
    paths = [folder / f"worker_{i}.jsonl" for i in (1, 2, 3)]
    if not all(p.exists() for p in paths):
        pytest.skip(f"court-case annotation files not found in {folder}")
    return paths


def test_agree_prints_alpha_per_field_with_intervals(worker_files, capsys):
    assert main(["agree", *map(str, worker_files), "--n-resamples", "200"]) == 0
    captured = capsys.readouterr()
    assert "439 of 631 items were annotated by only one annotator" in captured.err
    for field in ("名誉権", "名誉感情", "プライバシー", "court_recognised_any"):
        row = next(line for line in captured.out.splitlines() if f" {field} " in line)
        assert re.search(r"\d\.\d{3}–\d\.\d{3}", row), row


def test_readme_reports_the_figures_this_code_computes(worker_files):
    with pytest.warns(HiboBenchWarning, match="annotated by only one annotator"):
        records, notes = hisada2024.to_records(worker_files)
        report = compute_agreement(
            records,
            hisada2024.FIELDS,
            source="court",
            fmt="hisada2024",
            notes=notes,
            n_resamples=1000,
            seed=0,
        )
    readme = (guidelines_dir() / "README.md").read_text(encoding="utf-8")
    assert notes["items_in_two_or_more_files"] == 192
    for result in report.fields:
        if result.alpha == result.alpha:  # defined
            row = f"| {result.field} | {result.n_items} | {result.alpha:.3f} | {result.alpha_ci.low:.3f}–{result.alpha_ci.high:.3f} |"
            assert row in readme, row
