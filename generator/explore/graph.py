"""The neighbourhood of a paper as a small static graph: inline SVG, no script.

The paper sits in the middle; the papers it lists as related are on the
right, the papers that list it (and that it does not list) on the left.
Each node is a link to its paper, with the full title as its tooltip; the
labels are cut to fit.
"""

from __future__ import annotations

import html

from generator.analysis import PaperAnalysis
from generator.corpus import Paper
from generator.text import to_plain

WIDTH = 720
ROW = 34
MARGIN = 24
LABEL_CHARACTERS = 34
SHOWN_BACKLINKS = 8
"""At most this many papers that list this one: a hub is listed by dozens."""
RADIUS = {"centre": 9, "node": 6}
CENTRE_X = WIDTH // 2
SIDE_X = {"right": CENTRE_X + 110, "left": CENTRE_X - 110}


def _label(title: str) -> str:
    """A title cut at a word to fit beside its node.

    >>> _label("Neural Networks")
    'Neural Networks'
    >>> _label("An Extremely Long Title About Many Different Things At Once")
    'An Extremely Long Title About Many…'
    """
    if len(title) <= LABEL_CHARACTERS:
        return title
    # One character more, so a word ending right at the limit is kept.
    cut = title[:LABEL_CHARACTERS + 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,:;-") + "…"


def _node(paper: Paper, x: int, y: int, side: str, note: str = "") -> str:
    """One paper's node: a circle and its label, all one link."""
    title = to_plain(paper.title)
    anchor = {"right": "start", "left": "end", "centre": "middle"}[side]
    offset = {"right": 12, "left": -12, "centre": 0}[side]
    label_y = y + 4 if side != "centre" else y - 16
    kind = "centre" if side == "centre" else "node"
    return (
        f'<a href="../{paper.slug}/"><title>{html.escape(title + note)}</title>'
        f'<circle class="nb-{kind}" cx="{x}" cy="{y}" r="{RADIUS[kind]}"/>'
        f'<text x="{x + offset}" y="{label_y}" text-anchor="{anchor}">'
        f"{html.escape(_label(title))}</text></a>"
    )


def _column(slugs: list[str], side: str, height: int) -> list[tuple[str, int, int]]:
    """(slug, x, y) of each paper of one side, spread around the middle row."""
    top = (height - ROW * len(slugs)) // 2 + ROW // 2
    return [(slug, SIDE_X[side], top + ROW * index) for index, slug in enumerate(slugs)]


def neighbourhood_svg(paper: Paper, analysis: PaperAnalysis, papers: dict[str, Paper]) -> str:
    """The graph of ``paper``, its related papers and those listing it; "" if alone."""
    related = [link.slug for link in analysis.related]
    listing = [slug for slug in analysis.backlinks if slug not in related]
    hidden = max(0, len(listing) - SHOWN_BACKLINKS)
    listing = listing[:SHOWN_BACKLINKS]
    if not related and not listing:
        return ""
    height = ROW * max(len(related), len(listing) + bool(hidden), 2) + 2 * MARGIN
    middle = height // 2
    mutual = set(analysis.backlinks)
    scores = {link.slug: link.similarity for link in analysis.related}
    edges, nodes = [], []
    for side, slugs in (("right", related), ("left", listing)):
        for slug, x, y in _column(slugs, side, height):
            both = slug in mutual and side == "right"
            edges.append(f'<line class="nb-edge{" nb-mutual" if both else ""}" '
                         f'x1="{CENTRE_X}" y1="{middle}" x2="{x}" y2="{y}"/>')
            note = f" (similarity {scores[slug]:.2f})" if side == "right" else " (lists this paper)"
            nodes.append(_node(papers[slug], x, y, side, note))
    if hidden:
        nodes.append(f'<text class="nb-more" x="{SIDE_X["left"]}" y="{height - MARGIN}" '
                     f'text-anchor="end">and {hidden} more (listed below)</text>')
    nodes.append(_node(paper, CENTRE_X, middle, "centre"))
    return (
        f'<svg class="neighbourhood" viewBox="0 0 {WIDTH} {height}" role="group" '
        f'aria-label="This paper, the papers it is related to (right) and the papers '
        f'that list it (left)">'
        + "".join(edges) + "".join(nodes) + "</svg>"
    )


def neighbourhood_html(paper: Paper, analysis: PaperAnalysis, papers: dict[str, Paper]) -> str:
    """The paper page's "Neighbourhood" section and its "Show on the map" link."""
    svg = neighbourhood_svg(paper, analysis, papers)
    graph = f'<div class="neighbourhood-graph" data-search-exclude>{svg}</div>\n\n' if svg else ""
    return (
        "## Neighbourhood\n\n" + graph
        + f'<p class="map-link" data-search-exclude><a href="../../map/?paper={paper.slug}">'
        "Show on the map</a></p>\n"
    )
