"""The find-similar model file: the related-papers model as the browser
holds it (``generator.related.browser``, whose docstring gives the format
and the scoring), plus the titles the page shows with its results.

``docs/assets/similar.js`` scores pasted text step for step as
``generator.related.browser.similar_to_text`` does; the tests hold both to
the generator's related lists.
"""

from __future__ import annotations

from generator.analysis import Analysis
from generator.corpus import Corpus
from generator.related.browser import browser_model
from generator.text import to_plain

MODEL_FILE = "similar/model.json"


def similar_model(corpus: Corpus, analysis: Analysis) -> dict | None:
    """The model as plain data for JSON; None when the papers share no term."""
    if analysis.related_model is None:
        return None
    return {
        **browser_model(analysis.related_model, corpus.papers),
        "titles": [to_plain(paper.title) for paper in corpus.papers],
    }
