"""Related papers: relevant, explained, deterministic, consistent with backlinks,
and reproduced by the browser model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfTransformer

import gzip
import json

from generator.analysis import PaperAnalysis, analyse, backlinks_of, mutual_count, related_cuts
from generator.config import Config
from generator.corpus import Corpus, Paper, build_corpus, slug_for, title_key
from generator.parse import read_dump
from generator.related import Cuts, RelatedLink, find_related, fit_model, neighbours_of, related_lists
from generator.related.browser import browser_model, similar_to_text
from generator.related.explain import shared_terms
from generator.related.model import Settings
from generator.related.search import nearest_neighbours
from generator.render import render_paper
from generator.text import to_plain
from generator.textlayer import stem

BUNDLED_DUMPS = Path(__file__).resolve().parent.parent / "dumps"

# Pairs from the bundled dumps that any reader would call related: each pair
# shares a narrow topic that few other papers in the dumps touch.
RELATED_PAIRS = [
    # Both are neural estimators of mutual information (MINE and its diffusion successor).
    ("mine-mutual-information-neural-estimation",
     "minde-mutual-information-neural-diffusion-estimation"),
    # Both analyse softmax gating in mixture-of-experts models: convergence of parameter estimation.
    ("demystifying-softmax-gating-function-in-gaussian-mixture-of-experts",
     "a-general-theory-for-softmax-gating-multinomial-logistic-mixture-of-experts"),
    # Both are Schrödinger bridge solvers for generative modelling.
    ("light-schrodinger-bridge", "simplified-diffusion-schrodinger-bridge"),
    # Both train process reward models (PRMs) that score LLM reasoning step by step.
    ("process-reward-model-with-q-value-rankings", "entropy-regularized-process-reward-model"),
    # Both are about Bayesian optimization with Gaussian-process surrogates.
    ("a-tutorial-on-bayesian-optimization", "multi-fidelity-bayesian-optimization-in-engineering-design"),
    # Both are overviews of diffusion models.
    ("an-overview-of-diffusion-models-applications-guided-generation-statistical-rates-and-e5ce97a6",
     "an-overview-of-diffusion-models-for-generative-artificial-intelligence"),
    # Both solve CASH: combined algorithm selection and hyperparameter optimization.
    ("efficient-automatic-cash-via-rising-bandits", "solving-constrained-cash-problems-with-admm"),
    # Both model international trade flows with latent-factor models.
    ("determination-of-latent-dimensionality-in-international-trade-flow",
     "sparse-three-parameter-restricted-indian-buffet-process-for-understanding-international-trade"),
    # Both shrink recommendation systems' embedding tables to save memory.
    ("compositional-embeddings-using-complementary-partitions-for-memory-efficient-eeb036da",
     "mixed-dimension-embeddings-with-application-to-memory-efficient-recommendation-systems"),
    # Both measure how robust image classifiers are to natural distribution shifts.
    ("benchmarking-low-shot-robustness-to-natural-distribution-shifts",
     "effective-robustness-against-natural-distribution-shifts-for-models-with-different-training-data"),
]


def paper(title: str, abstract: str) -> Paper:
    key = title_key(title)
    return Paper(slug=slug_for(key), key=key, title=title, abstract=abstract, sources=())


def papers_of(*pairs: tuple[str, str]) -> tuple[Paper, ...]:
    return tuple(sorted((paper(title, abstract) for title, abstract in pairs),
                        key=lambda p: p.slug))


SMALL = papers_of(
    ("Control variates for Monte Carlo integration",
     "Control variates reduce the variance of Monte Carlo estimators of integrals."),
    ("Sliced Wasserstein estimation with control variates",
     "We estimate the sliced Wasserstein distance by Monte Carlo with control variates."),
    ("Bayesian optimization with Gaussian processes",
     "Gaussian process surrogates guide Bayesian optimization of expensive black-box functions."),
    ("Multi-fidelity Bayesian optimization",
     "Cheap low-fidelity evaluations speed up Bayesian optimization of expensive functions."),
    ("Graph neural networks for molecules",
     "Message passing graph neural networks predict molecular properties."),
    # The same text twice: a perfect tie with the one above, broken by slug.
    ("Graph neural networks for molecules, again",
     "Message passing graph neural networks predict molecular properties."),
)


@pytest.fixture(scope="module")
def bundled_papers() -> tuple[Paper, ...]:
    return build_corpus([read_dump(path) for path in sorted(BUNDLED_DUMPS.glob("*.txt"))]).papers


@pytest.fixture(scope="module")
def bundled_model(bundled_papers):
    return fit_model(bundled_papers)


@pytest.fixture(scope="module")
def bundled_related(bundled_papers, bundled_model):
    return related_lists(bundled_papers, bundled_model)


def top(related, count: int = 1):
    return lambda slug: [link.slug for link in related[slug][:count]]


@pytest.mark.parametrize("first, second", RELATED_PAIRS)
def test_known_related_pairs_link_each_other(bundled_related, first, second):
    assert second in [link.slug for link in bundled_related[first]]
    assert first in [link.slug for link in bundled_related[second]]


def test_known_pairs_are_explained_by_their_topic(bundled_related):
    def terms(first, second):
        return next(link.shared_terms for link in bundled_related[first] if link.slug == second)

    assert {"mutual", "information"} <= set(terms(*RELATED_PAIRS[0]))
    assert {"schrödinger", "bridge"} <= set(terms(*RELATED_PAIRS[2]))
    assert "bayesian" in terms(*RELATED_PAIRS[4])


def test_shared_terms_show_each_stem_once_in_its_commonest_form(bundled_related, bundled_model):
    explained = [link.shared_terms for links in bundled_related.values() for link in links]
    assert all(1 <= len(terms) <= 3 for terms in explained)
    for terms in explained:
        stems = [stem(term) for term in terms]
        assert len(set(stems)) == len(stems)
        assert all(bundled_model.surface[stem(term)] == term for term in terms)
    # "rewards" is less common than "reward" in the bundled papers, so it never shows.
    shown = {term for terms in explained for term in terms}
    assert "reward" in shown and "rewards" not in shown


def test_small_corpus_links_the_papers_on_one_topic():
    related = find_related(SMALL, Cuts(count=1, min_similarity=0.0))
    slugs = {p.title: p.slug for p in SMALL}
    assert related[slugs["Control variates for Monte Carlo integration"]][0].slug == (
        slugs["Sliced Wasserstein estimation with control variates"])
    assert related[slugs["Multi-fidelity Bayesian optimization"]][0].slug == (
        slugs["Bayesian optimization with Gaussian processes"])


def test_shared_terms_are_the_topic_not_boilerplate():
    related = find_related(SMALL, Cuts(count=1, min_similarity=0.0))
    link = related[slug_for(title_key("Sliced Wasserstein estimation with control variates"))][0]
    assert {"control", "variates"} <= set(link.shared_terms)
    assert 1 <= len(link.shared_terms) <= 3


def test_ties_go_to_the_lower_slug_and_nothing_links_itself():
    related = find_related(SMALL, Cuts(count=5, min_similarity=0.0, min_count=5))
    twins = sorted(p.slug for p in SMALL if p.title.startswith("Graph neural"))
    for slug, links in related.items():
        assert slug not in [link.slug for link in links]
        keys = [(-link.similarity, link.slug) for link in links]
        assert keys == sorted(keys)
    assert related[twins[0]][0].slug == twins[1]
    assert related[twins[1]][0].slug == twins[0]
    assert related[twins[0]][0].similarity == pytest.approx(1.0, abs=0.01)


def test_scores_are_shown_rounded_to_two_decimals(bundled_related):
    scores = [link.similarity for links in bundled_related.values() for link in links]
    assert all(score == round(score, 2) for score in scores)


@pytest.mark.parametrize("floor", [0.0, 0.25, 0.3])
def test_the_floor_and_count_are_honoured(bundled_papers, bundled_model, floor):
    related = related_lists(bundled_papers, bundled_model, Cuts(count=3, min_similarity=floor))
    assert set(related) == {p.slug for p in bundled_papers}
    links = [link for links in related.values() for link in links]
    assert links and all(link.similarity >= floor for link in links)
    assert max(len(links) for links in related.values()) == 3


def test_isolated_papers_keep_their_best_links_marked_weak(bundled_related):
    counts = [len(links) for links in bundled_related.values()]
    assert min(counts) >= 3 and np.mean(counts) >= 4
    weak = [link for links in bundled_related.values() for link in links if link.weak]
    strong = [link for links in bundled_related.values() for link in links if not link.weak]
    assert weak and max(link.similarity for link in weak) < min(link.similarity for link in strong)
    # A weak link only fills a list up to its first three.
    assert all(not link.weak for links in bundled_related.values() for link in links[3:])


def test_links_past_the_first_reach_a_share_of_the_papers_best(bundled_papers, bundled_model):
    related = related_lists(bundled_papers, bundled_model, Cuts(min_count=1, relative=0.9))
    for links in related.values():
        assert all(link.similarity >= 0.9 * links[0].similarity - 1e-9 for link in links[1:])
    assert any(len(links) < 5 for links in related.values())


def test_shares_above_one_are_refused_by_name():
    from generator.config import config_from_mapping
    from generator.errors import ConfigError

    with pytest.raises(ConfigError, match="'related_weak_quantile': must be at most 1, got 10"):
        config_from_mapping({"extra": {"generator": {"related_weak_quantile": 10}}})
    assert related_cuts(config_from_mapping(
        {"extra": {"generator": {"related_min_count": 2}}})) == Cuts(min_count=2)


def test_zero_count_or_single_paper_gives_no_links():
    assert all(links == () for links in find_related(SMALL, Cuts(count=0)).values())
    assert find_related(SMALL[:1]) == {SMALL[0].slug: ()}


def test_related_lists_are_byte_identical_across_runs(bundled_papers, bundled_related):
    assert repr(find_related(bundled_papers)) == repr(bundled_related)


def test_backlinks_are_exactly_the_inverted_related_lists(bundled_related):
    backlinks = backlinks_of(bundled_related)
    pairs = {(slug, link.slug) for slug, links in bundled_related.items() for link in links}
    assert {(source, target) for target, sources in backlinks.items() for source in sources} == pairs
    assert all(list(sources) == sorted(sources) for sources in backlinks.values())


def test_analysis_counts_mutual_links_and_lists_only_the_other_backlinks(bundled_papers):
    analysis = analyse(Corpus(bundled_papers, ()), Config())
    for p in bundled_papers:
        mine = analysis.of(p.slug)
        listed = {link.slug for link in mine.related}
        assert mine.mutual == sum(p.slug in {back.slug for back in analysis.of(slug).related}
                                  for slug in listed)
        assert set(mine.listed_by_only) == set(mine.backlinks) - listed
        for link in mine.related:
            assert p.slug in analysis.of(link.slug).backlinks
    assert any(analysis.of(p.slug).mutual for p in bundled_papers)


def test_paper_page_marks_weak_links_and_says_how_many_are_mutual():
    one, two, three = (paper(name, name.title()) for name in ("one", "two", "three"))
    papers = {p.slug: p for p in (one, two, three)}
    analysis = PaperAnalysis(
        related=(RelatedLink("two", 0.31, ("graph",)), RelatedLink("three", 0.2, ("graph",), weak=True)),
        backlinks=("three",), mutual=1)
    page = render_paper(one, analysis, papers)
    related_part, _, backlinks_part = page.partition("## Listed as related by")
    assert related_part.count('class="related-weak"') == 1
    assert related_part.index('class="related-weak"') > related_part.index('href="../three/"')
    assert "1 is mutual: it lists this paper as related too" in related_part
    # "three" is in Related already: no "Listed as related by" for it alone.
    assert backlinks_part == ""
    assert mutual_count("a", {"a": (RelatedLink("b", 0.5, ()),), "b": (RelatedLink("a", 0.5, ()),)}) == 1


def test_search_with_a_full_budget_is_the_exact_blended_top_k(bundled_papers, bundled_model):
    neighbours, scores = nearest_neighbours(
        bundled_model.tfidf, bundled_model.stored_tfidf, 5, bundled_model.blend,
        pairs_per_paper=10**9, candidates=len(bundled_papers))
    exact = bundled_model.scores_against_all(np.arange(len(bundled_papers)))
    np.fill_diagonal(exact, -np.inf)
    best = np.sort(exact, axis=1)[:, ::-1][:, :5]
    np.testing.assert_allclose(scores, best, atol=1e-9)
    np.testing.assert_allclose(np.take_along_axis(exact, neighbours, axis=1), best, atol=1e-9)


def test_pruned_search_keeps_the_exact_top_k(bundled_papers, bundled_model):
    # A budget of 2,000 pairs per paper leaves the commonest terms, over half
    # of the pairs' work (4,600 per paper), out of candidate generation.
    neighbours, _ = nearest_neighbours(bundled_model.tfidf, bundled_model.stored_tfidf, 5,
                                       bundled_model.blend, pairs_per_paper=2000)
    exact = bundled_model.scores_against_all(np.arange(len(bundled_papers)))
    np.fill_diagonal(exact, -np.inf)
    fifth = np.sort(exact, axis=1)[:, -5:-4]
    recall = np.mean(np.take_along_axis(exact, neighbours, axis=1) >= fifth - 1e-9)
    assert recall >= 0.95


def test_shared_terms_are_the_largest_contributions():
    model = fit_model(SMALL)
    first, second = (i for i, p in enumerate(SMALL) if "control variates" in p.title.lower())
    (explained,) = shared_terms(model, np.array([first]), np.array([second]))
    products = model.tfidf[first].multiply(model.tfidf[second]).toarray().ravel()
    contributions = {model.surface[str(model.terms[column])]: products[column]
                     for column in np.flatnonzero(products)}
    # Equal contributions (equal idf, as in so small a corpus) may show in either order.
    np.testing.assert_allclose([contributions[term] for term in explained],
                               sorted(contributions.values(), reverse=True)[:3])


def test_the_model_is_deterministic(bundled_papers, bundled_model):
    again = fit_model(bundled_papers)
    assert np.array_equal(again.stored_lsa, bundled_model.stored_lsa)
    assert np.array_equal(again.projection, bundled_model.projection)


def test_the_browser_model_reproduces_every_related_ranking(bundled_papers, bundled_model):
    exported = json.loads(json.dumps(browser_model(bundled_model, bundled_papers)))
    neighbours, scores = neighbours_of(bundled_model, 5)
    for row, p in enumerate(bundled_papers):
        found = similar_to_text(exported, to_plain(p.abstract), to_plain(p.title), 5, exclude=p.slug)
        assert [slug for slug, _ in found] == [bundled_papers[other].slug for other in neighbours[row]]
        np.testing.assert_allclose([score for _, score in found], scores[row], atol=1e-9)


def test_terms_in_many_papers_weigh_as_the_idf_floor(bundled_model):
    raw = TfidfTransformer(sublinear_tf=True).fit(bundled_model.counts).idf_
    floor = Settings().idf_floor
    common = raw < floor
    assert 10 <= common.sum() <= 100  # "learning", "models", "data"...: a handful
    np.testing.assert_allclose(bundled_model.idf[common], floor)
    np.testing.assert_allclose(bundled_model.idf[~common], raw[~common])


def test_a_lower_idf_power_flattens_the_idf_and_the_browser_follows_it():
    full = fit_model(SMALL, Settings(idf_floor=1.0))
    flat = fit_model(SMALL, Settings(idf_floor=1.0, idf_power=0.5))
    np.testing.assert_allclose(flat.idf, full.idf**0.5)
    exported = json.loads(json.dumps(browser_model(flat, SMALL)))
    neighbours, scores = neighbours_of(flat, 3)
    for row, p in enumerate(SMALL):
        found = similar_to_text(exported, to_plain(p.abstract), to_plain(p.title), 3, exclude=p.slug)
        listed = neighbours[row] >= 0
        assert [slug for slug, _ in found] == [SMALL[other].slug for other in neighbours[row][listed]]
        np.testing.assert_allclose([score for _, score in found], scores[row][listed], atol=1e-9)


def test_the_browser_model_is_small_and_plain_data(bundled_papers, bundled_model):
    exported = browser_model(bundled_model, bundled_papers)
    text = json.dumps(exported, sort_keys=True)
    assert len(gzip.compress(text.encode())) <= 1_000_000
    assert exported["words"]["rewards"] == exported["words"]["reward"]
    assert len(exported["papers"]["slugs"]) == len(bundled_papers)
