"""The generator's settings, read once from ``extra.generator`` in mkdocs.yml.

Keeping them in ``mkdocs.yml`` gives users one file to edit for the whole
site. Every bad value is reported, then the run stops (as MkDocs'
``load_config`` does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

from generator.errors import ConfigError


@dataclass(frozen=True)
class Config:
    """Settings under ``extra: generator:`` in mkdocs.yml, with their defaults."""

    related_count: int = 5
    """How many related papers a page shows at most."""
    related_min_similarity: float = 0.05
    """Score (as shown, 2 decimals) below which a paper is never shown as related."""
    related_min_count: int = 3
    """How many of its best links every paper shows when they reach ``related_min_similarity``."""
    related_relative: float = 0.5
    """Links past ``related_min_count`` are shown while they reach this share of the paper's best score."""
    related_weak_quantile: float = 0.1
    """Links scoring below this quantile of all papers' best scores are weak: marked, and
    shown only to fill a list up to ``related_min_count``."""
    tags_vocabulary: str = "tags.yml"
    """The tag vocabulary file (rename, merge, ban, add tags), relative to mkdocs.yml."""
    tags_lock: str = "tags.lock"
    """The record of published tags that keeps them stable, relative to mkdocs.yml."""
    related_lock: str = "related.lock"
    """The record of published related lists that keeps them stable, relative to mkdocs.yml."""
    link_outs: dict[str, str] = field(default_factory=lambda: dict(LINK_OUTS))
    """Where each paper page links out: name -> https address, in which
    ``{title}`` stands for the paper's exact title, URL-encoded."""
    listing_labels: dict[str, str] = field(default_factory=dict)
    """Dump file name -> the label readers see for that listing."""
    listing_dates: dict[str, str] = field(default_factory=dict)
    """Dump file name -> its full date, YYYY-MM-DD: dates the feed's items."""
    site_url: str = ""
    """Copied from mkdocs.yml's ``site_url``: absolute links in the feed."""
    site_name: str = "Research paper library"
    """Copied from mkdocs.yml's ``site_name``: the home page's heading, the feed's title."""


# Searches for a paper's exact title; quotes make a phrase search where the
# engine supports one.
LINK_OUTS = {
    "arXiv": "https://arxiv.org/search/?searchtype=title&query=%22{title}%22",
    "Semantic Scholar": "https://www.semanticscholar.org/search?q=%22{title}%22",
    "Google Scholar": "https://scholar.google.com/scholar?q=%22{title}%22",
    "Hugging Face Papers": "https://huggingface.co/papers?q={title}",
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _TolerantLoader(yaml.SafeLoader):
    """Safe loading that ignores the ``!!python/name:`` and ``!ENV`` tags
    mkdocs.yml files often carry: the generator needs none of them."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)

# Settings that are shares or scores on a 0-1 scale.
_AT_MOST_ONE = frozenset({"related_min_similarity", "related_relative", "related_weak_quantile"})

# Field annotations are strings under `from __future__ import annotations`.
_TYPES = {"int": int, "float": float, "str": str, "dict[str, str]": dict}
# A bool is an int to Python; settings that want numbers must say no to it.
_NUMBER_TYPES = {int: (int,), float: (int, float), str: (str,)}


def _mapping_problem(name: str, key: str, value: str) -> str | None:
    """What is wrong with one entry of a mapping setting, if anything."""
    if name == "link_outs" and not (value.startswith("https://") and "{title}" in value):
        return "an https:// address holding {title}"
    if name == "listing_dates" and not ISO_DATE.fullmatch(value):
        return "a date as YYYY-MM-DD"
    return None


def _validated_mapping(name: str, value: object, errors: list[str]) -> dict | None:
    if not isinstance(value, dict) or not all(
            isinstance(key, str) and isinstance(entry, str) for key, entry in value.items()):
        errors.append(f"Config value '{name}': expected a mapping of names to text, got {value!r}")
        return None
    for key, entry in value.items():
        problem = _mapping_problem(name, key, entry)
        if problem:
            errors.append(f"Config value '{name}.{key}': expected {problem}, got {entry!r}")
    return dict(value)


def _validated(name: str, value: object, expected: type, errors: list[str]) -> object:
    if expected is dict:
        return _validated_mapping(name, value or {}, errors)
    if isinstance(value, _NUMBER_TYPES[expected]) and not isinstance(value, bool):
        if expected in (int, float) and value < 0:
            errors.append(f"Config value '{name}': must not be negative, got {value}")
        return expected(value)
    errors.append(
        f"Config value '{name}': expected {expected.__name__}, got {value!r}"
    )
    return None


def config_from_mapping(mkdocs: dict) -> Config:
    """Validate the parsed mkdocs.yml; raise one error listing every problem."""
    if not isinstance(mkdocs, dict):
        raise ConfigError("mkdocs.yml: expected a mapping of settings at the top")
    extra = mkdocs.get("extra") or {}
    if not isinstance(extra, dict):
        raise ConfigError("Config value 'extra': expected a mapping")
    extra = extra.get("generator") or {}
    if not isinstance(extra, dict):
        raise ConfigError("Config value 'extra.generator': expected a mapping")
    copied = {"site_url", "site_name"}  # MkDocs' own settings, not the generator's
    known = {field.name: field for field in fields(Config) if field.name not in copied}
    errors = [f"Config value '{name}': unknown setting" for name in extra if name not in known]
    values = {}
    for name, value in extra.items():
        if name in known:
            values[name] = _validated(name, value, _TYPES[known[name].type], errors)
            if name in _AT_MOST_ONE and values[name] is not None and values[name] > 1:
                errors.append(f"Config value '{name}': must be at most 1, got {value}")
    if errors:
        raise ConfigError("\n".join(errors))
    return Config(site_url=str(mkdocs.get("site_url") or ""),
                  site_name=str(mkdocs.get("site_name") or Config.site_name), **values)


def load_config(path: Path) -> Config:
    """Read ``path`` (mkdocs.yml); a missing file gives the defaults."""
    if not path.exists():
        return Config()
    try:
        mkdocs = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from None
    return config_from_mapping(mkdocs or {})
