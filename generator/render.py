"""Render the corpus and its analysis as Markdown pages (pure: no I/O).

Each page's markup lives in a Jinja2 template under ``templates/``; this
module hands the templates plain data. Autoescaping is on, so dump text is
escaped wherever a template prints it; only the HTML ``text.to_html`` and
``text.title_html`` make of it is passed as ``Markup``. Dump text always sits
in raw HTML blocks, which Python-Markdown never parses, so it cannot become
Markdown formatting either. Front matter goes through ``yaml.safe_dump``;
its ``title`` and ``description`` are HTML-escaped, because MkDocs themes
print ``page.meta`` values raw.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import jinja2
import yaml
from markupsafe import Markup

from generator.analysis import Analysis, PaperAnalysis
from generator.config import Config
from generator.corpus import Corpus, DumpSummary, Paper
from generator.explore import explore_pages, neighbourhood_html
from generator.feed import FEED_PATH, NEW_PAGE, Additions, recent_additions, render_feed
from generator.linkouts import link_outs
from generator.text import title_html, to_html, to_plain

PAPERS_DIR = "papers"
BY_TITLE_DIR = "by-title"
BY_DATE_DIR = "by-date"
# Papers per list page. With its snippet and tags a paper takes ~0.5 KB of
# HTML, so a full page stays well under the 1 MB a page may weigh.
PAPER_LIST_LIMIT = 1000
TAGS_DIR = "tags"
HOME_NEWEST = 6
HOME_TOPICS = 12
SNIPPET_LENGTH = 200
BYLINE_AUTHORS = 3

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("generator", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.filters["papers"] = lambda count: f"{count} paper" if count == 1 else f"{count} papers"


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


# --- Addresses ----------------------------------------------------------------

def url_of(path: str) -> str:
    """The site address of a page under docs/, relative to the site's root.

    >>> url_of("index.md"), url_of("papers/index.md"), url_of("tags/graphs/2.md")
    ('', 'papers/', 'tags/graphs/2/')
    """
    if path == "index.md":
        return ""
    return path.removesuffix("index.md") if path.endswith("/index.md") else path[:-3] + "/"


def relative(here: str, target: str) -> str:
    """The link from the page at address ``here`` to the address ``target``
    (both relative to the site's root), as short as it can be.

    >>> relative("papers/", "papers/a/"), relative("tags/x/", "tags/y/"), relative("new/", "papers/a/")
    ('a/', '../y/', '../papers/a/')
    >>> relative("", "tags/#topic-a"), relative("tags/x/", "tags/#topic-a")
    ('tags/#topic-a', '../#topic-a')
    """
    here_parts, target_parts = here.split("/")[:-1], target.split("/")
    shared = 0
    while (shared < len(here_parts) and shared < len(target_parts) - 1
           and here_parts[shared] == target_parts[shared]):
        shared += 1
    return "../" * (len(here_parts) - shared) + "/".join(target_parts[shared:])


def paper_url(paper: Paper) -> str:
    return f"{PAPERS_DIR}/{paper.slug}/"


def tag_url(slug: str) -> str:
    return f"{TAGS_DIR}/{slug}/"


def topic_anchor(topic: str) -> str:
    return "topic-" + tag_slug(topic)


# --- Text shown of a paper ------------------------------------------------------

# A full stop that ends a sentence: followed by a capital, a digit or a quote,
# and not part of an abbreviation such as "e.g." or "et al.".
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z0-9\"“])")
ABBREVIATIONS = ("e.g", "i.e", "et al", "vs", "cf", "etc", "Fig", "Eq", "Sec", "approx", "resp")


def first_sentence(text: str, limit: int = SNIPPET_LENGTH) -> str:
    """The first sentence of dump text, as plain text, cut at a word past ``limit``.

    >>> first_sentence("We use e.g. GPUs (Smith et al. 2020). Then more.")
    'We use e.g. GPUs (Smith et al. 2020).'
    >>> first_sentence("one two three four", limit=9)
    'one two…'
    """
    plain = " ".join(to_plain(text).split())
    for match in SENTENCE_END.finditer(plain):
        if not plain[: match.start()].endswith(ABBREVIATIONS):
            plain = plain[: match.end()]
            break
    if len(plain) <= limit:
        return plain
    cut = plain[: limit + 1].rsplit(" ", 1)[0] if " " in plain[:limit] else plain[:limit]
    return cut.rstrip(",;:–—- ") + "…"


def byline(authors: tuple[str, ...]) -> str:
    """Authors as a list shows them: the first three, then "et al.".

    >>> byline(("A", "B", "C", "D")), byline(("A", "B"))
    ('A, B, C et al.', 'A, B')
    """
    shown = ", ".join(authors[:BYLINE_AUTHORS])
    return shown + (" et al." if len(authors) > BYLINE_AUTHORS else "")


# libyaml's emitter is ~20x faster than PyYAML's pure-Python one; both emit safe YAML.
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(meta: dict) -> str:
    dumped = yaml.dump(
        meta, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False, width=10_000
    )
    return f"---\n{dumped}---\n\n"


def page_title(paper: Paper) -> str:
    return html.escape(to_plain(paper.title), quote=False)


def page(template: str, meta: dict, **data: object) -> str:
    """Front matter, then the template's Markdown. ``description`` (plain text)
    is escaped for the themes' ``<meta>`` tags, which print it raw."""
    if "description" in meta:
        meta = {**meta, "description": html.escape(meta["description"])}
    return front_matter(meta) + TEMPLATES.get_template(template).render(**data)


# --- What the templates get -----------------------------------------------------

@dataclass(frozen=True)
class Chip:
    """A link to a tag (or a topic), with how many papers it has when shown."""

    name: str
    href: str
    count: int | None = None


@dataclass(frozen=True)
class ListedPaper:
    """One paper in a list."""

    href: str
    title: Markup
    byline: str
    snippet: str
    tags: tuple[Chip, ...]


@dataclass(frozen=True)
class Site:
    """What every page may need to know of the whole site."""

    corpus: Corpus
    analysis: Analysis
    config: Config
    labels: dict[str, str]
    """Dump file name -> the listing label readers see."""

    def tag_chips(self, tags: tuple[str, ...], here: str) -> tuple[Chip, ...]:
        return tuple(Chip(tag, relative(here, tag_url(tag_slug(tag)))) for tag in tags)

    def topic_chip(self, topic: str | None, here: str) -> Chip | None:
        """A paper's topic, linked to its group on the Tags page when it has one."""
        if topic is None:
            return None
        grouped = topic in self.analysis.tag_topics.values()
        return Chip(topic, relative(here, f"{TAGS_DIR}/#{topic_anchor(topic)}") if grouped else "")

    def paper_chips(self, analysis: PaperAnalysis, here: str) -> tuple[Chip | None, tuple[Chip, ...]]:
        """A paper's topic and its other tags: a tag named as the topic shows
        once, as the topic, linked to that tag's papers."""
        topic = analysis.topic or ""
        others = tuple(tag for tag in analysis.tags if tag.casefold() != topic.casefold())
        chip = self.topic_chip(analysis.topic, here)
        if chip and len(others) < len(analysis.tags):
            chip = Chip(chip.name, relative(here, tag_url(tag_slug(chip.name))))
        return chip, self.tag_chips(others, here)

    def listed(self, paper: Paper, here: str) -> ListedPaper:
        analysis = self.analysis.of(paper.slug)
        topic = [analysis.topic] if analysis.topic else []
        return ListedPaper(
            href=relative(here, paper_url(paper)),
            title=Markup(title_html(paper.title)),
            byline=" · ".join([byline(paper.authors)] * bool(paper.authors) + topic),
            snippet=first_sentence(paper.abstract),
            tags=self.paper_chips(analysis, here)[1],  # the topic is in the byline
        )


def listing_labels(dumps: tuple[DumpSummary, ...], config: Config) -> dict[str, str]:
    """Each dump's label: set in mkdocs.yml, else its date line, else its position.

    >>> listing_labels((DumpSummary("a.txt", "Mar 14", 1), DumpSummary("b.txt", None, 1)), Config())
    {'a.txt': 'Listing of Mar 14', 'b.txt': 'Listing 2'}
    """
    return {
        dump.name: config.listing_labels.get(dump.name)
        or (f"Listing of {dump.date}" if dump.date else f"Listing {position}")
        for position, dump in enumerate(dumps, start=1)
    }


# --- Paper pages ------------------------------------------------------------------

@dataclass(frozen=True)
class RelatedItem:
    href: str
    title: Markup
    score: str
    meter: str
    shared: tuple[str, ...]
    weak: bool
    mutual: bool


def render_paper(paper: Paper, analysis: PaperAnalysis, papers: dict[str, Paper],
                 site: Site | None = None) -> str:
    site = site or Site(Corpus((paper,), ()), Analysis(), Config(), {})
    here = paper_url(paper)
    topic, tags = site.paper_chips(analysis, here)
    # Paper pages are siblings: papers/<slug>/ links papers/<other>/ as ../<other>/.
    related_slugs = {link.slug for link in analysis.related}
    listed_back = set(analysis.backlinks)
    meta = {
        "title": page_title(paper),
        "description": first_sentence(paper.abstract),
        "abstract": to_plain(paper.abstract),
        "tags": list(analysis.tags),
        "related": [link.slug for link in analysis.related],
        "sources": [source.dump for source in paper.sources],
        "abstract_from": list(paper.abstract_from),
        "authors": list(paper.authors),
        # Papers are not in the navigation, so its sidebar would stand empty.
        "hide": ["navigation"],
    }
    return page(
        "paper.md.j2", meta,
        title=Markup(title_html(paper.title)),
        authors=paper.authors,
        topic=topic,
        tags=tags,
        abstract=Markup(to_html(paper.abstract)),
        links=link_outs(paper.title, paper.abstract, site.config.link_outs),
        listings=[site.labels.get(source.dump, "a listing") for source in paper.sources],
        related=[
            RelatedItem(
                f"../{link.slug}/", Markup(title_html(papers[link.slug].title)),
                f"{link.similarity:.2f}", f"{link.similarity:.3f}", link.shared_terms,
                link.weak, link.slug in listed_back,
            )
            for link in analysis.related
        ],
        backlinks=[
            {"href": f"../{slug}/", "title": Markup(title_html(papers[slug].title))}
            for slug in analysis.backlinks if slug not in related_slugs
        ],
        neighbourhood=Markup(neighbourhood_html(paper, analysis, papers)),
    )


# --- Lists of papers ----------------------------------------------------------------

def paginated(first_path: str, items: tuple) -> list[tuple[str, tuple]]:
    """``items`` cut into pages of ``PAPER_LIST_LIMIT``: the first at
    ``first_path``, page n at ``<first_path without .md>/<n>.md``."""
    base = first_path.removesuffix("/index.md").removesuffix(".md")
    chunks = [items[start:start + PAPER_LIST_LIMIT]
              for start in range(0, len(items), PAPER_LIST_LIMIT)] or [()]
    return [(first_path if number == 1 else f"{base}/{number}.md", chunk)
            for number, chunk in enumerate(chunks, start=1)]


def list_pages(site: Site, first_path: str, papers: tuple[Paper, ...], template: str,
               meta: dict, **data: object) -> dict[str, str]:
    """A list of papers on as many pages as it takes, each linking to the others."""
    pages = paginated(first_path, papers)
    rendered = {}
    for path, chunk in pages:
        here = url_of(path)
        pager = [{"number": number, "current": other == path, "href": relative(here, url_of(other))}
                 for number, (other, _) in enumerate(pages, start=1)]
        resolved = {key: value(here) if callable(value) else value for key, value in data.items()}
        rendered[path] = page(template, meta, pages=pager, **resolved,
                              items=[site.listed(paper, here) for paper in chunk])
    return rendered


def _first_character(paper: Paper) -> str:
    return paper.slug[0] if paper.slug[0].isalpha() else "0-9"


LETTERS = ("0-9", *"abcdefghijklmnopqrstuvwxyz")


def newest_first(corpus: Corpus) -> tuple[Paper, ...]:
    """Papers by the listing that first had them, newest listing first, each
    listing's papers in its order: What's new, continued to the oldest."""
    return tuple(paper for group in recent_additions(corpus, len(corpus.dumps))
                 for paper in group.papers)


def render_newest_first(site: Site) -> dict[str, str]:
    """``papers/by-date/``: every paper, newest listing first, paginated."""
    count = len(site.corpus.papers)
    return list_pages(
        site, f"{PAPERS_DIR}/{BY_DATE_DIR}/index.md", newest_first(site.corpus), "paper_list.md.j2",
        {"title": "All papers, newest first",
         "description": f"All {count} papers, those of the newest listing first."},
        heading="All papers, newest first",
        summary=f"{count} papers, those of the newest listing first.",
        back=lambda here: {"name": "all papers A–Z", "href": relative(here, f"{PAPERS_DIR}/")},
    )


def render_paper_lists(corpus: Corpus, site: Site | None = None) -> dict[str, str]:
    """"All papers", A–Z with a jump bar: one page with a section per first
    character, or past ``PAPER_LIST_LIMIT`` papers an index of one page (or
    more) per first character (a 20k list is ~10 MB of HTML)."""
    site = site or Site(corpus, Analysis(), Config(), {})
    count = len(corpus.papers)
    groups = {character: tuple(group)
              for character, group in itertools.groupby(corpus.papers, key=_first_character)}
    index = f"{PAPERS_DIR}/index.md"
    meta = {"title": "All papers", "description": f"All {count} papers of the library, A–Z."}
    split = count > PAPER_LIST_LIMIT
    pages = {}
    if split:
        for character, papers in groups.items():
            # Paper slugs never hold "/", so these pages cannot clash with a paper's.
            pages.update(list_pages(
                site, f"{PAPERS_DIR}/{BY_TITLE_DIR}/{character}.md", papers, "paper_list.md.j2",
                {"title": f"Papers: {character.upper()}",
                 "description": f"{len(papers)} papers whose titles start with {character.upper()}."},
                heading=f"Papers: {character.upper()}",
                summary=f"{len(papers)} of the {count} papers, A–Z by title.",
                back=lambda here: {"name": "all papers", "href": relative(here, f"{PAPERS_DIR}/")},
            ))

    def letter(character: str) -> dict:
        papers = groups.get(character, ())
        href = (f"{BY_TITLE_DIR}/{character}/" if split else f"#letter-{character}") if papers else ""
        return {"name": character.upper(), "href": href, "count": len(papers)}

    sections = [] if split else [
        {"name": character.upper(), "anchor": f"letter-{character}",
         "papers": [site.listed(paper, url_of(index)) for paper in papers]}
        for character, papers in groups.items()
    ]
    pages[index] = page(
        "all_papers.md.j2", meta, heading="All papers", count=count, pages=[], items=[],
        letters=[letter(character) for character in LETTERS], sections=sections,
        newest_href=f"{BY_DATE_DIR}/",
    )
    return pages


# --- Home and What's new ----------------------------------------------------------

def _most_connected(corpus: Corpus, analysis: Analysis, count: int = 10) -> list[Paper]:
    return sorted(
        corpus.papers, key=lambda paper: (-len(analysis.of(paper.slug).backlinks), paper.slug)
    )[:count]


def main_topics(site: Site, tagged: dict[str, tuple[str, list[Paper]]]) -> list[Chip]:
    """The largest broad topics with their paper counts, or without topics the
    most used tags: few enough that the newest papers stay on the first screen."""
    if site.analysis.tag_topics:
        counts = Counter(site.analysis.of(paper.slug).topic for paper in site.corpus.papers)
        del counts[None]
        return [Chip(topic, f"{TAGS_DIR}/#{topic_anchor(topic)}", count)
                for topic, count in sorted(counts.items(),
                                           key=lambda item: (-item[1], item[0]))[:HOME_TOPICS]]
    by_use = sorted(tagged.items(), key=lambda item: (-len(item[1][1]), item[0]))
    return [Chip(tag, tag_url(slug), len(papers)) for slug, (tag, papers) in by_use[:HOME_TOPICS]]


def render_home(site: Site, additions: tuple[Additions, ...],
                tagged: dict[str, tuple[str, list[Paper]]]) -> str:
    corpus = site.corpus
    new = Counter(paper.first_dump for paper in corpus.papers)
    newest = [paper for group in additions for paper in group.papers][:HOME_NEWEST]
    return page(
        "home.md.j2",
        {"title": "Home", "description": f"{len(corpus.papers)} machine-learning papers "
         "with topic tags, related papers and links to read them."},
        site_name=site.config.site_name,
        papers=len(corpus.papers),
        duplicates=corpus.duplicates_merged,
        topics=main_topics(site, tagged),
        tags_href=f"{TAGS_DIR}/",
        newest=[site.listed(paper, "") for paper in newest],
        whats_new_href=url_of(NEW_PAGE),
        hubs=[site.listed(paper, "") for paper in _most_connected(corpus, site.analysis)],
        listings=[{"label": site.labels[dump.name], "entries": dump.entries, "new": new[dump.name]}
                  for dump in reversed(corpus.dumps)],
    )


def render_whats_new(site: Site, additions: tuple[Additions, ...], with_feed: bool) -> str:
    """The papers the latest listings added, newest first. A listing shows at
    most a page's worth; the rest continue in the newest-first list."""
    here = url_of(NEW_PAGE)
    shown = max(1, PAPER_LIST_LIMIT // max(1, len(additions)))
    listings, before = [], 0
    for group in additions:
        more = max(0, len(group.papers) - shown)
        page_number = (before + shown) // PAPER_LIST_LIMIT + 1
        continued = f"{PAPERS_DIR}/{BY_DATE_DIR}/" + (f"{page_number}/" if page_number > 1 else "")
        listings.append({
            "label": site.labels[group.dump.name],
            "anchor": "listing-" + tag_slug(site.labels[group.dump.name]),
            "entries": group.dump.entries, "total": len(group.papers),
            "papers": [site.listed(paper, here) for paper in group.papers[:shown]],
            "more": more, "more_href": relative(here, continued),
        })
        before += len(group.papers)
    return page(
        "whats_new.md.j2",
        {"title": "What's new", "description": "The papers the latest listings added, newest first."},
        listings=listings, feed_href=relative(here, FEED_PATH) if with_feed else "",
    )


# --- Tags -------------------------------------------------------------------------

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


def _tags_beside(slug: str, papers: list[Paper], analysis: Analysis,
                 tagged: dict[str, tuple[str, list[Paper]]], here: str, count: int = 8) -> list[Chip]:
    """The tags most often found beside this one (on two papers at least):
    where to go next."""
    beside = Counter(other for paper in papers
                     for other in {tag_slug(tag) for tag in analysis.of(paper.slug).tags})
    del beside[slug]
    return [Chip(tagged[other][0], relative(here, tag_url(other)))
            for other, shared in sorted(beside.items(), key=lambda item: (-item[1], item[0]))[:count]
            if shared >= 2]


def render_tag_page(site: Site, slug: str, tag: str, papers: list[Paper],
                    tagged: dict[str, tuple[str, list[Paper]]]) -> dict[str, str]:
    """One tag's page, ``tags/<slug>.md`` (and more pages past the limit):
    its papers, in order of their addresses."""
    topic = site.analysis.tag_topics.get(tag)
    return list_pages(
        site, f"{TAGS_DIR}/{slug}.md", tuple(papers), "tag.md.j2",
        {"title": f"Tag: {html.escape(tag, quote=False)}",
         "description": f"{len(papers)} papers tagged {tag}."},
        heading=tag, count=len(papers),
        topic=lambda here: site.topic_chip(topic, here),
        tags_href=lambda here: relative(here, f"{TAGS_DIR}/"),
        beside=lambda here: _tags_beside(slug, papers, site.analysis, tagged, here),
    )


def render_tag_index(site: Site, tagged: dict[str, tuple[str, list[Paper]]]) -> str:
    """``tags/index.md``: every tag with its count, the most used first, then
    all of them A–Z, or grouped under their topics when tags have topics.
    Only names and counts, no paper lists, so it stays small at any size."""
    by_use = sorted(tagged.items(), key=lambda item: (-len(item[1][1]), item[0]))
    by_name = sorted(tagged.items(), key=lambda item: (item[1][0].casefold(), item[0]))

    def chips(entries) -> list[Chip]:
        return [Chip(tag, f"{slug}/", len(papers)) for slug, (tag, papers) in entries]

    groups: dict[str, list] = {}
    for entry in by_name:
        topic = site.analysis.tag_topics.get(entry[1][0])
        if topic is not None:
            groups.setdefault(topic, []).append(entry)
    topics = [
        {"name": topic, "anchor": topic_anchor(topic), "tags": chips(entries),
         "count": len({paper.slug for _, (_, papers) in entries for paper in papers})}
        for topic, entries in sorted(groups.items(), key=lambda item: item[0].casefold())
    ]
    ungrouped = [entry for entry in by_name if entry[1][0] not in site.analysis.tag_topics]
    if topics and ungrouped:
        topics.append({"name": "Other tags", "anchor": "topic-other-tags",
                       "tags": chips(ungrouped), "count": len(ungrouped)})
    return page(
        "tag_index.md.j2",
        {"title": "Tags", "description": f"{len(tagged)} topic tags, each with its papers."},
        count=len(tagged), most_used=chips(by_use[:30]), all_tags=chips(by_name), topics=topics,
    )


def render_retired_tag(tag: str, targets: tuple[str, ...],
                       tagged: dict[str, tuple[str, list[Paper]]]) -> str:
    """The page of a tag no paper has any more: its address keeps working
    and points to the tags its papers went to."""
    live = [Chip(target, f"../{tag_slug(target)}/") for target in targets
            if tag_slug(target) in tagged]
    return page("retired_tag.md.j2",
                {"title": f"Tag: {html.escape(tag, quote=False)} (retired)",
                 "description": f"The tag {tag} was retired; its papers moved to other tags."},
                tag=tag, live=live)


def render_tag_pages(corpus: Corpus, analysis: Analysis, site: Site | None = None) -> dict[str, str]:
    """The tags index and one page per tag, keyed by their paths under ``docs/``."""
    site = site or Site(corpus, analysis, Config(), {})
    tagged = tagged_papers(corpus, analysis)
    pages = {f"{TAGS_DIR}/index.md": render_tag_index(site, tagged)}
    for slug, (tag, papers) in tagged.items():
        pages.update(render_tag_page(site, slug, tag, papers, tagged))
    for tag, targets in sorted(analysis.retired_tags.items()):
        pages.setdefault(f"{TAGS_DIR}/{tag_slug(tag)}.md", render_retired_tag(tag, targets, tagged))
    return pages


def render_site(corpus: Corpus, analysis: Analysis, site_url: str = "",
                config: Config | None = None) -> dict[str, str]:
    """Every generated file, keyed by its path under ``docs/``.

    The feed needs absolute links, so there is none without ``site_url``.
    """
    config = config or Config(site_url=site_url)
    site_url = site_url or config.site_url
    labels = listing_labels(corpus.dumps, config)
    site = Site(corpus, analysis, config, labels)
    by_slug = {paper.slug: paper for paper in corpus.papers}
    additions = recent_additions(corpus)
    tagged = tagged_papers(corpus, analysis)
    pages = {
        "index.md": render_home(site, additions, tagged),
        NEW_PAGE: render_whats_new(site, additions, with_feed=bool(site_url)),
        **render_paper_lists(corpus, site),
        **render_newest_first(site),
        **render_tag_pages(corpus, analysis, site),
        **explore_pages(corpus, analysis, tagged),
    }
    if site_url:
        pages[FEED_PATH] = render_feed(additions, analysis, site_url, PAPERS_DIR,
                                       config.site_name, labels, config.listing_dates)
    for paper in corpus.papers:
        pages[f"{PAPERS_DIR}/{paper.slug}.md"] = render_paper(
            paper, analysis.of(paper.slug), by_slug, site
        )
    return pages
