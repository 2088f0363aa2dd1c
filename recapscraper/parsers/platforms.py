"""Canonical streaming platforms and networks, and finding the one a page names.

The table is data (``data/platforms.json``). Matching is case-sensitive on word
boundaries, longest alias first, so "HBO Max" is a platform and "HBO" alone a network.
Each mention is scored by its context: "streaming on X", "X original", "(X)" count more
than a bare mention, and the article's first paragraphs (the spoiler line) count more
than the rest. Callers pass article text only: navigation and sidebars never vote.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from .dates import matches_not_after, word_trie


@dataclass(frozen=True, slots=True)
class Entry:
    name: str  # canonical
    kind: str  # "platform" or "network"
    context: bool  # alias is an ordinary word: needs a platform-ish context
    valid_from: date | None
    valid_until: date | None


# Words right before a mention that say "this is where it airs/streams".
_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:on|via|to|from|at|bei|auf|en|sur|su|no|na|in|through|a través de|exclusively on|"
    r"streaming on|streams on|available on|now on|watch it on)\s+(?:the\s+)?|\(\s*|\bon\s+both\s+|"
    r"\b[A-Z][A-Za-z]{1,5}\+?\s+(?:and|&|/|or)\s+)$",
    re.I,
)
_STRONG_BEFORE = re.compile(
    r"(?:stream(?:s|ing|ed)?|available|watch(?:ing)?|exclusively|air(?:s|ed|ing)?|"
    r"premier(?:e|es|ed)|debut(?:s|ed)|drop(?:s|ped)|releas(?:e|es|ed)|land(?:s|ed)|"
    r"arriv(?:e|es|ed)|hit|broadcast|disponible|verfügbar|läuft|emite|estrena|diffus\w*)\b"
    r"[^.!?]{0,40}$",
    re.I,
)
_CONTEXT_AFTER = re.compile(
    r"^(?:['’]s\b|\s*\)|\s+(?:original|series|drama|show|subscribers|streaming|app|exclusive|"
    r"premiere|debut)\b|에서|で|\s*[/,]\s*(?:[A-Z]))",
)
# Mentions that are about something else: "NBC News", "Fox Searchlight", "Disney+ Day".
_NOT_AFTER = re.compile(r"^\s+(?:News|Studios?|Searchlight|Universal|Entertainment|Pictures|"
                        r"Films?|Games|Sports|Records|Music|Radio|Day|Originals? Podcast|"
                        r"documentar(?:y|ies)|movies?|films?)\b")


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern, dict[str, Entry]]:
    raw = json.loads(resources.files(__package__).joinpath("data/platforms.json")
                     .read_text(encoding="utf-8"))
    aliases: dict[str, Entry] = {}
    for kind, key in (("platform", "platforms"), ("network", "networks")):
        for row in raw.get(key, []):
            entry = Entry(
                row["name"], kind, bool(row.get("context")),
                date.fromisoformat(row["from"]) if row.get("from") else None,
                date.fromisoformat(row["until"]) if row.get("until") else None,
            )
            for alias in row["aliases"]:
                aliases.setdefault(alias, entry)
    # The aliases as a trie (longest first, one character tried at most positions) and no
    # look-behind in front, so the regex engine can skip ahead on their first characters;
    # _matches() checks the character before instead.
    pattern = re.compile(r"(?:" + word_trie(aliases) + r")(?![A-Za-z0-9_+]|\.\w)")
    return pattern, aliases


# A mention must not continue a word, a "+", "&" or a dotted name.
_GLUED_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+&.")


def _matches(pattern: re.Pattern, text: str):
    """pattern.finditer(text), skipping matches glued to the character before them."""
    return matches_not_after(pattern, text, _GLUED_BEFORE)


def canonical(name: str | None, kind: str | None = None) -> str | None:
    """Canonical name of an alias ("Disney Plus" -> "Disney+"), or None if unknown."""
    if not name:
        return None
    _, aliases = _table()
    entry = aliases.get(name.strip())
    if entry is None:
        lowered = {a.lower(): e for a, e in aliases.items() if not e.context}
        entry = lowered.get(name.strip().lower())
    if entry is None or (kind and entry.kind != kind):
        return None
    return entry.name


def mentions(text: str, when: date | None = None):
    """Yield (Entry, weight) for every platform/network mention in text."""
    if not text:
        return
    pattern, aliases = _table()
    for match in _matches(pattern, text):
        entry = aliases[match.group(0)]
        strength = _strength(text, match, entry, when, 0, len(text))
        if strength:
            yield entry, strength


def _strength(text: str, match: re.Match, entry: Entry, when: date | None, lo: int, hi: int) -> int:
    """Weight of one mention by its context in text[lo:hi]; 0 when it does not count."""
    start, end = match.span()
    before = text[max(lo, start - 60):start]
    after = text[end:min(hi, end + 30)]
    if _NOT_AFTER.match(after):
        return 0
    if when and ((entry.valid_from and when < entry.valid_from)
                 or (entry.valid_until and when > entry.valid_until)):
        return 0
    strong = bool(_STRONG_BEFORE.search(before))
    near = bool(_CONTEXT_BEFORE.search(before)) or bool(_CONTEXT_AFTER.match(after))
    if entry.context and not (near or strong and re.search(r"\b(?:on|to)\s+$", before)):
        return 0
    return 1 + 2 * strong + near


def pick(texts: list[tuple[str, float]], when: date | None = None) -> tuple[str | None, str | None]:
    """(platform, network) named by weighted texts; each text carries a weight.

    The texts are joined and scanned once; each mention's context stays within its text.
    """
    pattern, aliases = _table()
    joined = "\n".join(text for text, _ in texts)
    starts, pos = [], 0
    for text, _ in texts:
        starts.append(pos)
        pos += len(text) + 1
    scores: dict[tuple[str, str], float] = {}
    first: dict[tuple[str, str], int] = {}
    order = 0
    for match in _matches(pattern, joined):
        i = bisect_right(starts, match.start()) - 1
        lo = starts[i]
        entry = aliases[match.group(0)]
        strength = _strength(joined, match, entry, when, lo, lo + len(texts[i][0]))
        if not strength:
            continue
        key = (entry.kind, entry.name)
        scores[key] = scores.get(key, 0.0) + texts[i][1] * strength
        order += 1
        first.setdefault(key, order)
    best: dict[str, tuple[float, int, str]] = {}
    for (kind, name), score in scores.items():
        candidate = (score, -first[(kind, name)], name)
        if kind not in best or candidate > best[kind]:
            best[kind] = candidate
    platform = best["platform"][2] if "platform" in best else None
    network = best["network"][2] if "network" in best else None
    return platform, network
