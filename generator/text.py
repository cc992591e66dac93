"""Dump text -> safe HTML or plain text.

Dump text is untrusted: it is only ever emitted HTML-escaped, inside markup
this module writes itself. On the way, the LaTeX leftovers that listing pages
show verbatim are cleaned for reading: accents (``Schr\\"odinger``), escaped
specials (``2.5\\%``), ``{\\em x}``-style emphasis and ``$...$`` math, which
becomes Unicode with superscripts and subscripts. URLs become links.

One tokenizer serves both outputs, so the HTML a reader sees and the plain
text that titles, ids and TF-IDF use always agree.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Iterator

ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
    "c": "\u0327", "k": "\u0328",
}
SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ",
    "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ",
    "Lambda": "Λ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω", "infty": "∞", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "neq": "≠", "approx": "≈", "sim": "∼", "times": "×", "cdot": "·",
    "pm": "±", "to": "→", "rightarrow": "→", "leftarrow": "←", "in": "∈",
    "sqrt": "√", "sum": "∑", "prod": "∏", "partial": "∂", "nabla": "∇",
    "ell": "ℓ", "log": "log", "exp": "exp", "min": "min", "max": "max",
    "ldots": "…", "dots": "…", "i": "ı", "eg": "e.g.", "ie": "i.e.",
    "etc": "etc.",
}
# Commands whose braced argument is kept as plain text: \mathcal{X} -> X.
TEXT_COMMANDS = "mathcal|mathbb|mathbf|mathrm|mathit|text|textrm|texttt|operatorname"
EMPHASIS_COMMANDS = "emph|textit|textbf|textsc|textsl"
EMPHASIS_SWITCHES = "em|it|bf|sc|sl"

# Every quantifier is bounded or stops at a delimiter it cannot cross, so a
# 1 MB line is scanned in linear time.
TOKEN = re.compile(
    r"(?P<url>https?://[^\s<>\"'`{}|\\^\[\]]{1,2000})"
    r"|\$(?P<math>(?=[^\s$])[^$\n]{0,300}?[^\s$\\])\$"
    r"|\{\\(?:" + EMPHASIS_SWITCHES + r")\s{1,20}(?P<switch>[^{}]{0,500})\}"
    r"|\\(?:" + EMPHASIS_COMMANDS + r")\{(?P<emph>[^{}]{0,500})\}"
    # A letter accent needs a space or brace before its letter: \c{c} is ç,
    # but \cdot and \kappa are commands, not accented "dot" and "appa".
    r"|\\(?P<accent>[\"'`^~=.]|[uvHck](?=[\s{]))\s?\{?\\?(?P<base>[A-Za-z])\}?"
    r"|\\(?P<escaped>[%&_#$])"
    r"|\\(?P<symbol>[A-Za-z]{1,20})\b"
)
URL_TRAILING = ".,;:!?'\""
MATH_SCRIPT = re.compile(r"(?P<op>[\^_])(?:\{(?P<group>[^{}]{0,100})\}|(?P<single>\\?\w))")
MATH_COMMAND = re.compile(r"\\(?:(?:" + TEXT_COMMANDS + r")\{([^{}]{0,100})\}|([A-Za-z]{1,20}))")
BRACES = re.compile(r"[{}]")


def trim_url(url: str) -> str:
    """Drop sentence punctuation a URL swallowed, keeping balanced brackets.

    >>> trim_url("https://x.org/a_(b).")
    'https://x.org/a_(b)'
    >>> trim_url("https://x.org/a).")
    'https://x.org/a'
    """
    while url:
        if url[-1] in URL_TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            return url
    return url


def accented(accent: str, base: str) -> str:
    return unicodedata.normalize("NFC", base + ACCENTS[accent])


def math_pieces(source: str) -> list[tuple[str, str]]:
    """Split the inside of ``$...$`` into Unicode text, ``^`` and ``_`` pieces.

    Command names become symbols first, so ``x^\\alpha`` gives
    ``[("", "x"), ("^", "α")]``.
    """

    def command(match: re.Match) -> str:
        argument, name = match.groups()
        return argument if argument is not None else SYMBOLS.get(name, name)

    text = MATH_COMMAND.sub(command, source)
    pieces, position = [], 0
    for match in MATH_SCRIPT.finditer(text):
        inner = match["group"] if match["group"] is not None else match["single"]
        pieces.append(("", text[position : match.start()]))
        pieces.append((match["op"], inner))
        position = match.end()
    pieces.append(("", text[position:]))
    return [(op, BRACES.sub("", piece)) for op, piece in pieces if piece]


def has_tokens(text: str) -> bool:
    """Whether ``TOKEN`` can match in ``text``: each of its alternatives
    needs a backslash, a dollar or "http". Most abstracts have none."""
    return "\\" in text or "$" in text or "http" in text


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """Yield ``(kind, value)`` pieces: kind is text, url, math or emphasis."""
    if not has_tokens(text):  # the common case: skip the regex scan
        yield "text", text
        return
    position = 0
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        value = match[kind]
        start = match.start()
        if kind == "url":
            value = trim_url(value)
            if len(value) <= len("https://"):
                continue
        yield "text", text[position:start]
        position = start + (len(value) if kind == "url" else len(match[0]))
        if kind == "url":
            yield "url", value
        elif kind == "math":
            yield "math", value
        elif kind in ("switch", "emph"):
            yield "emphasis", value
        elif kind == "base":
            yield "text", accented(match["accent"], value)
        elif kind == "escaped":
            yield "text", value
        else:
            yield "text", SYMBOLS.get(value, match[0])
    yield "text", text[position:]


SCRIPT_TAGS = {"^": "sup", "_": "sub"}


def _html_math(source: str) -> str:
    parts = []
    for op, piece in math_pieces(source):
        escaped = html.escape(piece, quote=True)
        tag = SCRIPT_TAGS.get(op)
        parts.append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
    return '<span class="math">' + "".join(parts) + "</span>"


def to_html(text: str, link_urls: bool = True) -> str:
    """Render dump text as an HTML fragment that shows it exactly as text.

    >>> to_html('<b>2.5\\\\%</b> see https://x.org.')
    '&lt;b&gt;2.5%&lt;/b&gt; see <a href="https://x.org">https://x.org</a>.'
    """
    parts = []
    for kind, value in tokens(text):
        escaped = html.escape(value, quote=True)
        if kind == "url" and link_urls:
            parts.append(f'<a href="{escaped}">{escaped}</a>')
        elif kind == "math":
            parts.append(_html_math(value))
        elif kind == "emphasis":
            parts.append(f"<em>{to_html(value, link_urls)}</em>")
        else:
            parts.append(escaped)
    return "".join(parts)


def title_html(title: str) -> str:
    """A title as HTML: like ``to_html`` but a URL in it stays text, since a
    title is itself shown as a link and links must not nest.

    >>> title_html("Code at https://x.org")
    'Code at https://x.org'
    """
    return to_html(title, link_urls=False)


def _plain_math(source: str) -> str:
    return "".join(f"^{piece}" if op == "^" else piece for op, piece in math_pieces(source))


def to_plain(text: str) -> str:
    """The reading text of dump text, LaTeX cleaned, with no markup at all.

    >>> to_plain(r'Schr\\"odinger bridges for $f$-divergences')
    'Schrödinger bridges for f-divergences'
    """
    parts = []
    for kind, value in tokens(text):
        if kind == "math":
            parts.append(_plain_math(value))
        elif kind == "emphasis":
            parts.append(to_plain(value))
        else:
            parts.append(value)
    return "".join(parts)
