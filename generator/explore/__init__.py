"""Ways to explore the library beyond lists: a map of all papers, a
neighbourhood graph on each paper page, find-similar for pasted text, and
the JSON API (``pages``, ``graph``, ``similar``, ``api``; ``layout`` places
the papers on the map)."""

from generator.explore.graph import neighbourhood_html
from generator.explore.pages import explore_pages

__all__ = ["explore_pages", "neighbourhood_html"]
