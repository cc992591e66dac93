"""What one line of a dump can be, judged from the line alone.

Listing pages put *chrome* around their papers: the site's header, vote
counts, "Submitted by …", "3 authors", bullets, dates. Those lines are
recognised here by their whole text and never become part of a paper. Every
other line is *content*, described by the few features the segmenter
(``segment.py``) weighs to tell titles, author lines and abstracts apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

BOILERPLATE = frozenset(
    line.casefold()
    for line in (
        "new",
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "byAK and the research community",
    )
)
# The listing page's "Subscribe" button text gets glued to the first title.
GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?=[^a-z\s])")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
# Month names only, so that a title such as "Janus 2" is not taken for a date.
DATE_LINE = re.compile(_MONTH + r"\.? \d{1,2}(?:, \d{4})?")
# Listing-page chrome other than the header, matched against the whole
# case-folded line. Each is too short or too formulaic to be a title.
CHROME = re.compile(
    "|".join([
        r"[\d,.]+k?",                                   # a vote or comment count
        r"[\W_]",                                       # a lone bullet or symbol
        r"[-–—_=*~·•|#.]{2,}",                          # a separator
        r"\+? ?\d+ (?:more )?authors?",                 # "3 authors", "+2 more authors"
        r"upvoted?(?: \d+)?|\d+ upvotes?|\d+ comments?",
        r"submitted by @?[\w.\-]+(?: [\w.\-]+)?",
        r"(?:published|submitted|updated)(?: on)? .{3,24}",
        r"\d{4}-\d{2}-\d{2}",
        r"(?:\d+|an?) (?:minutes?|hours?|days?|weeks?|months?|years?) ago",
        r"\d{1,2} " + _MONTH.lower() + r"(?: \d{4})?",
    ]),
    re.IGNORECASE,
)
CONTROL_OR_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\s]+")
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
"""The control characters that are not white space (which str.split folds)."""
# Where an author line separates its names.
NAME_SEPARATOR = re.compile(r"\s*(?:,|;|·|•|&|\band\b)\s*")
_PARTICLES = frozenset("van von der den de da di del della le la du dos bin al el y".split())
URL_AT_END = re.compile(r"https?://\S+$")
# A full stop ends a sentence, but not in "vs." or "et al."; "?" and "!"
# do not count, as titles often ask or exclaim before their subtitle.
# Found by their ". X" first and the word before it checked after: a pattern
# that starts at every word character costs twenty times more on long lines.
FULL_STOP = re.compile(r"\. [A-Z]")
SENTENCE_END_BEFORE = re.compile(r"[\w)\]](?<!\bvs)(?<!\bal)(?<!\bcf)(?<!\be\.g)(?<!\bi\.e)(?<!\bFig)(?<!\bEq)\Z")


def sentence_breaks(text: str) -> int:
    """How many sentences end inside ``text`` and another starts.

    >>> sentence_breaks("We show it. Then, e.g. Fig. 2 vs. A shows more. And")
    2
    """
    count, after = 0, 0  # a break takes the character before it: breaks do not overlap
    for stop in FULL_STOP.finditer(text):
        if stop.start() > after and SENTENCE_END_BEFORE.search(text, max(0, stop.start() - 4), stop.start()):
            count, after = count + 1, stop.end()
    return count


def clean_line(raw: str) -> str:
    """Fold every run of white space or control characters into one space.

    >>> clean_line("\\ufeffA\\u00a0 title\\r")
    'A title'
    """
    text = unicodedata.normalize("NFC", raw.lstrip("\ufeff"))
    if CONTROL.search(text):
        return CONTROL_OR_SPACE.sub(" ", text).strip()
    return " ".join(text.split())  # the same for white space alone, and much quicker


def is_chrome(text: str) -> bool:
    """Whether a cleaned line is listing-page chrome rather than a paper's text."""
    return text.casefold() in BOILERPLATE or bool(CHROME.fullmatch(text))


def _name_word(word: str) -> bool:
    first = word[0]
    if word in _PARTICLES:
        return True
    # An initial ("J."), a capitalised word, or a script without case.
    return (first.isupper() or (first.isalpha() and not first.islower())) and not any(
        c.isdigit() or c in ":?!()[]{}/\"" for c in word)


def _is_name(part: str) -> bool:
    words = part.split()
    return 1 <= len(words) <= 5 and all(map(_name_word, words)) and not (
        words[0] in _PARTICLES or words[-1] in _PARTICLES)


def author_names(text: str) -> tuple[str, ...]:
    """The names in a line of authors, or () if the line is not one.

    >>> author_names("Ada Lovelace, Charles Babbage and Mary Somerville")
    ('Ada Lovelace', 'Charles Babbage', 'Mary Somerville')
    >>> author_names("Learning, Fast and Slow")
    ()
    """
    text = text.strip(" ,")
    first = NAME_SEPARATOR.search(text)
    head = text[: first.start()] if first else text
    if head and not _is_name(head):  # most lines: told by their first part, without splitting all
        return ()
    parts = [part for part in NAME_SEPARATOR.split(text) if part]
    if not parts or not all(map(_is_name, parts)):
        return ()
    full_names = sum(len(part.split()) >= 2 for part in parts)
    if len(parts) == 1:
        return tuple(parts) if full_names and len(parts[0].split()) <= 4 else ()
    # Most authors have a first and a last name; most title words do not pair up so.
    return tuple(parts) if full_names * 4 >= len(parts) * 3 else ()


# Words a sentence cannot end on: a line ending on one breaks a sentence off
# ("A Delta-model and a" / "Sigma-model are jointly trained on"), and a title
# does not end so.
DANGLING_WORDS = frozenset("a an the and or of to in on at by for with from as that which is are was were "
                           "we our their its including into than between".split())
# How a sentence of an abstract opens: a connective, or "We show" (a title
# capitalises the next word: "We Need to Talk ..."; "all we need" is a title's).
PROSE_VOICE = re.compile(
    r"^(?:Furthermore|Moreover|However|Additionally|In addition|Finally|Specifically|In particular|"
    r"In this (?:paper|work|study)|Yet|Thus|Hence|Therefore|Consequently|Overall|Instead|Notably|"
    r"Importantly|Surprisingly|Empirically|Theoretically|First|Second|Third|Then|Next),|^(?:We|Our)(?:\s+[a-z]|$)")


@dataclass(frozen=True)
class Line:
    """One content line of a dump and the features the segmenter weighs."""

    number: int
    text: str
    gap_before: bool
    """A blank line (or chrome) stands between this line and the content before it."""
    date: str | None = None

    @cached_property
    def terminal(self) -> bool:
        """Ends as a finished sentence or text does (a URL counts). A closing
        quote counts after a full stop only: "gradients'" is a possessive.

        >>> [Line(1, text, False).terminal for text in ("the lens of gradients'", 'we call it "all."')]
        [False, True]
        """
        text = self.text
        if text[-1] in "\"'”’»":
            text = text.rstrip("\"'”’»") or text
        return text[-1] in ".?!)]" or bool(URL_AT_END.search(self.text))

    @cached_property
    def starts_mid_sentence(self) -> bool:
        """Starts as a sentence's middle does: with an all-lower-case word, or a
        number a lower-case word follows ("2.0, with a 13.5% reduction", the
        piece of an abstract broken after "wav2vec"), or closing a bracket. "iTransformer", "μLO",
        "3D Gaussian Splatting" and markup ("<div>") start titles.

        >>> [Line(1, text, False).starts_mid_sentence for text in ("2.0, with a gain", "3D Gaussian Splatting")]
        [True, False]
        """
        first, _, rest = self.text.partition(" ")
        if first.count(")") > first.count("("):  # closes what a line before opened: "2019)."
            return True
        if first[0].isdigit():
            return not any(char.isalpha() for char in first) and rest[:1].islower()
        return first[0].islower() and first.islower()

    @cached_property
    def ends_mid_sentence(self) -> bool:
        """Ends on a word or mark no sentence or title ends on ("trained
        on", "and a", "(Yuan et al.,").

        >>> [Line(1, text, False).ends_mid_sentence for text in ("jointly trained on", "Learning to Rank")]
        [True, False]
        """
        return self.text[-1] in ",;" or self.text.rsplit(" ", 1)[-1] in DANGLING_WORDS

    @cached_property
    def has_words(self) -> bool:
        """Holds a word of letters: a title names something in words, so a
        lone "256x256" or "2.0" is a broken abstract's piece.

        >>> [Line(1, text, False).has_words for text in ("256x256", "3D scenes", "μLO")]
        [False, True, True]
        """
        return any(sum(char.isalpha() for char in word) >= 2 for word in self.text.split())

    @cached_property
    def reads_as_prose(self) -> bool:
        """Speaks as an abstract does ("we show", "Furthermore, ..."): the
        piece of a broken abstract, not a title.

        >>> Line(1, "Furthermore, we show that the variance", False).reads_as_prose
        True
        """
        return bool(PROSE_VOICE.search(self.text))

    @cached_property
    def sentences(self) -> int:
        return sentence_breaks(self.text)

    @cached_property
    def title_cased(self) -> bool:
        """Most longer words capitalised, as in "Attention Is All You Need"."""
        words = [word for word in self.text.split() if len(word) >= 4]
        return len(words) >= 2 and sum(w[0].isupper() for w in words) * 5 >= len(words) * 3

    @cached_property
    def authors(self) -> tuple[str, ...]:
        return author_names(self.text)
