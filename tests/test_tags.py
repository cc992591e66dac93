"""Topic tags: quality bars on the bundled dumps, salience, acronyms, the
shipped vocabulary and tags.yml, topics, stability through tags.lock, and
the tag pages in a real build."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from generator.analysis import Analysis, PaperAnalysis, analyse, nearest_papers
from generator.cli import read_vocabulary
from generator.config import Config
from generator.corpus import Corpus, Paper, Source, build_corpus, slug_for, title_key
from generator.parse import read_dump
from generator.related import fit_model
from generator.render import render_tag_pages, tag_slug
from generator.tags import (
    MAX_SHARE,
    MAX_TAGS,
    MIN_TAGS,
    LockError,
    TagLock,
    Vocabulary,
    VocabularyError,
    format_lock,
    parse_lock,
    parse_vocabulary,
    tag_papers,
)
from generator.tags.assign import assign_tags, borrow_from_neighbours, rank
from generator.tags.candidates import phrase_key, pieces, vocabulary_readings
from generator.tags.scores import score_papers
from generator.tags.topics import telling_words
from generator.tags.vocabulary import lexicon
from generator.text import to_plain
from generator.textlayer import acronym_expansion
from tests.conftest import ROOT, generate, make_project

BUNDLED_DUMPS = ROOT / "dumps"
VOCABULARY_FILE = ROOT / "generator" / "tags" / "vocabulary.yml"
JUNK_WORDS = {"method", "methods", "approach", "approaches", "result", "results",
              "performance", "novel", "paper", "propose", "proposed", "et", "al"}
STOP_WORDS = {"the", "a", "an", "of", "and", "or", "for", "to", "in", "on", "with",
              "by", "we", "our", "is", "are", "this", "that", "which"}
SHORT_PAPERS_SHARE = 0.05
"""Papers with fewer than MIN_TAGS tags: those whose text holds nothing shared."""


def paper(title: str, abstract: str) -> Paper:
    key = title_key(title)
    return Paper(slug_for(key), key, title, abstract, (Source("extra.txt", None, 1),))


def bundled_dumps() -> list:
    return [read_dump(path) for path in sorted(BUNDLED_DUMPS.glob("*.txt"))]


@pytest.fixture(scope="module")
def bundled_papers() -> tuple[Paper, ...]:
    return build_corpus(bundled_dumps()).papers


@pytest.fixture(scope="module", params=["no vocabulary", "bundled tags.yml"])
def bundled_tagging(request, bundled_papers):
    """The bundled dumps' tags, bare and with the shipped tags.yml."""
    vocabulary = Vocabulary() if request.param == "no vocabulary" else read_vocabulary(ROOT / "tags.yml")
    return tag_papers(bundled_papers, vocabulary)


@pytest.fixture(scope="module")
def bundled_tags(bundled_tagging) -> dict[str, tuple[str, ...]]:
    return bundled_tagging.tags


def usage(tags: dict[str, tuple[str, ...]]) -> Counter:
    return Counter(tag for paper_tags in tags.values() for tag in paper_tags)


def known_tag(tag: str) -> bool:
    """Is this a tag of the shipped vocabulary, not one derived from the papers?"""
    known = lexicon()
    return known.canonical(phrase_key(tag)) in known.entries


# --- the quality bars, on the bundled dumps ----------------------------------


def test_papers_have_two_to_five_distinct_tags(bundled_tags):
    counts = Counter(len(tags) for tags in bundled_tags.values())
    assert max(counts) <= MAX_TAGS, counts
    short = sum(count for size, count in counts.items() if size < MIN_TAGS)
    assert short <= SHORT_PAPERS_SHARE * len(bundled_tags), counts
    assert all(len(set(tags)) == len(tags) for tags in bundled_tags.values())


def test_a_tag_on_one_paper_only_names_it_or_keeps_it_from_falling_short(bundled_tags):
    """A lone tag is a paper's own: its best, shown first, or a strong one
    kept rather than a weak fill-in; a derived phrase, there to group
    papers, is hardly ever alone."""
    lonely = {tag for tag, count in usage(bundled_tags).items() if count < 2}
    for tags in bundled_tags.values():
        for tag in lonely & set(tags):
            assert tag == tags[0] or len(tags) <= MIN_TAGS, tags
    assert len({tag for tag in lonely if not known_tag(tag)}) <= 0.02 * len(bundled_tags)
    assert len(lonely) <= 0.15 * len(bundled_tags)


def _assigned(scores: list[dict[str, float]], derived: frozenset[str] = frozenset(),
              forced: frozenset[str] = frozenset()) -> list[list[str]]:
    ranked = [rank(paper, {}, derived, frozenset(), forced, set()) for paper in scores]
    return assign_tags(ranked, [None] * len(ranked), {})


def test_a_paper_left_short_takes_back_a_vocabulary_entry_before_a_derived_phrase():
    # "zebra routing" (derived, weighed 0.6: 3.0) outranks "graph kernels"
    # (2.5); both are alone on the paper, and the paper keeps one shared tag.
    chosen = _assigned([{"zebra routing": 5.0, "graph kernels": 2.5, "graph search": 1.5},
                        {"graph search": 3.0, "lion routing": 3.0}],
                       derived=frozenset({"zebra routing"}))
    assert sorted(chosen[0]) == ["graph kernels", "graph search"]


def test_a_lead_back_never_nests_in_a_tag_tags_yml_adds():
    # "deep graph kernels" is the first paper's best, alone on it; tags.yml
    # adds "graph kernels", which holds it.
    chosen = _assigned([{"deep graph kernels": 5.0, "graph kernels": 2.0, "zebra routing": 1.0},
                        {"graph kernels": 2.0, "lion routing": 4.0},
                        {"lion routing": 4.0, "tiger routing": 4.0}, {"tiger routing": 4.0}],
                       forced=frozenset({"graph kernels"}))
    assert "graph kernels" in chosen[0] and "deep graph kernels" not in chosen[0]


def test_a_papers_best_vocabulary_entry_beats_a_shared_word_it_uses_in_passing(bundled_tagging):
    """The issue's own example: "neural graphics primitives" is the paper's
    subject (the vocabulary's "neural rendering"), alone on it, where a
    word another paper shares in another sense ("probing") was shown."""
    tags = bundled_tagging.tags["compact-neural-graphics-primitives-with-learned-hash-probing"]
    assert tags[0] == "neural rendering"
    assert "probing" not in tags


def test_no_tag_covers_more_than_its_share_of_papers(bundled_tags):
    limit = MAX_SHARE * len(bundled_tags)
    assert [tag for tag, count in usage(bundled_tags).items() if count > limit] == []


def test_no_generic_or_junk_tags(bundled_tags):
    known = lexicon()
    for tag in usage(bundled_tags):
        words = tag.lower().split()
        # A topic too broad for a tag ("optimization") fills in for a paper short of tags.
        assert phrase_key(tag) not in known.banned or tag in known.topics, tag
        assert known_tag(tag) or not JUNK_WORDS & set(re.split(r"[\s-]+", tag.lower())), tag
        assert words[0] not in STOP_WORDS and words[-1] not in STOP_WORDS, tag
        assert len(tag) >= 3, tag
        # A single word is a tag only when the vocabulary says so ("pruning").
        assert len(re.split(r"[\s-]+", tag)) > 1 or known_tag(tag), tag


def test_derived_tags_are_readable_and_in_one_case(bundled_tags, bundled_papers):
    """Lowercase, but for the capitals the papers themselves use mid-sentence
    (Gaussian, Markov, acronyms); one spelling per topic."""
    abstracts = " ".join(to_plain(paper.abstract) for paper in bundled_papers)
    tags = usage(bundled_tags)
    for tag in tags:
        if known_tag(tag):
            continue
        assert re.fullmatch(r"[^\W\d_][\w' -]*[^\W_]", tag), tag
        for word in tag.split():
            if word != word.lower():
                assert re.search(rf"\b{re.escape(word)}\b", abstracts), (tag, word)
    spellings = Counter(phrase_key(tag) for tag in tags)
    assert [key for key, count in spellings.items() if count > 1] == []


def test_bundled_topics_are_found_under_their_expanded_names(bundled_tags):
    tags = usage(bundled_tags)
    for topic in ("large language models", "reinforcement learning", "diffusion models",
                  "mixture of experts", "Bayesian optimization", "variance reduction",
                  "recommender systems"):
        assert tags[topic] >= 5, (topic, tags[topic])
    assert not {"LLMs", "LLM", "RL", "MoE", "llms"} & set(tags)


def test_tags_are_deterministic_and_independent_of_order(bundled_papers):
    first = tag_papers(bundled_papers)
    again = tag_papers(tuple(reversed(bundled_papers)))
    assert (again.tags, again.topics, again.tag_topics) == (first.tags, first.topics, first.tag_topics)


def test_large_corpora_read_in_forked_processes_tag_as_one_process_does(bundled_papers, monkeypatch):
    import generator.tags.scores as scores

    alone = tag_papers(bundled_papers)
    monkeypatch.setattr(scores, "PARALLEL_FROM", 2)
    monkeypatch.setattr(scores.os, "cpu_count", lambda: 3)  # forks even on a one-core runner
    forked = tag_papers(bundled_papers)
    assert (forked.tags, forked.topics, forked.tag_topics) == (alone.tags, alone.topics, alone.tag_topics)
    assert scores._FORKED is None


# --- topics -------------------------------------------------------------------------


def test_papers_have_a_broad_topic_and_tags_sit_under_topics(bundled_tagging):
    topics = lexicon().topics
    assert sum(topic is None for topic in bundled_tagging.topics.values()) <= 0.02 * len(bundled_tagging.topics)
    assert {topic for topic in bundled_tagging.topics.values() if topic} <= set(topics)
    used = usage(bundled_tagging.tags)
    assert set(bundled_tagging.tag_topics) <= set(used)
    assert all(tag in bundled_tagging.tag_topics for tag in used if known_tag(tag))
    known = lexicon()
    for tag in used:
        entry = known.entries.get(known.canonical(phrase_key(tag)))
        if entry and entry.topic:
            assert bundled_tagging.tag_topics[tag] == entry.topic, tag
    assert bundled_tagging.tag_topics["mixture of experts"] == "neural network architectures"
    assert 20 <= len(topics) <= 64  # a few dozen


def test_a_phrase_only_one_paper_uses_backs_off_to_its_shared_head(bundled_tagging):
    """Only one paper says "contextual combinatorial bandits": it gets the
    head the vocabulary knows, and its topic."""
    slug = "contextual-combinatorial-bandits-with-probabilistically-triggered-arms"
    assert bundled_tagging.topics[slug] == "bandits"
    assert "combinatorial bandits" in bundled_tagging.tags[slug] or "bandits" in bundled_tagging.tags[slug]



def test_a_phrase_inside_a_longer_known_one_counts_for_that_ones_topic():
    """"pruning" in "data pruning" is data selection, not model compression."""
    papers = tuple(paper(f"Data Pruning for Zebra Datasets, part {n}",
                         "We propose data pruning for zebra datasets: data pruning keeps the useful zebras.")
                   for n in ("one", "two"))
    tagging = tag_papers(papers)
    assert {tagging.topics[item.slug] for item in papers} == {"data-centric machine learning"}


def test_known_names_with_digits_are_read_and_other_numbers_break_phrases():
    """ "3D", "word2vec" and "L2" are words of known names; "100" is a number."""
    papers = tuple(paper(f"Text-to-3D Generation with 3D Gaussian Splatting, part {n}",
                         "We propose word2vec features and L2 regularization for 100 zebra images.")
                   for n in ("one", "two"))
    tagging = tag_papers(papers)
    assert "text-to-3D generation" in tagging.tags[papers[0].slug]
    assert tagging.topics[papers[0].slug] == "3D vision"
    candidates = score_papers([("x", papers[0].title, papers[0].abstract)], lexicon()).scores[0]
    assert {"gaussian splatting", "word embedding", "weight decay"} <= candidates.keys()
    assert not any("100" in key for key in candidates)


def test_every_written_out_vocabulary_name_is_read_as_its_entry():
    """Names holding words a phrase breaks at ("learning to rank",
    "irregularly sampled time series", "matrix and tensor methods") are
    found too. Acronyms and CamelCase names are left out: each paper reads
    those through its own words."""
    data = yaml.safe_load((ROOT / "generator" / "tags" / "vocabulary.yml").read_text(encoding="utf-8"))
    names = []
    for topic, spec in data["topics"].items():
        names += [(name, topic) for name in [topic, *(spec.get("aliases") or [])]]
        for tag, synonyms in (spec.get("tags") or {}).items():
            names += [(name, tag) for name in [tag, *(synonyms or [])]]
    written = [(name, entry) for name, entry in names if not re.search(r"[A-Z].*[A-Z]", name)]
    known = lexicon()
    scores = score_papers([(f"p{index}", "Zebra Herding", f"We herd zebras with {name} today.")
                           for index, (name, _) in enumerate(written)], known).scores
    unread = [name for (name, entry), found in zip(written, scores) if known.canonical(phrase_key(entry)) not in found]
    assert len(written) > 2000 and unread == []


def test_a_paper_short_of_tags_borrows_what_most_of_its_related_papers_share():
    """Paper 0 names nothing shared. Three of its five related papers have
    "bandits" and two "Gaussian processes": it borrows only the first. A
    locked paper borrows nothing; a paper with two tags needs none."""
    chosen = [[], ["bandit", "gaussian process"], ["bandit", "gaussian process"], ["bandit", "thompson sampling"],
              ["regret"], ["zebra"], ["zebra", "herd"]] + [[f"filler {n}"] for n in range(20)]
    near = [(1, 2, 3, 4, 5), (0,), (), (), (), (0, 1, 2, 3, 4), (1, 2, 3, 4, 5)] + [()] * 20
    borrow_from_neighbours(chosen, near, locked={5: ["zebra"]})
    assert chosen[0] == ["bandit"]
    assert chosen[5] == ["zebra"] and chosen[6] == ["zebra", "herd"]


def test_nearest_papers_lend_a_bundled_paper_short_of_tags_one_of_theirs(bundled_papers):
    """The bundled paper on "interval quasimetric embeddings" names only
    reinforcement learning; its nearest papers give it representation
    learning, in the analysis as in tag_papers, whatever the related cuts."""
    slug = next(item.slug for item in bundled_papers if "Quasimetric" in item.title)
    nearest = nearest_papers(bundled_papers, fit_model(bundled_papers))
    assert len(tag_papers(bundled_papers).tags[slug]) == 1
    assert "representation learning" in tag_papers(bundled_papers, nearest=nearest).tags[slug]
    corpus = Corpus(bundled_papers, ())
    for config in (Config(), Config(related_count=2)):
        assert analyse(corpus, config).of(slug).tags == tag_papers(bundled_papers, nearest=nearest).tags[slug]


def test_a_titles_goal_after_for_names_the_topic():
    """Contrastive learning (representation learning) is said more, but it
    serves recommender systems here: the field after the title's "for" wins;
    without "for", the phrase said most does."""
    abstract = "We propose contrastive learning, a contrastive loss for self-supervised learning, in recommender systems."
    served = paper("Contrastive Learning for Recommender Systems", abstract)
    plain = paper("Contrastive Learning and Recommender Systems", abstract)
    assert tag_papers((served,)).topics[served.slug] == "recommender systems"
    assert tag_papers((plain,)).topics[plain.slug] == "representation learning"


def test_a_tool_topic_yields_to_the_field_it_serves_when_that_is_nearly_as_strong():
    """Optimization (bilevel, gradient descent) serves hyperparameter
    optimization in the first paper; in the second that is one use in passing."""
    served = paper("Hyperparameter Optimization by Bilevel Optimization",
                   "We propose bilevel optimization and gradient descent for hyperparameter optimization.")
    tool = paper("Bilevel Optimization and Gradient Descent",
                 "We propose bilevel optimization and gradient descent, with hyperparameter optimization as one use.")
    assert tag_papers((served,)).topics[served.slug] == "automated machine learning"
    assert tag_papers((tool,)).topics[tool.slug] == "optimization"
    assert lexicon().tool_topics < set(lexicon().topics)


def test_words_tell_a_topic_where_no_phrase_names_one():
    """No known phrase here, but "regret" is a word only bandit names hold."""
    known = lexicon()
    words = telling_words(known)
    assert words["regret"] == "bandits"
    assert not {"optimization", "statistics", "model", "learning"} & set(words)
    papers = (paper("Zebra Routing with Low Regret", "We route zebras and bound the regret of the router."),
              paper("Zebra Herding", "We herd zebras, with low regret."))
    topics = tag_papers(papers).topics
    # One word said once in the abstract is too little to go on.
    assert topics[papers[0].slug] == "bandits" and topics[papers[1].slug] is None


def test_a_papers_topic_fills_in_above_its_own_tag():
    """A paper with one specific tag takes its topic as the second, even
    when the tag's name holds the topic's."""
    papers = tuple(paper(f"Inverse Reinforcement Learning for Zebras, part {n}",
                         "We propose inverse reinforcement learning for zebra herds.")
                   for n in ("one", "two"))
    tags = tag_papers(papers).tags
    for item in papers:
        assert tags[item.slug] == ("inverse reinforcement learning", "reinforcement learning")


def test_a_strong_tag_alone_on_its_paper_beats_a_weak_fill_in(bundled_tags):
    """No other bundled paper is about influence functions; the paper keeps
    them rather than a word of one clause ("a counterfactual")."""
    tags = bundled_tags["studying-large-language-model-generalization-with-influence-functions"]
    assert "influence functions" in tags and "counterfactual inference" not in tags


def test_a_lone_tag_goes_to_a_paper_short_of_tags_only_if_it_says_it_outside_an_aside():
    papers = (paper("Medical Imaging for Zebras", "We propose medical imaging for zebra herds."),
              paper("Diffusion Models for Zebras", "We propose diffusion models for zebra herds. We apply "
                    "denoising to zebra stripes. Other fields use it too (e.g., medical imaging)."),
              paper("Diffusion Models for Lions", "We propose diffusion models for lion prides."))
    tags = tag_papers(papers).tags
    assert tags["diffusion-models-for-zebras"] == ("diffusion models", "denoising")


def test_a_paper_short_of_tags_takes_back_a_tag_under_its_topic():
    """Only one paper says "unsupervised anomaly detection": a lone tag, given
    up, then taken back under its topic rather than leaving the paper short
    (and shown first: it is the paper's best)."""
    papers = (paper("Unsupervised Anomaly Detection for Zebras",
                    "We propose unsupervised anomaly detection for zebra herds."),
              paper("Anomaly Detection for Lions", "We propose anomaly detection for lion prides."))
    tags = tag_papers(papers).tags
    assert tags[papers[0].slug] == ("unsupervised anomaly detection", "anomaly detection")


# --- salience and acronyms -----------------------------------------------------------


def test_the_title_and_the_proposal_weigh_most_and_asides_least():
    found = {piece.text.strip(): piece.weight for piece in pieces(
        "Zebra Routing via Sparse Graphs",
        "Recent methods rely on graph kernels. We propose zebra routing, unlike graph "
        "transformers. It helps many tasks (e.g. path finding), such as chess and go. "
        "Needs such settings as sparse graphs arise.")}
    assert found["Zebra Routing"] > found["via Sparse Graphs"] >= found["We propose zebra routing,"]
    assert found["We propose zebra routing,"] > found["Recent methods rely on graph kernels."]
    assert found["unlike graph transformers."] == found["(e.g. path finding)"] == found["such as chess and go."]
    assert found["such as chess and go."] < found["Recent methods rely on graph kernels."]
    assert found["such settings as sparse graphs arise."] == found["such as chess and go."]


def test_our_proposed_method_named_again_is_no_proposal():
    found = {piece.text.strip(): piece.weight for piece in pieces(
        "Zebras", "We have applied our proposed zebra routing to graphs. We propose lion routing.")}
    assert found["We have applied our proposed zebra routing to graphs."] < found["We propose lion routing."]


def test_a_topic_mentioned_only_as_an_example_is_no_tag(bundled_papers):
    examples = tuple(paper(f"Zebra Routing for Sparse Graphs, part {n}",
                           "We propose zebra routing for sparse graphs. Zebra routing helps in "
                           "settings such as recommender systems, e.g. for collaborative filtering.")
                     for n in ("one", "two"))
    tags = tag_papers(bundled_papers + examples).tags
    for item in examples:
        assert "recommender systems" not in tags[item.slug]
        assert "collaborative filtering" not in tags[item.slug]


def test_acronyms_are_expanded_from_the_definitions_papers_give():
    assert acronym_expansion("RL", "we study deep reinforcement learning") == (
        "reinforcement", "learning")
    assert acronym_expansion("MoE", "a sparse mixture of experts") == ("mixture", "of", "experts")
    assert acronym_expansion("GAN", "a generative adversarial network") == (
        "generative", "adversarial", "network")
    assert acronym_expansion("QZR", "we study deep learning") is None


def test_a_papers_own_acronyms_win_and_shared_ones_need_its_agreement(bundled_papers):
    """SGMM here is the generalized method of moments, not a Gaussian mixture;
    DP without a word of privacy is no differential privacy."""
    tagging = tag_papers(bundled_papers + (
        paper("Fast DP for Sequence Alignment", "We propose a DP recursion for sequence alignment "
              "that aligns long genomes quickly."),
        paper("Sequence Alignment Revisited", "Sequence alignment of genomes with a DP recursion."),
    ))
    sgmm = tagging.tags["sgmm-stochastic-approximation-to-generalized-method-of-moments"]
    assert "Gaussian mixture models" not in sgmm and "method of moments" in sgmm
    for slug in ("fast-dp-for-sequence-alignment", "sequence-alignment-revisited"):
        assert "differential privacy" not in tagging.tags[slug]


def test_a_definition_in_other_words_of_the_vocabularys_meaning_reads_as_its_entry():
    known = lexicon()
    own = {"PEFT": "parameter efficient tuning", "RLHF": "reinforcement learning with human feedback",
           "SFT": "shortcut fine tuning", "DP": "dynamic programming"}
    read = vocabulary_readings(own, known.acronyms, known.names)
    assert read["PEFT"] == known.canonical(phrase_key("parameter-efficient fine-tuning"))
    assert read["RLHF"] == known.canonical(phrase_key("reinforcement learning from human feedback"))
    assert read["SFT"] == "shortcut fine tuning" and read["DP"] == "dynamic programming"


def test_variants_of_one_topic_become_one_tag(bundled_papers):
    """Acronym and expansion, singular and plural, hyphens and case: one tag."""
    extra = (
        paper("Quantum Zebra Routers for Sparse Graphs",
              "We introduce quantum zebra routers (QZRs) for sparse graphs."),
        paper("Faster QZR Training", "A QZR trains faster with warm starts on sparse graphs of routers."),
        paper("On the Quantum-Zebra Router", "The quantum-zebra router is studied on sparse graphs."),
        paper("QUANTUM ZEBRA ROUTER Limits", "Lower bounds for the Quantum Zebra Router."),
    )
    tags = tag_papers(bundled_papers + extra).tags
    shown = {tag for item in extra for tag in tags[item.slug] if "zebra" in tag.lower()}
    assert len(shown) == 1 and phrase_key(shown.pop()) == "quantum zebra router"
    assert all(any(phrase_key(tag) == "quantum zebra router" for tag in tags[item.slug]) for item in extra)


# --- the shipped vocabulary and tags.yml ----------------------------------------------------


def test_the_shipped_vocabulary_gives_every_alias_one_meaning():
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    owners: dict[str, set[str]] = {}
    for topic, spec in data["topics"].items():
        names = {topic: spec.get("aliases") or []} | {tag: synonyms or [] for tag, synonyms in (spec.get("tags") or {}).items()}
        for name, synonyms in names.items():
            for alias in [name, *synonyms]:
                owners.setdefault(alias if alias.isupper() else phrase_key(alias), set()).add(name)
    assert {alias: names for alias, names in owners.items() if len(names) > 1} == {}
    assert not set(map(phrase_key, data["generic"])) & {phrase_key(tag) for spec in data["topics"].values()
                                                         for tag in spec.get("tags") or {}}


def test_vocabulary_renames_merges_bans_and_adds(bundled_papers):
    vocabulary = parse_vocabulary(yaml.safe_load("""
        rename: {RL: Reinforcement Learning (RL)}
        merge: {diffusion: [diffusion models, diffusion probabilistic models]}
        ban: [mixture of experts]
        add: {softmax gating: [softmax gating, gating function]}
    """), "tags.yml")
    tags = tag_papers(bundled_papers, vocabulary).tags
    used = usage(tags)
    assert used["Reinforcement Learning (RL)"] >= 5 and "reinforcement learning" not in used
    assert used["diffusion"] >= 5 and "diffusion models" not in used
    assert "mixture of experts" not in used and "MoE" not in used
    gating = [slug for slug, paper_tags in tags.items() if "softmax gating" in paper_tags]
    assert "demystifying-softmax-gating-function-in-gaussian-mixture-of-experts" in gating
    assert all(tags[slug][0] == "softmax gating" for slug in gating)


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


# --- stability: tags.lock ---------------------------------------------------------------------


def test_the_lock_reads_back_what_it_writes_and_names_a_bad_line():
    lock = TagLock("abc", {"b": ("12", ("x", "y z")), "a": ("34", ("w",))}, {"old tag": ("x",)})
    text = format_lock(lock)
    assert parse_lock(text, "tags.lock") == lock
    assert text.index("\ta\t") < text.index("\tb\t")  # sorted: diffs stay small
    with pytest.raises(LockError) as error:
        parse_lock(text + "paper\tonly two\n", "tags.lock")
    assert str(error.value).startswith("tags.lock:7: error: not a tags.lock line: 'paper\\tonly two'")


def test_adding_a_dump_keeps_every_published_tag_and_papers_keep_theirs():
    dumps = bundled_dumps()
    before = tag_papers(build_corpus(dumps[:-1]).papers)
    after = tag_papers(build_corpus(dumps).papers, lock=before.lock)
    live = set(usage(after.tags))
    assert set(usage(before.tags)) <= live | set(after.lock.retired)
    kept = [slug for slug, (digest, _) in before.lock.papers.items()
            if after.lock.papers[slug][0] == digest]
    assert len(kept) > 450
    assert all(after.tags[slug] == before.tags[slug] for slug in kept)


def test_a_retired_tag_points_to_where_its_papers_went():
    dumps = bundled_dumps()
    before = tag_papers(build_corpus(dumps).papers)
    after = tag_papers(build_corpus(dumps[:-1]).papers, lock=before.lock)
    live = set(usage(after.tags))
    gone = set(usage(before.tags)) - live
    assert gone and gone <= set(after.lock.retired)
    assert all(set(targets) <= live for tag, targets in after.lock.retired.items() if tag in gone)
    # A later run still knows them, so their pages stay.
    again = tag_papers(build_corpus(dumps[:-1]).papers, lock=after.lock)
    assert gone <= set(again.lock.retired) and again.tags == after.tags


def test_the_cli_writes_the_lock_and_keeps_retired_tag_urls(tmp_path):
    project = make_project(tmp_path, bundled=True)
    assert generate(project) == 0
    lock = (project / "tags.lock").read_text(encoding="utf-8")
    assert lock.startswith("# tags.lock") and lock.count("\npaper\t") == 689
    old_pages = {page.name for page in (project / "docs" / "tags").glob("*.md")}
    last = sorted((project / "dumps").glob("*.txt"))[-1]
    last.unlink()
    assert generate(project, "--allow-removals") == 0
    pages = {page.name: page for page in (project / "docs" / "tags").glob("*.md")}
    assert old_pages <= set(pages)
    retired = [page for page in pages.values() if "No paper has this tag any more" in page.read_text("utf-8")]
    assert retired
    assert parse_lock((project / "tags.lock").read_text("utf-8"), "tags.lock").retired


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


def test_a_tag_page_counts_its_papers_in_words():
    one, two = paper("One", "a"), paper("Two", "b")
    analysis = Analysis({one.slug: PaperAnalysis(tags=("graphs", "trees")),
                         two.slug: PaperAnalysis(tags=("graphs",))})
    pages = render_tag_pages(Corpus((one, two), ()), analysis)
    assert "<p>1 paper has this tag" in pages["tags/trees.md"]
    assert "<p>2 papers have this tag" in pages["tags/graphs.md"]


def test_the_tags_index_groups_tags_under_their_topics():
    papers = [paper(f"Paper {n}", "a") for n in range(4)]
    tags = {0: ("offline RL", "world models"), 1: ("offline RL", "world models"), 2: ("zebras", "stripes"),
            3: ("zebras", "stripes")}
    analysis = Analysis({item.slug: PaperAnalysis(tags=tags[n]) for n, item in enumerate(papers)},
                        {"offline RL": "reinforcement learning", "world models": "reinforcement learning"})
    index = render_tag_pages(Corpus(tuple(papers), ()), analysis)["tags/index.md"]
    groups = re.findall(r'<h3 id="[^"]*">(.*?) <span.*?</h3>\n\n<p class="paper-tags">(.*?)</p>', index)
    assert [topic for topic, _ in groups] == ["reinforcement learning", "Other tags"]
    assert 'href="offline-rl/">offline RL' in groups[0][1] and 'href="zebras/">zebras' in groups[1][1]
    empty = render_tag_pages(Corpus((), ()), Analysis())["tags/index.md"]
    assert empty.rstrip().endswith("<p>No paper has tags yet.</p>")


def test_a_retired_tag_keeps_a_page_that_points_on():
    one, two = paper("One", "a"), paper("Two", "b")
    analysis = Analysis({item.slug: PaperAnalysis(tags=("graphs", "trees")) for item in (one, two)},
                        retired_tags={"graph <b>": ("graphs", "gone too"), "trees": ("graphs",)})
    pages = render_tag_pages(Corpus((one, two), ()), analysis)
    page = pages["tags/graph-b.md"]
    assert "No paper has this tag any more" in page and "&lt;b&gt;" in page
    assert '<a class="paper-tag" href="../graphs/">graphs</a>' in page and "gone too" not in page
    assert "No paper has this tag" not in pages["tags/trees.md"]  # a live tag keeps its own page


def test_the_benchmark_counts_vocabulary_synonyms_only_in_its_synonyms_column():
    from benchmarks.bench_tags import matches

    known = lexicon()
    assert not matches("test-time scaling", ["inference-time scaling"])
    assert matches("test-time scaling", ["inference-time scaling"], known)
    assert matches("large language models", ["LLMs"], known)
    assert not matches("test-time scaling", ["diffusion models"], known)
