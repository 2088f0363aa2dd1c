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
# The two patterns above, reversed, for the lowercased text before a mention read backwards:
# they end at the mention, so a search tries every start position (about 9 µs on 60
# characters); the reversed forms are anchored at the mention and match in well under 1 µs.
# Built from the same words; tests/test_parsers_speed.py checks both give the same answer.
_CONTEXT_WORDS = ("on", "via", "to", "from", "at", "bei", "auf", "en", "sur", "su", "no", "na", "in",
                  "through", "a través de", "exclusively on", "streaming on", "streams on",
                  "available on", "now on", "watch it on")
_STRONG_WORDS = ("stream", "streams", "streaming", "streamed", "available", "watch", "watching",
                 "exclusively", "air", "airs", "aired", "airing", "premiere", "premieres", "premiered",
                 "debut", "debuts", "debuted", "drop", "drops", "dropped", "release", "releases",
                 "released", "land", "lands", "landed", "arrive", "arrives", "arrived", "hit",
                 "broadcast", "disponible", "verfügbar", "läuft", "emite", "estrena")


def _reversed_words(words) -> str:
    return word_trie(word[::-1] for word in words)


_CONTEXT_BEFORE_REV = re.compile(
    r"(?:\s+eht)?\s+(?:" + _reversed_words(_CONTEXT_WORDS) + r")\b|\s*\(|\s+htob\s+no\b|"
    r"\s+(?:dna|&|/|ro)\s+\+?[a-z]{2,6}\b"
)
_STRONG_BEFORE_REV = re.compile(r"[^.!?]{0,40}\b(?:" + _reversed_words(_STRONG_WORDS) + r"|\w*suffid)")
# Characters that re.I matches to an ASCII letter although their lowercase form is not one.
_CASE_ODD = ("\u0131", "\u017f")


def _context_before(before: str) -> tuple[bool, bool]:
    """(_STRONG_BEFORE.search(before), _CONTEXT_BEFORE.search(before)) as booleans."""
    rev = before[::-1].lower()
    if len(rev) != len(before) or (not rev.isascii() and any(c in rev for c in _CASE_ODD)):
        return bool(_STRONG_BEFORE.search(before)), bool(_CONTEXT_BEFORE.search(before))
    return _STRONG_BEFORE_REV.match(rev) is not None, _CONTEXT_BEFORE_REV.match(rev) is not None


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
    pattern = re.compile(r"(?:" + word_trie(aliases) + r")" + _ALIAS_END)
    return pattern, aliases


# What must not follow an alias: a letter, digit, "_", "+" or a dotted name.
_ALIAS_END = r"(?![A-Za-z0-9_+]|\.\w)"
_ALIAS_END_RE = re.compile(_ALIAS_END)


@lru_cache(maxsize=1)
def _split_table() -> tuple[re.Pattern, tuple[str, ...]] | None:
    """The alias scan in two parts: a trie of the aliases that do not open with a lowercase
    letter, and the few that do ("iPlayer", "tvN", "discovery+") as plain strings.

    The one trie spends most of its time on the letters i, d and t, which open one alias
    each and a tenth of all words; str.find() looks for those few aliases much faster.
    None when a lowercase alias is a prefix of another (then only the one trie is exact).
    """
    _, aliases = _table()
    lowercase = tuple(a for a in aliases if a[:1].islower())
    if any(a != b and b.startswith(a) for a in lowercase for b in lowercase):
        return None
    rest = [a for a in aliases if not a[:1].islower()]
    return re.compile(r"(?:" + word_trie(rest) + r")" + _ALIAS_END), lowercase


@lru_cache(maxsize=1)
def _lowered_aliases() -> dict[str, Entry]:
    """Lowercased aliases that are not ordinary words, for canonical()."""
    _, aliases = _table()
    return {a.lower(): e for a, e in aliases.items() if not e.context}


# A mention must not continue a word, a "+", "&" or a dotted name.
_GLUED_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+&.")


def _matches(pattern: re.Pattern, text: str):
    """pattern.finditer(text), skipping matches glued to the character before them."""
    return matches_not_after(pattern, text, _GLUED_BEFORE)


def _alias_hits(text: str):
    """(start, end, alias) of every mention: what _matches(_table()[0], text) finds.

    The one-trie search from a position is the leftmost of the two parts' searches (their
    aliases open with different characters, so they never start at the same place); each
    part's next hit is kept until the scan passes it.
    """
    split = _split_table()
    if split is None:
        for match in _matches(_table()[0], text):
            yield match.start(), match.end(), match.group(0)
        return
    upper, lowercase = split
    pos = 0
    up = upper.search(text)  # the next trie hit at or after pos (None: no more)
    low_next = {alias: _next_lowercase(text, alias, 0) for alias in lowercase}  # -1: no more
    while True:
        if up is not None and up.start() < pos:
            up = upper.search(text, pos)
        start, end, alias = (up.start(), up.end(), up.group(0)) if up is not None else (-1, -1, "")
        for name, at in low_next.items():
            if 0 <= at < pos:
                at = low_next[name] = _next_lowercase(text, name, pos)
            if at >= 0 and (start < 0 or at < start):
                start, end, alias = at, at + len(name), name
        if start < 0:
            return
        if start > 0 and text[start - 1] in _GLUED_BEFORE:
            pos = start + 1
            continue
        yield start, end, alias
        pos = max(end, start + 1)


def _next_lowercase(text: str, alias: str, pos: int) -> int:
    """Where alias next stands in text at or after pos, not followed by a word; -1 if never."""
    at = text.find(alias, pos)
    while at >= 0 and _ALIAS_END_RE.match(text, at + len(alias)) is None:
        at = text.find(alias, at + 1)
    return at


def canonical(name: str | None, kind: str | None = None) -> str | None:
    """Canonical name of an alias ("Disney Plus" -> "Disney+"), or None if unknown."""
    if not name:
        return None
    _, aliases = _table()
    entry = aliases.get(name.strip())
    if entry is None:
        entry = _lowered_aliases().get(name.strip().lower())
    if entry is None or (kind and entry.kind != kind):
        return None
    return entry.name


def mentions(text: str, when: date | None = None):
    """Yield (Entry, weight) for every platform/network mention in text."""
    if not text:
        return
    _, aliases = _table()
    for start, end, alias in _alias_hits(text):
        entry = aliases[alias]
        strength = _strength(text, start, end, entry, when, 0, len(text))
        if strength:
            yield entry, strength


def _strength(text: str, start: int, end: int, entry: Entry, when: date | None, lo: int,
              hi: int) -> int:
    """Weight of the mention text[start:end] by its context in text[lo:hi]; 0 when it does
    not count."""
    before = text[max(lo, start - 60):start]
    after = text[end:min(hi, end + 30)]
    if _NOT_AFTER.match(after):
        return 0
    if when and ((entry.valid_from and when < entry.valid_from)
                 or (entry.valid_until and when > entry.valid_until)):
        return 0
    strong, near = _context_before(before)
    near = near or _CONTEXT_AFTER.match(after) is not None
    if entry.context and not (near or strong and re.search(r"\b(?:on|to)\s+$", before)):
        return 0
    return 1 + 2 * strong + near


def pick(texts: list[tuple[str, float]], when: date | None = None) -> tuple[str | None, str | None]:
    """(platform, network) named by weighted texts; each text carries a weight.

    The texts are joined and scanned once; each mention's context stays within its text.
    """
    _, aliases = _table()
    joined = "\n".join(text for text, _ in texts)
    starts, pos = [], 0
    for text, _ in texts:
        starts.append(pos)
        pos += len(text) + 1
    scores: dict[tuple[str, str], float] = {}
    first: dict[tuple[str, str], int] = {}
    order = 0
    for start, end, alias in _alias_hits(joined):
        i = bisect_right(starts, start) - 1
        lo = starts[i]
        entry = aliases[alias]
        strength = _strength(joined, start, end, entry, when, lo, lo + len(texts[i][0]))
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
