"""The only module that touches ``docs/``: write pages, skip unchanged ones.

Each file is written to a temporary file beside it and renamed over the old
one, so a reader (or a killed run) only ever sees a whole old page or a
whole new one. Unchanged pages are not rewritten, which keeps their
timestamps and lets ``git status`` and MkDocs' dirty reload see real change.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Folders under docs/ whose Markdown files all come from the generator: a
# page there that this run did not produce belongs to a removed paper or tag.
GENERATED_DIRS = ("papers", "tags")


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def write_atomic(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _unchanged(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except FileNotFoundError:
        return False


def stale_pages(docs: Path, pages: dict[str, str]) -> list[Path]:
    """Generated pages on disk that this run did not produce."""
    return sorted(
        path
        for folder in GENERATED_DIRS
        for path in (docs / folder).rglob("*.md")
        if path.relative_to(docs).as_posix() not in pages
    )


def write_pages(docs: Path, pages: dict[str, str]) -> WriteReport:
    """Make ``docs/`` hold exactly ``pages`` in the generated folders."""
    written = unchanged = 0
    for relative in sorted(pages):
        path = docs / relative
        content = pages[relative].encode("utf-8")
        if _unchanged(path, content):
            unchanged += 1
        else:
            write_atomic(path, content)
            written += 1
    stale = stale_pages(docs, pages)
    for path in stale:
        path.unlink()
    return WriteReport(written, unchanged, len(stale))
