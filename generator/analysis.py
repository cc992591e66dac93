"""Analysis of the corpus: related papers, their backlinks, and topic tags."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from generator.config import Config
from generator.corpus import Corpus, Paper
from generator.related import Cuts, RelatedLink, fit_model, neighbours_of, related_lists
from generator.related.lock import RelatedLock, stable_lists
from generator.related.model import Model
from generator.tags import TagLock, Vocabulary, tag_papers
from generator.tags.assign import NEIGHBOURS_READ


@dataclass(frozen=True)
class PaperAnalysis:
    """What the analysis says of one paper."""

    tags: tuple[str, ...] = ()
    related: tuple[RelatedLink, ...] = ()
    backlinks: tuple[str, ...] = ()
    """Slugs of the papers whose related list holds this one."""
    topic: str | None = None
    """The paper's broad topic (a parent of its tags), if any."""
    mutual: int = 0
    """How many papers of ``related`` also list this paper as related."""

    @property
    def listed_by_only(self) -> tuple[str, ...]:
        """The backlinks not already in ``related``: what "Listed as related by" adds."""
        listed = {link.slug for link in self.related}
        return tuple(slug for slug in self.backlinks if slug not in listed)


@dataclass(frozen=True)
class Analysis:
    papers: dict[str, PaperAnalysis] = field(default_factory=dict)
    tag_topics: dict[str, str] = field(default_factory=dict)
    """Tag name -> the name of the broad topic it belongs under."""
    related_model: Model | None = None
    """The fitted similarity model (for ``generator.related.browser``); None
    when no two papers share a term."""
    retired_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Tags no paper has any more -> the tags their papers went to."""
    tag_lock: TagLock = field(default_factory=TagLock)
    """The record of published tags, to write back to tags.lock."""
    related_lock: RelatedLock = field(default_factory=RelatedLock)
    """The record of published related lists, to write back to related.lock."""

    def of(self, slug: str) -> PaperAnalysis:
        return self.papers.get(slug, PaperAnalysis())


def backlinks_of(related: dict[str, tuple[RelatedLink, ...]]) -> dict[str, tuple[str, ...]]:
    """Invert the related lists: who lists each paper as related."""
    listed_by = defaultdict(list)
    for slug in sorted(related):
        for link in related[slug]:
            listed_by[link.slug].append(slug)
    return {slug: tuple(sources) for slug, sources in listed_by.items()}


def mutual_count(slug: str, related: dict[str, tuple[RelatedLink, ...]]) -> int:
    """How many of ``slug``'s related papers list it in turn."""
    return sum(any(back.slug == slug for back in related.get(link.slug, ())) for link in related[slug])


def nearest_papers(papers: tuple[Paper, ...], model: Model | None) -> dict[str, tuple[str, ...]]:
    """Each paper's NEIGHBOURS_READ most similar papers, as tagging borrows
    from them: straight from the model, whatever the related lists' cuts,
    settings and lock."""
    if model is None or len(papers) < 2:
        return {}
    neighbours, _ = neighbours_of(model, min(NEIGHBOURS_READ, len(papers) - 1))
    return {paper.slug: tuple(papers[other].slug for other in row) for paper, row in zip(papers, neighbours.tolist())}


def related_cuts(config: Config) -> Cuts:
    return Cuts(count=config.related_count, min_similarity=config.related_min_similarity,
                min_count=config.related_min_count, relative=config.related_relative,
                weak_quantile=config.related_weak_quantile)


def analyse(corpus: Corpus, config: Config, vocabulary: Vocabulary = Vocabulary(),
            tag_lock: TagLock = TagLock(), related_lock: RelatedLock = RelatedLock()) -> Analysis:
    model = fit_model(corpus.papers)
    cuts = related_cuts(config)
    related, related_lock = stable_lists(
        corpus.papers, related_lists(corpus.papers, model, cuts), model, cuts, related_lock)
    backlinks = backlinks_of(related)
    tagging = tag_papers(corpus.papers, vocabulary, tag_lock, nearest_papers(corpus.papers, model))
    return Analysis(
        {
            paper.slug: PaperAnalysis(
                tags=tagging.tags[paper.slug],
                related=related.get(paper.slug, ()),
                backlinks=backlinks.get(paper.slug, ()),
                topic=tagging.topics[paper.slug],
                mutual=mutual_count(paper.slug, related),
            )
            for paper in corpus.papers
        },
        tag_topics=tagging.tag_topics,
        retired_tags=tagging.lock.retired,
        tag_lock=tagging.lock,
        related_lock=related_lock,
        related_model=model,
    )
