"""The map and find-similar pages, and the data their scripts load.

The pages are plain Markdown with one raw HTML block each; the scripts
(``docs/assets/map.js``, ``docs/assets/similar.js``) find their block by id
and load their data from beside the page, so nothing is fetched from
elsewhere and no page but these loads it.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import yaml

from generator.analysis import Analysis
from generator.corpus import Corpus
from generator.explore.api import API_VERSION, api_files, json_text
from generator.explore.layout import GRID, map_layout
from generator.explore.similar import MODEL_FILE, similar_model
from generator.related.browser import paper_lsa
from generator.text import to_plain

MAP_PAGE = "map/index.md"
MAP_DATA = "map/data.json"
SIMILAR_PAGE = "similar/index.md"
COLOURED_TOPICS = 16
"""Topics with a colour of their own (and a name on the map); the rest are grey."""
LABEL_SAMPLE = 800
LABEL_REACH = 0.06
"""A topic's name goes where most of its papers lie within this share of the map."""


def _front_matter(title: str) -> str:
    return "---\n" + yaml.safe_dump({"title": title, "hide": ["navigation", "toc"]}) + "---\n\n"


def map_topics(corpus: Corpus, analysis: Analysis) -> list[str | None]:
    """Each paper's topic, or where it has none its most used tag (the
    first of equals): a broad tag colours a cluster, a rare one a dot."""
    tags = [analysis.of(paper.slug).tags for paper in corpus.papers]
    use = Counter(tag for paper_tags in tags for tag in paper_tags)
    return [
        analysis.of(paper.slug).topic or max(paper_tags, key=use.__getitem__, default=None)
        for paper, paper_tags in zip(corpus.papers, tags)
    ]


def coloured_topics(topics: list[str | None]) -> list[str]:
    """The most common topics, most papers first (then by name)."""
    counts = Counter(topic for topic in topics if topic)
    return [topic for topic, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            ][:COLOURED_TOPICS]


def topic_labels(points: np.ndarray, topic_index: np.ndarray, count: int) -> list[list[int]]:
    """[topic, x, y] for each coloured topic, at the point of that topic with
    the most of the topic's points around it: in its main cluster, even when
    its papers are spread over the map."""
    labels = []
    for topic in range(count):
        own = points[topic_index == topic].astype(np.float64)
        own = own[:: max(1, len(own) // LABEL_SAMPLE)]  # a few thousand at 20k papers
        if len(own):
            near = (np.hypot(*(own[:, None, :] - own[None, :, :]).transpose(2, 0, 1))
                    < LABEL_REACH * GRID).sum(axis=1)
            x, y = own[int(np.argmax(near))]
            labels.append([topic, int(x), int(y)])
    return labels


def map_data(corpus: Corpus, analysis: Analysis) -> dict:
    """Every paper's point, topic, slug and title, column by column (smaller gzipped)."""
    model = analysis.related_model
    points = map_layout(paper_lsa(model) if model else None, len(corpus.papers))
    topics = map_topics(corpus, analysis)
    named = coloured_topics(topics)
    index_of = {topic: index for index, topic in enumerate(named)}
    topic_index = np.array([index_of.get(topic, -1) for topic in topics], dtype=np.int64)
    return {
        "version": API_VERSION,
        "topics": named,
        "labels": topic_labels(points, topic_index, len(named)),
        "x": points[:, 0].tolist(),
        "y": points[:, 1].tolist(),
        "topic": topic_index.tolist(),
        "slug": [paper.slug for paper in corpus.papers],
        "title": [to_plain(paper.title) for paper in corpus.papers],
    }


def render_map_page(count: int) -> str:
    return (
        _front_matter("Map")
        + "# Map of the library\n\n"
        + f"All {count} papers, each placed near the papers most like it and coloured by topic. "
        + "Point at a paper to see its title and click it to open it. Drag to move, and zoom "
        + "with the mouse wheel, a pinch, or the buttons. With the map focused, the arrow keys "
        + "move it, <kbd>+</kbd> and <kbd>-</kbd> zoom and <kbd>0</kbd> shows it all again.\n\n"
        + '<div class="paper-map" id="paper-map" data-points="data.json" data-papers="../papers/">'
        + '<div class="paper-map-tools">'
        + '<button type="button" class="md-button" data-zoom="in" aria-label="Zoom in">+</button>'
        + '<button type="button" class="md-button" data-zoom="out" aria-label="Zoom out">&minus;</button>'
        + '<button type="button" class="md-button" data-zoom="reset">Show all</button>'
        + '<span class="paper-map-status" role="status">Loading the map…</span></div>'
        + '<canvas tabindex="0" role="img" aria-label="Map of the papers, coloured by topic"></canvas>'
        + '<p class="paper-map-tip" hidden></p>'
        + '<ul class="paper-map-legend"></ul>'
        + "</div>\n"
    )


def render_similar_page(count: int, with_model: bool) -> str:
    return (
        _front_matter("Find similar")
        + "# Find similar papers\n\n"
        + "Paste a title, an abstract or both (your own draft, say): the 10 papers of the "
        + f"library's {count} most like it appear below, with the terms they share with it. "
        + "**Nothing you type leaves your browser**: the comparison runs on this page, with "
        + "a model it loads once.\n\n"
        + '<div class="find-similar" id="find-similar" data-papers="../papers/"'
        + (' data-model="model.json">' if with_model else ">")
        + '<label for="similar-title">Title</label>'
        + '<input id="similar-title" type="text" autocomplete="off" spellcheck="false">'
        + '<label for="similar-text">Abstract or draft</label>'
        + '<textarea id="similar-text" rows="8" spellcheck="false"></textarea>'
        + '<p><button type="button" class="md-button md-button--primary">Find similar papers</button> '
        + '<span class="find-similar-status" role="status">Loading the model…</span></p>'
        + '<ol class="find-similar-results"></ol>'
        + "</div>\n"
    )


def explore_pages(corpus: Corpus, analysis: Analysis, tagged: dict) -> dict[str, str]:
    """The map and find-similar pages, their data, and the JSON API, keyed by
    path under ``docs/``; ``tagged`` as ``render.tagged_papers`` gives it."""
    count = len(corpus.papers)
    model = similar_model(corpus, analysis)
    files = {
        MAP_PAGE: render_map_page(count),
        MAP_DATA: json_text(map_data(corpus, analysis)),
        SIMILAR_PAGE: render_similar_page(count, with_model=model is not None),
        **api_files(corpus, analysis, tagged),
    }
    if model is not None:
        files[MODEL_FILE] = json_text(model)
    return files
