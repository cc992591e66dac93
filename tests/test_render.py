"""Rendering: pages hold dump text as text, in front matter MkDocs can read,
and show a reader what a paper is, where to read it and what is near it."""

from __future__ import annotations

import re

import pytest
import yaml

from generator import render
from generator.analysis import Analysis, PaperAnalysis
from generator.config import Config
from generator.corpus import Corpus, DumpSummary, Paper, Source
from generator.related import RelatedLink
from generator.render import first_sentence, render_paper, render_site

HOSTILE_TITLE = "<projektor> *Bold* _it_ | # [x](y) {{ page.title }}: a \"quote\""
HOSTILE_ABSTRACT = "Use <script>alert(1)</script> {% if x %} **not bold** at https://x.org/a)."
DUMPS = (DumpSummary("001_f450d354.txt", "Mar 14", 3), DumpSummary("002_24ce0b45.txt", None, 2))


def paper(slug: str, title: str = "A Title", abstract: str = "An abstract.",
          dump: str = "001_f450d354.txt", line: int = 3, authors: tuple[str, ...] = ()) -> Paper:
    return Paper(slug, slug, title, abstract, (Source(dump, None, line),), authors)


def front_matter_and_body(page: str) -> tuple[dict, str]:
    _, meta, body = page.split("---\n", 2)
    return yaml.safe_load(meta), body


def test_front_matter_is_yaml_with_an_escaped_title_and_description():
    hostile = paper("hostile", HOSTILE_TITLE, HOSTILE_ABSTRACT)
    other = paper("other", "Other")
    analysis = PaperAnalysis(tags=("graph learning", "transformers"),
                             related=(RelatedLink("other", 0.42, ("graph", "attention")),))
    meta, _ = front_matter_and_body(
        render_paper(hostile, analysis, {"hostile": hostile, "other": other}))
    # Themes print page.meta.title and .description unescaped, so they are stored HTML-escaped.
    assert meta["title"] == "&lt;projektor&gt; *Bold* _it_ | # [x](y) {{ page.title }}: a \"quote\""
    assert meta["description"] == ("Use &lt;script&gt;alert(1)&lt;/script&gt; {% if x %} "
                                   "**not bold** at https://x.org/a).")
    assert meta["abstract"] == HOSTILE_ABSTRACT
    assert meta["tags"] == ["graph learning", "transformers"]
    assert meta["related"] == ["other"]
    assert meta["sources"] == ["001_f450d354.txt"]


def test_dump_text_only_appears_escaped_inside_raw_html_blocks():
    hostile = paper("hostile", HOSTILE_TITLE, HOSTILE_ABSTRACT)
    _, body = front_matter_and_body(render_paper(hostile, PaperAnalysis(), {}))
    assert "<script>" not in body and "<projektor>" not in body
    assert '<h1 class="paper-title" id="paper">&lt;projektor&gt; *Bold*' in body
    assert ('<a href="https://x.org/a">https://x.org/a</a>).</p></div>' in body)
    # Every line that carries dump text starts with a block-level tag, which
    # Python-Markdown passes through without parsing.
    for line in body.splitlines():
        if "projektor" in line or "script" in line:
            assert line.startswith(("<h1", "<div", "<nav")), line


@pytest.mark.parametrize("sentence", [
    "We use e.g. GPUs, as in Smith et al. (2020), i.e. fast ones.",
    "Is $O(n^2)$ enough?",
])
def test_a_snippet_is_the_whole_first_sentence(sentence):
    plain = sentence.replace("$O(n^2)$", "O(n^2)")
    assert first_sentence(sentence + " Then another One.") == plain


def test_a_long_first_sentence_is_cut_at_a_word():
    words = " ".join(f"word{index}" for index in range(100))
    snippet = first_sentence(words + ".")
    assert snippet.endswith("…") and len(snippet) <= render.SNIPPET_LENGTH + 1
    assert snippet[:-1] in words and words[len(snippet) - 1] == " "


def test_paper_links_out_to_title_searches_the_arxiv_paper_and_its_code():
    title = "Graphs & Co: $f$-Things"
    abstract = "See arXiv:2212.08630v2. Code: https://github.com/a/b. Also https://x.org/y."
    _, body = front_matter_and_body(render_paper(paper("p", title, abstract), PaperAnalysis(), {}))
    links = re.findall(r'<a class="paper-link paper-link--(\w+)" href="([^"]+)">([^<]+)', body)
    query = "Graphs+%26+Co%3A+f-Things"
    assert links == [
        ("paper", "https://arxiv.org/abs/2212.08630", "arXiv 2212.08630"),
        ("code", "https://github.com/a/b", "Code "),
        ("search", f"https://arxiv.org/search/?searchtype=title&amp;query=%22{query}%22", "arXiv"),
        ("search", f"https://www.semanticscholar.org/search?q=%22{query}%22", "Semantic Scholar"),
        ("search", f"https://scholar.google.com/scholar?q=%22{query}%22", "Google Scholar"),
        ("search", f"https://huggingface.co/papers?q={query}", "Hugging Face Papers"),
    ]


def test_link_outs_come_from_the_config():
    one = paper("one", "One")
    config = Config(link_outs={"DBLP": "https://dblp.org/search?q={title}"})
    pages = render_site(Corpus((one,), DUMPS[:1]), Analysis(), config=config)
    assert re.findall(r'paper-link--search" href="([^"]+)"', pages["papers/one.md"]) == [
        "https://dblp.org/search?q=One"]
    nothing = render_site(Corpus((one,), DUMPS[:1]), Analysis(), config=Config(link_outs={}))
    assert "paper-links" not in nothing["papers/one.md"]


def test_related_links_show_score_weakness_mutuality_and_other_backlinks():
    one, two, three, four = (paper("one", "One"), paper("two", "Two <b>"),
                             paper("three", "Three"), paper("four", "Four"))
    analysis = PaperAnalysis(
        related=(RelatedLink("two", 0.4567, ("graph", "attention")),
                 RelatedLink("three", 0.081, (), weak=True)),
        backlinks=("three", "four"), mutual=1)
    _, body = front_matter_and_body(render_paper(
        one, analysis, {"one": one, "two": two, "three": three, "four": four}))
    related = body[body.index('<ul class="related"'):body.index("## Also listed")]
    assert '<a href="../two/">Two &lt;b&gt;</a>' in related
    assert '<meter min="0" max="1" value="0.457"></meter> 0.46' in related
    assert "shared: graph, attention" in related
    assert re.search(r"0\.08</span> <span class=\"related-mutual-mark\"[^>]*>⇄</span> "
                     r"<span class=\"related-weak\"[^>]*>weak</span>", related)
    assert "1 is mutual" in body
    # "three" lists this paper too, but it is shown once, in Related papers.
    backlinks = body[body.index("## Also listed as related by"):body.index("## Neighbourhood")]
    assert '<a href="../four/">Four</a>' in backlinks and "three" not in backlinks


def test_authors_and_topic_show_on_paper_pages_and_in_lists():
    authors = ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Emmy Noether")
    one = paper("one", "One", authors=authors)
    analysis = Analysis({"one": PaperAnalysis(tags=("graphs",), topic="Graph learning")},
                        tag_topics={"graphs": "Graph learning"})
    pages = render_site(Corpus((one,), DUMPS[:1]), analysis)
    assert '<p class="paper-authors">Ada Lovelace, Alan Turing, Grace Hopper, Emmy Noether</p>' \
        in pages["papers/one.md"]
    assert '<a class="paper-topic" href="../../tags/#topic-graph-learning">Graph learning</a>' \
        in pages["papers/one.md"]
    assert ('<span class="paper-byline">Ada Lovelace, Alan Turing, Grace Hopper et al. · '
            'Graph learning</span>') in pages["papers/index.md"]


def test_a_tag_named_as_the_topic_shows_once_linked_to_its_papers():
    one = paper("one", "One")
    analysis = Analysis({"one": PaperAnalysis(tags=("bandits", "regret bounds"), topic="Bandits")},
                        tag_topics={"bandits": "Bandits", "regret bounds": "Bandits"})
    pages = render_site(Corpus((one,), DUMPS[:1]), analysis)
    chips = re.search(r'<p class="paper-tags".*?</p>', pages["papers/one.md"]).group()
    assert chips.count(">bandits<") + chips.count(">Bandits<") == 1
    assert '<a class="paper-topic" href="../../tags/bandits/">Bandits</a>' in chips
    assert '>regret bounds</a>' in chips
    listed = pages["papers/index.md"]
    assert "regret bounds" in listed and '>bandits</a>' not in listed


def test_tags_page_groups_tags_under_their_topics():
    one, two = paper("one", "One"), paper("two", "Two")
    analysis = Analysis(
        {"one": PaperAnalysis(tags=("graphs", "trees")), "two": PaperAnalysis(tags=("graphs", "odd"))},
        tag_topics={"graphs": "Structures", "trees": "Structures"})
    index = render_site(Corpus((one, two), DUMPS[:1]), analysis)["tags/index.md"]
    structures = index[index.index('<h3 id="topic-structures">'):index.index('id="topic-other-tags"')]
    assert 'Structures <span class="tag-count">2</span></h3>' in structures
    assert 'href="graphs/">graphs' in structures and 'href="trees/">trees' in structures
    assert 'href="odd/">odd' in index[index.index('id="topic-other-tags"'):]


def test_listings_are_shown_by_label_never_by_file_name():
    one, two = paper("one", "One"), paper("two", "Two", dump="002_24ce0b45.txt")
    corpus = Corpus((one, two), DUMPS)
    pages = render_site(corpus, Analysis(), "https://x.org/")
    # The JSON API is for tools: it names each listing's file, as an id.
    for path, text in pages.items():
        if path.startswith("api/"):
            continue
        body = front_matter_and_body(text)[1] if path.endswith(".md") else text
        assert "001_f450d354" not in body and "002_24ce0b45" not in body, path
    new = pages["new.md"]
    assert new.index(">Listing 2</h2>") < new.index(">Listing of Mar 14</h2>")
    assert "Appeared in Listing of Mar 14" in pages["papers/one.md"]
    labelled = render_site(corpus, Analysis(), config=Config(
        listing_labels={"002_24ce0b45.txt": "Spring reading"}))
    assert ">Spring reading</h2>" in labelled["new.md"]
    assert "Appeared in Spring reading" in labelled["papers/two.md"]


def test_lists_show_a_snippet_and_tags_and_all_papers_has_a_jump_bar():
    one = paper("alpha", "Alpha", "First sentence here. Second one.")
    two = paper("beta", "Beta", "Beta does things. More.", dump="002_24ce0b45.txt")
    analysis = Analysis({"alpha": PaperAnalysis(tags=("graphs",))})
    pages = render_site(Corpus((one, two), DUMPS), analysis)
    item = ('<li><a href="alpha/">Alpha</a> <span class="paper-snippet">First sentence here.</span>'
            ' <span class="paper-tags"><a class="paper-tag" href="../tags/graphs/">graphs</a></span></li>')
    assert item in pages["papers/index.md"]
    assert '<a href="#letter-a" title="1 paper">A</a>' in pages["papers/index.md"]
    assert '<span aria-disabled="true">C</span>' in pages["papers/index.md"]
    newest = pages["papers/by-date/index.md"]
    assert newest.index("Beta") < newest.index("Alpha")  # the newest listing first
    for path in ("new.md", "tags/graphs.md"):
        assert '<span class="paper-snippet">' in pages[path], path


def test_long_lists_are_paginated_and_pages_link_each_other(monkeypatch):
    monkeypatch.setattr(render, "PAPER_LIST_LIMIT", 2)
    papers = tuple(paper(f"p{index}", f"P{index}") for index in range(5))
    analysis = Analysis({item.slug: PaperAnalysis(tags=("graphs",)) for item in papers})
    pages = render_site(Corpus(papers, DUMPS[:1]), analysis)
    assert [path for path in pages if path.startswith("tags/graphs")] == [
        "tags/graphs.md", "tags/graphs/2.md", "tags/graphs/3.md"]
    assert '<a href="../2/">2</a>' in pages["tags/graphs/3.md"]
    assert '<span aria-current="page">3</span>' in pages["tags/graphs/3.md"]
    assert sum(pages[path].count("<li>") for path in pages if path.startswith("papers/by-date")) == 5
    # What's new shows a page's worth and continues in the newest-first list.
    assert 'And 3 more: <a href="../papers/by-date/2/">' in pages["new.md"]


def test_site_has_home_lists_and_one_page_per_paper():
    papers = (paper("a-paper"), paper("b-paper", "B <i>"))
    corpus = Corpus(papers, (DumpSummary("001.txt", "Mar 14", 3),))
    pages = render_site(corpus, Analysis())
    assert sorted(pages) == ["api/papers.json", "api/tags.json", "index.md", "map/data.json",
                             "map/index.md", "new.md", "papers/a-paper.md", "papers/b-paper.md",
                             "papers/by-date/index.md", "papers/index.md", "similar/index.md",
                             "tags/index.md"]
    home = pages["index.md"]
    assert "2 machine-learning papers from 1 listings" in home
    assert "1 repeated listings merged" in home
    assert "<td>Listing of Mar 14</td>" in home
    assert '<label class="home-search__box" for="__search">' in home
    assert '<a href="papers/b-paper/">B &lt;i&gt;</a>' in home[home.index("Newest papers"):]


def test_output_is_deterministic():
    papers = (paper("a-paper", "A", "One. Two."), paper("b-paper", "B", "Three."))
    analysis = Analysis({"a-paper": PaperAnalysis(tags=("x", "y"))})
    corpus = Corpus(papers, DUMPS[:1])
    assert render_site(corpus, analysis, "https://x.org/") == render_site(corpus, analysis, "https://x.org/")
