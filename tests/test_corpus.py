"""Merging duplicates and giving every paper a stable, unique, portable slug."""

from __future__ import annotations

import hashlib
import re

import pytest

from generator.corpus import (
    MAX_SLUG_LENGTH, Paper, build_corpus, check_unique_slugs, slug_for, title_key,
)
from generator.errors import GeneratorError
from generator.parse import Dump, Entry
from generator.signature import signature
from tests.conftest import FIXTURES

ABSTRACT = "An abstract long enough to be one, ending with a full stop."


def dump(name: str, *titles: str, date: str | None = None) -> Dump:
    entries = tuple(Entry(title, f"{ABSTRACT} {title}", line * 2 + 1, date)
                    for line, title in enumerate(titles))
    return Dump(f"dumps/{name}", entries, date)


@pytest.mark.parametrize(
    "variant",
    ["$f$-Divergence Minimization", "f-Divergence Minimization",
     "F-DIVERGENCE MINIMIZATION", "f Divergence  Minimization!", "f-divergence minimization."],
)
def test_small_title_differences_are_one_paper(variant):
    corpus = build_corpus([dump("001.txt", "$f$-Divergence Minimization"),
                           dump("002.txt", variant, date="Mar 14")])
    assert len(corpus.papers) == 1
    paper = corpus.papers[0]
    assert paper.slug == "f-divergence-minimization"
    assert paper.title == "$f$-Divergence Minimization"  # the first dump's title
    assert [(s.dump, s.date) for s in paper.sources] == [("001.txt", None), ("002.txt", "Mar 14")]
    assert corpus.duplicates_merged == 1


def test_latex_accents_and_unicode_titles_share_a_key():
    assert title_key(r'Schr\"odinger Bridges') == title_key("Schrödinger bridges") == (
        "schrodinger bridges")


LONG = "We study sparse attention for long documents and show it matches dense attention."


def test_merge_keeps_the_longest_abstract_and_counts_every_dump_once():
    short = Dump("dumps/a.txt", (Entry("Same Paper", LONG[:45] + ".", 1),))
    long = Dump("dumps/b.txt", (Entry("Same paper", LONG, 1),
                                Entry("same paper", LONG[:60], 3)))
    paper, = build_corpus([long, short]).papers
    assert paper.abstract == LONG
    assert [s.dump for s in paper.sources] == ["a.txt", "b.txt"]  # dump-name order
    assert paper.abstract_from == ("b.txt",)
    assert paper.title == "Same Paper"


def test_slugs_are_readable_and_portable():
    assert slug_for(title_key("Value Gradient weighted Model-Based RL")) == (
        "value-gradient-weighted-model-based-rl")
    for title in ["A" * 300, "深度学习 for Graphs", "CON", "Nul", "Index", "!!!", "日本語"]:
        slug = slug_for(title_key(title) or title)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
        assert len(slug) <= MAX_SLUG_LENGTH
        assert slug not in {"con", "nul", "index"}


def test_long_titles_that_share_a_prefix_get_distinct_slugs():
    prefix = "A Very Long Title About Reinforcement Learning " * 3
    first, second = (slug_for(title_key(prefix + end)) for end in ("Part One", "Part Two"))
    assert first != second
    assert first.rsplit("-", 1)[0] == second.rsplit("-", 1)[0]
    assert len(first) <= MAX_SLUG_LENGTH


def test_a_published_url_never_moves_when_later_dumps_bring_look_alikes():
    """The slug is a function of the paper's own key alone: adding papers,
    reordering dumps or adding colliding prefixes cannot change it."""
    long = "Scaling Laws for Sparse Mixture of Experts Language Models Trained on Code " * 2
    before = build_corpus([dump("001.txt", "Graph Networks", long + "v1")])
    after = build_corpus([
        dump("000.txt", "GRAPH-NETWORKS?", long + "v2", "Graph Networks 2"),
        dump("001.txt", "Graph Networks", long + "v1"),
    ])
    old = {paper.key: paper.slug for paper in before.papers}
    new = {paper.key: paper.slug for paper in after.papers}
    assert all(new[key] == slug for key, slug in old.items())
    assert len(set(new.values())) == len(new) == 4


def test_papers_are_sorted_by_slug_whatever_the_dump_order():
    one, two = dump("001.txt", "Zeta Paper", "Alpha Paper"), dump("002.txt", "Mid Paper")
    assert build_corpus([two, one]) == build_corpus([one, two])
    assert [p.slug for p in build_corpus([one, two]).papers] == [
        "alpha-paper", "mid-paper", "zeta-paper"]


def test_a_slug_clash_is_refused_not_silently_renamed():
    # Only a hash collision can cause one, so build the clashing papers directly.
    papers = [Paper("same", key, key, ABSTRACT, ()) for key in ("first", "second")]
    with pytest.raises(GeneratorError, match="both map to papers/same/"):
        check_unique_slugs(papers)


def bundled_corpus():
    from generator.parse import read_dump
    from tests.conftest import BUNDLED_DUMPS

    return build_corpus([read_dump(f) for f in sorted(BUNDLED_DUMPS.glob("*.txt"))])


def test_bundled_dumps_give_689_papers():
    corpus = bundled_corpus()
    assert len(corpus.papers) == 689
    assert corpus.duplicates_merged == 44
    assert len({paper.slug for paper in corpus.papers}) == 689


def test_all_689_bundled_papers_keep_their_urls_and_text():
    """tests/fixtures/bundled_golden.tsv was written by the generator as it
    stood before the structural parser (issue 16): every published URL, the
    hash of its title and abstract, and the dumps it was listed in."""
    golden = [line.split("\t") for line in
              (FIXTURES / "bundled_golden.tsv").read_text(encoding="utf-8").splitlines()
              if not line.startswith("#")]
    now = [[paper.slug, hashlib.sha256(f"{paper.title}\n{paper.abstract}".encode()).hexdigest(),
            ",".join(source.dump for source in paper.sources)] for paper in bundled_corpus().papers]
    assert len(golden) == 689
    assert now == golden


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Value Gradient weighted Model-Based Reinforcement Learning",
         "value-gradient-weighted-model-based-reinforcement-learning"),
        ("Statistical Uncertainty in Word Embeddings: GloVe-V",
         "statistical-uncertainty-in-word-embeddings-glove-v"),
        ("A Comparative Study of Sentence Embedding Models for Assessing Semantic Variation",
         "a-comparative-study-of-sentence-embedding-models-for-assessing-semantic-variation"),
        ("Principled Reinforcement Learning with Human Feedback from Pairwise or K-wise "
         "Comparisons",
         "principled-reinforcement-learning-with-human-feedback-from-pairwise-or-k-wise-comparisons"),
        ("A Likelihood Approach to Nonparametric Estimation of a Singular Distribution Using "
         "Deep Generative Models",
         "a-likelihood-approach-to-nonparametric-estimation-of-a-singular-distribution-using-49a3f973"),
    ],
)
def test_published_slugs_are_pinned(title, slug):
    """Golden slugs: a change to title normalization must not move published URLs."""
    assert slug_for(title_key(title)) == slug


def test_a_long_title_never_takes_the_published_url_of_another_long_title():
    """Both slugs end in a hash; a look-alike abstract must not make them one URL."""
    long = "Accelerating Policy Gradient by Estimating Value Function from Prior Computation in Deep RL"
    first = Dump("dumps/a.txt", (Entry(long, LONG, 1),))
    published = {paper.slug: signature(paper.abstract) for paper in build_corpus([first]).papers}
    second = Dump("dumps/b.txt", (Entry(long + " (variant 2)", LONG + " Again.", 1),))
    slugs = [paper.slug for paper in build_corpus([first, second], published).papers]
    assert len(set(slugs)) == 2 and slug_for(title_key(long)) in slugs
