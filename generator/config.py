"""The generator's settings, read once from ``extra.generator`` in mkdocs.yml.

Keeping them in ``mkdocs.yml`` gives users one file to edit for the whole
site. Every bad value is reported, then the run stops (as MkDocs'
``load_config`` does).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from generator.errors import ConfigError


@dataclass(frozen=True)
class Config:
    """Settings under ``extra: generator:`` in mkdocs.yml, with their defaults."""

    related_count: int = 5
    """How many related papers a page shows at most."""
    related_min_similarity: float = 0.10
    """Cosine similarity below which a paper is not shown as related."""
    tags_vocabulary: str = "tags.yml"
    """The tag vocabulary file (rename, merge, ban, add tags), relative to mkdocs.yml."""
    tags_lock: str = "tags.lock"
    """The record of published tags that keeps them stable, relative to mkdocs.yml."""
    site_url: str = ""
    """Copied from mkdocs.yml's ``site_url``: absolute links in the feed."""


class _TolerantLoader(yaml.SafeLoader):
    """Safe loading that ignores the ``!!python/name:`` and ``!ENV`` tags
    mkdocs.yml files often carry: the generator needs none of them."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)

# Field annotations are strings under `from __future__ import annotations`.
_TYPES = {"int": int, "float": float, "str": str}
# A bool is an int to Python; settings that want numbers must say no to it.
_NUMBER_TYPES = {int: (int,), float: (int, float), str: (str,)}


def _validated(name: str, value: object, expected: type, errors: list[str]) -> object:
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
    known = {field.name: field for field in fields(Config) if field.name != "site_url"}
    errors = [f"Config value '{name}': unknown setting" for name in extra if name not in known]
    values = {}
    for name, value in extra.items():
        if name in known:
            values[name] = _validated(name, value, _TYPES[known[name].type], errors)
    if errors:
        raise ConfigError("\n".join(errors))
    return Config(site_url=str(mkdocs.get("site_url") or ""), **values)


def load_config(path: Path) -> Config:
    """Read ``path`` (mkdocs.yml); a missing file gives the defaults."""
    if not path.exists():
        return Config()
    try:
        mkdocs = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from None
    return config_from_mapping(mkdocs or {})
