"""Step 2: the vocabulary and its aliases.

Two layers make one *lexicon*:

- the shipped default vocabulary, ``vocabulary.yml`` beside this module: a
  few dozen broad topics of machine learning, the specific tags under each,
  their aliases and acronyms, and generic phrases that are never tags;
- the user's ``tags.yml`` on top of it: ``rename``, ``merge``, ``ban`` and
  ``add`` (see ``parse_vocabulary``).

Phrases the vocabulary does not know still become tags when papers share
them (see ``scores``), so a dump from another field gets its own tags.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

import yaml

from generator.errors import GeneratorError
from generator.tags.candidates import entry_names, phrase_key
from generator.textlayer import ACRONYM, acronym_singular

TAGGER_VERSION = "9"
"""Bumped when the tagging rules change, so that tags.lock is re-derived."""


class VocabularyError(GeneratorError):
    """A tag vocabulary file that cannot be used."""


@dataclass(frozen=True)
class Vocabulary:
    """The user's changes to the tags, as tags.yml states them."""

    rename: dict[str, str] = field(default_factory=dict)
    """Tag (or any variant of it) -> the name to show instead; ``merge:``
    entries arrive here too, one per merged tag."""
    ban: tuple[str, ...] = ()
    add: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Tag -> phrases whose appearance in a paper gives it that tag."""


VOCABULARY_SECTIONS = {
    "rename": "a mapping of tag: new name",
    "merge": "a mapping of name: [tags to merge under it]",
    "ban": "a list of tags",
    "add": "a mapping of tag: [phrases that give it]",
}


def _names(value: object) -> list[str] | None:
    """A list of non-empty strings (one string counts as a list of one)."""
    items = [value] if isinstance(value, str) else value
    if isinstance(items, list) and items and all(isinstance(i, str) and i.strip() for i in items):
        return [item.strip() for item in items]
    return None


def _pairs(value: object) -> list[tuple[str, list[str]]] | None:
    if not isinstance(value, dict):
        return None
    pairs = [(key, _names(item)) for key, item in value.items()]
    if all(isinstance(key, str) and key.strip() and names for key, names in pairs):
        return [(key.strip(), names) for key, names in pairs]
    return None


def parse_vocabulary(data: object, source: str) -> Vocabulary:
    """Check the parsed tags.yml (``source`` names it in errors), reporting
    every problem at once.

    >>> parse_vocabulary({"merge": {"LLMs": ["language models"]}, "ban": "paper"}, "tags.yml")
    Vocabulary(rename={'language models': 'LLMs'}, ban=('paper',), add={})
    >>> parse_vocabulary({"ban": {"x": 1}, "colour": []}, "tags.yml")
    Traceback (most recent call last):
    ...
    generator.tags.vocabulary.VocabularyError: tags.yml: error: unknown section 'colour' (known: rename, merge, ban, add)
    tags.yml: error: 'ban' must be a list of tags, got {'x': 1}
    """
    if data is None:
        return Vocabulary()
    if not isinstance(data, dict):
        raise VocabularyError(f"{source}: error: expected sections rename, merge, ban or add; "
                              f"got {type(data).__name__}")
    errors = [f"{source}: error: unknown section {name!r} "
              f"(known: {', '.join(VOCABULARY_SECTIONS)})"
              for name in data if name not in VOCABULARY_SECTIONS]
    parsed = {}
    for name, value in data.items():
        if name in VOCABULARY_SECTIONS and value is not None:
            parsed[name] = _names(value) if name == "ban" else _pairs(value)
            if parsed[name] is None or (name == "rename" and any(len(n) > 1 for _, n in parsed[name])):
                errors.append(
                    f"{source}: error: {name!r} must be {VOCABULARY_SECTIONS[name]}, got {value!r}"
                )
    if errors:
        raise VocabularyError("\n".join(errors))
    rename = {old: new[0] for old, new in parsed.get("rename") or []}
    rename.update((old, name) for name, olds in parsed.get("merge") or [] for old in olds)
    return Vocabulary(
        rename=rename,
        ban=tuple(parsed.get("ban") or ()),
        add={tag: tuple(phrases) for tag, phrases in parsed.get("add") or []},
    )


# --- the lexicon: shipped vocabulary plus tags.yml -------------------------------------


@dataclass(frozen=True)
class Entry:
    """A tag the lexicon knows."""

    name: str
    """As shown."""
    topic: str | None
    """The broad topic it belongs under (a topic's own entry: itself)."""
    is_topic: bool = False
    forced: bool = False
    """From tags.yml's ``add``: a paper that mentions it gets it first."""


@dataclass(frozen=True)
class Lexicon:
    entries: dict[str, Entry]
    """Canonical key -> entry."""
    aliases: dict[str, str]
    """Phrase key -> canonical key (each canonical key maps to itself)."""
    acronyms: dict[str, str]
    """Acronym -> canonical key, for papers that do not define it."""
    banned: frozenset[str]
    """Keys that are never tags: generic phrases and tags.yml's ``ban``."""
    forced: frozenset[str]
    """Keys of tags.yml's ``add``: a paper that mentions one takes it first."""
    user_banned: frozenset[str]
    """Keys tags.yml bans: not even a topic may be shown as a tag then."""
    topics: tuple[str, ...]
    """The broad topics' names, in the vocabulary's order."""
    tool_topics: frozenset[str]
    """Topics whose methods serve other fields ("optimization"): a paper's
    topic is the field it serves when that one is nearly as strong."""
    fingerprint: str
    """Changes whenever the lexicon or the tagging rules do."""

    def canonical(self, key: str) -> str:
        return self.aliases.get(key, key)

    @cached_property
    def names(self) -> dict[str, tuple[str, ...]]:
        """Canonical key -> the keys of all its names."""
        return entry_names(self.aliases)


def _read_shipped() -> tuple[str, dict]:
    text = resources.files("generator.tags").joinpath("vocabulary.yml").read_text(encoding="utf-8")
    return text, yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def _shipped() -> tuple[str, dict[str, Entry], dict[str, str], dict[str, str], frozenset[str], tuple[str, ...],
                        frozenset[str]]:
    text, data = _read_shipped()
    entries, aliases, acronyms = {}, {}, {}

    def add(name: str, topic: str, synonyms: list[str] | None, is_topic: bool) -> None:
        key = phrase_key(name)
        entries[key] = Entry(name, topic, is_topic)
        aliases[key] = key
        for synonym in synonyms or ():
            if ACRONYM.fullmatch(synonym):
                acronyms[acronym_singular(synonym)] = key
            else:
                aliases.setdefault(phrase_key(synonym), key)

    for topic, spec in data["topics"].items():
        add(topic, topic, spec.get("aliases"), True)
        for tag, synonyms in (spec.get("tags") or {}).items():
            add(tag, topic, synonyms, False)
    banned = frozenset(phrase_key(phrase) for phrase in data.get("generic") or ())
    return text, entries, aliases, acronyms, banned, tuple(data["topics"]), frozenset(data.get("tool topics") or ())


def lexicon(vocabulary: Vocabulary = Vocabulary()) -> Lexicon:
    """The shipped vocabulary with the user's changes applied."""
    text, shipped_entries, shipped_aliases, acronyms, generic, topics, tool_topics = _shipped()
    entries, aliases, acronyms = dict(shipped_entries), dict(shipped_aliases), dict(acronyms)

    def resolve(name: str) -> str:
        """A name's canonical key: "RL" and "deep RL" alike."""
        if ACRONYM.fullmatch(name) and acronym_singular(name) in acronyms:
            return acronyms[acronym_singular(name)]
        return aliases.get(phrase_key(name), phrase_key(name))

    for old, new in vocabulary.rename.items():
        source, target = resolve(old), phrase_key(new)
        topic = (entries.get(source) or entries.get(target) or Entry(new, None)).topic
        entries.pop(source, None)
        entries[target] = Entry(new, topic, entries.get(target, Entry(new, topic)).is_topic)
        for alias, canonical in list(aliases.items()):
            if canonical == source:
                aliases[alias] = target
        aliases[source] = aliases[target] = target
    for tag, phrases in vocabulary.add.items():
        key = resolve(tag)
        topic = entries[key].topic if key in entries else None
        entries[key] = Entry(tag, topic, entries.get(key, Entry(tag, topic)).is_topic, forced=True)
        aliases[key] = key
        for phrase in phrases:
            aliases[phrase_key(phrase)] = key
    user_banned = frozenset(resolve(tag) for tag in vocabulary.ban)
    banned = generic | user_banned
    acronyms = {acronym: aliases.get(key, key) for acronym, key in acronyms.items()}
    forced = frozenset(key for key, entry in entries.items() if entry.forced)
    fingerprint = hashlib.sha256(
        f"{TAGGER_VERSION}\n{text}\n{vocabulary!r}".encode("utf-8")).hexdigest()[:16]
    return Lexicon(entries, aliases, acronyms, frozenset(banned), forced, user_banned, topics, tool_topics,
                   fingerprint)
