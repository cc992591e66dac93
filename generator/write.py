"""The only module that touches ``docs/``: write pages, skip unchanged ones.

A run changes ``docs/`` in two phases, so that a failure leaves the pages
of the previous run in place:

1. *Stage*: every changed file is written to a hidden temporary file beside
   its target. This is where the time goes and where things fail (disk
   full, a killed process, an unwritable folder); if it fails, no page has
   changed and the temporary files are removed (or, after a kill, by the
   next run).
2. *Commit*: the temporary files are renamed over their targets, new pages
   before the changed pages that may link to them, then stale pages are
   removed. Renames are metadata only and each one is atomic, so even a run
   killed here leaves every file whole, old or new; the next run completes it.

Nothing is fsync'ed: a killed process loses nothing the kernel already
has, and surviving a power cut is not worth syncing every page.

Unchanged files are not rewritten, which keeps their timestamps and lets
``git status`` and MkDocs' dirty reload see real change.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Folders under docs/ whose Markdown files all come from the generator: a
# page there that this run did not produce belongs to a removed paper or tag.
GENERATED_DIRS = ("papers", "tags")
# Top-level files the generator writes; one this run did not produce (the
# feed, when site_url is unset) is removed.
GENERATED_FILES = ("index.md", "new.md", "feed.xml")
# Hidden (MkDocs skips dot-files) and distinctive, so leftovers of a killed
# run are recognisable and nothing else is ever mistaken for one.
TEMP_PREFIX = "."
TEMP_SUFFIX = ".generator-tmp"
# mkstemp makes files only their owner can read; pages get the mode any new
# file would get (0o666 less the umask, which can only be read by setting it).
UMASK = os.umask(0o022)
os.umask(UMASK)
FILE_MODE = 0o666 & ~UMASK


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed_files: tuple[str, ...] = ()
    """Paths, relative to docs/, of the generated files this run removed."""

    @property
    def removed(self) -> int:
        return len(self.removed_files)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def _temporary_beside(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX
    )
    try:
        with os.fdopen(handle, "wb") as file:
            os.fchmod(file.fileno(), FILE_MODE)
            file.write(content)
    except BaseException:
        os.unlink(temporary)
        raise
    return Path(temporary)


def _unchanged(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except (FileNotFoundError, NotADirectoryError):
        return False


def stale_pages(docs: Path, pages: dict[str, str]) -> list[Path]:
    """Generated files on disk that this run did not produce."""
    in_folders = (
        path for folder in GENERATED_DIRS for path in (docs / folder).rglob("*.md")
    )
    at_top = (docs / name for name in GENERATED_FILES if (docs / name).is_file())
    return sorted(
        path
        for path in (*in_folders, *at_top)
        if path.relative_to(docs).as_posix() not in pages
    )


def remove_leftovers(docs: Path) -> None:
    """Delete the temporary files of a run that was killed while staging."""
    for path in list(docs.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}")):
        path.unlink()


def _stage(changed: dict[Path, bytes]) -> list[tuple[Path, Path]]:
    """Write every changed file beside its target; all of them or none."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, content in changed.items():
            staged.append((_temporary_beside(path, content), path))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink()
        raise
    return staged


def _commit(staged: list[tuple[Path, Path]], stale: list[Path]) -> None:
    # New files first: a changed page may link to them.
    for temporary, path in sorted(staged, key=lambda pair: pair[1].exists()):
        os.replace(temporary, path)
    for path in stale:
        path.unlink()


def write_pages(docs: Path, pages: dict[str, str]) -> WriteReport:
    """Make ``docs/`` hold exactly ``pages`` in the generated places."""
    remove_leftovers(docs)
    encoded = {docs / relative: pages[relative].encode("utf-8") for relative in sorted(pages)}
    changed = {path: content for path, content in encoded.items() if not _unchanged(path, content)}
    stale = stale_pages(docs, pages)
    _commit(_stage(changed), stale)
    removed = tuple(path.relative_to(docs).as_posix() for path in stale)
    return WriteReport(len(changed), len(encoded) - len(changed), removed)
