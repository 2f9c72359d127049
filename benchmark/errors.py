"""Errors and warnings that HiboBench shows to its users.

Every user-facing error is one line that says where the problem is (file, line or
field), what was expected, what was found and how to fix it. The CLI prints
``HiboBenchError`` messages without a traceback.
"""

from __future__ import annotations


class HiboBenchError(Exception):
    """A problem the user can fix; its message is shown as one line."""


class SchemaError(HiboBenchError, ValueError):
    """A record or label that breaks the label schema."""


class PredictionsError(HiboBenchError, ValueError):
    """A submitted predictions file that cannot be scored."""


class ConfigError(HiboBenchError, ValueError):
    """A configuration value that cannot be used."""


class DatasetNotFoundError(HiboBenchError, KeyError):
    """A dataset name that is not in the registry."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class HiboBenchWarning(UserWarning):
    """Warnings raised by HiboBench itself (turned into errors in the test suite)."""
