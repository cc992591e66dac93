"""Malformed dumps: a clear ``path:line:`` message or a correct result, in linear
time, never a traceback; and a failed run leaves the pages it found untouched.

Every case runs the real command line in-process on a real project folder.
"""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.corpus import MAX_SLUG_LENGTH, build_corpus, slug_for, title_key
from generator.errors import DumpError
from generator.parse import clean_line, parse_lines, read_dump
from generator.text import to_html, to_plain
from tests.conftest import dump_text, generate, make_project

HEADER = dump_text(header=True).encode("utf-8")
GOOD = dump_text(
    ("Graph neural networks for molecules", "We study graph networks for molecules."),
    ("Sparse attention for long documents", "We make attention sparse for long documents."),
)
ABSTRACT = "We study the problem in depth and it matters a great deal to everyone."

# name -> (dump bytes, the message on stderr after the dump's path)
BAD_DUMPS = {
    "latin1": (HEADER + "Schrödinger bridges\n".encode("latin-1"),
               ":3: error: not UTF-8 text (byte 0xf6 at column 5)"),
    "cut-mid-character": (HEADER + b"A title\nWe study caf\xc3",
                          ":4: error: not UTF-8 text (byte 0xc3 at column 13)"),
    "utf16": (codecs.BOM_UTF16_LE + "A title\nAn abstract.".encode("utf-16-le"),
              ":1: error: UTF-16 text, not UTF-8: save the dump as UTF-8"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            ":3: error: binary file (NUL byte), not a text dump"),
    "gzip": (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03",
             ":1: error: binary file (NUL byte), not a text dump"),
    "empty": (b"", ":1: error: empty dump: no text at all"),
    "blank": (b"\xef\xbb\xbf\n \r\n\t\n", ":1: error: empty dump: no text at all"),
    "only-boilerplate": (HEADER + b"Subscribe\nMar 14\nnew\n",
                         ":1: error: no papers found: only the listing page's header and chrome"),
    "only-a-title": (HEADER + b"A title\n", ":3: error: title without an abstract (cut-off "
                     "dump?); complete the paper or delete the line"),
}
# A record cut off after its title: an error, as its paper would be lost.
TRUNCATED = dump_text(("A first paper", ABSTRACT), ("A cut-off paper", ABSTRACT)).rsplit("\n", 2)[0]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and modification time."""
    return {str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def generated(tmp_path):
    """A project whose pages were generated from one good dump."""
    project = make_project(tmp_path / "project", dumps={"000_good.txt": GOOD})
    assert generate(project) == 0
    return project


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize("case", sorted(BAD_DUMPS))
def test_bad_dump_gives_located_message_and_writes_nothing(generated, capsys, case, strict):
    data, message = BAD_DUMPS[case]
    (generated / "dumps" / f"{case}.txt").write_bytes(data)
    before = snapshot(generated / "docs")
    capsys.readouterr()
    assert generate(generated, *(["--strict"] if strict else [])) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors == [f"{generated / 'dumps' / case}.txt{message}",
                      "error: 1 bad dump(s); nothing written"]
    assert snapshot(generated / "docs") == before


def test_every_bad_dump_is_reported_at_once(generated, capsys):
    for case, (data, _) in BAD_DUMPS.items():
        (generated / "dumps" / f"{case}.txt").write_bytes(data)
    capsys.readouterr()
    assert generate(generated) == 1
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == len(BAD_DUMPS) + 1
    assert errors[-1] == f"error: {len(BAD_DUMPS)} bad dump(s); nothing written"


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_truncated_record_is_an_error_and_writes_nothing(generated, capsys, strict):
    """Its paper would have no page, so the run must not succeed."""
    (generated / "dumps" / "001_cut.txt").write_text(TRUNCATED, encoding="utf-8")
    before = snapshot(generated / "docs")
    capsys.readouterr()
    assert generate(generated, *(["--strict"] if strict else [])) == 1
    path = generated / "dumps" / "001_cut.txt"
    assert capsys.readouterr().err.splitlines() == [
        f"{path}:5: error: title without an abstract (cut-off dump?); complete the paper or "
        "delete the line", "error: 1 bad dump(s); nothing written"]
    assert snapshot(generated / "docs") == before


def test_ten_thousand_copies_of_one_paper_make_one_page(tmp_path, capsys):
    copies = dump_text(*[("Sparse attention for long documents", ABSTRACT)] * 10_000)
    project = make_project(tmp_path, dumps={"copies.txt": copies})
    started = time.perf_counter()
    assert generate(project) == 0
    elapsed = time.perf_counter() - started
    summary = capsys.readouterr().out
    assert "1 dumps, 1 papers (9999 duplicates merged)" in summary
    assert sorted(p.name for p in (project / "docs" / "papers").glob("*.md")) == [
        "index.md", "sparse-attention-for-long-documents.md"]
    assert elapsed < 60, f"{elapsed:.1f} s for 10k copies"


def papers_of_size(total_bytes: int) -> bytes:
    """A dump of distinct, realistic papers, about ``total_bytes`` long."""
    paper = ABSTRACT * 15  # ~1 KB abstracts, as in the real dumps
    lines, size, number = [], 0, 0
    while size < total_bytes:
        record = f"Paper number {number} on graphs\n{paper}\n"
        lines.append(record)
        size += len(record)
        number += 1
    return HEADER + "".join(lines).encode("utf-8")


def test_fifty_megabyte_dump_parses_completely(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(papers_of_size(50_000_000))
    started = time.perf_counter()
    dump = read_dump(path)
    corpus = build_corpus([dump])
    elapsed = time.perf_counter() - started
    assert dump.warnings == ()
    assert len(corpus.papers) == len(dump.entries) > 45_000
    assert corpus.papers[0].abstract == ABSTRACT * 15
    assert elapsed < 120, f"{elapsed:.1f} s for 50 MB"


@pytest.mark.parametrize("data, message", [
    (b"x" * 50_000_000 + b"\n\xff", ":2: error: not UTF-8 text (byte 0xff at column 1)"),
    (b"\n" * 50_000_000 + b"\x00", ":50000001: error: binary file (NUL byte), not a text dump"),
], ids=["bad-byte-at-the-end", "nul-at-the-end"])
def test_fifty_megabyte_bad_dump_is_located(tmp_path, data, message):
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    with pytest.raises(DumpError) as raised:
        read_dump(path)
    assert str(raised.value) == f"{path}{message}"


# Lines built to make a backtracking regular expression take quadratic time:
# long runs of what a pattern starts with and never finishes.
MEGABYTE = 1_000_000
ONE_MEGABYTE_LINES = {
    "letters": "a" * MEGABYTE,
    "backslashes": "\\" * MEGABYTE,
    "dollars": "$" * MEGABYTE,
    "dollar-letters": "$a" * (MEGABYTE // 2),
    "math-never-closed": "$" + "x^" * (MEGABYTE // 2),
    "emphasis-never-closed": "\\emph{" + "x" * MEGABYTE,
    "switch-then-spaces": "{\\em " + " " * MEGABYTE,
    "switches": "{\\em " * (MEGABYTE // 5),
    "urls-of-brackets": ("https://x.org/" + ")" * 1986) * (MEGABYTE // 2000),
    "urls-of-dots": ("https://" + "." * 1992) * (MEGABYTE // 2000),
    "accents": '\\"' * (MEGABYTE // 2),
    "letter-accents": "\\c " * (MEGABYTE // 3),
    "symbols": "\\alpha" * (MEGABYTE // 6),
    "tags": "<script>" * (MEGABYTE // 8),
    "control-characters": "\x01 \x1b" * (MEGABYTE // 3),
    "dates": "Mar 14 " * (MEGABYTE // 7),
    "non-latin": "深度学习" * (MEGABYTE // 4),
    "mixed": "<b>**x**</b> {{ y }} $z^2$ https://x.org/(a) \\\"o " * (MEGABYTE // 45),
}
# Catches catastrophic backtracking (hours at this size), not slowness: each
# case takes well under 5 s on a loaded 2-core machine.
GENEROUS_SECONDS = 30


@pytest.mark.parametrize("name", sorted(ONE_MEGABYTE_LINES))
def test_one_megabyte_lines_take_linear_time(name):
    line = ONE_MEGABYTE_LINES[name]
    started = time.perf_counter()
    dump = parse_lines([line, line + "."], "long.txt")
    for text in {line, clean_line(line)}:
        to_html(text)
        to_plain(text)
        slug = slug_for(title_key(text) or text)
        assert len(slug) <= MAX_SLUG_LENGTH
    elapsed = time.perf_counter() - started
    assert len(dump.entries) + len(dump.errors) + dump.chrome >= 1
    assert elapsed < GENEROUS_SECONDS, f"{elapsed:.1f} s for one megabyte of {name}"


# ---------------------------------------------------------- arbitrary bytes

dump_lines = st.lists(
    st.one_of(st.text(max_size=30), st.sampled_from(
        ["Subscribe", "new", "Mar 14", "Get trending papers in your email inbox!", "",
         "A title", "An abstract that ends.", "\ufeff", "\r"])),
    max_size=10,
).map(lambda lines: "\n".join(lines).encode("utf-8"))
dump_bytes = st.one_of(
    st.binary(max_size=200),
    dump_lines,
    st.tuples(dump_lines, st.integers(0, 300), st.binary(min_size=1, max_size=3)).map(
        lambda parts: parts[0][: parts[1]] + parts[2] + parts[0][parts[1]:]),
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(data=dump_bytes)
def test_any_bytes_give_a_dump_or_a_located_error(tmp_path_factory, data):
    path = tmp_path_factory.getbasetemp() / "fuzz.txt"
    path.write_bytes(data)
    try:
        dump = read_dump(path, "fuzz.txt")
    except DumpError as error:
        assert str(error).startswith("fuzz.txt:") and ": error: " in str(error)
    else:
        assert dump.entries


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=dump_bytes)
def test_command_line_on_any_bytes_never_fails_with_a_traceback(generated, capsys, data):
    """Exit status 0, or 1 with every page as it was; never an exception."""
    (generated / "dumps" / "fuzz.txt").write_bytes(data)
    before = snapshot(generated / "docs")
    status = generate(generated, "--strict")
    assert status in (0, 1)
    if status == 1:
        assert snapshot(generated / "docs") == before
        assert capsys.readouterr().err.strip().splitlines()[-1].startswith("error: ")


def test_papers_without_words_still_get_pages(tmp_path, capsys):
    """Emoji, punctuation and one-letter titles leave TF-IDF no terms at all."""
    dump = dump_text(("👩‍🔬 🧪", "🔬 ⚗️ 🧬."), ("!!! ???", "*** ---."), ("x y", "A b c."))
    project = make_project(tmp_path, dumps={"wordless.txt": dump})
    assert generate(project, "--strict") == 0, capsys.readouterr().err
    assert len(list((project / "docs" / "papers").glob("*.md"))) == 3 + 1
