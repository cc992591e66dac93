"""Where a paper page links out: searches for its title, and the arXiv
paper and code an abstract names (pure: no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit

from generator.text import tokens, to_plain

# "arXiv:2212.08630", "arXiv 2303.06208v2", or an arxiv.org/abs|pdf address.
ARXIV_ID = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|\barxiv:\s?)(?P<id>\d{4}\.\d{4,5})(?:v\d{1,3})?", re.IGNORECASE
)
CODE_HOSTS = frozenset({"github.com", "www.github.com", "gitlab.com", "www.gitlab.com"})
MAX_CODE_LINKS = 2


@dataclass(frozen=True)
class LinkOut:
    label: str
    url: str
    kind: str
    """``search`` (a search for the title), ``paper`` (arXiv) or ``code``."""
    detail: str = ""
    """What the link leads to, when the label does not say: a repository's path."""


def title_searches(title: str, link_outs: dict[str, str]) -> list[LinkOut]:
    """One search per configured engine for the exact ``title``.

    >>> title_searches("A & B", {"X": "https://x.org/?q={title}"})
    [LinkOut(label='X', url='https://x.org/?q=A+%26+B', kind='search', detail='')]
    """
    query = quote_plus(to_plain(title))
    return [LinkOut(name, template.replace("{title}", query), "search")
            for name, template in link_outs.items()]


def arxiv_links(abstract: str) -> list[LinkOut]:
    """The arXiv papers an abstract names, each once, in order.

    >>> [link.url for link in arxiv_links("See arXiv:2212.08630. Also https://arxiv.org/abs/2212.08630v2")]
    ['https://arxiv.org/abs/2212.08630']
    """
    ids = dict.fromkeys(match["id"] for match in ARXIV_ID.finditer(abstract))
    return [LinkOut(f"arXiv {id_}", f"https://arxiv.org/abs/{id_}", "paper") for id_ in ids]


def code_links(abstract: str) -> list[LinkOut]:
    """The GitHub or GitLab repositories an abstract names (at most two).

    >>> code_links("Code: https://github.com/a/b. Mirror: https://gitlab.com/a/b")[1].detail
    'gitlab.com/a/b'
    """
    urls = dict.fromkeys(value for kind, value in tokens(abstract)
                         if kind == "url" and urlsplit(value).hostname in CODE_HOSTS
                         and urlsplit(value).path.strip("/"))
    return [LinkOut("Code", url, "code", url.split("://", 1)[1].removeprefix("www."))
            for url in list(urls)[:MAX_CODE_LINKS]]


def link_outs(title: str, abstract: str, searches: dict[str, str]) -> list[LinkOut]:
    """The paper itself and its code when the abstract names them, then the searches."""
    return arxiv_links(abstract) + code_links(abstract) + title_searches(title, searches)
