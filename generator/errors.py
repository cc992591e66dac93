"""The generator's few exception and diagnostic types.

Every message a user sees about a dump starts with ``path:line:`` like a
compiler's, so editors and CI logs can jump to it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnostic:
    """A located message about one input file; line 0 means the whole file."""

    path: str
    line: int
    message: str
    severity: str = "warning"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


class GeneratorError(Exception):
    """An error the CLI reports as one message and exit status 1, no traceback."""


class DumpError(GeneratorError):
    """A dump that cannot be used at all, with every reason found in it."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.diagnostics = (Diagnostic(path, line, message, "error"),)
        super().__init__(str(self.diagnostics[0]))

    @classmethod
    def of(cls, diagnostics: tuple[Diagnostic, ...]) -> DumpError:
        first = diagnostics[0]
        error = cls(first.path, first.line, first.message)
        error.diagnostics = diagnostics
        error.args = ("\n".join(map(str, diagnostics)),)
        return error


class ConfigError(GeneratorError):
    """One or more bad values in the generator's configuration."""
