"""What's new and the RSS feed: which papers are new, and a feed readers can parse."""

from __future__ import annotations

import html

import feedparser

from generator.analysis import Analysis, PaperAnalysis
from generator.config import Config
from generator.corpus import build_corpus
from generator.feed import recent_additions, render_feed
from generator.parse import parse_lines
from generator.render import render_site
from tests.conftest import dump_text

SITE = "https://example.org/library"
OLD = ("Graph Neural Networks for Molecules", "We learn molecular graphs by message passing.")
RELISTED = ("Diffusion Models for Images", "We generate images by denoising diffusion.")
NEW = [
    ("Zebra Attention <b>Heads</b> & Co", "Attention heads \ufffe striped like zebras."),
    ("Attention Is Sparse", "Most attention weights are near zero."),
]


def corpus(*dumps: str):
    return build_corpus([parse_lines(text.split("\n"), f"dumps/{name}")
                         for name, text in zip(("001.txt", "002.txt", "003.txt"), dumps)])


def test_new_papers_are_those_a_dump_listed_first_in_listing_order():
    papers = corpus(dump_text(OLD, RELISTED), dump_text(RELISTED, *NEW, date="Mar 14"))
    newest, oldest = recent_additions(papers)
    assert newest.dump.name == "002.txt" and newest.dump.date == "Mar 14"
    assert [paper.title for paper in newest.papers] == [title for title, _ in NEW]
    assert [paper.title for paper in oldest.papers] == [OLD[0], RELISTED[0]]
    assert [group.dump.name for group in recent_additions(papers, count=1)] == ["002.txt"]


def test_feed_parses_cleanly_with_absolute_permanent_links():
    papers = corpus(dump_text(OLD), dump_text(RELISTED, *NEW))
    analysis = Analysis({"attention-is-sparse": PaperAnalysis(tags=("attention", "sparsity"))})
    feed = feedparser.parse(render_feed(
        recent_additions(papers, count=1), analysis, SITE, "papers", "My library",
        {"002.txt": "Listing 2"}, {"002.txt": "2024-03-14"}))
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert feed.feed.title == "My library"
    assert feed.feed.link == f"{SITE}/new/"
    # Titles go in escaped as HTML (see feed._item); feedparser hands the escapes back.
    assert [html.unescape(entry.title) for entry in feed.entries] == [
        "Diffusion Models for Images", "Zebra Attention <b>Heads</b> & Co", "Attention Is Sparse"]
    zebra, sparse = feed.entries[1:]
    assert zebra.link == zebra.id == f"{SITE}/papers/zebra-attention-b-heads-b-co/"
    # A character XML cannot carry is dropped rather than breaking the feed.
    assert zebra.summary == "Attention heads  striped like zebras."
    assert [tag.term for tag in sparse.tags] == ["Listing 2", "attention", "sparsity"]
    assert sparse.published == "Thu, 14 Mar 2024 00:00:00 +0000"


def test_feed_is_titled_by_the_site_and_dated_by_the_listing_dates_set():
    papers = corpus(dump_text(OLD), dump_text(*NEW))
    config = Config(site_name="Reading list", listing_dates={"002.txt": "2024-03-14"})
    feed = feedparser.parse(render_site(papers, Analysis(), SITE, config)["feed.xml"])
    assert feed.feed.title == "Reading list"
    dated = {entry.title: entry.get("published") for entry in feed.entries}
    assert dated == {"Zebra Attention &lt;b&gt;Heads&lt;/b&gt; &amp; Co": "Thu, 14 Mar 2024 00:00:00 +0000",
                     "Attention Is Sparse": "Thu, 14 Mar 2024 00:00:00 +0000",
                     OLD[0]: None}


def test_feed_is_a_pure_function_of_the_dumps():
    papers = corpus(dump_text(OLD), dump_text(*NEW))
    first = render_site(papers, Analysis(), SITE)
    assert render_site(papers, Analysis(), SITE) == first
    assert "date" not in first["feed.xml"].lower()


def test_no_site_url_means_no_feed_and_no_link_to_it():
    papers = corpus(dump_text(OLD), dump_text(*NEW))
    without = render_site(papers, Analysis())
    assert "feed.xml" not in without and "RSS" not in without["new.md"]
    assert '<a href="../feed.xml">RSS feed</a>' in render_site(papers, Analysis(), SITE)["new.md"]


def test_whats_new_page_lists_each_recent_listing_and_links_up_a_folder():
    page = render_site(corpus(dump_text(OLD), dump_text(OLD), dump_text(*NEW)), Analysis())["new.md"]
    assert (page.index(">Listing 3</h2>") < page.index(">Listing 2</h2>")
            < page.index(">Listing 1</h2>"))
    assert "<p>2 new papers of 2 listed.</p>" in page
    assert "No new papers: all were listed before." in page
    assert '<li><a href="../papers/attention-is-sparse/">Attention Is Sparse</a>' in page
    assert "Zebra Attention &lt;b&gt;Heads&lt;/b&gt; &amp; Co" in page
