"""What's new: the papers the most recent dumps added, and their RSS feed.

A paper is new in the dump that lists it first (dumps are read in name
order). The "What's new" page and the feed show the same papers: those the
last ``RECENT_DUMPS`` dumps added, newest dump first, each dump's papers in
its listing order.

The feed is RSS 2.0, titled by the site's name and written with the
standard library's ElementTree. Dumps carry no full date (at most "Mar 14"),
and the build's clock would make every build differ from the last one
(feedgen stamps ``lastBuildDate`` with the current time and cannot leave it
out; Atom requires an ``updated`` date everywhere). So an item is dated
(``pubDate``) by its listing's date as set in mkdocs.yml
(``listing_dates``), and each item names its listing as a category; without
a set date feed readers date the item when they first see it, which is when
it was new. The feed stays a pure function of the dumps and mkdocs.yml. Item
``guid``s are the papers' permanent URLs, so readers never show a paper twice.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from email.utils import format_datetime
from xml.etree import ElementTree

from generator.analysis import Analysis
from generator.corpus import Corpus, DumpSummary, Paper
from generator.text import to_html, to_plain

RECENT_DUMPS = 3
FEED_PATH = "feed.xml"
NEW_PAGE = "new.md"
ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ElementTree.register_namespace("atom", ATOM)


@dataclass(frozen=True)
class Additions:
    """The papers one dump listed first, in its listing order."""

    dump: DumpSummary
    papers: tuple[Paper, ...]


def recent_additions(corpus: Corpus, count: int = RECENT_DUMPS) -> tuple[Additions, ...]:
    """What the last ``count`` dumps added, newest dump first."""
    firsts: dict[str, list[Paper]] = defaultdict(list)
    for paper in corpus.papers:
        firsts[paper.first_dump].append(paper)
    return tuple(
        Additions(dump, tuple(sorted(firsts[dump.name], key=lambda paper: paper.sources[0].line)))
        for dump in reversed(corpus.dumps[-count:])
    )


def _add(parent: ElementTree.Element, tag: str, text: str = "", **attributes: str) -> None:
    ElementTree.SubElement(parent, tag, attributes).text = NOT_XML.sub("", text) or None


def rfc822(day: str) -> str:
    """An ISO date as RSS dates it, at midnight UTC.

    >>> rfc822("2024-03-14")
    'Thu, 14 Mar 2024 00:00:00 +0000'
    """
    return format_datetime(datetime.combine(date.fromisoformat(day), time(), timezone.utc))


def _item(channel: ElementTree.Element, paper: Paper, tags: tuple[str, ...], url: str,
          listing: str, day: str | None) -> None:
    item = ElementTree.SubElement(channel, "item")
    # Readers take RSS titles and descriptions as HTML, so dump text goes in
    # escaped once more than XML itself requires.
    _add(item, "title", html.escape(to_plain(paper.title), quote=False))
    _add(item, "link", url)
    _add(item, "guid", url)
    _add(item, "description", to_html(paper.abstract))
    if day:
        _add(item, "pubDate", rfc822(day))
    _add(item, "category", listing, domain="listing")
    for tag in tags:
        _add(item, "category", tag)


def render_feed(additions: tuple[Additions, ...], analysis: Analysis, site_url: str,
                papers_dir: str, site_name: str, labels: dict[str, str],
                dates: dict[str, str]) -> str:
    """The RSS 2.0 feed of ``additions``; links are absolute, under ``site_url``.
    ``labels`` and ``dates`` map dump names to listing labels and ISO dates."""
    base = site_url.rstrip("/") + "/"
    rss = ElementTree.Element("rss", version="2.0")
    channel = ElementTree.SubElement(rss, "channel")
    _add(channel, "title", site_name)
    _add(channel, "link", base + NEW_PAGE.removesuffix(".md") + "/")
    _add(channel, "description", f"The papers the latest listings added to {site_name}.")
    _add(channel, f"{{{ATOM}}}link", href=base + FEED_PATH, rel="self",
         type="application/rss+xml")
    for group in additions:
        for paper in group.papers:
            url = f"{base}{papers_dir}/{paper.slug}/"
            _item(channel, paper, analysis.of(paper.slug).tags, url,
                  labels.get(group.dump.name, group.dump.name), dates.get(group.dump.name))
    ElementTree.indent(rss)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        + ElementTree.tostring(rss, encoding="unicode")
        + "\n"
    )
