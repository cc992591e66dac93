"""Issue 16: dumps copied the ways real pages and browsers give them.

Each fixture in tests/fixtures/variants/ (written by make_variants.py from a
bundled dump) must give every paper with its right title, whole abstract and
authors, and a generator run on it must give every paper its page.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.corpus import build_corpus
from generator.errors import DumpError
from generator.parse import parse_lines, read_dump
from tests.conftest import BUNDLED_DUMPS, FIXTURES, dump_text, generate, make_project

VARIANTS = FIXTURES / "variants"
CASES = sorted(path.stem for path in VARIANTS.glob("*.txt"))
ABSTRACT = "We study the problem in depth, and our method improves on the baselines."


def expected(name: str) -> list[tuple[str, str, tuple[str, ...]]]:
    rows = (VARIANTS / f"{name}.expected.tsv").read_text(encoding="utf-8").splitlines()
    return [(title, abstract, tuple(authors.split(", ")) if authors else ())
            for title, abstract, authors in (row.split("\t") for row in rows)]


@pytest.mark.parametrize("name", CASES)
def test_every_paper_is_read_whole(name):
    dump = read_dump(VARIANTS / f"{name}.txt")
    assert [(e.title, e.abstract, e.authors) for e in dump.entries] == expected(name)
    assert dump.warnings == ()


def test_layout_and_chrome_are_reported():
    chrome = read_dump(VARIANTS / "chrome.txt")
    assert chrome.layout == "compact title/authors/abstract triples"
    assert chrome.chrome == 2 + 1 + 40 * 5  # header, "Published on", 5 chrome lines a paper
    assert read_dump(VARIANTS / "triples_blank.txt").layout == (
        "blank-line-separated title/authors/abstract triples")
    assert read_dump(VARIANTS / "odd.txt").layout == "compact title/abstract pairs"


def test_papers_sharing_an_author_line_stay_apart():
    corpus = build_corpus([read_dump(VARIANTS / "triples.txt")])
    assert len(corpus.papers) == 40
    shared = [paper for paper in corpus.papers if paper.authors == (
        "Wei Zhang", "Priya Raman", "Ada Lovelace")]
    assert len(shared) == 10


@pytest.mark.parametrize("name", ["chrome", "triples", "broken", "odd", "cr_only", "tabs"])
def test_a_run_gives_every_paper_its_page(tmp_path, capsys, name):
    project = make_project(tmp_path, {f"{name}.txt": (VARIANTS / f"{name}.txt").read_bytes()})
    assert generate(project, "--strict") == 0, capsys.readouterr().err
    corpus = build_corpus([read_dump(project / "dumps" / f"{name}.txt")])
    pages = {path.stem for path in (project / "docs/papers").glob("*.md")} - {"index"}
    assert pages == {paper.slug for paper in corpus.papers}
    assert len(pages) == len(expected(name))


def test_authors_are_in_the_front_matter(tmp_path):
    project = make_project(tmp_path, {"triples.txt": (VARIANTS / "triples.txt").read_bytes()})
    assert generate(project) == 0
    title, _, authors = expected("triples")[1]
    paper = next(p for p in build_corpus([read_dump(project / "dumps/triples.txt")]).papers
                 if p.title == title)
    page = (project / "docs/papers" / f"{paper.slug}.md").read_text(encoding="utf-8")
    front = page.split("---\n")[1]
    assert "authors:\n" + "".join(f"- {name}\n" for name in authors) in front


def test_recopying_a_bundled_dump_with_chrome_removes_no_page(tmp_path, capsys):
    """Before: 234 papers became 5 junk ones and 202 good pages were deleted."""
    project = make_project(tmp_path, bundled=True)
    assert generate(project) == 0
    name = "000_f450d354f81f3563.txt"
    lines = (BUNDLED_DUMPS / name).read_text(encoding="utf-8").splitlines()
    chrome = lines[:2]
    for title, abstract in zip(lines[2::2], lines[3::2]):
        chrome += [title, "Ada Lovelace, Wei Zhang", "Submitted by akhaliq", "42", "·",
                   "2 authors", "Upvote", abstract]
    (project / "dumps" / name).write_text("\n".join(chrome) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert generate(project) == 0
    assert "0 removed" in capsys.readouterr().out
    assert len(list((project / "docs/papers").glob("*.md"))) == 689 + 1


@pytest.mark.parametrize(("first", "second"), [
    ("Über-Sampling for Imbalanced Data", "Uber-Sampling for Imbalanced Data"),
    ("Graph Transformers", "Graph Transformers"),
])
def test_same_title_key_with_unrelated_abstracts_is_two_papers(tmp_path, capsys, first, second):
    one = (first, "We oversample the minority class with synthetic neighbours for tabular data.")
    two = (second, "Ride-hailing platforms price trips dynamically; we model driver supply.")
    project = make_project(tmp_path, {"001.txt": dump_text(one), "002.txt": dump_text(two)})
    assert generate(project) == 0
    err = capsys.readouterr().err
    papers = build_corpus([read_dump(project / "dumps" / n) for n in ("001.txt", "002.txt")]).papers
    assert sorted(p.abstract for p in papers) == sorted([one[1], two[1]])
    plain = next(p for p in papers if p.abstract == one[1])  # the first dump keeps the URL
    other = next(p for p in papers if p.abstract == two[1])
    assert other.slug.startswith(plain.slug + "-") and len(other.slug) == len(plain.slug) + 9
    assert f"002.txt:3: warning: same title as papers/{plain.slug}/" in err
    assert f"kept as another paper at papers/{other.slug}/" in err
    for paper in papers:
        page = (project / "docs/papers" / f"{paper.slug}.md").read_text(encoding="utf-8")
        assert f"abstract_from:\n- {paper.first_dump}\n" in page


def test_the_published_paper_keeps_its_url_when_a_look_alike_comes_first(tmp_path):
    published = ("Graph Transformers", "We study attention over graphs with positional encodings.")
    project = make_project(tmp_path, {"005.txt": dump_text(published)})
    assert generate(project) == 0
    (project / "dumps/001.txt").write_text(dump_text(
        ("Graph transformers!", "Electrical transformers in power grids age; we predict faults.")))
    assert generate(project) == 0
    page = (project / "docs/papers/graph-transformers.md").read_text(encoding="utf-8")
    assert published[1] in page


# ---------------------------------------------------------- odd files

def test_fifo_device_and_symlink_to_dev_zero_are_refused_by_name(tmp_path, capsys):
    project = make_project(tmp_path, {"good.txt": dump_text(("A Title", ABSTRACT))})
    os.mkfifo(project / "dumps/fifo.txt")
    (project / "dumps/zero.txt").symlink_to("/dev/zero")
    assert generate(project) == 1
    err = capsys.readouterr().err
    assert f"{project / 'dumps/fifo.txt'}:0: error: not a regular file but a FIFO" in err
    assert (f"{project / 'dumps/zero.txt'}:0: error: not a regular file but a character "
            "device (a link to /dev/zero)") in err
    assert not (project / "docs/papers").exists()


def test_a_dump_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    from generator import parse
    monkeypatch.setattr(parse, "MAX_DUMP_BYTES", 1000)  # the limit, not the reading, is small
    big = tmp_path / "big.txt"
    big.write_text(dump_text(*[(f"Title {n}", ABSTRACT) for n in range(30)]))
    with pytest.raises(DumpError, match=r"big.txt:0: error: larger than 0 MB"):
        read_dump(big)


# Abstracts broken where the property test below once found a junk paper:
# after a version number, before a lone "256x256", after "and a", at "(Yuan
# et al.,", after "In this study, we", after a possessive "gradients'", and
# lines after a full stop that end on a comma or run long as prose does.
BROKEN_ABSTRACTS = [
    ["We focus on wav2vec", "2.0, with a 13.5% relative reduction in word error rate.",
     "With a similar inference time, SEW reduces word error rate."],
    ["Evaluated on class-conditioned ImageNet generation at", "256x256",
     "resolution, our approach matches state-of-the-art AR models."],
    ["We use an uncertainty-aware perturbation. A Delta-model and a", "Sigma-model are jointly trained on",
     "the available images."],
    ["Variance reduction matters for SGD+Momentum and Implicit",
     "Gradient Transport) with a multi-momentum strategy (Yuan et al.,",
     "2019). Our proposal leads to faster convergence."],
    ["Fine-tuning changes outlier dimensions of embeddings.", "In this study, we",
     "investigate how fine-tuning impacts outlier dimensions."],
    ["We study mode collapse. Through the lens of gradients'",
     "variance, this work analyzes the training instability."],
    ["Such models prevail.", "To overcome the inconsistency of speculative decoding output distributions,",
     "we introduce denoising trajectory alignment."],
    ["It avoids complex integration.",
     "Experimental results show that our continuous speculative decoding achieves a remarkable 2.33x speed-up "
     "on off-the-shelf models while maintaining the output", "distribution. Code will be available."],
]


@pytest.mark.parametrize("pieces", BROKEN_ABSTRACTS, ids=lambda pieces: pieces[1][:20])
def test_an_abstract_broken_mid_sentence_reads_on(pieces):
    lines = ["Get trending papers in your email inbox!", "Speech Models Made Efficient", *pieces,
             "A Second Paper on Diffusion Models", "Diffusion models generate images step by step."]
    dump = parse_lines(lines, "broken.txt")
    assert [entry.title for entry in dump.entries] == ["Speech Models Made Efficient",
                                                       "A Second Paper on Diffusion Models"]
    assert dump.entries[0].abstract == " ".join(pieces)


# ---------------------------------------------------------- property test

names = st.sampled_from(["Ada Lovelace", "Wei Zhang", "Priya Raman", "Jonas Müller"])
CHROME_LINES = ["Submitted by akhaliq", "42", "·", "3 authors", "Upvote", "Published on Jan 3"]
BUNDLED = (BUNDLED_DUMPS / "004_0e432a92b5c8712a.txt").read_text(encoding="utf-8").splitlines()[2:]
BUNDLED_PAIRS = list(zip([BUNDLED[0].removeprefix("Subscribe"), *BUNDLED[2::2]], BUNDLED[1::2]))


@st.composite
def listing(draw):
    """A generated dump: bundled papers, in one layout, with chrome, author
    lines and abstracts broken at random word boundaries."""
    papers = draw(st.lists(st.sampled_from(BUNDLED_PAIRS), min_size=1, max_size=12, unique=True))
    blank = draw(st.booleans())
    triples = draw(st.booleans())
    rng = random.Random(draw(st.integers(0, 2**32)))
    lines, expected_papers = ["Get trending papers in your email inbox!"], []
    for title, abstract in papers:
        record = [title]
        authors = draw(st.lists(names, min_size=2, max_size=4, unique=True)) if triples else []
        if authors:
            record.append(", ".join(authors))
        record += rng.sample(CHROME_LINES, draw(st.integers(0, 3)))
        words = abstract.split(" ")
        cuts = sorted(rng.sample(range(40, len(words) - 5), draw(st.integers(0, 2))))
        pieces = [" ".join(words[a:b]) for a, b in zip([0, *cuts], [*cuts, len(words)])]
        expected_papers.append((title, abstract, tuple(authors)))
        # A hard line break splits a paragraph: no blank line inside an abstract.
        lines += [part for line in record for part in ([line, ""] if blank else [line])]
        lines += pieces + ([""] if blank else [])
    return lines, expected_papers


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(listing())
def test_generated_dumps_keep_every_paper_and_account_for_every_line(case):
    lines, papers = case
    dump = parse_lines(lines, "generated.txt")
    noted = {d.line for d in dump.warnings + dump.errors}
    roles = {number for number, _ in dump.roles}
    assert {n for n, line in enumerate(lines, 1) if line} <= roles | noted
    if dump.errors:  # a paper would be lost: the run is refused, naming the line
        return
    # The paper count is right, and each paper is whole unless a warning
    # says what was assumed about it.
    assert [e.title for e in dump.entries] == [title for title, _, _ in papers]
    ends = [e.line for e in dump.entries[1:]] + [len(lines) + 1]
    for entry, end, paper in zip(dump.entries, ends, papers):
        if (entry.title, entry.abstract, entry.authors) != paper:
            assert any(entry.line <= line < end for line in noted), entry.title


def test_a_url_in_a_title_is_never_a_link(tmp_path):
    title = "See https://evil.example/tool: A Toolkit for Attention"
    project = make_project(tmp_path, {"001.txt": dump_text(
        (title, ABSTRACT), ("Another Paper on Attention", ABSTRACT + " Attention again."))})
    assert generate(project) == 0
    generated = [p for p in (project / "docs").rglob("*") if p.suffix in (".md", ".xml")]
    assert any("evil.example" in p.read_text(encoding="utf-8") for p in generated)
    for page in generated:
        assert 'href="https://evil.example' not in page.read_text(encoding="utf-8"), page
