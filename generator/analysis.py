"""Analysis of the corpus: related papers, their backlinks, and topic tags."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from generator.config import Config
from generator.corpus import Corpus
from generator.related import RelatedLink, find_related
from generator.tags import Vocabulary, derive_tags


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


@dataclass(frozen=True)
class Analysis:
    papers: dict[str, PaperAnalysis] = field(default_factory=dict)
    tag_topics: dict[str, str] = field(default_factory=dict)
    """Tag name -> the name of the broad topic it belongs under."""

    def of(self, slug: str) -> PaperAnalysis:
        return self.papers.get(slug, PaperAnalysis())


def backlinks_of(related: dict[str, tuple[RelatedLink, ...]]) -> dict[str, tuple[str, ...]]:
    """Invert the related lists: who lists each paper as related."""
    listed_by = defaultdict(list)
    for slug in sorted(related):
        for link in related[slug]:
            listed_by[link.slug].append(slug)
    return {slug: tuple(sources) for slug, sources in listed_by.items()}


def analyse(corpus: Corpus, config: Config, vocabulary: Vocabulary = Vocabulary()) -> Analysis:
    related = find_related(
        corpus.papers, config.related_count, config.related_min_similarity
    )
    backlinks = backlinks_of(related)
    tags = derive_tags(corpus.papers, vocabulary)
    return Analysis(
        {
            paper.slug: PaperAnalysis(
                tags=tags[paper.slug],
                related=related.get(paper.slug, ()),
                backlinks=backlinks.get(paper.slug, ()),
            )
            for paper in corpus.papers
        }
    )
