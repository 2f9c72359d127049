"""Writing a run's output files so that a failed run never leaves results behind.

Files are written into a hidden staging folder and moved into the run directory only
when the whole run has succeeded; on failure the staging folder is removed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class StagedOutputs:
    def __init__(self, staging_dir: Path) -> None:
        self.dir = staging_dir
        self.paths: list[Path] = []

    def write_text(self, name: str, text: str) -> Path:
        path = self.dir / name
        path.write_text(text, encoding="utf-8")
        self.paths.append(path)
        return path


@contextmanager
def staged_outputs(output_dir: Path) -> Iterator[StagedOutputs]:
    """Yield a staging area; publish its files into ``output_dir`` only on success."""
    output_dir.mkdir(parents=True, exist_ok=True)
    staging = output_dir / f".staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        outputs = StagedOutputs(staging)
        yield outputs
        # result.json goes last so its presence means every other file is complete
        for path in sorted(outputs.paths, key=lambda p: p.name == "result.json"):
            os.replace(path, output_dir / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
