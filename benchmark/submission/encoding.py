"""A submission's bytes, its encoding and its format."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from benchmark.errors import ConfigError, PredictionsError

FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "tsv", ".txt": "sniff"}
NON_BLANK = re.compile("[^ \t\r\n\ufeff]")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PredictionsError(f"{path}: file not found; check the path.") from None
    except IsADirectoryError:
        raise PredictionsError(
            f"{path}: is a directory; give the path of a .jsonl, .csv or .tsv file."
        ) from None


def decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    """The text and the encoding it was read with (``utf-8``, ``utf-8-sig`` or another codec)."""
    if encoding is not None:
        return _decode_as(path, data, _codec(encoding))
    try:
        return _decode_as(path, data, "utf-8")
    except PredictionsError as utf8_error:
        try:
            return _decode_as(path, data, "cp932")
        except PredictionsError as cp932_error:
            # the encoding that read further is more likely the intended one; name its line
            later = max(utf8_error, cp932_error, key=lambda e: _error_line(str(e), path))
            message = re.sub(r"the file (is not UTF-8|cannot be read as cp932)",
                             "the file is neither UTF-8 nor CP932", str(later), count=1)  # fmt: skip
            raise PredictionsError(message) from None


def _error_line(message: str, path: Path) -> int:
    return int(message[len(str(path)) + 1 :].split(":", 1)[0])


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ConfigError(
            f"task.encoding (--encoding) is {encoding!r}, which Python does not know; use "
            "utf-8 or cp932, or leave it unset to detect the encoding."
        ) from None


def _decode_as(path: Path, data: bytes, codec: str) -> tuple[str, str]:
    if codec in ("utf-8", "utf-8-sig"):
        codec = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        problem = (
            "the file is not UTF-8"
            if codec.startswith("utf-8")
            else f"the file cannot be read as {codec}"
        )
        raise PredictionsError(
            f"{path}:{line}: {problem} (byte 0x{data[err.start]:02x} cannot be decoded); save "
            f"it as UTF-8, e.g. 'iconv -f CP932 -t UTF-8 {path.name} > fixed{path.suffix}', "
            "or name its encoding with --encoding (task.encoding)."
        ) from None


def file_format(path: Path, text: str) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise PredictionsError(
            f"{path}: cannot tell the format from the suffix {path.suffix!r}; save the "
            f"predictions as JSON Lines, CSV or TSV with one of the suffixes {sorted(FORMATS)}."
        )
    if fmt != "sniff":
        return fmt
    found = NON_BLANK.search(text)
    start = 0 if found is None else found.start()
    if text.startswith("{", start):
        return "jsonl"
    return "tsv" if "\t" in text[start : text.find("\n", start)] else "csv"
