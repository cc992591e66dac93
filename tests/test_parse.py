"""Parser: both dump layouts, boilerplate, browser copy artefacts, bad files."""

from __future__ import annotations

import pytest

from generator.errors import DumpError
from generator.parse import clean_line, parse_lines, read_dump

ABSTRACT_1 = "We study the first problem in depth. It matters a great deal to everyone."
ABSTRACT_2 = "A second abstract, also prose. It ends with a full stop as abstracts do."

COMPACT = f"""Get trending papers in your email inbox once a day!
Get trending papers in your email inbox!
SubscribeFirst Paper Title
{ABSTRACT_1}
Second Paper: A Title
{ABSTRACT_2}
"""

SPACED = f"""new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

Mar 14

First Paper Title

{ABSTRACT_1}

Second Paper: A Title

{ABSTRACT_2}
"""


def titles(dump):
    return [(entry.title, entry.line) for entry in dump.entries]


def test_compact_layout_with_glued_subscribe():
    dump = parse_lines(COMPACT.split("\n"), "a.txt")
    assert titles(dump) == [("First Paper Title", 3), ("Second Paper: A Title", 5)]
    assert dump.entries[0].abstract == ABSTRACT_1
    assert dump.date is None
    assert dump.warnings == ()


def test_blank_line_layout_keeps_the_date_line():
    dump = parse_lines(SPACED.split("\n"), "b.txt")
    assert titles(dump) == [("First Paper Title", 11), ("Second Paper: A Title", 15)]
    assert dump.date == "Mar 14"
    assert all(entry.date == "Mar 14" for entry in dump.entries)


def test_subscribe_prefix_only_stripped_when_glued_to_the_first_title():
    text = f"Subscribers of Streams\n{ABSTRACT_1}\nSubscribeNot First\n{ABSTRACT_2}\n"
    assert [t for t, _ in titles(parse_lines(text.split("\n"), "x"))] == [
        "Subscribers of Streams", "SubscribeNot First"]


def test_browser_artefacts_bom_crlf_nbsp_trailing_space_no_final_newline(tmp_path):
    text = "\ufeff" + COMPACT.replace("First Paper", "First\u00a0Paper  ").replace("\n", "\r\n")
    file = tmp_path / "d.txt"
    file.write_bytes(text.rstrip("\r\n").encode("utf-8"))
    dump = read_dump(file, "dumps/d.txt")
    assert titles(dump) == [("First Paper Title", 3), ("Second Paper: A Title", 5)]
    assert dump.entries[1].abstract == ABSTRACT_2


def test_clean_line_folds_spaces_and_control_characters():
    assert clean_line("\ufeff  A\u00a0\tB\x00C \r") == "A B C"


def test_cut_off_dump_is_an_error_naming_file_and_line():
    """A paper would be lost, so the dump cannot be used as it is."""
    text = COMPACT + "Third Title Cut Off\n"
    dump = parse_lines(text.split("\n"), "dumps/c.txt")
    assert len(dump.entries) == 2
    assert [str(e) for e in dump.errors] == [
        "dumps/c.txt:7: error: title without an abstract (cut-off dump?); complete the paper "
        "or delete the line"]


def test_title_missing_its_abstract_mid_dump_does_not_shift_the_pairs():
    text = f"Lost Title\nFirst Paper Title\n{ABSTRACT_1}\nSecond\n{ABSTRACT_2}\n"
    dump = parse_lines(text.split("\n"), "m.txt")
    assert [t for t, _ in titles(dump)] == ["First Paper Title", "Second"]
    assert [e.line for e in dump.errors] == [1]


def test_abstract_without_title_is_an_error():
    text = f"{ABSTRACT_1 * 5}\nFirst Paper Title\n{ABSTRACT_1}\n"
    dump = parse_lines(text.split("\n"), "s.txt")
    assert [t for t, _ in titles(dump)] == ["First Paper Title"]
    assert [str(e) for e in dump.errors] == [
        "s.txt:1: error: neither a title, authors nor an abstract: an abstract without a title "
        "before it? Add its title or delete the line"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "d.txt:1: error: empty dump: no text at all"),
        (b"  \n\r\n", "d.txt:1: error: empty dump: no text at all"),
        (b"new\nSubscribe\n", "d.txt:1: error: no papers found: only the listing page's header and chrome"),
        (b"Title\nAbstract.\n\xff\xfe bad\n", "d.txt:3: error: not UTF-8 text (byte 0xff at column 1)"),
        (b"Title\n\x89PNG\x00\x00", "d.txt:2: error: binary file (NUL byte), not a text dump"),
    ],
)
def test_unusable_files_raise_a_located_error(tmp_path, content, message):
    file = tmp_path / "d.txt"
    file.write_bytes(content)
    with pytest.raises(DumpError) as raised:
        read_dump(file, "d.txt")
    assert str(raised.value) == message


def test_bundled_dumps_parse_without_warnings(tmp_path):
    from tests.conftest import BUNDLED_DUMPS

    dumps = [read_dump(file) for file in sorted(BUNDLED_DUMPS.glob("*.txt"))]
    assert [len(dump.entries) for dump in dumps] == [234, 230, 51, 218]
    assert all(dump.warnings == () for dump in dumps)
    assert [dump.date for dump in dumps] == [None, None, "Mar 14", None]
    assert dumps[0].entries[0].title == "Value Gradient weighted Model-Based Reinforcement Learning"


def test_subscribe_is_only_stripped_from_the_start_of_the_first_title():
    text = f"Pub/Subscribe: Messaging for Agents\n{ABSTRACT_1}\n"
    assert [t for t, _ in titles(parse_lines(text.split("\n"), "x"))] == [
        "Pub/Subscribe: Messaging for Agents"]


@pytest.mark.parametrize("title", ["Janus 2", "Marvel 12", "Octopus 8", "Decoder 3", "Mayhem 1"])
def test_titles_that_start_like_a_month_are_not_date_lines(title):
    dump = parse_lines(f"Mar 14\n{title}\n{ABSTRACT_1}\n".split("\n"), "x")
    assert [(entry.title, entry.date) for entry in dump.entries] == [(title, "Mar 14")]
    assert dump.warnings == ()


@pytest.mark.parametrize("line", ["Mar 14", "March 14", "Sept. 3", "June 30", "May 1"])
def test_date_lines_in_full_or_short(line):
    assert parse_lines(f"{line}\nA Title\n{ABSTRACT_1}\n".split("\n"), "x").date == line
