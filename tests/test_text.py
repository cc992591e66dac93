"""Dump text -> HTML: shown exactly as text, LaTeX leftovers cleaned, links made."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.text import TOKEN, has_tokens, to_html, to_plain, trim_url


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<projektor>", "&lt;projektor&gt;"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('a "quoted" & \'x\'', "a &quot;quoted&quot; &amp; &#x27;x&#x27;"),
        # Markdown and template syntax pass through untouched: render.py puts
        # this HTML in raw blocks that Markdown never parses.
        ("*a* _b_ | c # d [x](y) {{ e }} {% f %}", "*a* _b_ | c # d [x](y) {{ e }} {% f %}"),
    ],
)
def test_markup_in_dump_text_is_escaped(text, html):
    assert to_html(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (r'Schr\"odinger', "Schrödinger"),
        (r'Schr\"{o}dinger', "Schrödinger"),
        (r'na\"{\i}ve and Fr\'echet', "naïve and Fréchet"),
        (r"2.5\% and A\&B", "2.5% and A&amp;B"),
        (r"two {\em failure modes}", "two <em>failure modes</em>"),
        (r"\textbf{MoE-LoRA} wins", "<em>MoE-LoRA</em> wins"),
        (r"\Delta-rule, \eg, this", "Δ-rule, e.g., this"),
    ],
)
def test_latex_leftovers_are_cleaned_for_reading(text, html):
    assert to_html(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("$f$-Divergence", '<span class="math">f</span>-Divergence'),
        (r"$O(n^2 \log n)$ time", '<span class="math">O(n<sup>2</sup> log n)</span> time'),
        (r"$\mathcal{X}_{t+1}$", '<span class="math">X<sub>t+1</sub></span>'),
        (r"$\alpha$-$\beta$", '<span class="math">α</span>-<span class="math">β</span>'),
        ("costs $5 and $10", "costs $5 and $10"),
        ("$<b>$", '<span class="math">&lt;b&gt;</span>'),
    ],
)
def test_dollar_math_renders(text, html):
    assert to_html(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Code: https://github.com/a/b.",
         'Code: <a href="https://github.com/a/b">https://github.com/a/b</a>.'),
        ("(see https://x.org/p)", '(see <a href="https://x.org/p">https://x.org/p</a>)'),
        ("at https://x.org/a_(b), ok",
         'at <a href="https://x.org/a_(b)">https://x.org/a_(b)</a>, ok'),
        ('https://x.org/"onmouseover="alert(1)',
         '<a href="https://x.org/">https://x.org/</a>&quot;onmouseover=&quot;alert(1)'),
        ("https://. only", "https://. only"),
    ],
)
def test_urls_become_links_without_swallowing_punctuation(text, html):
    assert to_html(text) == html


def test_trim_url_keeps_balanced_parentheses():
    assert trim_url("https://en.wikipedia.org/wiki/Set_(mathematics))") == (
        "https://en.wikipedia.org/wiki/Set_(mathematics)")


def test_plain_text_has_the_same_words_without_markup():
    text = r'{\em Schr\"odinger} bridges: $O(n^2)$ at https://x.org/a. <tag>'
    assert to_plain(text) == "Schrödinger bridges: O(n^2) at https://x.org/a. <tag>"


def test_long_line_is_linear():
    line = ("{\\em " + "x" * 600 + " $" + "y" * 400 + " https://" + "z" * 3000 + " ") * 300
    assert len(to_html(line)) > len(line)


# The characters TOKEN's alternatives look for, and the marks has_tokens checks.
TOKEN_ALPHABET = st.sampled_from(list("\\${}^_%&#\"'`~=.:/ uvHckemitfbsxhp") + ["http", "https://"])


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.lists(TOKEN_ALPHABET, max_size=30).map("".join))
def test_text_without_token_marks_is_taken_as_it_is(text):
    # tokens() skips the regex scan for such text: TOKEN must find nothing there.
    assert has_tokens(text) or TOKEN.search(text) is None
