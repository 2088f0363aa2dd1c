"""Reconcile the TV fields stated by the headline, titles, URL slug, JSON-LD and lead text.

The visible headline wins; the SEO <title>, og:title and JSON-LD headlines fill what it
does not state; then the URL slug, then JSON-LD TVEpisode/TVSeason numbers, then the first
paragraphs of the article (the spoiler line: "this recap covers the finale, episode 10").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .headline import (CODE, EPISODES, FINALE, NEGATIVES, MIDSEASON, PART, MAX_EPISODE, MAX_SEASON, SEASON, HeadlineInfo, _season_value,
                       _episode_list, to_int)
from .metadata import node_types
from .dates import word_trie
from .text import fold

# Sentences in the lead that talk about another episode, not this one.
# Lowercase, no re.I: run by _search_lower(). One \b, then a trie
# ("\ue000" marks a word end): several times faster than an alternation of \b-led words.
_OTHER_EPISODE = re.compile(r"\b(?:" + word_trie([
    "next\ue000", "upcoming\ue000", "will\ue000", "remain", "previous\ue000", "last week\ue000",
    "catch up\ue000", "read our\ue000", "read more\ue000", "nächste\ue000", "próximo\ue000",
    "coming\ue000"]).replace("\ue000", r"\b") + ")")
# "the Season 2 finale was ...": a finale in the past (lowercase, see _search_lower).
_PAST_FINALE = re.compile(r"\b(?:season|series)\s+(?:\d+\s+)?finale\b.*\b(?:was|will)\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“‘(])")
_NEGATIVE_REASONS = {
    "release": "release or news page", "listicle": "listicle", "podcast": "podcast",
    "interview": "interview", "refresher": "season refresher", "roundup": "multi-show roundup",
    "listing": "listing page",
}


@dataclass(slots=True)
class TvFields:
    show: str | None = None
    season: int | None = None
    episodes: list[int] = field(default_factory=list)
    kind: str = "other"
    finale: bool = False
    premiere: bool = False
    part: int | None = None
    episode_title: str | None = None
    reason: str | None = None
    keep_episodes: bool = False  # news about specific episodes keeps their numbers


def _may_be_episode(kind) -> bool:
    """False when a JSON-LD @type cannot be an episode or season (before node_types())."""
    if isinstance(kind, str):
        low = kind.lower()
        return "episode" in low or "season" in low
    return isinstance(kind, list)


def _jsonld_numbers(nodes: list[dict]) -> tuple[int | None, int | None, str | None]:
    season = episode = None
    series = None
    for node in nodes:
        for item in [node, node.get("itemReviewed"), node.get("about")]:
            if isinstance(item, list):
                item = item[0] if item else None
            if not isinstance(item, dict) or not _may_be_episode(item.get("@type")):
                continue
            types = node_types(item)
            if "tvepisode" in types or "episode" in types:
                episode = episode or to_int(str(item.get("episodeNumber") or ""))
                part = item.get("partOfSeason")
                if isinstance(part, dict):
                    season = season or to_int(str(part.get("seasonNumber") or ""))
                serie = item.get("partOfSeries")
                if isinstance(serie, dict) and isinstance(serie.get("name"), str):
                    series = series or serie["name"]
            if "tvseason" in types:
                season = season or to_int(str(item.get("seasonNumber") or ""))
    if season is not None and not 0 < season <= MAX_SEASON:
        season = None
    if episode is not None and not 0 < episode <= MAX_EPISODE:
        episode = None
    return season, episode, series


def _lead_numbers(lead: list[str]) -> tuple[int | None, list[int]]:
    """Season and episode stated in the first paragraphs, skipping other-episode sentences."""
    season = None
    episodes: list[int] = []
    text = " ".join(lead)[:1500]
    for sentence in _SENTENCE.split(fold(text)):
        if not (CODE.may_match(sentence) or SEASON.may_match(sentence) or EPISODES.may_match(sentence)):
            continue  # no number to find here: skip the other-episode test
        if _search_lower(_OTHER_EPISODE, sentence):
            continue
        code = CODE.search(sentence)
        if code and not episodes:
            season = season or to_int(code.group(1))
            episodes = [to_int(code.group(2))]
        for match in SEASON.finditer(sentence):
            season = season or _season_value(match)
        if not episodes:
            match = EPISODES.search(sentence)
            if match:
                episodes = ([to_int(match.group(3))] if match.group(3)
                            else _episode_list(match.group(1), match.group(2)))
                episodes = [e for e in episodes if e]
        if season and episodes:
            break
    return season, episodes


# Words right before "finale" that put it in the past or in another season:
# "after the first-season finale", "since the Season 1 finale", "last season's finale".
_OTHER_FINALE = re.compile(r"(?:\b(?:after|since|following|previous|last|ahead of|before|"
                           r"nach|tras|después de|depuis|après)\b[^.]{0,30}"
                           r"|\b(?:last|previous) (?:season|series)'?s?\s*)$", re.I)


def _lead_flags(lead: list[str], show: str | None = None) -> tuple[bool, int | None]:
    """Finale / part stated in the spoiler line ("this recap covers the finale of ...")."""
    finale, part = False, None
    show_key = _key(show) if show else None
    for sentence in _SENTENCE.split(fold(" ".join(lead[:2])[:800])):
        if not (FINALE.may_match(sentence) or PART.may_match(sentence)):
            continue  # nothing to find here: skip the other-episode tests
        if _search_lower(_OTHER_EPISODE, sentence) or _search_lower(_PAST_FINALE, sentence, "finale"):
            continue
        match = FINALE.search(sentence)
        if match and not MIDSEASON.search(sentence) and not _OTHER_FINALE.search(sentence[:match.start()]):
            finale = True
        match = PART.search(sentence)
        # "The Last of Us Part II" is the game, a title of its own, not a release part.
        if match and part is None and not (show_key and _key(sentence[:match.start()]).endswith(show_key)):
            part = to_int(match.group(1))
    return finale, part


def _key(text: str) -> str:
    """Accent-, case- and punctuation-free form of a title: "Shōgun" == "Shogun"."""
    text = fold(text)
    if text.isascii():  # no accents to strip; casefold is lower; translate is fast on ASCII
        return " ".join(text.lower().translate(_ASCII_PUNCT_TO_SPACE).split())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


# re.sub(r"[^\w\s]|_", " ", ...) for ASCII text: every ASCII character that is neither a
# letter, a digit nor white space, and "_", becomes a space.
_ASCII_PUNCT_TO_SPACE = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c).isspace())}


def _search_lower(pattern: re.Pattern, text: str, needs: str = ""):
    """pattern (lowercase literals, no re.I) over text.lower(): what the pattern with re.I
    finds in text. needs: a lowercase literal every match contains (skips the scan when
    absent). Falls back to re.I when lowercasing would move offsets or hide a letter that
    re.I matches (dotless i, long s)."""
    low = text.lower()
    if len(low) != len(text) or (not low.isascii() and ("\u0131" in low or "\u017f" in low)):
        return re.search(pattern.pattern, text, re.I)
    if needs and needs not in low:
        return None
    return pattern.search(low)


def _same_show(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    fa, fb = _key(a), _key(b)
    return fa in fb or fb in fa


def _canonical_show(show: str | None, series: str | None, tags: list[str]) -> str | None:
    """The show as structured data or tags name it, when the headline wraps it.

    JSON-LD partOfSeries "Andor" inside the headline's "Star Wars: Andor"; the tag "The
    Bachelor" for the headline's "Bachelor".
    """
    if not show:
        return show
    key = _key(show)
    series_key = _key(series) if series else ""
    if series_key and series_key != key and (
            key.endswith(" " + series_key) or key.startswith(series_key + " ")):
        return series.strip()
    for tag in tags:
        # an ASCII tag without "the" cannot have a key starting with "the "
        if (not tag.isascii() or "the" in tag.lower()) and _key(tag) == "the " + key:
            return tag.strip()
    return show


# Lead text that says the page is an audio show: "Listen to episode 38 of our podcast".
_AUDIO = re.compile(r"\bpodcasts?\b|\blisten (?:to|on)\b|\bitunes\b|\bsoundcloud\b|\bspotify\b.{0,40}"
                    r"\bepisode|\baudio (?:show|series)\b", re.I)


# A tag right before a speech verb is a person: "Bradley Walsh says ...".
_SPEAKS = (r"(?:says?|said|admits?|reveals?|tells?|jokes?|claims?|insists?|slams?|warns?|"
           r"recalls?|teases?|confirms?|responds?|shares?|gushes?|opens up|breaks silence)\b")


def _tag_show(tags: list[str], headline: str) -> str | None:
    """The longest tag that appears in the headline ("The Bear" in a listicle title)."""
    folded = fold(headline).lower()
    best = None
    for tag in tags:
        t = fold(tag).lower()
        # the substring test first: a tag's own regex is compiled (not cached) per page
        if len(t) >= 3 and t in folded and re.search(
                r"(?<!\w)" + re.escape(t) + r"(?!\w)(?!\s+" + _SPEAKS + ")", folded):
            if best is None or len(tag) > len(best):
                best = tag
    return best


def resolve_tv_fields(headline: HeadlineInfo, titles: list[HeadlineInfo], slug: HeadlineInfo,
                      jsonld: list[dict], lead: list[str], tags: list[str],
                      headline_text: str) -> TvFields:
    out = TvFields()
    same = [t for t in titles if _same_show(t.show, headline.show)]
    out.show = headline.show or next((t.show for t in titles if t.show), None)
    if out.show and len(out.show.split()) > 6:
        out.show = _tag_show(tags, headline_text) or out.show
    if not out.show:
        out.show = _tag_show(tags, headline_text)
    headline_silent = not (headline.episodes or headline.season or headline.kind or headline.finale
                           or headline.premiere)
    flags = set(headline.flags)
    if headline_silent:
        for t in titles:
            flags |= t.flags

    # "Stranger Things 4" taken as season 4: undo when a tag names the show with its number.
    if headline.season_from_title and out.show:
        full = f"{out.show} {headline.season}"
        if any(fold(t).lower().replace("#", "").split() == fold(full).lower().split() for t in tags):
            out.show, headline.season = full, None

    ld_season, ld_episode, ld_series = _jsonld_numbers(jsonld)
    out.show = _canonical_show(out.show, ld_series, tags)
    out.season = headline.season or next((t.season for t in same if t.season), None) \
        or slug.season or ld_season
    out.episodes = list(headline.episodes) or next((list(t.episodes) for t in same if t.episodes), []) \
        or list(slug.episodes) or ([ld_episode] if ld_episode else [])
    out.finale = headline.finale or any(t.finale for t in same) or slug.finale
    out.premiere = headline.premiere or any(t.premiere for t in same) or slug.premiere
    out.part = headline.part or next((t.part for t in same if t.part), None)
    out.episode_title = headline.episode_title or next((t.episode_title for t in same
                                                        if t.episode_title), None)
    kind = headline.kind or next((t.kind for t in same if t.kind), None) or slug.kind
    if kind is None and out.episodes and not flags:
        if any(_AUDIO.search(text) for text in lead[:3]):
            flags.add("podcast")  # "Big Media, Episode 38": an audio episode
            if not (headline.season or headline.finale or headline.premiere):
                out.show = None  # the name is the podcast's, not a TV show's
        else:
            kind = "recap"  # "Crash Landing on You: Episode 1"
    out.kind = kind or "other"

    episode_level_hint = out.kind in ("recap", "review", "recap+review", "ending-explained")
    if flags & {"release", "listicle", "podcast", "interview", "refresher", "roundup", "listing"}:
        if out.kind != "preview":
            out.kind = "other"
        out.reason = _NEGATIVE_REASONS[sorted(flags & set(_NEGATIVE_REASONS))[0]]
        out.keep_episodes = "release" in flags and bool(headline.episodes)
        if "roundup" in flags:
            out.show, out.finale, out.premiere, out.part = None, False, False, None
            out.episodes, out.season = [], None
        if "podcast" in flags and not headline.kind:
            out.episodes = []  # the podcast's own episode number
        return out
    if "reversed-untyped" in headline.flags and out.kind == "other":
        out.episodes = []
    if not episode_level_hint:
        out.reason = "preview" if out.kind == "preview" else "not an episode headline"
        out.keep_episodes = bool(out.episodes)
        return out

    if not out.episodes or (out.season is None and (out.finale or out.premiere)):
        lead_season, lead_episodes = _lead_numbers(lead)
        if not out.episodes and (out.finale or out.premiere or lead_episodes and not
                                 (out.season and not headline.episodes and out.kind == "review")):
            out.episodes = lead_episodes
        if out.season is None and (out.episodes or out.finale or out.premiere):
            out.season = lead_season
    if not out.finale or not out.part:
        finale, part = _lead_flags(lead, out.show)
        out.finale = out.finale or finale
        out.part = out.part or part
    if not out.episodes and out.premiere:
        out.episodes = [1]
    if not out.show:
        out.reason = "no show in headline"
    elif not (out.episodes or out.finale):
        out.reason = "season review" if out.season else "no episode stated"
    return out
