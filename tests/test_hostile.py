"""Hostile dump text: it is shown exactly as text and never becomes markup.

Dumps are copied from web pages, so titles and abstracts are untrusted. Three
levels, cheapest first:

- ``to_html`` fragments and slugs, for thousands of generated strings;
- whole pages from ``render_site`` through Python-Markdown configured as the
  site's ``mkdocs.yml`` configures it, hundreds of generated corpora;
- real ``mkdocs build --strict`` runs: a few generated corpora of ~25 papers
  each, and the hand-written ``fixtures/hostile.txt``.

What "safe" means, checked with ``html.parser`` rather than by eye: the text a
reader sees equals ``to_plain`` of the dump text (the documented LaTeX clean
up), the only elements dump text yields are the ones ``to_html`` writes (links
to http(s) URLs that are in the text, emphasis, math), and the HTML
``render`` writes around dump text reaches the built page unchanged, so no
Markdown, template or theme step has reinterpreted any of it.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath, PureWindowsPath

import feedparser
import markdown
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.utils.meta import get_data as split_front_matter

from generator.analysis import Analysis
from generator.corpus import MAX_SLUG_LENGTH, Corpus, build_corpus, slug_for, title_key
from generator.feed import FEED_PATH, NEW_PAGE
from generator.parse import (BOILERPLATE, DATE_LINE, Dump, Entry, clean_line, parse_lines,
                              read_dump)
from generator.render import PAPERS_DIR, page_title, render_site
from generator.text import title_html, to_html, to_plain
from tests.conftest import FIXTURES, ROOT, dump_text, generate, make_project, mkdocs_build, search_records


def examples(count: int) -> settings:
    """Deterministic and database-free settings, so CI runs the same cases every time."""
    return settings(max_examples=count, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


HOSTILE_SNIPPETS = [
    # HTML and script injection.
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    '" onmouseover="alert(1)', "' onfocus='alert(1)' autofocus='", "<a href='javascript:alert(1)'>x</a>",
    "javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "<iframe src=//x.org>", "<style>*{}</style>",
    "</h1>", "</p></div>", "<div>", "<!--", "-->", "<![CDATA[x]]>", "<?xml?>", "<p onclick=x>",
    "&lt;", "&amp;", "&#60;script&#62;", "&#x3C;", "&", "<", ">", "%3Cscript%3E",
    # URLs that try to break out of the href they become.
    'https://x.org/"onmouseover="alert(1)', "https://x.org/<script>", "http://x.org/a_(b).",
    "https://x.org/?q=1&r=<b>", "https://", "http://x.org/'onclick='x",
    # Markdown and its extensions (attr_list, pymdownx.keys, toc, tables).
    "**bold**", "*em*", "_em_", "__x__", "`code`", "```", "# heading", "## h2", "| a | b |",
    "|---|", "[x](https://x.org)", "[x](javascript:alert(1))", "![x](data:image/png;base64,AA)",
    "<https://x.org>", "[^1]", "*[HTML]: Hyper", "{: onclick=alert(1) }", "{: .cls #id }",
    "++ctrl+alt+del++", "> quote", "- item", "1. item", "    indented", "===", "***", "\\*",
    "[TOC]", "\x02", "\x03", "\x02wzxhzdk:0\x03", "klzzwxh:0000",
    # Templates.
    "{{ config.site_name }}", "{{ 7*7 }}", "{% include 'base.html' %}", "{% raw %}", "{# c #}",
    "${7*7}", "<%= 7*7 %>",
    # YAML breakers.
    "---", "...", ": ", "#", "'", '"', "\\", "- ", "? ", "!!python/object:os.system", "&a *a",
    "|", ">-", "%YAML 1.2", "@", "`", "\t", "null", "~", "true", "0x1F",
    # LaTeX leftovers the text module cleans.
    "$x^2$", "$a_{ij}$", "$\\alpha$", '\\"o', "2.5\\%", "{\\em x}", "\\textbf{y}", "$", "$$",
    "\\", "\\\\", "\\alpha", "{", "}",
    # Control, bidi and other Unicode.
    "\x00", "\x1b[31m", "\r", "\r\n", "\n", "\x0b", "\x0c", "\x7f", "\x85", "\u2028", "\u2029",
    "\ufeff", "\u200b", "\u200d", "\u202e", "\u2066", "\u200f", "\u061c", "عربي", "עברית",
    "👩‍🔬", "🏳️‍🌈", "é", "e\u0301", "ﬁ", "Ⅻ", "İ", "ß", "\U0010fffd", "\u0000",
]

fragment = st.one_of(
    st.sampled_from(HOSTILE_SNIPPETS),
    st.text(max_size=12),
    st.text(alphabet="<>&\"'/=\\$^_{}[]()*#|:!- .ahjpsvx\x00\n", max_size=12),
)
hostile_text = st.lists(fragment, max_size=14).map("".join)
# A dump line as it reaches the renderer: parse folds white space and control
# characters (NUL, newlines, escapes) into single spaces first.
hostile_line = hostile_text.map(clean_line).filter(bool)
very_long_line = st.builds(lambda piece, times: clean_line(piece * times) or "x",
                           st.sampled_from(HOSTILE_SNIPPETS), st.integers(500, 5000))


# ---------------------------------------------------------------- HTML checks

SAFE_SCHEMES = ("http://", "https://")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}
# Elements that run code, restyle a page or send its data away. No dump text
# may produce one; a built page has exactly as many as the theme's 404 page.
ACTIVE_ELEMENTS = {"script", "style", "iframe", "object", "embed", "frame", "frameset",
                   "base", "form", "template", "noscript", "applet", "meta"}
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
# What to_html may write: links, emphasis, math with super- and subscripts.
TEXT_MARKUP = {"a": {"href"}, "em": set(), "span": {"class"}, "sup": set(), "sub": set()}


class Elements(HTMLParser):
    """Every element of an HTML text, and its text as a reader sees it.

    A superscript's text is prefixed with ``^``, as ``to_plain`` writes it.
    """

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.parts: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "sup":
            self.parts.append("^")

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def assert_shows_as_text(fragment_html: str, dump_text_: str) -> None:
    """``fragment_html`` (from to_html) shows ``dump_text_`` and no markup of its own."""
    parsed = Elements(fragment_html)
    assert parsed.text == to_plain(dump_text_)
    for tag, attrs in parsed.elements:
        assert tag in TEXT_MARKUP, f"element <{tag}> from dump text {dump_text_!r}"
        assert set(attrs) <= TEXT_MARKUP[tag], f"attributes {attrs} from {dump_text_!r}"
        if tag == "span":
            assert attrs["class"] == "math"
        if tag == "a":
            href = attrs["href"]
            assert href.startswith(SAFE_SCHEMES) and len(href) > len("https://")
            assert href in parsed.text, f"link {href!r} is not in the text"


def active_elements(page_html: str) -> Counter:
    return Counter(tag for tag, _ in Elements(page_html).elements if tag in ACTIVE_ELEMENTS)


def assert_no_active_content(page_html: str, theme: Counter = Counter()) -> None:
    """No event handler or javascript:/data: URL in a page, and no script, style,
    frame or form but the ``theme``'s."""
    for tag, attrs in Elements(page_html).elements:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name}={value!r} on <{tag}>"
            if name in URL_ATTRIBUTES and value:
                assert not value.strip().lower().startswith(UNSAFE_SCHEMES), value
    assert active_elements(page_html) == theme


def paper_link_html(paper) -> str:
    """How every list (all papers, home, related) shows a title: a link whose text is
    exactly ``title_html`` of the title (a title is itself a link: no URL links in it)."""
    return f'{paper.slug}/">{title_html(paper.title)}</a>'


def assert_slug_portable(slug: str) -> None:
    """A paper's file ``docs/papers/<slug>.md`` and folder ``site/papers/<slug>/``
    are valid, distinct names on Linux, macOS and Windows, inside papers/."""
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and len(slug) <= MAX_SLUG_LENGTH
    file_name = f"{slug}.md"
    assert len(file_name.encode("utf-8")) <= 100
    assert slug.split(".")[0] not in {"con", "prn", "aux", "nul"} | {
        f"{device}{n}" for device in ("com", "lpt") for n in range(10)}
    for flavour in (PurePosixPath, PureWindowsPath):
        path = flavour(PAPERS_DIR, file_name)
        assert path.parent == flavour(PAPERS_DIR) and path.name == file_name


# ------------------------------------------------------- fragments and slugs

@examples(1000)
@given(st.one_of(hostile_text, hostile_line))
def test_to_html_shows_any_text_as_text(text):
    assert_shows_as_text(to_html(text), text)


@pytest.mark.parametrize("text, shown", [
    ("C:\\Windows\\config", "C:\\Windows\\config"),
    ("\\usepackage \\kernel \\hat", "\\usepackage \\kernel \\hat"),
    ("$a \\cdot b$ and \\kappa, \\varepsilon, \\upsilon", "a · b and κ, ε, \\upsilon"),
    ("\\c{c}, \\c c, \\v{s}, \\u{a}, \\H{o}, \\k{a}", "ç, ç, š, ă, ő, ą"),
])
def test_backslash_words_are_not_taken_for_accents(text, shown):
    """Only \\c{c} or \\c c is a cedilla: \\config is a word and stays as given."""
    assert to_plain(text) == shown
    assert_shows_as_text(to_html(text), text)


@examples(60)
@given(very_long_line)
def test_to_html_shows_long_lines_as_text(text):
    assert_shows_as_text(to_html(text), text)


@examples(1000)
@given(st.one_of(hostile_line, very_long_line))
def test_slugs_are_portable_bounded_file_names(title):
    key = title_key(title) or title
    slug = slug_for(key)
    assert_slug_portable(slug)
    assert slug_for(key) == slug


@examples(300)
@given(st.lists(st.one_of(hostile_text, st.sampled_from(["Mar 14", "Subscribe", ""])),
                max_size=12))
def test_parse_uses_or_reports_every_line(lines):
    """Nothing is lost: each line is chrome, a date, part of an entry, or
    named in a diagnostic; and entries hold their lines whole."""
    dump = parse_lines(lines, "hostile.txt")
    cleaned = [clean_line(line) for line in lines]
    accounted = {number for number, text in enumerate(cleaned, start=1) if not text}
    accounted |= {number for number, role in dump.roles if role != "skipped"}
    accounted |= {diagnostic.line for diagnostic in dump.errors}
    assert accounted == set(range(1, len(lines) + 1))
    for entry in dump.entries:
        # Whole: a title is its line (a "title<TAB>abstract" row holds both;
        # "Subscribe" glued to the first title is dropped).
        assert (entry.line, "title") in dump.roles
        assert entry.title in cleaned[entry.line - 1]
        abstract_lines = [n for n, role in dump.roles if role == "abstract" and n >= entry.line]
        assert abstract_lines and entry.abstract.split()[0] in cleaned[abstract_lines[0] - 1]


# ---------------------------------------------- whole pages through Markdown

ANCHOR = ("Graph neural networks for molecules",
          "We study graph neural networks for molecules and proteins.")


def corpus_of(pairs: list[tuple[str, str]]) -> Corpus:
    entries = tuple(Entry(title, abstract, 2 * index + 1)
                    for index, (title, abstract) in enumerate([ANCHOR, *pairs]))
    return build_corpus([Dump("hostile.txt", entries)])


@pytest.fixture(scope="module")
def site_markdown():
    """A Markdown converter configured exactly as mkdocs.yml configures MkDocs'."""
    config = load_mkdocs_config(str(ROOT / "mkdocs.yml"))
    converter = markdown.Markdown(extensions=config.markdown_extensions,
                                  extension_configs=config.mdx_configs)

    def convert(page: str) -> tuple[str, dict]:
        body, meta = split_front_matter(page)
        return converter.reset().convert(body), meta

    return convert


@examples(200)
@given(pairs=st.lists(st.tuples(hostile_line, hostile_line), min_size=1, max_size=4))
def test_rendered_pages_show_dump_text_as_text(site_markdown, pairs):
    corpus = corpus_of(pairs)
    # No analysis: related links show titles as the lists do, and the real
    # TF-IDF runs in the site builds below.
    pages = render_site(corpus, Analysis())
    assert {title_key(title) or title for title, _ in [ANCHOR, *pairs]} == {
        paper.key for paper in corpus.papers}
    converted = {path: site_markdown(page) for path, page in pages.items() if path.endswith(".md")}
    for page_html, _ in converted.values():
        assert_no_active_content(page_html)
    for paper in corpus.papers:
        assert_slug_portable(paper.slug)
        assert_shows_as_text(to_html(paper.title), paper.title)
        assert_shows_as_text(to_html(paper.abstract), paper.abstract)
        page_html, meta = converted[f"{PAPERS_DIR}/{paper.slug}.md"]
        assert meta["title"] == page_title(paper)
        assert html.unescape(meta["title"]) == to_plain(paper.title)
        assert meta["abstract"] == to_plain(paper.abstract)
        # Raw HTML reaches the page untouched: Markdown reinterpreted nothing.
        assert f'<h1 class="paper-title" id="paper">{title_html(paper.title)}</h1>' in page_html
        assert f"<p>{to_html(paper.abstract)}</p>" in page_html
        for listing in (f"{PAPERS_DIR}/index.md", NEW_PAGE):
            assert paper_link_html(paper) in converted[listing][0]


def assert_feed_shows_text(feed_xml: str | bytes, corpus: Corpus) -> None:
    """Feed readers show an RSS title as text and a description as HTML."""
    feed = feedparser.parse(feed_xml)
    assert not feed.bozo, feed.get("bozo_exception")
    items = {entry.link.rstrip("/").rsplit("/", 1)[-1]: entry for entry in feed.entries}
    assert set(items) == {paper.slug for paper in corpus.papers}
    for paper in corpus.papers:
        # The title goes in escaped as HTML, which readers that take RSS titles
        # as HTML show as the text; feedparser, which takes a title as plain
        # text unless it looks like HTML, hands the escapes back as they are.
        assert html.unescape(items[paper.slug].title) == to_plain(paper.title)
        assert_shows_as_text(items[paper.slug].summary, paper.abstract)


@examples(200)
@given(pairs=st.lists(st.tuples(hostile_line, hostile_line), min_size=1, max_size=4))
def test_feed_shows_dump_text_as_text(pairs):
    corpus = corpus_of(pairs)
    pages = render_site(corpus, Analysis(), "https://example.org/library/")
    assert_feed_shows_text(pages[FEED_PATH], corpus)


# ------------------------------------------------------ real mkdocs builds

class BuiltSite:
    """A built site's pages and search index."""

    def __init__(self, project: Path) -> None:
        self.root = project / "site"
        self.search = search_records(self.root)
        # Pages that list every paper of a one-dump site: all papers, what's new.
        self.lists = [path.read_text("utf-8") for path in (
            self.root / PAPERS_DIR / "index.html", self.root / "new" / "index.html")
            if path.exists()]
        self.theme = active_elements((self.root / "404.html").read_text("utf-8"))

    def page(self, paper) -> str:
        return (self.root / PAPERS_DIR / paper.slug / "index.html").read_text("utf-8")


def header_title(page_html: str) -> str:
    """The page title as Material prints it in the header bar."""
    topic = re.search(r'<div class="md-header__topic" data-md-component="header-topic">\s*'
                      r'<span class="md-ellipsis">(.*?)</span>', page_html, re.S)
    return html.unescape(topic[1].strip())


def window_title(page_html: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page_html, re.S)[1])


def words(text: str) -> str:
    # The search index drops zero-width spaces.
    return " ".join(text.replace("\u200b", "").split())


def assert_paper_shown_as_text(site: BuiltSite, paper) -> None:
    page_html = site.page(paper)
    title, abstract = to_plain(paper.title), to_plain(paper.abstract)
    assert f'<h1 class="paper-title" id="paper">{title_html(paper.title)}</h1>' in page_html
    assert f"<p>{to_html(paper.abstract)}</p>" in page_html
    assert_no_active_content(page_html, site.theme)
    # Material prints the front matter title raw in <title> and the header.
    assert window_title(page_html) == f"{title} - Research paper library"
    assert header_title(page_html) == title.strip()
    # The search record holds plain text, which the search box shows as text.
    entry = site.search[f"/{PAPERS_DIR}/{paper.slug}/"]
    assert words(entry["meta"]["title"]) == words(title)
    assert words(abstract) in words(entry["content"])
    for listing in site.lists:
        assert paper_link_html(paper) in listing


def build_site(project: Path, dump: str | bytes) -> tuple[Corpus, BuiltSite]:
    make_project(project, dumps={"hostile.txt": dump})
    # Not --strict: random text may make the parser warn of a close call;
    # the callers check that every paper came through whole.
    assert generate(project) == 0
    mkdocs_build(project)
    corpus = build_corpus([read_dump(project / "dumps" / "hostile.txt")])
    return corpus, BuiltSite(project)


def as_dump_lines(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Make generated text parse as title and abstract lines: a title must not
    end with a full stop, an abstract must; numbered words keep papers distinct."""
    return [(f"{title} t{number}x", f"{abstract} a{number}x.")
            for number, (title, abstract) in enumerate(pairs)]


@pytest.mark.slow
# Each example is a site build: no shrinking, the render-level test above
# finds the smallest failing text of any bug this one finds, in milliseconds.
@settings(examples(3), phases=[Phase.explicit, Phase.generate])
@given(pairs=st.lists(st.tuples(hostile_line.filter(lambda t: len(t) < 250), hostile_line),
                      min_size=20, max_size=30))
def test_built_site_shows_generated_papers_as_text(tmp_path_factory, pairs):
    project = tmp_path_factory.mktemp("generated")
    corpus, site = build_site(project, dump_text(ANCHOR, *as_dump_lines(pairs)))
    assert len(corpus.papers) == len(pairs) + 1
    for paper in corpus.papers:
        assert_paper_shown_as_text(site, paper)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("hostile")
    # Bytes, not text: reading text would turn the fixture's lone \r into a line break.
    return (project, *build_site(project, (FIXTURES / "hostile.txt").read_bytes()))


@pytest.mark.slow
def test_hostile_fixture_every_paper_present_as_text(hostile_site):
    project, corpus, site = hostile_site
    dump = read_dump(FIXTURES / "hostile.txt")
    assert dump.warnings == ()
    assert len(corpus.papers) == len(dump.entries) >= 40
    for paper in corpus.papers:
        assert_slug_portable(paper.slug)
        assert (project / "docs" / PAPERS_DIR / f"{paper.slug}.md").is_file()
        assert_paper_shown_as_text(site, paper)


@pytest.mark.slow
def test_hostile_fixture_nothing_executes_on_any_page(hostile_site):
    project, corpus, site = hostile_site
    pages = sorted(site.root.rglob("*.html"))
    assert len(pages) > len(corpus.papers)
    for page in pages:
        assert_no_active_content(page.read_text("utf-8"), site.theme)


@pytest.mark.slow
def test_hostile_fixture_templates_stay_text(hostile_site):
    project, corpus, site = hostile_site
    templated = [paper for paper in corpus.papers if "{{" in paper.title]
    assert templated
    for paper in templated:
        page_html = site.page(paper)
        for shown in (window_title(page_html), header_title(page_html)):
            assert "{{ config.site_name }}" in shown and "{%" in shown
        assert "{{ 7*7 }}" in Elements(page_html).text


@pytest.mark.slow
def test_hostile_fixture_feed_shows_text_as_text(hostile_site):
    project, corpus, site = hostile_site
    assert_feed_shows_text((site.root / FEED_PATH).read_bytes(), corpus)
