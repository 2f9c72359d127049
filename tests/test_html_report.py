"""report.html: sections follow the keys of result.json, user text stays text, nothing loads
from outside the file, and headless Chromium draws it (with Japanese glyphs, not boxes)."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from benchmark import plots
from benchmark.html_report import render_html
from benchmark.result import EvalResult, load_result
from tests.conftest import hibobench

HOSTILE = "<script>alert(1)</script>"

# Anchor of each section and the score key that turns it on.
SECTION_KEYS = {
    "headline": "headline",
    "score-metrics": "score_metrics",
    "per-class": "per_class",
    "confusion": "confusion_matrix",
    "binary-views": "binary_views",
    "calibration": "calibration",
    "slices": "slices",
    "bias": "bias",
    "cost": "cost_matrix",
    "subtype-recall": "illegal_subtype_recall",
    "hibo-check": "hibo_check",
    "robustness": "robustness",
    "also-evaluated": "also_evaluated",
}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    done = hibobench(
        "run",
        "model=majority",
        "tracking=none",
        "bootstrap.n_resamples=50",
        f"hydra.run.dir={out}",
        cwd=out,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture
def real_result(run_dir: Path) -> EvalResult:
    return load_result(run_dir / "result.json")


@pytest.fixture
def stub_plots(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip drawing (about a second a page) in tests of the page's structure."""
    for name in (
        "confusion_heatmap",
        "grouped_bars",
        "interval_plot",
        "curves",
        "reliability_diagram",
    ):
        monkeypatch.setattr(plots, name, lambda *args, **kwargs: "data:image/svg+xml;base64,")


def _cell(value: float | None, spread: float = 0.05) -> dict[str, float | None]:
    if value is None:
        return {"value": None, "ci_low": None, "ci_high": None}
    return {"value": value, "ci_low": max(0.0, value - spread), "ci_high": min(1.0, value + spread)}


def _curves() -> dict[str, Any]:
    return {
        "pr": {"precision": [1.0, 0.9, 0.7, 0.5], "recall": [0.0, 0.4, 0.8, 1.0]},
        "roc": {"fpr": [0.0, 0.1, 0.3, 1.0], "tpr": [0.0, 0.6, 0.9, 1.0]},
    }


def _binary_view(reference: str) -> dict[str, Any]:
    return {
        "headline": {k: _cell(0.8) for k in ("roc_auc", "pr_auc", "recall_at_wtr_1pct", "recall_at_wtr_5pct")},
        "curves": _curves(),
        "n_positive": 10,
        "n_reference_negative": 12,
        "reference_negatives": reference,
    }  # fmt: skip


def _new_sections(scores: dict[str, Any]) -> dict[str, Any]:
    """Hand-built sections in the shapes the scorer writes, for keys an older run lacks."""
    labels = scores["confusion_matrix"]["labels"]
    return {
        "binary_views": {"illegal": _binary_view("criticism"), "actionable": _binary_view("none")},
        "calibration": {
            "ece": _cell(0.1),
            "brier": _cell(0.2),
            "bins": [
                {
                    "low": i / 4,
                    "high": (i + 1) / 4,
                    "count": 5 * i,
                    "confidence": i / 4 + 0.1,
                    "accuracy": None if i == 0 else i / 4,
                }
                for i in range(4)
            ],
        },
        "slices": {
            "platform": {
                "sns": {"n": 30, "headline": {"macro_f1": _cell(0.7), "accuracy": _cell(None)}},
                "blog": {"n": 3, "headline": {"macro_f1": _cell(0.5)}},
            }
        },
        "bias": {
            "view": "illegal",
            "subgroup_column": "target_type",
            "subgroups": {
                "company": {
                    "n": 9,
                    "n_positive": 2,
                    "subgroup_auc": 0.9,
                    "bpsn_auc": 0.8,
                    "bnsp_auc": 0.85,
                },
                "group": {
                    "n": 4,
                    "n_positive": 0,
                    "subgroup_auc": None,
                    "bpsn_auc": 0.7,
                    "bnsp_auc": None,
                },
            },
        },
        "cost_matrix": {
            "labels": labels,
            "matrix": [[0.0 if i == j else 1.0 + i for j in labels] for i, _ in enumerate(labels)],
        },
        "illegal_subtype_recall": {
            "defamation": {"recall": 0.9, "ci_low": 0.8, "ci_high": 1.0, "support": 10},
            "threat": {"recall": None, "ci_low": None, "ci_high": None, "support": 0},
        },
        "hibo_check": {
            "functionalities": {
                "F01": {
                    "name": "negated_insult",
                    "n": 8,
                    "accuracy": 0.5,
                    "ci_low": 0.25,
                    "ci_high": 0.75,
                }
            },
            "pair_consistency": 0.4,
            "pairs": {
                "negation": {
                    "side_a": "F01",
                    "side_b": "F02",
                    "n_pairs": 4,
                    "consistency": 0.5,
                    "consistency_ci": [0.25, 0.75],
                    "accuracy_a": 0.5,
                    "accuracy_b": 0.75,
                    "gap": -0.25,
                    "gap_ci": [-0.5, 0.0],
                },
            },
        },
        "robustness": {"fuseji": {"macro_f1": 0.8, "drop": 0.05, "ci_low": 0.01, "ci_high": 0.09}},
    }


def _also_evaluated(scores: dict[str, Any]) -> dict[str, Any]:
    binary = {
        "dataset": "court_cases",
        "split": "test",
        "n": 20,
        "binary_view": "illegal",
        "headline": {"f1": _cell(0.6), "roc_auc": _cell(None)},
        "confusion_matrix": {"labels": ["not_illegal", "illegal"], "rows": "gold",
                             "columns": "predicted", "matrix": [[8, 2], [3, 7]]},
        "curves": _curves(),
        "bootstrap": scores["bootstrap"],
    }  # fmt: skip
    four_way = {
        k: scores[k] for k in ("n", "headline", "per_class", "confusion_matrix", "bootstrap")
    }
    return {"court": binary, "core_again": {**four_way, "dataset": "hibo_core", "split": "test"}}


def with_every_section(result: EvalResult) -> EvalResult:
    scores = copy.deepcopy(result.scores)
    for key, section in _new_sections(scores).items():
        scores.setdefault(key, section)
    scores.setdefault("score_metrics", {"illegal_roc_auc": 0.9, "brier": None})
    scores["also_evaluated"] = _also_evaluated(scores)
    for cell in scores["per_class"].values():
        cell.update(
            precision_ci_low=0.5, precision_ci_high=1.0, recall_ci_low=0.4, recall_ci_high=1.0
        )
    return result.model_copy(update={"scores": scores})


def _without(result: EvalResult, key: str) -> EvalResult:
    scores = {k: v for k, v in result.scores.items() if k != key}
    return result.model_copy(update={"scores": scores})


def _anchors(page: str) -> set[str]:
    return set(re.findall(r'<section id="([^"]+)"', page))


def test_every_run_writes_a_report_html(run_dir: Path) -> None:
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="ja">' in page and '<meta charset="utf-8">' in page
    assert '"Noto Sans CJK JP"' in page
    assert "主要指標" in page and "Headline scores" in page
    assert {"headline", "confusion", "provenance"} <= _anchors(page)


def test_each_section_appears_when_its_key_is_present(real_result: EvalResult, schema) -> None:
    page = render_html(with_every_section(real_result), schema)
    anchors = _anchors(page)
    assert set(SECTION_KEYS) | {"provenance"} <= anchors
    # also_evaluated entries reuse the same renderers under their own anchors.
    assert {"also-0-headline", "also-0-confusion", "also-0-curves"} <= anchors
    assert {"also-1-headline", "also-1-per-class"} <= anchors
    assert "whiskers: confidence intervals" in page  # per-class CIs are drawn when present


@pytest.mark.parametrize("anchor", [a for a in SECTION_KEYS if a != "headline"])
def test_a_section_disappears_without_its_key(
    real_result: EvalResult, schema, anchor: str, stub_plots: None
) -> None:
    full = with_every_section(real_result)
    anchors = _anchors(render_html(_without(full, SECTION_KEYS[anchor]), schema))
    assert anchor not in anchors
    assert "headline" in anchors and "provenance" in anchors


def test_an_old_result_with_only_the_first_keys_renders(
    real_result: EvalResult, schema, stub_plots: None
) -> None:
    old_keys = ("n", "headline", "per_class", "confusion_matrix", "bootstrap")
    old = real_result.model_copy(update={"scores": {k: real_result.scores[k] for k in old_keys}})
    page = render_html(old, schema)
    assert _anchors(page) == {"headline", "per-class", "confusion", "provenance"}


def test_missing_values_render_as_a_dash(real_result: EvalResult, schema, stub_plots: None) -> None:
    result = with_every_section(real_result)
    result.scores["headline"]["macro_f1"] = _cell(None)
    page = render_html(result, schema)
    row = re.search(r"Macro-F1</span></td>(.*?)</tr>", page, re.S)
    assert row is not None and "—" in row.group(1)


def test_user_supplied_text_is_escaped(real_result: EvalResult, schema) -> None:
    result = with_every_section(real_result)
    scores = result.scores
    for key in ("also_evaluated", "robustness", *scores["slices"].values()):
        section = scores[key] if isinstance(key, str) else key
        section[HOSTILE] = next(iter(section.values()))
    prov = result.provenance.model_copy(deep=True)
    prov.config["model"]["name"] = HOSTILE
    prov.dataset.files_sha256[HOSTILE] = "0" * 64
    prov.submission = {"path": HOSTILE, "sha256": "0" * 64}
    hostile = result.model_copy(
        update={"model": HOSTILE, "dataset": HOSTILE, "split": HOSTILE, "provenance": prov}
    )
    page = render_html(hostile, schema)
    assert HOSTILE not in page
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_nothing_refers_outside_the_file(real_result: EvalResult, schema) -> None:
    page = render_html(with_every_section(real_result), schema)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "@import" not in page and "<link" not in page and "<iframe" not in page
    assert all(
        src.startswith("data:image/svg+xml;base64,") for src in re.findall(r'src="([^"]*)"', page)
    )
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', page))


def test_rendering_is_deterministic(real_result: EvalResult, schema) -> None:
    result = with_every_section(real_result)
    assert render_html(result, schema) == render_html(result, schema)


class _TagBalance(HTMLParser):
    VOID = frozenset({"meta", "img", "br", "hr", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_tags_are_balanced(real_result: EvalResult, schema, stub_plots: None) -> None:
    checker = _TagBalance()
    checker.feed(render_html(with_every_section(real_result), schema))
    assert checker.errors == [] and checker.stack == []


# --- headless Chromium ---------------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--hide-scrollbars",
    '--host-resolver-rules=MAP * ~NOTFOUND',
)  # fmt: skip


def _can_install() -> list[str] | None:
    """The command prefix that may run apt-get (``[]`` as root), or None."""
    if shutil.which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        return []
    if (
        shutil.which("sudo")
        and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0
    ):
        return ["sudo", "-n"]
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium")
    if found and subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True).stdout:
        return found
    prefix = _can_install()
    if prefix is None:
        pytest.skip(
            "chromium or fonts-noto-cjk missing, and apt-get cannot run here (not root, no passwordless sudo)"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium", "fonts-noto-cjk"]):
        done = subprocess.run(
            [*prefix, *step], capture_output=True, text=True, env=env, timeout=600
        )
        if done.returncode != 0:
            pytest.skip(
                f"could not install chromium: {' '.join(step)} failed: {done.stderr[-500:]}"
            )
    return shutil.which("chromium") or pytest.skip("chromium is not on PATH after installing it")


def _screenshot(chromium: str, page: Path, size: tuple[int, int], *extra: str) -> Path:
    png = page.with_suffix(".png")
    done = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, *extra, f"--screenshot={png}",
         f"--window-size={size[0]},{size[1]}", page.as_uri()],
        capture_output=True, text=True, timeout=120, cwd=page.parent,
    )  # fmt: skip
    assert done.returncode == 0 and png.exists(), done.stderr[-2000:]
    return png


def _page_requests(net_log: Path) -> list[str]:
    """URLs the page asked for (the browser's own update pings are not the page's)."""
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        e["params"]["url"]
        for e in log["events"]
        if e["type"] == start_job
        and e.get("params", {}).get("network_isolation_key", "").startswith("file://")
        and not e["params"]["url"].startswith(("file:", "data:"))
    ]


def test_chromium_draws_the_report_without_network_requests(
    chromium: str, real_result: EvalResult, schema, tmp_path: Path
) -> None:
    image = pytest.importorskip("PIL.Image")
    page = tmp_path / "report.html"
    page.write_text(render_html(with_every_section(real_result), schema), encoding="utf-8")
    net_log = tmp_path / "net.json"
    png = _screenshot(chromium, page, (1200, 2000), f"--log-net-log={net_log}")
    with image.open(png) as shot:
        assert shot.format == "PNG" and shot.size == (1200, 2000)
        colours = shot.convert("RGB").getcolors(maxcolors=1 << 20)
        assert (
            colours is not None and len(colours) > 50
        )  # text, tables and figures, not a blank page
    assert _page_requests(net_log) == []


def test_the_network_check_sees_an_external_reference(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "external.html"
    page.write_text('<img src="https://example.invalid/x.png">', encoding="utf-8")
    net_log = tmp_path / "net.json"
    _screenshot(chromium, page, (200, 100), f"--log-net-log={net_log}")
    assert _page_requests(net_log) == ["https://example.invalid/x.png"]


def test_japanese_draws_as_glyphs_not_boxes(chromium: str, tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    assert subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True).stdout.strip()
    shots = []
    # Private-use code points have no glyph in any font: they draw as the fallback box, and
    # so would Japanese text if no Japanese font were found.
    for name, text in (
        ("ja", "主要指標"),
        ("ja2", "来歴較正"),
        ("tofu", "\ue000\ue001\ue002\ue003"),
    ):
        page = tmp_path / f"{name}.html"
        page.write_text(
            f'<html lang="ja"><meta charset="utf-8"><h1 style="font-size:64px">{text}</h1>',
            encoding="utf-8",
        )
        with image.open(_screenshot(chromium, page, (600, 200))) as shot:
            shots.append(shot.convert("L").tobytes())
    ja, ja2, tofu = shots
    assert ja != tofu and ja2 != tofu and ja != ja2


def test_long_curves_are_thinned_so_the_figure_stays_small() -> None:
    def roc(n: int) -> dict[str, Any]:
        fpr = [i / (n - 1) for i in range(n)]
        return {"v": {"roc": {"fpr": fpr, "tpr": [x**0.5 for x in fpr]}}}

    assert len(plots.curves(roc(100_000))) < 1.5 * len(plots.curves(roc(plots.MAX_CURVE_POINTS)))
