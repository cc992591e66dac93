"""Rendering: pages hold dump text as text, in front matter MkDocs can read."""

from __future__ import annotations

import yaml

from generator.analysis import Analysis, PaperAnalysis
from generator.corpus import Corpus, DumpSummary, Paper, Source
from generator.related import RelatedLink
from generator.render import render_paper, render_site

HOSTILE_TITLE = "<projektor> *Bold* _it_ | # [x](y) {{ page.title }}: a \"quote\""
HOSTILE_ABSTRACT = "Use <script>alert(1)</script> {% if x %} **not bold** at https://x.org/a)."


def paper(slug: str, title: str = "A Title", abstract: str = "An abstract.") -> Paper:
    return Paper(slug, slug, title, abstract, (Source("001.txt", "Mar 14", 3),))


def front_matter_and_body(page: str) -> tuple[dict, str]:
    _, meta, body = page.split("---\n", 2)
    return yaml.safe_load(meta), body


def test_front_matter_is_yaml_with_an_escaped_title():
    hostile = paper("hostile", HOSTILE_TITLE, HOSTILE_ABSTRACT)
    other = paper("other", "Other")
    analysis = PaperAnalysis(tags=("graph learning", "transformers"),
                             related=(RelatedLink("other", 0.42, ("graph", "attention")),))
    meta, _ = front_matter_and_body(
        render_paper(hostile, analysis, {"hostile": hostile, "other": other}))
    # Themes print page.meta.title unescaped, so it is stored HTML-escaped.
    assert meta["title"] == "&lt;projektor&gt; *Bold* _it_ | # [x](y) {{ page.title }}: a \"quote\""
    assert meta["abstract"] == HOSTILE_ABSTRACT
    assert meta["tags"] == ["graph learning", "transformers"]
    assert meta["related"] == ["other"]
    assert meta["sources"] == ["001.txt"]


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
            assert line.startswith(("<h1", "<div")), line


def test_related_links_are_explained_and_backlinks_listed():
    one, two, three = paper("one", "One"), paper("two", "Two <b>"), paper("three", "Three")
    analysis = PaperAnalysis(related=(RelatedLink("two", 0.4567, ("graph", "attention")),),
                             backlinks=("three",))
    _, body = front_matter_and_body(
        render_paper(one, analysis, {"one": one, "two": two, "three": three}))
    assert '<a href="../two/">Two &lt;b&gt;</a>' in body
    assert '<meter min="0" max="1" value="0.46"></meter> 0.46' in body
    assert "shared: graph, attention" in body
    assert "## Listed as related by" in body and '<a href="../three/">Three</a>' in body


def test_site_has_home_list_and_one_page_per_paper():
    papers = (paper("a-paper"), paper("b-paper", "B <i>"))
    corpus = Corpus(papers, (DumpSummary("001.txt", "Mar 14", 3),))
    pages = render_site(corpus, Analysis())
    assert sorted(pages) == ["api/papers.json", "api/tags.json", "index.md", "map/data.json",
                             "map/index.md", "new.md", "papers/a-paper.md", "papers/b-paper.md",
                             "papers/index.md", "similar/index.md",
                             "tags/index.md"]
    assert "**2 machine-learning papers**" in pages["index.md"]
    assert "1 repeated listings merged" in pages["index.md"]
    assert "<td>Mar 14</td>" in pages["index.md"]
    assert '<li><a href="b-paper/">B &lt;i&gt;</a></li>' in pages["papers/index.md"]
