"""Parse one dump of a paper-listing page into title/abstract entries.

A dump is text copied from a listing page: a few boilerplate header lines,
then title and abstract lines in turn, sometimes with blank lines between
them and sometimes with a date line such as ``Mar 14``. ``parse_lines`` is
pure; ``read_dump`` adds the file reading and its errors.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from generator.errors import Diagnostic, DumpError

BOILERPLATE = frozenset(
    line.casefold()
    for line in (
        "new",
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "byAK and the research community",
    )
)
# The listing page's "Subscribe" button text gets glued to the first title.
GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?=[^a-z\s])")
# Month names only, so that a title such as "Janus 2" is not taken for a date.
DATE_LINE = re.compile(
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? \d{1,2}"
)
# Titles seen in real dumps are at most ~170 characters and never end with a
# full stop; abstracts are hundreds of characters of prose ending with one.
MAX_TITLE_LENGTH = 300
CONTROL_OR_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\s]+")


@dataclass(frozen=True)
class Entry:
    """One title/abstract pair as it stands in a dump."""

    title: str
    abstract: str
    line: int
    date: str | None = None


@dataclass(frozen=True)
class Dump:
    """A parsed dump: its entries in file order, its date line if any."""

    path: str
    entries: tuple[Entry, ...]
    date: str | None = None
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def name(self) -> str:
        return Path(self.path).name


def clean_line(raw: str) -> str:
    """Fold every run of white space or control characters into one space.

    >>> clean_line("\\ufeffA\\u00a0 title\\r")
    'A title'
    """
    text = unicodedata.normalize("NFC", raw.lstrip("\ufeff"))
    return CONTROL_OR_SPACE.sub(" ", text).strip()


def looks_like_title(text: str) -> bool:
    return len(text) <= MAX_TITLE_LENGTH and not text.endswith(".")


class _Parser:
    """The state of one pass over a dump's lines."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.entries: list[Entry] = []
        self.warnings: list[Diagnostic] = []
        self.date: str | None = None
        self.first_date: str | None = None
        self.pending: tuple[str, int] | None = None

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Diagnostic(self.path, line, message))

    def feed(self, lineno: int, text: str) -> None:
        if self.pending is None:
            self.expect_title(lineno, text)
        else:
            self.expect_abstract(lineno, text)

    def expect_title(self, lineno: int, text: str) -> None:
        if text.casefold() in BOILERPLATE:
            return
        if DATE_LINE.fullmatch(text):
            self.date = text
            self.first_date = self.first_date or text
            return
        if not self.entries:
            text = GLUED_SUBSCRIBE.sub("", text, count=1)
        if not looks_like_title(text):
            self.warn(lineno, "abstract without a title before it; skipped")
            return
        self.pending = (text, lineno)

    def expect_abstract(self, lineno: int, text: str) -> None:
        title, title_line = self.pending
        if text.casefold() in BOILERPLATE or DATE_LINE.fullmatch(text):
            self.cut_off(title_line)
            self.expect_title(lineno, text)
        elif looks_like_title(text):
            # Two title-like lines in a row: the first lost its abstract.
            self.cut_off(title_line)
            self.pending = (text, lineno)
        else:
            self.entries.append(Entry(title, text, title_line, self.date))
            self.pending = None

    def cut_off(self, title_line: int) -> None:
        self.warn(title_line, "title without an abstract (cut-off dump?); skipped")
        self.pending = None

    def finish(self) -> Dump:
        if self.pending is not None:
            self.cut_off(self.pending[1])
        return Dump(
            self.path, tuple(self.entries), self.first_date, tuple(self.warnings)
        )


def parse_lines(lines: Iterable[str], path: str) -> Dump:
    """Parse a dump's lines; ``path`` only names the dump in diagnostics."""
    parser = _Parser(path)
    for lineno, raw in enumerate(lines, start=1):
        text = clean_line(raw)
        if text:
            parser.feed(lineno, text)
    return parser.finish()


def decode(data: bytes, path: str) -> str:
    """Decode a dump's bytes as UTF-8 (BOM allowed) or raise a located error."""
    if b"\x00" in data:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Windows editors' "Unicode": not binary, though its NUL bytes say so.
            raise DumpError(path, 1, "UTF-16 text, not UTF-8: save the dump as UTF-8")
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise DumpError(path, line, "binary file (NUL byte), not a text dump")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        raise DumpError(
            path, line, f"not UTF-8 text (byte 0x{byte:02x} at column {column})"
        ) from None


def read_dump(file: Path, path: str | None = None) -> Dump:
    """Read and parse one dump file; ``path`` is how messages name it."""
    path = path or str(file)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise DumpError(path, 0, f"cannot read: {error.strerror}") from None
    text = decode(data, path)
    if not text.strip():
        raise DumpError(path, 1, "empty dump: no text at all")
    # Split on \n only, so line numbers match what editors show.
    dump = parse_lines(text.split("\n"), path)
    if not dump.entries:
        raise DumpError(path, 1, "no papers found: only boilerplate or cut-off titles")
    return dump
