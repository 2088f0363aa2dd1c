"""Other names a page gives the show: original-language titles, "also known as" forms.

Recaps of foreign series often give the original title once, right after the show's
name: "Soundtrack #2 (사운드트랙#2)", "Money Heist (La Casa de Papel)", "Lovely Runner
(Korean: 선재 업고 튀어)", "Squid Game, also known as 오징어 게임,". JSON-LD may name a
series' ``alternateName``. These become the show's aliases in the store, so a Korean
page titled "사운드트랙#2 1회 리뷰" joins the same show as the English recaps.

Only a name standing right after the show's own name (or in the series' JSON-LD)
counts; what the parenthesis holds must look like a title, not a year, a platform,
a season or a remark.
"""
from __future__ import annotations

import re

from .text import fold

# Labels in front of an original title inside the parenthesis.
_LABEL = re.compile(r"^(?:(?:original|korean|hangul|japanese|chinese|mandarin|spanish|german|"
                    r"french|italian|portuguese|hindi|thai|turkish)(?:\s+title)?|"
                    r"original(?:ly)?\s+titled|also known as|a\.?k\.?a\.?|aka|known as)"
                    r"\s*[:\-]?\s*", re.I)
# "also known as X" / "a.k.a. X" after the show's name (X up to a stop).
_AKA = re.compile(r"^\s*,?\s*\(?(?:also known as|a\.k\.a\.?|aka|originally titled|"
                  r"known in \w+ as)\s+[\"“'‘«]?([^,.;:!?\"”’»()]{2,60})", re.I)
_PAREN = re.compile(r"^\s*\(([^()]{1,80})\)")
# Not a title: years, episode/season words, remarks, ratings.
_NOT_TITLE = re.compile(r"^\d{4}$|^(?:19|20)\d\d\b|\b(?:season|episode|series|ep|part|vol|"
                        r"volume|recap|review|spoilers?|trailer|finale|premiere|netflix original|"
                        r"k-?drama|tv series|miniseries|limited series|documentary)\b|"
                        r"^s\d+|^\d+(?:x|×)\d+$|^[\d\W]+$|^(?:us|uk|au|ca)$|^lit\b|^literally\b",
                        re.I)
# Literal translations are not names the show goes by.
_TRANSLATION = re.compile(r"[;,]\s*(?:lit\.?|literally|meaning)\b.*$", re.I)
MAX_WORDS = 8
MAX_ALIASES = 5


def _clean(raw: str) -> str | None:
    text = _TRANSLATION.sub("", raw).strip(" \t\"'“”‘’«»「」『』,;:")
    text = _LABEL.sub("", text).strip(" \t\"'“”‘’«»「」『』,;:")
    if not text or len(text) < 2 or len(text.split()) > MAX_WORDS or _NOT_TITLE.search(text):
        return None
    if text[0].islower():  # "(which opens in theaters on December 9th)": a remark, not a title
        return None
    from . import platforms

    if platforms.canonical(text):
        return None
    return text


def _mentions(show: str, text: str):
    """End offsets of the show's name in text (case, quotes and dashes folded)."""
    folded, name = fold(text).lower(), fold(show).lower()
    if len(folded) != len(text):  # folding changed offsets: match on the text itself
        folded, name = text.lower(), show.lower()
    start = folded.find(name)
    while start >= 0:
        end = start + len(name)
        before = folded[start - 1] if start else " "
        after = folded[end] if end < len(folded) else " "
        if not before.isalnum() and not after.isalnum():
            yield end
        start = folded.find(name, start + 1)


def show_aliases(show: str | None, texts: list[str], jsonld: list[dict] | None = None) -> list[str]:
    """Other names of ``show`` stated in ``texts`` (headline, lead paragraphs) or in the
    JSON-LD of the series; never the show's own name, at most MAX_ALIASES."""
    if not show:
        return []
    found: list[str] = []
    own = fold(show).lower()

    def add(candidate: str | None) -> None:
        if candidate and fold(candidate).lower() != own and candidate not in found:
            found.append(candidate)

    for text in texts:
        if not text or show[:1].lower() not in text.lower():
            continue
        for end in _mentions(show, text):
            rest = text[end:end + 120]
            paren = _PAREN.match(rest)
            if paren:
                for part in re.split(r"\s*[/|]\s*", paren.group(1)):
                    add(_clean(part))
                rest = rest[paren.end():]
            aka = _AKA.match(rest)
            if aka:
                add(_clean(aka.group(1)))
    for node in jsonld or []:
        add_series_names(node, own, add)
    return found[:MAX_ALIASES]


_SERIES_TYPES = ("TVSeries", "CreativeWorkSeries", "TVSeason")


def add_series_names(node, own: str, add, depth: int = 0) -> None:
    """alternateName of a series named ``own`` anywhere in a JSON-LD node."""
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node[:50]:
            add_series_names(item, own, add, depth + 1)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    if any(k in _SERIES_TYPES for k in kinds if isinstance(k, str)):
        name = node.get("name")
        alternate = node.get("alternateName")
        if isinstance(name, str) and fold(name).lower() == own:
            for value in alternate if isinstance(alternate, list) else [alternate]:
                if isinstance(value, str):
                    add(_clean(value))
    for key in ("@graph", "about", "partOfSeries", "partOfSeason", "mainEntity", "isPartOf"):
        if key in node:
            add_series_names(node[key], own, add, depth + 1)
