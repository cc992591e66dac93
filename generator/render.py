"""Render the corpus and its analysis as Markdown pages (pure: no I/O).

Every piece of dump text goes through ``text.to_html`` into a raw HTML block
that this module writes. Python-Markdown leaves raw HTML blocks alone, so no
dump text can become Markdown formatting, and HTML-escaping keeps it from
becoming markup. Front matter goes through ``yaml.safe_dump``; its ``title``
is HTML-escaped too, because MkDocs themes print ``page.meta.title`` raw.
"""

from __future__ import annotations

import html
import re

import yaml

from generator.analysis import Analysis, PaperAnalysis
from generator.corpus import Corpus, Paper
from generator.related import RelatedLink
from generator.text import to_html, to_plain

PAPERS_DIR = "papers"
TAGS_DIR = "tags"


def tag_slug(tag: str) -> str:
    """The URL name of a tag.

    >>> tag_slug("Large Language Models")
    'large-language-models'
    """
    return "-".join(re.findall(r"[a-z0-9]+", tag.lower())) or "tag"


# libyaml's emitter is ~20x faster than PyYAML's pure-Python one, which
# otherwise dominates rendering; both emit safe YAML.
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(meta: dict) -> str:
    dumped = yaml.dump(
        meta, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False, width=10_000
    )
    return f"---\n{dumped}---\n\n"


def page_title(paper: Paper) -> str:
    return html.escape(to_plain(paper.title), quote=False)


def paper_link(paper: Paper, prefix: str) -> str:
    return f'<a href="{prefix}{paper.slug}/">{to_html(paper.title)}</a>'


def _sources_html(paper: Paper) -> str:
    listed = ", ".join(
        html.escape(source.dump) + (f" ({html.escape(source.date)})" if source.date else "")
        for source in paper.sources
    )
    return f'<p class="paper-sources">Listed in {listed}</p>'


def _tags_html(tags: tuple[str, ...]) -> str:
    if not tags:
        return ""
    links = " ".join(
        f'<a class="paper-tag" href="../../{TAGS_DIR}/{tag_slug(tag)}/">{html.escape(tag)}</a>'
        for tag in tags
    )
    return f'<p class="paper-tags">{links}</p>\n\n'


def _related_item(link: RelatedLink, papers: dict[str, Paper]) -> str:
    shared = html.escape(", ".join(link.shared_terms))
    reason = f' <span class="related-terms">shared: {shared}</span>' if shared else ""
    return (
        f"<li>{paper_link(papers[link.slug], '../')}"
        f' <span class="related-score" title="TF-IDF cosine similarity">'
        f'<meter min="0" max="1" value="{link.similarity:.3f}"></meter> {link.similarity:.2f}</span>'
        f"{reason}</li>"
    )


def _related_html(analysis: PaperAnalysis, papers: dict[str, Paper]) -> str:
    parts = []
    if analysis.related:
        items = "\n".join(_related_item(link, papers) for link in analysis.related)
        parts.append(f'## Related papers\n\n<ul class="related">\n{items}\n</ul>\n')
    if analysis.backlinks:
        items = "\n".join(
            f"<li>{paper_link(papers[slug], '../')}</li>" for slug in analysis.backlinks
        )
        parts.append(f'## Listed as related by\n\n<ul class="backlinks">\n{items}\n</ul>\n')
    return "\n".join(parts)


def render_paper(paper: Paper, analysis: PaperAnalysis, papers: dict[str, Paper]) -> str:
    meta = {
        "title": page_title(paper),
        "abstract": to_plain(paper.abstract),
        "tags": list(analysis.tags),
        "related": [link.slug for link in analysis.related],
        "sources": [source.dump for source in paper.sources],
        # Papers are not in the navigation, so its sidebar would stand empty.
        "hide": ["navigation"],
    }
    body = (
        f'<h1 class="paper-title">{to_html(paper.title)}</h1>\n\n'
        + _tags_html(analysis.tags)
        + f'<div class="paper-abstract"><p>{to_html(paper.abstract)}</p></div>\n\n'
        + _sources_html(paper)
        + "\n\n"
        + _related_html(analysis, papers)
    )
    return front_matter(meta) + body


def render_paper_list(corpus: Corpus) -> str:
    items = "\n".join(f"<li>{paper_link(paper, '')}</li>" for paper in corpus.papers)
    count = len(corpus.papers)
    return (
        front_matter({"title": "All papers"})
        + f"# All papers\n\n{count} papers, in order of their addresses.\n\n"
        + f'<ul class="paper-list">\n{items}\n</ul>\n'
    )


def _most_connected(corpus: Corpus, analysis: Analysis, count: int = 10) -> list[Paper]:
    return sorted(
        corpus.papers, key=lambda paper: (-len(analysis.of(paper.slug).backlinks), paper.slug)
    )[:count]


def render_home(corpus: Corpus, analysis: Analysis) -> str:
    dumps = "\n".join(
        f"<tr><td>{html.escape(dump.name)}</td><td>{html.escape(dump.date or '–')}</td>"
        f"<td>{dump.entries}</td></tr>"
        for dump in corpus.dumps
    )
    hubs = "\n".join(
        f"<li>{paper_link(paper, PAPERS_DIR + '/')}</li>"
        for paper in _most_connected(corpus, analysis)
    )
    return (
        front_matter({"title": "Home"})
        + "# Research paper library\n\n"
        + f"A browsable, searchable library of **{len(corpus.papers)} machine-learning papers** "
        + f"collected from **{len(corpus.dumps)} listing dumps** "
        + f"({corpus.duplicates_merged} repeated listings merged). "
        + "Each paper has its abstract, its topic tags and the papers most similar to it.\n\n"
        + "## Start browsing\n\n"
        + "- **Search:** press ++s++ or ++slash++, or click the search box, and type a topic "
        + "word or part of a title.\n"
        + f"- **[All papers]({PAPERS_DIR}/index.md)**: every paper, one line each.\n\n"
        + "## Most connected papers\n\nThe papers most often listed as related to others: "
        + f'good starting points.\n\n<ul class="paper-list">\n{hubs}\n</ul>\n\n'
        + "## Dumps\n\n<table>\n<thead><tr><th>Dump</th><th>Date</th><th>Listings</th></tr></thead>\n"
        + f"<tbody>\n{dumps}\n</tbody>\n</table>\n"
    )


def render_site(corpus: Corpus, analysis: Analysis) -> dict[str, str]:
    """Every generated page, keyed by its path under ``docs/``."""
    by_slug = {paper.slug: paper for paper in corpus.papers}
    pages = {
        "index.md": render_home(corpus, analysis),
        f"{PAPERS_DIR}/index.md": render_paper_list(corpus),
    }
    for paper in corpus.papers:
        pages[f"{PAPERS_DIR}/{paper.slug}.md"] = render_paper(
            paper, analysis.of(paper.slug), by_slug
        )
    return pages
