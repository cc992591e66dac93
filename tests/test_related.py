"""Related papers: relevant, explained, deterministic, and consistent with backlinks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator.analysis import analyse, backlinks_of
from generator.config import Config
from generator.corpus import Paper, build_corpus, slug_for, title_key
from generator.parse import read_dump
from generator.related import find_related, nearest_neighbours, shared_terms, tfidf_matrix

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
def bundled_related(bundled_papers):
    return find_related(bundled_papers, 5, 0.08)


@pytest.mark.parametrize("first, second", RELATED_PAIRS)
def test_known_related_pairs_link_each_other(bundled_related, first, second):
    assert second in [link.slug for link in bundled_related[first]]
    assert first in [link.slug for link in bundled_related[second]]


def test_known_pairs_are_explained_by_their_topic(bundled_related):
    def terms(first, second):
        return next(link.shared_terms for link in bundled_related[first] if link.slug == second)

    assert "mutual information" in terms(*RELATED_PAIRS[0])
    assert "schrödinger bridge" in terms(*RELATED_PAIRS[2])
    assert "bayesian optimization" in terms(*RELATED_PAIRS[4])


def test_small_corpus_links_the_papers_on_one_topic():
    related = find_related(SMALL, 1, 0.0)
    slugs = {p.title: p.slug for p in SMALL}
    assert related[slugs["Control variates for Monte Carlo integration"]][0].slug == (
        slugs["Sliced Wasserstein estimation with control variates"])
    assert related[slugs["Multi-fidelity Bayesian optimization"]][0].slug == (
        slugs["Bayesian optimization with Gaussian processes"])


def test_shared_terms_are_the_topic_not_boilerplate():
    related = find_related(SMALL, 1, 0.0)
    link = related[slug_for(title_key("Sliced Wasserstein estimation with control variates"))][0]
    assert link.shared_terms[0] == "control variates"
    assert 1 <= len(link.shared_terms) <= 3
    # A phrase stands in for its own words: never "control variates, control".
    assert "control" not in link.shared_terms and "variates" not in link.shared_terms


def test_ties_go_to_the_lower_slug_and_nothing_links_itself():
    related = find_related(SMALL, 5, 0.0)
    twins = sorted(p.slug for p in SMALL if p.title.startswith("Graph neural"))
    for slug, links in related.items():
        assert slug not in [link.slug for link in links]
        keys = [(-link.similarity, link.slug) for link in links]
        assert keys == sorted(keys)
    assert related[twins[0]][0].slug == twins[1]
    assert related[twins[1]][0].slug == twins[0]
    assert related[twins[0]][0].similarity == pytest.approx(1.0)


@pytest.mark.parametrize("threshold", [0.0, 0.08, 0.2, 0.3])
def test_threshold_and_count_are_honoured(bundled_papers, threshold):
    related = find_related(bundled_papers, 3, threshold)
    assert set(related) == {p.slug for p in bundled_papers}
    links = [link for links in related.values() for link in links]
    assert links and all(link.similarity >= threshold for link in links)
    assert max(len(links) for links in related.values()) == 3


def test_zero_count_or_single_paper_gives_no_links():
    assert all(links == () for links in find_related(SMALL, 0, 0.0).values())
    assert find_related(SMALL[:1], 5, 0.0) == {SMALL[0].slug: ()}


def test_related_lists_are_byte_identical_across_runs(bundled_papers, bundled_related):
    assert repr(find_related(bundled_papers, 5, 0.08)) == repr(bundled_related)


def test_backlinks_are_exactly_the_inverted_related_lists(bundled_papers, bundled_related):
    backlinks = backlinks_of(bundled_related)
    pairs = {(slug, link.slug) for slug, links in bundled_related.items() for link in links}
    assert {(source, target) for target, sources in backlinks.items() for source in sources} == pairs
    assert all(list(sources) == sorted(sources) for sources in backlinks.values())


def test_analysis_carries_related_and_backlinks_per_paper(bundled_papers):
    from generator.corpus import Corpus

    analysis = analyse(Corpus(bundled_papers, ()), Config())
    for p in bundled_papers:
        for link in analysis.of(p.slug).related:
            assert p.slug in analysis.of(link.slug).backlinks


@pytest.fixture(scope="module")
def bundled_matrix(bundled_papers):
    return tfidf_matrix(bundled_papers)[0]


def exact_top(matrix, count: int) -> np.ndarray:
    exact = (matrix @ matrix.T).toarray()  # fine for a test's 689 papers
    np.fill_diagonal(exact, -np.inf)
    return exact, np.sort(exact, axis=1)[:, ::-1][:, :count]


def test_search_with_a_full_budget_is_exact_cosine_top_k(bundled_matrix):
    neighbours, scores = nearest_neighbours(bundled_matrix, 5, pairs_per_paper=10**9)
    exact, best = exact_top(bundled_matrix, 5)
    np.testing.assert_allclose(scores, best, atol=1e-5)
    np.testing.assert_allclose(np.take_along_axis(exact, neighbours, axis=1), best, atol=1e-5)


def test_pruned_search_keeps_the_exact_top_k(bundled_matrix):
    # A budget of 800 pairs per paper leaves the commonest terms, about 2/3 of
    # the pairs' work, out of candidate generation.
    neighbours, scores = nearest_neighbours(bundled_matrix, 5, pairs_per_paper=800)
    exact, best = exact_top(bundled_matrix, 5)
    found = np.take_along_axis(exact, neighbours, axis=1)
    np.testing.assert_allclose(np.where(neighbours >= 0, scores, 0), np.where(neighbours >= 0, found, 0), atol=1e-5)
    recall = np.mean(found >= best[:, -1:] - 1e-6)
    assert recall >= 0.95


def test_shared_terms_are_the_largest_contributions():
    matrix, terms = tfidf_matrix(SMALL)
    first, second = (i for i, p in enumerate(SMALL) if "control variates" in p.title.lower())
    (explained,) = shared_terms(matrix, terms, np.array([first]), np.array([second]))
    products = matrix[first].multiply(matrix[second]).toarray().ravel()
    contributions = {str(terms[column]): products[column] for column in np.flatnonzero(products)}
    largest = max(contributions, key=contributions.get)
    # The largest contribution comes first, or the phrase that holds its words.
    assert set(largest.split()) <= set(explained[0].split())
    assert all(term in contributions for term in explained)
