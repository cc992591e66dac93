"""The JSON API: the library as data for other tools.

``api/papers.json`` holds every paper (text as plain text, never HTML) with
its topic, tags, related papers and the dumps that listed it;
``api/tags.json`` every tag with its papers. Both carry ``version``, raised
whenever a field changes meaning or goes, and follow the JSON Schemas in
``schemas/``. Paths are relative to the site's root.
"""

from __future__ import annotations

import json

from generator.analysis import Analysis, PaperAnalysis
from generator.corpus import Corpus, Paper
from generator.text import to_plain

API_VERSION = 1
PAPERS_FILE = "api/papers.json"
TAGS_FILE = "api/tags.json"
PAPERS_URL = "papers/"
TAGS_URL = "tags/"


def paper_record(paper: Paper, analysis: PaperAnalysis) -> dict:
    return {
        "slug": paper.slug,
        "url": f"{PAPERS_URL}{paper.slug}/",
        "title": to_plain(paper.title),
        "abstract": to_plain(paper.abstract),
        "authors": list(paper.authors),
        "topic": analysis.topic,
        "tags": list(analysis.tags),
        "related": [
            {"slug": link.slug, "similarity": link.similarity,
             "shared_terms": list(link.shared_terms), "weak": link.weak}
            for link in analysis.related
        ],
        "listed_as_related_by": list(analysis.backlinks),
        "listings": [{"dump": source.dump, "date": source.date} for source in paper.sources],
    }


def papers_document(corpus: Corpus, analysis: Analysis) -> dict:
    return {
        "version": API_VERSION,
        "papers": [paper_record(paper, analysis.of(paper.slug)) for paper in corpus.papers],
    }


def tags_document(tagged: dict[str, tuple[str, list[Paper]]], analysis: Analysis) -> dict:
    """``tagged``: tag slug -> (tag name, its papers), as the tag pages have them."""
    return {
        "version": API_VERSION,
        "tags": [
            {"name": tag, "slug": slug, "url": f"{TAGS_URL}{slug}/",
             "topic": analysis.tag_topics.get(tag), "papers": [paper.slug for paper in papers]}
            for slug, (tag, papers) in sorted(tagged.items())
        ],
    }


def json_text(document: dict) -> str:
    """Compact, UTF-8 (not \\u escapes) and in a fixed order: same data, same bytes."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def api_files(corpus: Corpus, analysis: Analysis,
              tagged: dict[str, tuple[str, list[Paper]]]) -> dict[str, str]:
    return {
        PAPERS_FILE: json_text(papers_document(corpus, analysis)),
        TAGS_FILE: json_text(tags_document(tagged, analysis)),
    }
