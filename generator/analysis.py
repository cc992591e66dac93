"""Analysis of the corpus: related papers, their backlinks, and topic tags."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from generator.config import Config
from generator.corpus import Corpus
from generator.related import RelatedLink, find_related
from generator.tags import TagLock, Vocabulary, tag_papers


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
    retired_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Tags no paper has any more -> the tags their papers went to."""
    tag_lock: TagLock = field(default_factory=TagLock)
    """The record of published tags, to write back to tags.lock."""

    def of(self, slug: str) -> PaperAnalysis:
        return self.papers.get(slug, PaperAnalysis())


def backlinks_of(related: dict[str, tuple[RelatedLink, ...]]) -> dict[str, tuple[str, ...]]:
    """Invert the related lists: who lists each paper as related."""
    listed_by = defaultdict(list)
    for slug in sorted(related):
        for link in related[slug]:
            listed_by[link.slug].append(slug)
    return {slug: tuple(sources) for slug, sources in listed_by.items()}


def analyse(corpus: Corpus, config: Config, vocabulary: Vocabulary = Vocabulary(),
            tag_lock: TagLock = TagLock()) -> Analysis:
    related = find_related(
        corpus.papers, config.related_count, config.related_min_similarity
    )
    backlinks = backlinks_of(related)
    tagging = tag_papers(corpus.papers, vocabulary, tag_lock)
    return Analysis(
        {
            paper.slug: PaperAnalysis(
                tags=tagging.tags[paper.slug],
                related=related.get(paper.slug, ()),
                backlinks=backlinks.get(paper.slug, ()),
                topic=tagging.topics[paper.slug],
            )
            for paper in corpus.papers
        },
        tagging.tag_topics,
        tagging.lock.retired,
        tagging.lock,
    )
