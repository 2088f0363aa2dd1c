"""Headline and URL-slug grammar: show, season, episodes, kind, finale, premiere, part.

``parse_headline("‘The Bear’ Season 2, Episode 6 Recap: Fishes")`` returns a
:class:`HeadlineInfo` with show "The Bear", season 2, episodes [6], kind "recap" and
episode title "Fishes". The grammar works on markers: season/episode phrases in several
languages, compact codes (S2E4, 3x11, 2.06), kind words (recap, review, ending explained,
preview), finale/premiere and part/volume. The show is the text before the first marker
(or the quoted title), or after the colon for reversed shapes ("Episode 1 Recap: Show,
Season 2"). Nothing here raises on any string.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .dates import word_trie
from .patterns import Gated, factor_boundaries  # noqa: F401 - Gated is part of this module's API
from .text import clean_text, fold

MAX_SEASON = 80
MAX_EPISODE = 1500
MAX_RANGE = 30

_CARDINALS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "huit": 8, "neuf": 9, "dix": 10,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "final": 0, "last": 0,
    "erste": 1, "ersten": 1, "zweite": 2, "zweiten": 2, "dritte": 3, "dritten": 3, "vierte": 4,
    "vierten": 4, "fünfte": 5, "fünften": 5, "sechste": 6, "sechsten": 6,
    "primera": 1, "primer": 1, "primero": 1, "segunda": 2, "segundo": 2, "tercera": 3,
    "tercer": 3, "tercero": 3, "cuarta": 4, "cuarto": 4, "quinta": 5, "quinto": 5,
    "première": 1, "premier": 1, "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5,
}
_WORDS = _CARDINALS | {k: v for k, v in _ORDINALS.items() if v}
# Tries, not flat alternations: the regex engine fails after one character at most positions.
_CARD_RE = word_trie(_CARDINALS)
_ORD_RE = word_trie(k for k, v in _ORDINALS.items() if v)
_ORD_RE += r"|\d{1,2}(?:st|nd|rd|th|\.|e|er|ª|º|ᵉ)"
NUM = r"(?:\d{1,4}|" + _CARD_RE + r")"

SEASON_WORD = r"(?:seasons?|series|staffel|temporadas?|saisons?|stagione|seizoen|sezon|säsong|sæson|kausi)"
EPISODE_WORD = (r"(?:episodes?|episódios?|episodios?|épisodes?|episodi|episodio|folgen?|eps?\.?|"
                r"capítulos?|capitulos?|afleveringen?|odcinek|avsnitt)")
_SEP = r"\s*(?:-|to|through|thru|&|and|und|y|et|e|\+|,|/|~|a)\s*"

_DIGITS = "0|1|2|3|4|5|6|7|8|9"
CODE = Gated(re.compile(r"\bs(?:eason)?\s?(\d{1,2})\s*[:.\-|]?\s*e(?:p(?:isode)?)?\.?\s?(\d{1,4})"
                        r"(?:\s*(?:-|&|and|\+|,)\s*e?(\d{1,4}))?(?!\d)", re.I), _DIGITS)
# gate: a digit right before the "x" (the key "x" alone lets "next", "Max", "box"... through)
CROSS = Gated(re.compile(r"(?<![\w.])(\d{1,2})\s?[x×]\s?(\d{1,3})(?![\w.])", re.I), "x|×",
              gate=r"\d\s?[x×]")
DOTTED = re.compile(r"(?<![\w.$€£])(\d{1,2})\.(\d{2})(?![\d.%]|\s*(?:/|out of|stars|von|sur))")
SEASON = Gated(re.compile(
    r"\b" + SEASON_WORD + r"\s+(" + NUM + r")\b(?!\s*[x×]\s*\d)(?!\s?[-–]\s?\d)"
    r"|\b(" + _ORD_RE + r")[\s-]+" + SEASON_WORD + r"\b"
    r"|시즌\s*(\d{1,2})|第\s*(\d{1,2})\s*[期季]|シーズン\s*(\d{1,2})",
    re.I,
),
    "season|series|staffel|temporada|saison|stagione|seizoen|sezon|säsong|sæson|kausi|시즌|第|シーズン")
EPISODES = Gated(re.compile(
    r"\b" + EPISODE_WORD + r"\s*(?:no\.?\s*)?#?\s*(" + NUM + r")((?:" + _SEP + r"(?:"
    + EPISODE_WORD + r"\s*)?" + NUM + r"\b)*)"
    r"|\b(" + _ORD_RE + r")\s+(?:episode|folge|episodio|épisode|capítulo)\b",
    re.I,
),
    "ep|épisod|folge|capít|capitul|aflevering|odcinek|avsnitt")  # not "cap": every "recap" has it
ASIAN_EPISODES = re.compile(
    r"(\d{1,4})\s*(?:회|화|話|集)?\s*(?:[~\-,&]|와|과|and)\s*(\d{1,4})\s*(?:회|화|話|集)(?!\w)"
    r"|(?<![\d.])(\d{1,4})\s*(?:회|화|話|集)(?![가-힣\w])|第\s*(\d{1,4})\s*[話回集]",
)
CHAPTER = Gated(re.compile(r"\b(?:chapter|kapitel|chapitre)\s+(" + NUM + r")\b", re.I),
                "chapter|kapitel|chapitre")
PART = Gated(re.compile(r"\b(?:part|pt\.|volume|vol\.?|teil|parte|partie|deel)\s*(" + NUM
                        + r"|i{1,3}|iv)\b(?!\s*(?:of|von|de)\s+\d)", re.I), "part|pt.|vol|teil|deel")
FINALE = Gated(re.compile(
    r"\b(?:season|series|show|two-part|part \w+)?[\s-]*(?<!mid-)(?<!mid)finale\b|\bstaffelfinale\b|"
    r"\bfinal de (?:la )?temporada\b|\bfinale de (?:la )?saison\b|\bseason[\s-]ender\b|"
    r"\bfinal episode\b|\bseries closer\b|최종회|마지막 ?회|最終回|最終話",
    re.I,
),
    "final|ender|closer|최종회|마지막|最終")
MIDSEASON = re.compile(r"\bmid-?season finale\b", re.I)
PREMIERE = Gated(re.compile(r"\b(?:season|series)?\s*premiere\b(?!\s+date)|\bstaffelauftakt\b|"
                      r"\bestreno de temporada\b|\bpilot episode\b|\bthe pilot\b|첫 ?방송|첫 ?회",
                      re.I),
    "premiere|staffelauftakt|estreno|pilot|첫")
RECAP = Gated(re.compile(r"\brecaps?\b|\brecapping\b|\brécap\w*|\bresumen\b|\bzusammenfassung\b|"
                   r"\brésumé\b|\briassunto\b|\bresumo\b|리캡|줄거리|あらすじ|\bbreakdown\b|\brundown\b",
                   re.I),
    "recap|récap|resumen|zusammenfassung|résumé|riassunto|resumo|리캡|줄거리|あらすじ|breakdown|rundown")
REVIEW = Gated(re.compile(r"\breviews?\b|\bcritique\b|\bkritik\b|\brezension\b|\bcrítica\b|"
                    r"\breseña\b|\banálisis\b|\banalisis\b|\brecensione\b|\brecensie\b|"
                    r"\banalysis\b|\bverdict\b|리뷰|레뷰|感想", re.I),
    "review|critique|kritik|rezension|crítica|reseña|análisis|analisis|recensione|recensie|analysis|verdict|리뷰|레뷰|感想")
EXPLAINED = Gated(re.compile(r"\b(?:ending|finale|end)\b[\s,]*(?:,\s*)?explained\b|\bexplained\b|"
                       r"\bexplainer\b|\bfinal explicado\b|\bende erklärt\b|결말 해석", re.I),
    "explain|explicado|erklärt|결말 해석")
PREVIEW = Gated(re.compile(r"\bpreview\b|\bwhat to expect\b|\bsneak peek\b|\bpromo\b|\bvorschau\b|"
                     r"\bavance\b|\bpromo pics\b|\bpredictions?\b|예고", re.I),
    "preview|what to expect|sneak peek|promo|vorschau|avance|prediction|예고")
# Headline shapes that are about a show but not about specific aired episodes.
NEGATIVES = {
    "release": Gated(re.compile(
        r"\brelease (?:date|time|schedule)\b|\bstart date\b|\bpremiere date\b|\bair ?date\b|"
        r"\bwhen does\b|\bwhen is\b|\bwhen will\b|\bwhere to (?:watch|stream)\b|"
        r"\bhow to (?:watch|stream)\b|\bwhat time\b|\bschedule\b|\bcountdown\b|\brenewed\b|"
        r"\bcancell?ed\b|\btrailer\b|\bteaser\b|\bfirst look\b|\bruntimes?\b|\breturns?\b|"
        r"\bconfirmed\b|\bis coming\b|\bcoming to\b|\beverything (?:we|to) know\b|\bcast\b|"
        r"\bstart(?:s|ing)? date\b|\bestreno\b|\bfecha\b|\bsendetermin\b|\bstarttermin\b|"
        r"\bspoilers\b", re.I),
        "release|start|premiere date|air|when |where to|how to|what time|schedule|countdown|"
        "renewed|cancel|trailer|teaser|first look|runtime|return|confirmed|coming|everything|"
        "cast|estreno|fecha|sendetermin|spoilers"),
    "listicle": Gated(re.compile(
        r"\branked\b|\branking\b|\b(?:best|worst) episodes\b|\btop \d+\b|\b\d+ best\b|"
        r"\bevery episode\b|\bbest moments\b|\b\d+ (?:things|reasons|questions|moments|biggest|"
        r"ways|details|easter eggs)\b", re.I),
        # the words after "\d+" as keys, not the digits that nearly every headline has
        "rank|best|worst|top |every episode|things|reasons|questions|moments|biggest|ways|details|"
        "easter eggs"),
    "podcast": Gated(re.compile(r"\bpodcast\b|\bpod\b|\bpodcasts\b|\bradio show\b", re.I), "pod|radio show"),
    "interview": Gated(re.compile(r"\binterview\b|\bq&a\b|\bq and a\b|\bin conversation\b", re.I),
        "interview|q&a|q and a|in conversation"),
    "refresher": Gated(re.compile(r"\bbefore (?:part|season|volume|the new season)\b|\bwhat to remember\b|"
                            r"\bneed to know\b|\bcatch up\b|\bso far\b|\brefresher\b", re.I),
        "before |what to remember|need to know|catch up|so far|refresher"),
    "roundup": Gated(re.compile(r"\bthis week\b|\bnew on\b|\band more\b|\broundup\b|\bround-up\b|"
                          r"\bwhat to watch\b|\bthis weekend\b", re.I),
        "this week|new on|and more|roundup|round-up|what to watch"),
    # one ^ in front of the whole alternation: the regex engine then tries position 0 only
    "listing": re.compile(r"^(?:(?:category|tag|tags|archives?|author|topic|search results?)\s*:|"
                          r"posts tagged\b|all posts\b|archive\b)", re.I),
}
# A parenthesis that ends a show's name: a platform or country "(Netflix)", a year, or the
# original title in another script "(사운드트랙#2)" (recorded as an alias, parsers/aliases.py).
_PLATFORM_PAREN = re.compile(r"\(\s*(?:[A-Z][\w+ ]{1,20}|\d{4}|[^\x00-\x7f(][^()]{0,40})\s*\)")
_LEAD_LABEL = re.compile(r"^(?:\[[^\]]{1,20}\]|【[^】]{1,20}】|(?:exclusive|watch|tv review|tv recap|"
                         r"recap|review|opinion|analysis|spoilers?|breaking|video|photos|"
                         r"(?:exclusive )?interview)\s*[:|\-])\s*",
                         re.I)
# A quoted title; an apostrophe inside a word ("HBO's", "Grey's") neither opens nor closes it.
_QUOTED = re.compile(r"(?<!\w)'((?:[^']|'(?=\w)){1,80}?)'(?!\w)|\"([^\"]{1,80})\"")
_ORDINAL_OF = re.compile(r"^(?:the\s+)?\w+\s+(?:episode|season|series)\s+of\s+(.+?)(?:,|:|\s+-\s+|$)",
                         re.I)
_QUESTION = re.compile(r"^(?:is|are|does|did|why|how|what|who|when|where|should|can|will|was|"
                       r"has|have|do)\s+", re.I)
# Plural season words open a span of seasons, never one season.
_PLURAL_SEASONS = ("seasons ", "saisons ", "temporadas ", "stagioni ")
# Box-set reviews: "Babylon 5: The Complete Fourth Season", "X - The Complete Series".
COMPLETE = Gated(re.compile(r"(?:\bthe\s+)?\bcomplete\s+(?:series|collection|box ?set|"
                            r"\w+\s+(?:season|series)|(?:season|series)\s+\w+)\b", re.I), "complete")
# Negative headline shapes whose words end the show name: "EastEnders Spoilers: ...",
# "Shōgun Episode Release Schedule: ...", "The Bear Interview: ...".
_ENDING_NEGATIVES = ("release", "interview", "refresher")
# Words left dangling at the end of a show name once a marker is cut off.
_DANGLING = re.compile(r"(?:[\s:,\-–—]+(?:the\s+)?(?:complete|episodes?|eps?\.?|folgen?|episodios?|"
                       r"spoilers?|(?<!the )(?:season|series|staffel|temporada)))+$", re.I)
# A year closing a show name ("Bachelor 2015 Spoilers"): an edition, not part of the title.
_TRAILING_YEAR = re.compile(r"^(\D.*?)\s+(?:19[5-9]\d|20[0-4]\d)$")
# What _DANGLING's last word can be (lowercase): a name ending otherwise skips the scan.
_DANGLING_ENDS = ("complete", "episode", "episodes", "ep", "eps", "ep.", "eps.", "folge", "folgen",
                  "episodio", "episodios", "spoiler", "spoilers", "season", "series", "staffel",
                  "temporada")
_POSSESSIVE = re.compile(r"^([A-Z][\w+&]*(?: [A-Z][\w+]*)?)['’]s\s+[A-Z\d]")
_POSSESSIVE_PREFIX = re.compile(r"^(?:[A-Z][\w+&]*(?: [A-Z][\w+]*)?)['’]s\s+(?=[A-Z\d])")
_ALNUM = re.compile(r"[^\W_]")  # one letter or digit: str.isalnum() of one character
_NAME_NUMBER = re.compile(r"^(.*\S)\s+(#?)(\d{1,2})$")
# A quote right after a speech verb is what someone said, not a title:
# "Bradley Walsh says 'I'd better watch out' as The Chase contestant ...".
_SPEECH_BEFORE = re.compile(r"\b(?:says?|said|admits?|reveals?|tells?|told|jokes?|claims?|insists?|"
                            r"slams?|warns?|recalls?|teases?|confirms?|responds?|writes?|asks?|"
                            r"vows?|declares?|quips?|gushes?|shares?)\s*:?\s*$", re.I)
# Two or more quoted titles in a row: a roundup ("«Vape Wave», «6 Days», «Alphonse Président»").
_QUOTED_LIST = re.compile(r"([«\"'])[^«»\"]{1,60}[»\"'](?:\s*(?:,|&|\band\b|\bet\b|\by\b|\bund\b)\s*"
                          r"[«\"'][^«»\"]{1,60}[»\"']){1,}")
_SMALL = {"of", "the", "and", "a", "an", "in", "on", "to", "at", "for", "de", "la", "el", "le",
          "der", "die", "das", "du", "des", "y", "et", "und", "or", "with", "from", "by", "vs"}


@dataclass(slots=True)
class HeadlineInfo:
    show: str | None = None
    season: int | None = None
    episodes: list[int] = field(default_factory=list)
    absolute_episode: int | None = None  # "Episode 25" next to "(Season 2 Episode 1)"
    kind: str | None = None  # recap|review|recap+review|ending-explained|preview|None
    finale: bool = False
    premiere: bool = False
    part: int | None = None
    episode_title: str | None = None
    season_from_title: bool = False  # "Stranger Things 4": the number ended the show name
    flags: set[str] = field(default_factory=set)  # NEGATIVES keys that matched


def to_int(token: str | None) -> int | None:
    """"12", "twelve", "zweite", "3rd", "II" -> int; None otherwise."""
    if not token:
        return None
    token = token.strip().lower().rstrip(".")
    if token.isdigit():
        return int(token) if len(token) <= 6 else None
    roman = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
    if token in roman:
        return roman[token]
    if token in _WORDS:
        return _WORDS[token]
    match = re.match(r"(\d{1,2})(?:st|nd|rd|th|e|er|ª|º|ᵉ)$", token)
    return int(match.group(1)) if match else None


# One more episode number of a list: separator, optional episode word, number.
_EPISODE_NEXT = re.compile(r"(" + _SEP + r")(?:" + EPISODE_WORD + r"\s*)?(" + NUM + r")", re.I)
_TRAILING_PARENS = re.compile(r"\s*\([^)]*\)$")
_TITLE_SPLIT = re.compile(r"[:\-|]\s+")


def _episode_list(first: str, rest: str, slug: bool = False) -> list[int]:
    start = to_int(first)
    if start is None or not 0 < start <= MAX_EPISODE:
        return []
    out = [start]
    prev = start
    for sep, token in _EPISODE_NEXT.findall(rest or ""):
        value = to_int(token)
        if value is None or not 0 < value <= MAX_EPISODE:
            break
        sep = sep.strip().lower()
        if sep in ("-", "to", "through", "thru", "~", "a") and prev < value <= prev + MAX_RANGE:
            out.extend(range(prev + 1, value + 1))
        elif value not in out:
            out.append(value)
        prev = value
    if slug and len(out) == 1 and 12 <= start <= 99 and start % 10 == start // 10 + 1:
        out = [start // 10, start % 10]  # "ep-78" in a slug: episodes 7 and 8
    return out


def _season_value(match: re.Match) -> int | None:
    if match.group(0).lower().startswith(_PLURAL_SEASONS):  # "Seasons 1 and 2": no single season
        return None
    for group in match.groups():
        if group:
            value = to_int(group)
            if value is not None and 0 < value <= MAX_SEASON:
                return value
            return None
    return None


def parse_headline(text: str | None, *, slug: bool = False) -> HeadlineInfo:
    """Parse one headline-like string (h1, <title>, og:title, or a URL slug).

    slug=True reads a URL slug: season, episodes, kind, finale and premiere only. A page's og:title, JSON-LD headline and <title> often repeat one string: parses are
    cached, and each caller gets its own copy to change.
    """
    info = _parse_cached(text or "", slug)
    return HeadlineInfo(  # dataclasses.replace() costs a few µs more per call
        show=info.show, season=info.season, episodes=list(info.episodes),
        absolute_episode=info.absolute_episode, kind=info.kind, finale=info.finale,
        premiere=info.premiere, part=info.part, episode_title=info.episode_title,
        season_from_title=info.season_from_title, flags=set(info.flags))


@lru_cache(maxsize=64)  # the strings of a page or two; a crawl rarely repeats a headline
def _parse_cached(text: str, slug: bool) -> HeadlineInfo:
    info = HeadlineInfo()
    try:
        _parse(clean_text(fold(text))[:400], info, slug)
    except Exception:  # noqa: BLE001 - the grammar must never take a page down
        return HeadlineInfo()
    return info


def _parse(text: str, info: HeadlineInfo, slug: bool) -> None:
    if not text:
        return
    anchors: list[int] = []
    seasoned_episode = None
    for match in CODE.finditer(text):
        season, ep = to_int(match.group(1)), to_int(match.group(2))
        if season and 0 < season <= MAX_SEASON and ep and 0 < ep <= MAX_EPISODE:
            info.season = info.season or season
            eps = [ep]
            end = to_int(match.group(3))
            if end and ep < end <= ep + MAX_RANGE:
                eps = list(range(ep, end + 1))
            seasoned_episode = seasoned_episode or eps
            anchors.append(match.start())
    # DOTTED ("2.06") needs a dot: skip its look-behind-led scan when there is none
    for pattern in (CROSS, DOTTED) if not slug and "." in text else (CROSS,):
        for match in pattern.finditer(text):
            season, ep = int(match.group(1)), int(match.group(2))
            if 0 < season <= MAX_SEASON and 0 < ep <= 99 and (pattern is CROSS or match.start() > 0):
                info.season = info.season or season
                seasoned_episode = seasoned_episode or [ep]
                anchors.append(match.start())
    season_matches = list(SEASON.finditer(text))
    for match in season_matches:
        value = _season_value(match)
        if value:
            info.season = info.season or value
        anchors.append(match.start())
    episode_lists: list[tuple[int, list[int], bool]] = []
    for match in EPISODES.finditer(text):
        if match.group(3):
            eps = [v] if (v := to_int(match.group(3))) else []
        else:
            eps = _episode_list(match.group(1), match.group(2), slug)
        anchors.append(match.start())
        near_season = any(abs(s.end() - match.start()) <= 3 or abs(match.end() - s.start()) <= 3
                          for s in season_matches)
        if eps:
            episode_lists.append((match.start(), eps, near_season))
    for match in ASIAN_EPISODES.finditer(text) if not text.isascii() else ():
        if match.group(1):
            eps = _episode_list(match.group(1), "-" + match.group(2))
            if len(eps) > 2 and "~" not in match.group(0) and "-" not in match.group(0):
                eps = [eps[0], eps[-1]]
        else:
            eps = [v] if (v := to_int(match.group(3) or match.group(4))) else []
        if eps and all(0 < e <= MAX_EPISODE for e in eps):
            episode_lists.append((match.start(), eps, False))
            anchors.append(match.start())
    found = {}
    for pattern in _SLUG_MARKERS if slug else _MARKERS:
        match = found[pattern] = pattern.search(text)
        if match:
            anchors.append(match.start() + (len(match.group(0)) - len(match.group(0).lstrip())))
    if not slug:  # part, and the markers that only end a show name
        part = PART.search(text)
        if part:
            info.part = to_int(part.group(1))
            anchors.append(part.start())
        paren = _PLATFORM_PAREN.search(text)
        if paren and paren.start() > 0:
            anchors.append(paren.start())
        complete = COMPLETE.search(text)
        if complete:
            anchors.append(complete.start())

    # Episodes: one stated with its season wins over an absolute number.
    if seasoned_episode:
        info.episodes = seasoned_episode
        if episode_lists and episode_lists[0][1] != seasoned_episode:
            info.absolute_episode = episode_lists[0][1][0]
    elif episode_lists:
        with_season = [eps for _, eps, near in episode_lists if near]
        info.episodes = with_season[-1] if with_season and len(episode_lists) > 1 else episode_lists[0][1]
        if with_season and len(episode_lists) > 1 and episode_lists[0][1] != info.episodes:
            info.absolute_episode = episode_lists[0][1][0]
    if (info.season is None and len(info.episodes) == 1 and 101 <= info.episodes[0] <= 999
            and 1 <= info.episodes[0] % 100 <= 40 and not slug):
        info.season, info.episodes = divmod(info.episodes[0], 100)[0], [info.episodes[0] % 100]

    info.finale = bool(found[FINALE]) and not MIDSEASON.search(text)
    info.premiere = bool(found[PREMIERE])
    info.kind = _kind(text, found)
    if slug:
        return
    for name, pattern in NEGATIVES.items():
        match = pattern.search(text)
        if match:
            info.flags.add(name)
            if name in _ENDING_NEGATIVES and match.start() > 0:
                anchors.append(match.start())
    if _quoted_titles(text) >= 2:
        info.flags.add("roundup")
    _show_and_title(text, info, sorted(set(anchors)))


# Marker patterns run over a headline; a slug needs only those that give kind, finale, premiere.
_MARKERS = (CHAPTER, FINALE, PREMIERE, RECAP, REVIEW, EXPLAINED, PREVIEW)
_SLUG_MARKERS = (FINALE, PREMIERE, RECAP, REVIEW, EXPLAINED, PREVIEW)


def _kind(text: str, found: dict | None = None) -> str | None:
    found = found or {p: p.search(text) for p in (RECAP, REVIEW, EXPLAINED, PREVIEW)}
    recap, review = bool(found[RECAP]), bool(found[REVIEW])
    if recap and review:
        return "recap+review"
    if recap:
        return "recap"
    if found[EXPLAINED]:
        return "ending-explained"
    if review:
        return "review"
    if found[PREVIEW]:
        return "preview"
    return None


def _quoted_titles(text: str) -> int:
    """How many quoted titles stand in a row ("'A', 'B' and 'C'" -> 3; 0 when none)."""
    if text.count("«") < 2 and text.count('"') < 4 and text.count("'") < 4:
        return 0
    match = _QUOTED_LIST.search(text)
    if not match:
        return 0
    return len(re.findall(r"[«\"'][^«»\"]{1,60}[»\"']", match.group(0)))


def _clean_show(raw: str) -> str | None:
    show = _strip_label(_strip_label(raw.strip()))
    for quoted in _QUOTED.finditer(show):
        inner = (quoted.group(1) or quoted.group(2)).strip()
        if inner and not _SPEECH_BEFORE.search(show[:quoted.start()]):
            return inner
    show = show.strip(" \t,:;|-'\"()[]")
    show = _POSSESSIVE_PREFIX.sub("", show) if _possessive_outlet(show) else show
    question = _QUESTION.match(show)  # anchored: match + slice is _QUESTION.sub("", show)
    if question:
        show = show[question.end():]
    if show.startswith("the "):  # "Why the Night Ferry finale ...": a lowercase article
        show = show[4:]
    if ":" in show:
        head, _, tail = show.partition(":")
        tail_words = tail.split()
        lower = [w for w in tail_words if w[:1].islower() and w.lower() not in _SMALL]
        if len(tail_words) > 5 or len(lower) >= 2:
            show = head
    if show.lower().endswith(_DANGLING_ENDS):
        show = _DANGLING.sub("", show)
    show = show.strip(" \t,:;|-'\"")
    year = _TRAILING_YEAR.match(show) if show[-4:].isdigit() else None
    if year:
        show = year.group(1)
    if not show or len(show) > 80 or len(show.split()) > 9 or show.lower() in _SMALL:
        return None
    if _ALNUM.search(show) is None:
        return None
    return show


def _strip_label(text: str) -> str:
    """_LEAD_LABEL.sub("", text): the label is anchored at the start, so a match will do
    (sub would try every position)."""
    label = _LEAD_LABEL.match(text)
    return text[label.end():] if label else text


def _possessive_outlet(show: str) -> bool:
    """"HBO's The Last of Us" / "Netflix's Wednesday": a platform/network owner prefix."""
    if "'s" not in show and "’s" not in show:
        return False
    match = _POSSESSIVE.match(show)
    if not match:
        return False
    from .platforms import canonical  # noqa: PLC0415 - avoids an import cycle at load time
    return canonical(match.group(1)) is not None or match.group(1) in ("Marvel", "Star Wars")


def _show_and_title(text: str, info: HeadlineInfo, anchors: list[int]) -> None:
    label = _LEAD_LABEL.match(text)
    if label:
        # "[리뷰] '눈물의 여왕' 1~2회": the label is not part of the show.
        anchors = [a - label.end() for a in anchors if a >= label.end()]
        text = text[label.end():]
    first = anchors[0] if anchors else len(text)
    quoted = _QUOTED.match(text)
    if quoted and (quoted.end() >= first - 2 or not anchors):
        candidate = (quoted.group(1) or quoted.group(2)).strip()
        show = candidate if anchors and quoted.end() >= first - 2 else None
    else:
        show = _clean_show(text[:first]) if first > 0 else None
    rest_start = first
    if show and "podcast" in info.flags and NEGATIVES["podcast"].search(show):
        # "The Prestige Pod, Episode 38: Is Severance Season 2 Better...": the podcast is not the show.
        show = None
        colon = text.find(":", first)
        if colon > 0:
            inner = HeadlineInfo()
            _parse(text[colon + 1:], inner, False)
            show, info.season = inner.show, inner.season
            info.episodes = inner.episodes
    elif show is None and (ordinal := _ORDINAL_OF.match(text)):
        show = _clean_show(ordinal.group(1))  # "The fourth episode of Ripley, reviewed"
    elif show is None and first == 0 and anchors:
        # Reversed shape: "Episode 1 Recap: Severance, Season 2" / "Folge 70: Star Trek: Picard".
        colon = re.search(r"[:\-|]\s+", text[first:])
        if colon:
            remainder = text[first + colon.end():]
            cut = [a - first - colon.end() for a in anchors if a > first + colon.end()]
            segment = remainder[: cut[0]] if cut else remainder
            show = _clean_show(segment)
            rest_start = len(text)
            if show and not cut and not info.kind:
                info.flags.add("reversed-untyped")
    if "listicle" in info.flags and show:
        # "The 10 Best Episodes of The Bear, Ranked"
        of = re.search(r"\b(?:episodes|moments|characters|seasons|scenes) of (.+?)(?:,|\s+ranked|$)",
                       show + " ", re.I)
        if of:
            show = _clean_show(of.group(1))
        else:  # "10 Best The Bear Episodes Ranked"
            best = re.match(r"^(?:the\s+)?\d+\s+(?:best|worst|greatest|funniest)\s+(.+?)\s+"
                            r"(?:episodes|moments|characters|seasons|scenes)\b", show, re.I)
            if best:
                show = _clean_show(best.group(1))
    if show:
        match = _NAME_NUMBER.match(show) if show[-1:].isdigit() else None
        if (match and not match.group(2) and not (SEASON.search(text) or CODE.search(text))
                and not match.group(1).isdigit()):
            value = int(match.group(3))
            if 0 < value <= MAX_SEASON and info.season in (None, value):
                show, info.season, info.season_from_title = match.group(1), value, True
    info.show = show
    info.episode_title = _episode_title(text[rest_start:])


def _episode_title(rest: str) -> str | None:
    quoted = _QUOTED.search(rest)
    if quoted:
        title = _drop_trailing_parens(quoted.group(1) or quoted.group(2)).strip(" ,.")
        if title and len(title) < 80:
            return title
    parts = _TITLE_SPLIT.split(rest, maxsplit=1)
    if len(parts) == 2:
        tail = _drop_trailing_parens(parts[1]).strip(" ,.")
        if tail and len(tail.split()) <= 5 and not SEASON.search(tail) and not EPISODES.search(tail):
            return tail
    return None


def _drop_trailing_parens(text: str) -> str:
    """_TRAILING_PARENS.sub("", text), without the scan when text does not end in ")"."""
    return _TRAILING_PARENS.sub("", text) if text.endswith(")") else text


def slug_text(url: str | None) -> str:
    """The readable part of a URL path: "shogun-episode-10-recap-1235" -> "shogun episode 10 recap"."""
    if not url:
        return ""
    path = re.sub(r"^[a-z]+://[^/]+", "", url.split("?", 1)[0].split("#", 1)[0])
    segments = [s for s in path.split("/") if s and not s.isdigit()]
    if not segments:
        return ""
    best = max(segments, key=lambda s: s.count("-"))
    best = re.sub(r"\.(?:html?|php|aspx?|shtml)$", "", best)
    best = re.sub(r"-(?:\d{5,}|[0-9a-f]{6,}|[a-z0-9]{20,})$", "", best)
    return best.replace("-", " ").replace("_", " ")


def parse_slug(url: str | None) -> HeadlineInfo:
    """Season, episodes, kind, finale and premiere stated by a URL slug (a slug's show,
    part and negative shapes are not read: the cascade takes those from headlines)."""
    return parse_headline(slug_text(url), slug=True)
