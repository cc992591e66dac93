"""Topic tags: quality bars on the bundled dumps, merged variants, the
vocabulary file, and the tag pages in a real build."""

from __future__ import annotations

import re
from collections import Counter
import pytest
import yaml

from generator.analysis import Analysis, PaperAnalysis
from generator.cli import read_vocabulary
from generator.corpus import Corpus, Paper, Source, build_corpus, slug_for, title_key
from generator.parse import read_dump
from generator.render import render_tag_pages, tag_slug
from generator.text import to_plain
from generator.tags import (
    MAX_SHARE,
    MAX_TAGS,
    MIN_TAGS,
    Vocabulary,
    VocabularyError,
    acronym_expansion,
    derive_tags,
    parse_vocabulary,
    word_key,
)
from tests.conftest import ROOT, generate, make_project

BUNDLED_DUMPS = ROOT / "dumps"
JUNK_WORDS = {"method", "methods", "approach", "approaches", "result", "results",
              "performance", "novel", "paper", "propose", "proposed", "et", "al"}
STOP_WORDS = {"the", "a", "an", "of", "and", "or", "for", "to", "in", "on", "with",
              "by", "we", "our", "is", "are", "this", "that", "which"}


def paper(title: str, abstract: str) -> Paper:
    key = title_key(title)
    return Paper(slug_for(key), key, title, abstract, (Source("extra.txt", None, 1),))


@pytest.fixture(scope="module")
def bundled_papers() -> tuple[Paper, ...]:
    return build_corpus([read_dump(path) for path in sorted(BUNDLED_DUMPS.glob("*.txt"))]).papers


@pytest.fixture(scope="module", params=["no vocabulary", "bundled tags.yml"])
def bundled_tags(request, bundled_papers) -> dict[str, tuple[str, ...]]:
    """The bundled dumps' tags, bare and with the shipped vocabulary file."""
    vocabulary = Vocabulary() if request.param == "no vocabulary" else read_vocabulary(ROOT / "tags.yml")
    return derive_tags(bundled_papers, vocabulary)


def usage(tags: dict[str, tuple[str, ...]]) -> Counter:
    return Counter(tag for paper_tags in tags.values() for tag in paper_tags)


def folded(tag: str) -> str:
    return " ".join(part for word in tag.split() for part in word_key(word))


# --- the quality bars, on the bundled dumps ----------------------------------


def test_every_paper_has_two_to_six_distinct_tags(bundled_tags):
    counts = Counter(len(tags) for tags in bundled_tags.values())
    assert min(counts) >= MIN_TAGS and max(counts) <= MAX_TAGS, counts
    assert all(len(set(tags)) == len(tags) for tags in bundled_tags.values())


def test_no_tag_is_used_by_one_paper_only(bundled_tags):
    lonely = [tag for tag, count in usage(bundled_tags).items() if count < 2]
    assert lonely == []


def test_no_tag_covers_more_than_its_share_of_papers(bundled_tags):
    limit = MAX_SHARE * len(bundled_tags)
    assert [tag for tag, count in usage(bundled_tags).items() if count > limit] == []


def test_no_generic_or_junk_tags(bundled_tags):
    for tag in usage(bundled_tags):
        words = tag.lower().split()
        assert not JUNK_WORDS & set(re.split(r"[\s-]+", tag.lower())), tag
        assert not re.search(r"\d", tag), tag
        assert words[0] not in STOP_WORDS and words[-1] not in STOP_WORDS, tag
        assert len(tag) >= 3, tag


def test_tags_are_readable_and_in_one_case(bundled_tags, bundled_papers):
    """Lowercase, but for the capitals the papers themselves use mid-sentence
    (Gaussian, Markov, acronyms); one spelling per topic."""
    abstracts = " ".join(to_plain(paper.abstract) for paper in bundled_papers)
    tags = usage(bundled_tags)
    for tag in tags:
        assert re.fullmatch(r"[^\W\d_][\w' -]*[^\W_]", tag), tag
        for word in tag.split():
            if word != word.lower():
                assert re.search(rf"[a-z,] {re.escape(word)}\b", abstracts), (tag, word)
    spellings = Counter(folded(tag) for tag in tags)
    assert [key for key, count in spellings.items() if count > 1] == []


def test_bundled_topics_are_found_under_their_expanded_names(bundled_tags):
    tags = usage(bundled_tags)
    for topic in ("large language models", "reinforcement learning", "diffusion models",
                  "mixture of experts", "Bayesian optimization", "variance reduction"):
        assert tags[topic] >= 5, (topic, tags[topic])
    assert not {"LLMs", "LLM", "RL", "MoE", "llms"} & set(tags)


def test_tags_are_deterministic_and_independent_of_order(bundled_papers):
    first = derive_tags(bundled_papers)
    assert derive_tags(tuple(reversed(bundled_papers))) == first


# --- merging variants -----------------------------------------------------------


def test_acronyms_are_expanded_from_the_definitions_papers_give():
    assert acronym_expansion("RL", "we study deep reinforcement learning") == (
        "reinforcement", "learning")
    assert acronym_expansion("MoE", "a sparse mixture of experts") == ("mixture", "of", "experts")
    assert acronym_expansion("GAN", "a generative adversarial network") == (
        "generative", "adversarial", "network")
    assert acronym_expansion("QZR", "we study deep learning") is None


def test_variants_of_one_topic_become_one_tag(bundled_papers):
    """Acronym and expansion, singular and plural, hyphens and case: one tag."""
    extra = (
        paper("Quantum Zebra Routers for Sparse Graphs",
              "We introduce quantum zebra routers (QZRs) for sparse graphs."),
        paper("Faster QZR Training", "A QZR trains faster with warm starts on sparse graphs."),
        paper("On the Quantum-Zebra Router", "The quantum-zebra router is studied on sparse graphs."),
        paper("QUANTUM ZEBRA ROUTER Limits", "Lower bounds for the Quantum Zebra Router."),
    )
    tags = derive_tags(bundled_papers + extra)
    shown = {tag for item in extra for tag in tags[item.slug] if "zebra" in tag.lower()}
    # Shown in the papers' commonest form: singular here.
    assert shown == {"quantum zebra router"}
    assert all("quantum zebra router" in tags[item.slug] for item in extra)


# --- the vocabulary file ----------------------------------------------------------


def test_vocabulary_renames_merges_bans_and_adds(bundled_papers):
    vocabulary = parse_vocabulary(yaml.safe_load("""
        rename: {RL: Reinforcement Learning (RL)}
        merge: {diffusion: [diffusion models, diffusion probabilistic models]}
        ban: [mixture of experts]
        add: {softmax gating: [softmax gating, gating function]}
    """), "tags.yml")
    tags = derive_tags(bundled_papers, vocabulary)
    used = usage(tags)
    assert used["Reinforcement Learning (RL)"] >= 5 and "reinforcement learning" not in used
    assert used["diffusion"] >= 5 and "diffusion models" not in used
    assert "mixture of experts" not in used and "MoE" not in used
    gating = [slug for slug, paper_tags in tags.items() if "softmax gating" in paper_tags]
    assert "demystifying-softmax-gating-function-in-gaussian-mixture-of-experts" in gating
    assert all(tags[slug][0] == "softmax gating" for slug in gating)
    assert min(len(paper_tags) for paper_tags in tags.values()) >= MIN_TAGS


@pytest.mark.parametrize("text, message", [
    ("- just\n- a list\n", "tags.yml: error: expected sections rename, merge, ban or add; got list"),
    ("bans: [x]\n", "tags.yml: error: unknown section 'bans' (known: rename, merge, ban, add)"),
    ("ban: {x: y}\n", "tags.yml: error: 'ban' must be a list of tags, got {'x': 'y'}"),
    ("rename: {a: [b, c]}\n",
     "tags.yml: error: 'rename' must be a mapping of tag: new name, got {'a': ['b', 'c']}"),
    ("add: {tag: 3}\n", "tags.yml: error: 'add' must be a mapping of tag: [phrases that give it], "
                        "got {'tag': 3}"),
])
def test_bad_vocabulary_says_what_is_wrong(text, message):
    with pytest.raises(VocabularyError) as error:
        parse_vocabulary(yaml.safe_load(text), "tags.yml")
    assert str(error.value) == message


def test_a_bad_vocabulary_file_stops_the_cli_naming_the_file(tmp_path, capsys):
    project = make_project(tmp_path, bundled=True)
    (project / "tags.yml").write_text("ban: [unclosed\n", encoding="utf-8")
    assert generate(project) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"{project / 'tags.yml'}: error: not a valid YAML tag vocabulary")
    assert not (project / "docs" / "papers").exists()


def test_no_vocabulary_file_means_no_changes(tmp_path):
    assert read_vocabulary(tmp_path / "tags.yml") == Vocabulary()


# --- the pages ---------------------------------------------------------------------


def front_matter(page: str) -> dict:
    return yaml.safe_load(page.split("---\n")[1])


def test_tag_pages_work_in_the_built_site(bundled_site):
    docs, site = bundled_site / "docs", bundled_site / "site"
    index = (site / "tags" / "index.html").read_text(encoding="utf-8")
    tag_pages = sorted((docs / "tags").glob("*.md"))
    assert len(tag_pages) > 100
    for page in tag_pages:
        if page.stem != "index":
            assert f'href="{page.stem}/"' in index
            assert (site / "tags" / page.stem / "index.html").exists()
    # Every chip on every paper page leads to a tag page that lists the paper.
    for page in sorted((docs / "papers").glob("*.md"))[:80]:
        if page.stem == "index":
            continue
        for tag in front_matter(page.read_text(encoding="utf-8"))["tags"]:
            listing = (site / "tags" / tag_slug(tag) / "index.html").read_text(encoding="utf-8")
            assert f'href="../../papers/{page.stem}/"' in listing
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="tags/"' in home


def test_the_tags_index_lists_tags_not_papers(bundled_site):
    """Material's default tags index lists every paper under every tag
    (19 MB at 20k papers); ours holds names and counts only."""
    index = (bundled_site / "docs" / "tags" / "index.md").read_text(encoding="utf-8")
    assert "papers/" not in index
    assert re.search(r'href="reinforcement-learning/">reinforcement learning '
                     r'<span class="tag-count">\d+</span>', index)


def test_tag_pages_show_tag_names_as_text():
    """Tags are words of the dumps: on every page they are escaped text."""
    hostile = "<script>x</script> & co"
    one, two = paper("One", "a"), paper("Two", "b")
    analysis = Analysis({item.slug: PaperAnalysis(tags=(hostile, "graphs")) for item in (one, two)})
    pages = render_tag_pages(Corpus((one, two), ()), analysis)
    assert sorted(pages) == ["tags/graphs.md", "tags/index.md", "tags/script-x-script-co.md"]
    page = pages["tags/script-x-script-co.md"]
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt; &amp; co" in page
    assert front_matter(page)["title"] == "Tag: &lt;script&gt;x&lt;/script&gt; &amp; co"
    assert '<li><a href="../../papers/one/">One</a>' in page
    assert '<a class="paper-tag" href="../graphs/">graphs</a>' in page  # together on 2 papers
    assert "<script>" not in pages["tags/index.md"]
