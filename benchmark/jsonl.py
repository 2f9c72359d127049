"""Strict reading of UTF-8 JSON Lines files with errors that name file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmark.errors import HiboBenchError


def decode_utf8(path: Path, data: bytes, *, error: type[HiboBenchError] = HiboBenchError) -> str:
    """Decode bytes as UTF-8 (a BOM is allowed); on failure name the line and the fix."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise error(
            f"{path}:{line}: the file is not UTF-8 (byte 0x{data[err.start]:02x} cannot be decoded); "
            f"save it as UTF-8, e.g. 'iconv -f CP932 -t UTF-8 {path.name} > fixed.jsonl'."
        ) from None


def iter_jsonl(
    path: Path, *, error: type[HiboBenchError] = HiboBenchError
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-blank line of a JSONL file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: file not found; check the path.") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory; give the path of a .jsonl file.") from None
    yield from parse_jsonl(path, decode_utf8(path, data, error=error), error=error)


def parse_jsonl(
    path: Path, text: str, *, error: type[HiboBenchError] = HiboBenchError
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-blank line of already decoded JSONL text."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        yield number, json_object(line, f"{path}:{number}", error=error)


def json_object(
    line: str, where: str, *, error: type[HiboBenchError] = HiboBenchError
) -> dict[str, Any]:
    """One JSONL line as a dict; anything else is ``error`` naming ``where`` and the fix."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise error(
            f"{where}: malformed JSON ({err.msg} at column {err.colno}); "
            'each line must be one JSON object such as {"id": "...", "label": "..."}.'
        ) from None
    except RecursionError:
        raise error(f"{where}: malformed JSON (nested too deeply).") from None
    if not isinstance(obj, dict):
        raise error(
            f"{where}: expected a JSON object, found {type(obj).__name__}; "
            'each line must look like {"id": "...", "label": "..."}.'
        )
    return obj
