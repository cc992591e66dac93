"""Render the corpus and its analysis as Markdown pages (pure: no I/O).

Every piece of dump text goes through ``text.to_html`` into a raw HTML block
that this module writes. Python-Markdown leaves raw HTML blocks alone, so no
dump text can become Markdown formatting, and HTML-escaping keeps it from
becoming markup. Front matter goes through ``yaml.safe_dump``; its ``title``
is HTML-escaped too, because MkDocs themes print ``page.meta.title`` raw.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import re
import unicodedata
from collections import Counter

import yaml

from generator.analysis import Analysis, PaperAnalysis
from generator.corpus import Corpus, Paper
from generator.feed import FEED_PATH, NEW_PAGE, Additions, recent_additions, render_feed
from generator.related import RelatedLink
from generator.text import title_html, to_html, to_plain

PAPERS_DIR = "papers"
BY_TITLE_DIR = "by-title"
# Past this many papers "All papers" is split by first character: one
# 2,000-line list is ~0.4 MB of HTML, within the 1 MB a page may weigh.
PAPER_LIST_LIMIT = 2000
TAGS_DIR = "tags"


def is_paper_page(path: str) -> bool:
    """Whether ``path``, relative to docs/, is one paper's page.

    >>> is_paper_page("papers/a-title.md"), is_paper_page("papers/index.md")
    (True, False)
    """
    folder, _, name = path.partition("/")
    return folder == PAPERS_DIR and "/" not in name and name != "index.md"


@functools.lru_cache(maxsize=None)  # a few thousand tags, each on many pages
def tag_slug(tag: str) -> str:
    """The URL name of a tag; never ``index``, the tags index's own name.

    >>> tag_slug("Large Language Models"), tag_slug("Schrödinger bridges"), tag_slug("Index")
    ('large-language-models', 'schrodinger-bridges', 'index-tag')
    """
    folded = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", folded))
    if not slug:  # a tag in a script without Latin letters
        slug = "tag-" + hashlib.sha256(tag.encode("utf-8")).hexdigest()[:8]
    return "index-tag" if slug == "index" else slug


# libyaml's emitter is ~20x faster than PyYAML's pure-Python one; both emit safe YAML.
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(meta: dict) -> str:
    dumped = yaml.dump(
        meta, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False, width=10_000
    )
    return f"---\n{dumped}---\n\n"


def page_title(paper: Paper) -> str:
    return html.escape(to_plain(paper.title), quote=False)


def paper_link(paper: Paper, prefix: str) -> str:
    return f'<a href="{prefix}{paper.slug}/">{title_html(paper.title)}</a>'


def _dump_label(name: str, date: str | None) -> str:
    """A dump's file name, with its date line if it had one, as HTML."""
    return html.escape(name) + (f" ({html.escape(date)})" if date else "")


def _sources_html(paper: Paper) -> str:
    listed = ", ".join(_dump_label(source.dump, source.date) for source in paper.sources)
    return f'<p class="paper-sources">Listed in {listed}</p>'


def _tags_html(tags: tuple[str, ...]) -> str:
    if not tags:
        return ""
    links = " ".join(_tag_chip(tag_slug(tag), tag, f"../../{TAGS_DIR}/") for tag in tags)
    return f'<p class="paper-tags" data-search-exclude>{links}</p>\n\n'


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
        parts.append(f'## Related papers\n\n<ul class="related" data-search-exclude>\n{items}\n</ul>\n')
    if analysis.backlinks:
        items = "\n".join(
            f"<li>{paper_link(papers[slug], '../')}</li>" for slug in analysis.backlinks
        )
        parts.append(
            f'## Listed as related by\n\n<ul class="backlinks" data-search-exclude>\n{items}\n</ul>\n'
        )
    return "\n".join(parts)


def render_paper(paper: Paper, analysis: PaperAnalysis, papers: dict[str, Paper]) -> str:
    meta = {
        "title": page_title(paper),
        "abstract": to_plain(paper.abstract),
        "tags": list(analysis.tags),
        "related": [link.slug for link in analysis.related],
        "sources": [source.dump for source in paper.sources],
        "abstract_from": list(paper.abstract_from),
        "authors": list(paper.authors),
        # Papers are not in the navigation, so its sidebar would stand empty.
        "hide": ["navigation"],
    }
    body = (
        # With an id, Material's search takes the heading as the section's
        # title instead of repeating it in the section's text.
        f'<h1 class="paper-title" id="paper">{title_html(paper.title)}</h1>\n\n'
        + _tags_html(analysis.tags)
        + f'<div class="paper-abstract"><p>{to_html(paper.abstract)}</p></div>\n\n'
        + _sources_html(paper)
        + "\n\n"
        + _related_html(analysis, papers)
    )
    return front_matter(meta) + body


def _paper_list_page(title: str, intro: str, papers: tuple[Paper, ...], prefix: str) -> str:
    items = "\n".join(f"<li>{paper_link(paper, prefix)}</li>" for paper in papers)
    return (
        front_matter({"title": title})
        + f"# {title}\n\n{intro}\n\n"
        + f'<ul class="paper-list">\n{items}\n</ul>\n'
    )


def _first_character(paper: Paper) -> str:
    return paper.slug[0] if paper.slug[0].isalpha() else "0-9"


def render_paper_lists(corpus: Corpus) -> dict[str, str]:
    """"All papers": one page, or past ``PAPER_LIST_LIMIT`` papers an index of
    one page per first character of the address (a 20k list is 4 MB of HTML)."""
    count = len(corpus.papers)
    if count <= PAPER_LIST_LIMIT:
        intro = f"{count} papers, in order of their addresses."
        return {f"{PAPERS_DIR}/index.md": _paper_list_page("All papers", intro, corpus.papers, "")}
    pages, links = {}, []
    for character, group in itertools.groupby(corpus.papers, key=_first_character):
        papers = tuple(group)
        # Paper slugs never hold "/", so these pages cannot clash with a paper's.
        path = f"{PAPERS_DIR}/{BY_TITLE_DIR}/{character}.md"
        intro = (f"{len(papers)} of the {count} papers, in order of their addresses. "
                 "Back to [all papers](../index.md).")
        pages[path] = _paper_list_page(f"Papers: {character.upper()}", intro, papers, "../../")
        links.append(f"[{character.upper()}]({BY_TITLE_DIR}/{character}.md)&nbsp;({len(papers)})")
    pages[f"{PAPERS_DIR}/index.md"] = (
        front_matter({"title": "All papers"})
        + f"# All papers\n\n{count} papers, by the first character of their addresses:\n\n"
        + " · ".join(links) + "\n"
    )
    return pages


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
        + "- **Search:** tap or click the search box (on a keyboard: ++s++ or ++slash++) and type a topic "
        + "word or part of a title.\n"
        + f"- **[All papers]({PAPERS_DIR}/index.md)**: every paper, one line each.\n"
        + f"- **[Tags]({TAGS_DIR}/index.md)**: topics, each with its papers.\n"
        + f"- **[What's new]({NEW_PAGE})**: the papers the latest dumps added.\n\n"
        + "## Most connected papers\n\nThe papers most often listed as related to others: "
        + f'good starting points.\n\n<ul class="paper-list">\n{hubs}\n</ul>\n\n'
        + "## Dumps\n\n<table>\n<thead><tr><th>Dump</th><th>Date</th><th>Listings</th></tr></thead>\n"
        + f"<tbody>\n{dumps}\n</tbody>\n</table>\n"
    )


def _additions_html(group: Additions) -> str:
    heading = _dump_label(group.dump.name, group.dump.date)
    if not group.papers:
        return f"<h2>{heading}</h2>\n\n<p>No new papers: all were listed before.</p>\n"
    # new.md is served as new/, one folder below the site's root.
    prefix = f"../{PAPERS_DIR}/"
    items = "\n".join(f"<li>{paper_link(paper, prefix)}</li>" for paper in group.papers)
    return (
        f"<h2>{heading}</h2>\n\n<p>{len(group.papers)} new papers "
        f"of {group.dump.entries} listed.</p>\n\n"
        f'<ul class="paper-list">\n{items}\n</ul>\n'
    )


def render_whats_new(additions: tuple[Additions, ...], with_feed: bool) -> str:
    """The papers the latest dumps added, newest dump first."""
    feed = (
        f" Subscribe to the [RSS feed]({FEED_PATH}) to hear of the next ones."
        if with_feed else ""
    )
    dumps = "dump" if len(additions) == 1 else f"{len(additions)} dumps"
    return (
        front_matter({"title": "What's new"})
        + "# What's new\n\n"
        + f"The papers the latest {dumps} added, newest first.{feed}\n\n"
        + "\n".join(_additions_html(group) for group in additions)
    )


def tagged_papers(corpus: Corpus, analysis: Analysis) -> dict[str, tuple[str, list[Paper]]]:
    """Tag slug -> (tag, its papers in corpus order). Tags whose names share
    a slug share a page, named by the first of them."""
    tagged: dict[str, tuple[str, list[Paper]]] = {}
    for paper in corpus.papers:
        for tag in analysis.of(paper.slug).tags:
            _, papers = tagged.setdefault(tag_slug(tag), (tag, []))
            if not papers or papers[-1] is not paper:
                papers.append(paper)
    return tagged


def _tag_chip(slug: str, tag: str, prefix: str, count: int | None = None) -> str:
    shown = "" if count is None else f' <span class="tag-count">{count}</span>'
    return f'<a class="paper-tag" href="{prefix}{slug}/">{html.escape(tag)}{shown}</a>'


def _related_tags(slug: str, papers: list[Paper], analysis: Analysis,
                  tagged: dict[str, tuple[str, list[Paper]]], count: int = 8) -> str:
    """The tags most often found beside this one (on two papers at least):
    where to go next."""
    beside = Counter(other for paper in papers
                     for other in {tag_slug(tag) for tag in analysis.of(paper.slug).tags})
    del beside[slug]
    chips = " ".join(
        _tag_chip(other, tagged[other][0], "../")
        for other, shared in sorted(beside.items(), key=lambda item: (-item[1], item[0]))[:count]
        if shared >= 2
    )
    return f'<p>Often together with:</p>\n<p class="paper-tags">{chips}</p>\n\n' if chips else ""


def render_tag_page(slug: str, tag: str, papers: list[Paper], analysis: Analysis,
                    tagged: dict[str, tuple[str, list[Paper]]]) -> str:
    """One tag's page, ``tags/<slug>.md``: its papers, in order of their addresses."""
    items = "\n".join(f"<li>{paper_link(paper, f'../../{PAPERS_DIR}/')}</li>" for paper in papers)
    title = html.escape(tag, quote=False)
    return (
        front_matter({"title": f"Tag: {title}"})
        + f'<h1>{html.escape(tag)}</h1>\n\n'
        + f"{len(papers)} papers have this tag. Back to [all tags](index.md).\n\n"
        + _related_tags(slug, papers, analysis, tagged)
        + f'<ul class="paper-list">\n{items}\n</ul>\n'
    )


def render_tag_index(tagged: dict[str, tuple[str, list[Paper]]]) -> str:
    """``tags/index.md``: every tag with its count, the most used first,
    then all of them alphabetically. Only names and counts, no paper lists,
    so it stays small however large the corpus grows."""
    by_use = sorted(tagged.items(), key=lambda item: (-len(item[1][1]), item[0]))
    by_name = sorted(tagged.items(), key=lambda item: (item[1][0].casefold(), item[0]))

    def chips(entries: list) -> str:
        return " ".join(_tag_chip(slug, tag, "", len(papers)) for slug, (tag, papers) in entries)

    if not tagged:
        return front_matter({"title": "Tags"}) + "# Tags\n\nNo paper has tags yet.\n"
    return (
        front_matter({"title": "Tags"})
        + f"# Tags\n\n{len(tagged)} topic tags, drawn from the papers' own words; "
        + "each links to its papers.\n\n"
        + f'## Most used\n\n<p class="paper-tags">{chips(by_use[:30])}</p>\n\n'
        + f'## All tags\n\n<p class="paper-tags">{chips(by_name)}</p>\n'
    )


def render_tag_pages(corpus: Corpus, analysis: Analysis) -> dict[str, str]:
    """The tags index and one page per tag, keyed by their paths under ``docs/``."""
    tagged = tagged_papers(corpus, analysis)
    pages = {f"{TAGS_DIR}/index.md": render_tag_index(tagged)}
    for slug, (tag, papers) in tagged.items():
        pages[f"{TAGS_DIR}/{slug}.md"] = render_tag_page(slug, tag, papers, analysis, tagged)
    return pages


def render_site(corpus: Corpus, analysis: Analysis, site_url: str = "") -> dict[str, str]:
    """Every generated file, keyed by its path under ``docs/``.

    The feed needs absolute links, so there is none without ``site_url``.
    """
    by_slug = {paper.slug: paper for paper in corpus.papers}
    additions = recent_additions(corpus)
    pages = {
        "index.md": render_home(corpus, analysis),
        NEW_PAGE: render_whats_new(additions, with_feed=bool(site_url)),
        **render_paper_lists(corpus),
        **render_tag_pages(corpus, analysis),
    }
    if site_url:
        pages[FEED_PATH] = render_feed(additions, analysis, site_url, PAPERS_DIR)
    for paper in corpus.papers:
        pages[f"{PAPERS_DIR}/{paper.slug}.md"] = render_paper(
            paper, analysis.of(paper.slug), by_slug
        )
    return pages
