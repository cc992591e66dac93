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

One run at a time: a run holds an exclusive ``flock`` on the ``docs/``
folder from before it reads it until its last rename. A second run is refused with the
holder's PID instead of sweeping the first one's staged files away.
"""

from __future__ import annotations

import errno
import fcntl
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from generator.errors import GeneratorError

# Folders under docs/ whose Markdown files all come from the generator: a
# page there that this run did not produce belongs to a removed paper or tag.
GENERATED_DIRS = ("papers", "tags", "map", "similar", "api")
# Of those, the folders whose every file comes from the generator (pages and
# the data they load): a file there that this run did not write is stale.
GENERATED_TREES = ("map", "similar", "api")
# Top-level files the generator writes; one this run did not produce (the
# feed, when site_url is unset) is removed.
GENERATED_FILES = ("index.md", "new.md", "feed.xml")
# Hidden (MkDocs skips dot-files) and distinctive, so leftovers of a killed
# run are recognisable and nothing else is ever mistaken for one. Each run
# sweeps such leftovers first, so two runs must not share one docs/ at once.
TEMP_PREFIX = "."
TEMP_SUFFIX = ".generator-tmp"


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


def _temporary_beside(path: str, content: bytes) -> str:
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f"{TEMP_PREFIX}{name}.{os.getpid()}{TEMP_SUFFIX}")
    # Created with the mode any new file gets (0o666 less the umask).
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as file:  # closes the handle whatever happens
            file.write(content)
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def _unchanged(path: str, content: bytes) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(len(content) + 1) == content
    except FileNotFoundError:  # removed since the folder was listed
        return False


def _files(docs: Path) -> list[str]:
    """Every file under ``docs``, relative to it, with "/" between names:
    one walk of the folder instead of one look-up per page."""
    files = []
    for folder, _, names in os.walk(docs):
        relative = os.path.relpath(folder, docs).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        files += (prefix + name for name in names)
    return files


def _is_generated(name: str) -> bool:
    folder, _, rest = name.partition("/")
    return (name in GENERATED_FILES or folder in GENERATED_TREES
            or (folder in GENERATED_DIRS and rest.endswith(".md")))


def _is_leftover(name: str) -> bool:
    """Whether ``name`` is the temporary file of a run killed while staging."""
    base = name.rpartition("/")[2]
    return base.startswith(TEMP_PREFIX) and base.endswith(TEMP_SUFFIX)


def _stage(changed: dict[str, bytes]) -> list[tuple[str, str]]:
    """Write every changed file beside its target; all of them or none."""
    for folder in sorted({os.path.dirname(path) or "." for path in changed}):
        os.makedirs(folder, exist_ok=True)
    staged: list[tuple[str, str]] = []
    try:
        for path, content in changed.items():
            staged.append((_temporary_beside(path, content), path))
    except BaseException:
        for temporary, _ in staged:
            os.unlink(temporary)
        raise
    return staged


def _commit(staged: list[tuple[str, str]], existing: set[str], stale: list[Path]) -> None:
    # New files first: a changed page may link to them.
    for temporary, path in sorted(staged, key=lambda pair: pair[1] in existing):
        os.replace(temporary, path)
    for path in stale:
        path.unlink()


def _failure(error: OSError, what: str) -> GeneratorError:
    hint = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
            errno.EROFS: "the file system is read-only",
            errno.EACCES: "no permission to write there",
            errno.EPERM: "no permission to write there"}.get(error.errno, error.strerror)
    return GeneratorError(f"{error.filename or ''}: error: cannot write ({hint}); {what}")


def write_pages(docs: Path, pages: dict[str, str],
                also: dict[Path, str] | None = None) -> WriteReport:
    """Make ``docs/`` hold exactly ``pages`` in the generated places, and each
    file of ``also`` (outside docs/: the manifest) its text, committed last."""
    files = _files(docs)
    for name in filter(_is_leftover, files):
        os.unlink(docs / name)
    files = [name for name in files if not _is_leftover(name)]
    existing = {os.path.join(docs, name) for name in files}
    encoded = {os.path.join(docs, relative): pages[relative].encode("utf-8")
               for relative in sorted(pages)}
    changed = {path: content for path, content in encoded.items()
               if path not in existing or not _unchanged(path, content)}
    outside = {str(path): text.encode("utf-8") for path, text in (also or {}).items()}
    outside = {path: content for path, content in outside.items()
               if not os.path.exists(path) or not _unchanged(path, content)}
    # Generated files on disk that this run did not produce.
    removed = sorted((name for name in files if _is_generated(name) and name not in pages),
                     key=lambda name: name.split("/"))
    try:
        staged = _stage({**changed, **outside})
    except OSError as error:
        raise _failure(error, "nothing written, docs/ is as it was") from None
    try:
        _commit(staged, existing | set(outside), [docs / name for name in removed])
    except OSError as error:
        raise _failure(error, "some pages were updated; run again to finish") from None
    return WriteReport(len(changed), len(encoded) - len(changed), tuple(removed))


def _lock_holder(folder: os.stat_result) -> str:
    """The PID holding a flock on ``folder``, from Linux's /proc/locks."""
    device = f"{os.major(folder.st_dev):02x}:{os.minor(folder.st_dev):02x}:{folder.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii") as locks:
            for line in locks:
                fields = line.split()
                if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == device:
                    return f"PID {fields[4]}"
    except OSError:
        pass
    return "another process"


@contextmanager
def locked(docs: Path) -> Iterator[None]:
    """Hold an exclusive lock on the ``docs/`` folder itself for one run, or
    refuse naming its holder. The kernel drops it however the run ends, and
    no lock file is left in docs/."""
    try:
        docs.mkdir(parents=True, exist_ok=True)
        handle = os.open(docs, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise _failure(error, "nothing written") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_holder(os.fstat(handle))
            raise GeneratorError(
                f"{docs}: error: another generator run ({holder}) is updating it; nothing "
                "written. Wait for it to finish and run again") from None
        yield
    finally:
        os.close(handle)
