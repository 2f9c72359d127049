"""Where the package finds its configuration, schema and built-in data.

``conf/`` and ``annotation_guidelines/`` live at the top level of the repository.
A wheel carries copies under ``benchmark/_bundled/`` (see ``pyproject.toml``);
a source checkout or editable install reads the top-level folders directly.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = PACKAGE_DIR / "_bundled"
_REPO_ROOT = PACKAGE_DIR.parent


def _first_existing(name: str) -> Path:
    for candidate in (_BUNDLED / name, _REPO_ROOT / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"HiboBench cannot find its '{name}' folder (looked in {_BUNDLED} and {_REPO_ROOT}). "
        "Reinstall the package with 'pip install .' from the repository root."
    )


def conf_dir() -> Path:
    """The Hydra configuration folder (``conf/``)."""
    return _first_existing("conf")


def guidelines_dir() -> Path:
    """The annotation guideline folder holding ``schema.yaml``."""
    return _first_existing("annotation_guidelines")


def builtin_data_dir(name: str) -> Path:
    """The folder of a dataset shipped with the package."""
    return PACKAGE_DIR / "data" / name
