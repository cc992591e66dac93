"""Parse one dump of a paper-listing page into its papers' entries.

A dump is text copied from a listing page: the page's header and chrome,
and each paper's title, sometimes its authors, and its abstract, one to a
line or broken over several, with or without blank lines between them.
``lines.py`` tells chrome from content line by line, ``segment.py`` finds the
papers in the content from the structure of the whole dump, and this module
turns its choice into entries and located diagnostics. ``parse_lines`` is
pure; ``read_dump`` adds the file reading and its errors.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from generator.errors import Diagnostic, DumpError
from generator.parse.lines import (BOILERPLATE, DATE_LINE, GLUED_SUBSCRIBE, Line, author_names,
                                   clean_line, is_chrome)
from generator.parse.segment import (ABSTRACT, AUTHORS, CONTINUED, ORPHAN, TITLE, Segmentation,
                                     detect_layout, segment)

__all__ = ["BOILERPLATE", "DATE_LINE", "Dump", "Entry", "MAX_DUMP_BYTES", "clean_line",
           "parse_lines", "read_dump", "split_lines"]

MAX_DUMP_BYTES = 200 * 1024 * 1024  # far above any listing page; a guard against /dev/zero-like files
TAB_RUN = re.compile(r"\t+")
# How a warning names each role when it says what it assumed.
ROLE_NAMES = {
    TITLE: "a title",
    AUTHORS: "a line of authors",
    ABSTRACT: "the start of an abstract",
    CONTINUED: "the abstract above, continued after a line break",
    ORPHAN: "not part of any paper",
}


@dataclass(frozen=True)
class Entry:
    """One paper as it stands in a dump."""

    title: str
    abstract: str
    line: int
    date: str | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dump:
    """A parsed dump: its entries in file order, its date line if any."""

    path: str
    entries: tuple[Entry, ...]
    date: str | None = None
    warnings: tuple[Diagnostic, ...] = ()
    errors: tuple[Diagnostic, ...] = ()
    """Text that would be lost (a title without its abstract...): the dump cannot be used."""
    layout: str = ""
    chrome: int = 0
    """Lines skipped as the listing page's chrome."""
    roles: tuple[tuple[int, str], ...] = ()
    """(line, role) for every non-blank line: title, authors, abstract, chrome, date, skipped."""

    @property
    def name(self) -> str:
        return Path(self.path).name


def split_lines(text: str) -> list[str]:
    """A dump's lines. Split on \\n only where there is one, so line numbers
    match what editors show; old Mac files end their lines with \\r alone."""
    return text.split("\n") if "\n" in text or "\r" not in text else text.split("\r")


def _join(first: str, second: str) -> str:
    """Two halves of an abstract broken at a line end ("multi-" / "modal" stays whole)."""
    if first[-1] == "-" and first[-2:-1].isalpha() and second[0].islower():
        return first + second
    return f"{first} {second}"


class _Reader:
    """Turns raw lines into content lines, counting chrome and dates."""

    def __init__(self) -> None:
        self.content: list[Line] = []
        self.roles: list[tuple[int, str]] = []
        self.chrome = 0
        self.date: str | None = None
        self.first_date: str | None = None
        self.gap = False

    def feed(self, number: int, raw: str, split_tabs: bool) -> None:
        parts = TAB_RUN.split(raw, maxsplit=1) if split_tabs else [raw]
        for part in parts:
            self.feed_text(number, clean_line(part))

    def feed_text(self, number: int, text: str) -> None:
        if not self.content and text:
            text = GLUED_SUBSCRIBE.sub("", text, count=1)
        if not text:
            self.gap = True
        elif DATE_LINE.fullmatch(text):
            self.date = text
            self.first_date = self.first_date or text
            self.roles.append((number, "date"))
        elif is_chrome(text):
            self.chrome += 1
            self.roles.append((number, "chrome"))
        else:
            self.content.append(Line(number, text, self.gap, self.date))
            self.gap = False


def _layout_name(lines: list[Line], entries: list[Entry]) -> str:
    spacing = "blank-line-separated" if detect_layout(lines).blank_separated else "compact"
    with_authors = sum(bool(entry.authors) for entry in entries)
    kind = "title/authors/abstract triples" if with_authors * 2 > len(entries) else (
        "title/abstract pairs")
    return f"{spacing} {kind}"


class _Builder:
    """Entries and diagnostics from the segmenter's roles."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.entries: list[Entry] = []
        self.errors: list[Diagnostic] = []
        self.roles: list[tuple[int, str]] = []
        self.open: dict | None = None  # the paper being read

    def error(self, line: int, message: str) -> None:
        self.errors.append(Diagnostic(self.path, line, message, "error"))

    def close(self) -> None:
        paper, self.open = self.open, None
        if paper is None:
            return
        if paper["abstract"] is None:
            self.error(paper["line"].number, "title without an abstract (cut-off dump?); "
                       "complete the paper or delete the line")
            self.roles += [(paper["line"].number, "skipped")] + [
                (number, "skipped") for number in paper["author_lines"]]
            return
        self.roles += [(paper["line"].number, "title")]
        self.roles += [(number, "authors") for number in paper["author_lines"]]
        self.roles += [(number, "abstract") for number in paper["abstract_lines"]]
        title = paper["line"]
        self.entries.append(Entry(title.text, paper["abstract"], title.number, title.date,
                                  tuple(paper["authors"])))

    def add(self, line: Line, role: str) -> None:
        if role == TITLE:
            self.close()
            self.open = {"line": line, "authors": [], "author_lines": [], "abstract": None,
                         "abstract_lines": []}
        elif role == AUTHORS:
            self.open["authors"] += author_names(line.text)
            self.open["author_lines"].append(line.number)
        elif role == ABSTRACT:
            self.open["abstract"] = line.text
            self.open["abstract_lines"].append(line.number)
        elif role == CONTINUED:
            self.open["abstract"] = _join(self.open["abstract"], line.text)
            self.open["abstract_lines"].append(line.number)
        else:
            self.close()
            self.roles.append((line.number, "skipped"))
            self.error(line.number, "neither a title, authors nor an abstract: an abstract "
                       "without a title before it? Add its title or delete the line")


def _doubt_warnings(path: str, lines: list[Line], found: Segmentation) -> list[Diagnostic]:
    return [
        Diagnostic(path, lines[index].number,
                   f"assumed this line is {ROLE_NAMES[found.roles[index]]} "
                   f"(it could be {ROLE_NAMES[nearly]})")
        for index, nearly in found.doubts
    ]


def parse_lines(lines: Iterable[str], path: str) -> Dump:
    """Parse a dump's lines; ``path`` only names the dump in diagnostics."""
    lines = list(lines)
    # A spreadsheet's "title<TAB>abstract" rows: most lines hold a tab. Elsewhere
    # a tab is white space like any other.
    with_tabs = sum("\t" in line.strip() for line in lines)
    split_tabs = with_tabs * 2 > sum(bool(line.strip()) for line in lines)
    reader = _Reader()
    for number, raw in enumerate(lines, start=1):
        reader.feed(number, raw, split_tabs)
    found = segment(reader.content)
    builder = _Builder(path)
    for line, role in zip(reader.content, found.roles):
        builder.add(line, role)
    builder.close()
    return Dump(
        path, tuple(builder.entries), reader.first_date,
        warnings=tuple(_doubt_warnings(path, reader.content, found)),
        errors=tuple(builder.errors),
        layout=_layout_name(reader.content, builder.entries),
        chrome=reader.chrome,
        roles=tuple(sorted(reader.roles + builder.roles)),
    )


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


FILE_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a FIFO (named pipe)",
              stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
              stat.S_IFSOCK: "a socket"}


def read_bytes(file: Path, path: str) -> bytes:
    """A dump's bytes, if it is a regular file under the size limit.

    Opened without blocking and checked on the open file itself, so a FIFO
    cannot hang the run and a file swapped after a check cannot slip through.
    """
    try:
        handle = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise DumpError(path, 0, f"cannot read: {error.strerror}") from None
    with os.fdopen(handle, "rb") as opened:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            kind = FILE_KINDS.get(stat.S_IFMT(mode), "something else")
            target = f" (a link to {os.path.realpath(file)})" if file.is_symlink() else ""
            raise DumpError(path, 0, f"not a regular file but {kind}{target}: a dump must be "
                                     "a text file")
        try:
            data = opened.read(MAX_DUMP_BYTES + 1)
        except OSError as error:
            raise DumpError(path, 0, f"cannot read: {error.strerror}") from None
    if len(data) > MAX_DUMP_BYTES:
        raise DumpError(path, 0, f"larger than {MAX_DUMP_BYTES // 2**20} MB: not a dump of "
                                 "listing pages; split it")
    return data


def read_dump(file: Path, path: str | None = None) -> Dump:
    """Read and parse one dump file; ``path`` is how messages name it."""
    path = path or str(file)
    text = decode(read_bytes(file, path), path)
    if not text.strip():
        raise DumpError(path, 1, "empty dump: no text at all")
    dump = parse_lines(split_lines(text), path)
    if dump.errors:
        raise DumpError.of(dump.errors)
    if not dump.entries:
        raise DumpError(path, 1, "no papers found: only the listing page's header and chrome")
    return dump
