"""Release dates of the episodes a page is about.

Read from the sentences that say when the covered episodes aired or dropped ("aired
Tuesday, April 23, on FX", "hit Hulu on Thursday", "지난 9일과 10일 ... 방송"), in the first
paragraphs. A weekday or a date without a year is resolved against the publish date.
Sentences about other episodes ("next week", "Episode 3 airs ...") are skipped.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time as dtime, timedelta, timezone

from .dates import (MONTHS, TZ_ABBR, WEEKDAYS, clock_24h, find_dates, weekday_near,
                    word_trie, zone)
from .text import fold

# The sentence-level patterns below are lowercase and run (without re.I, which is ten times
# slower) over the lowercased sentence; only their truth and the verb's text are used.
_RELEASE_VERB = re.compile(
    r"\b(?:air(?:s|ed|ing)?|premier(?:e|es|ed)|debut(?:s|ed)|releas(?:e|es|ed)|drop(?:s|ped)|"
    r"hit|arriv(?:e|es|ed)|land(?:s|ed)|stream(?:s|ing)? (?:since|from)|streamed|broadcast|launch(?:es|ed)|"
    r"returns?|returned|out now|kick(?:s|ed) off|wrap(?:s|ped) up|came to an end|ended|concluded|"
    r"simulcast(?:s|ed)?|(?:been|is|are) (?:streaming|available)\b[^.]{0,40}\bsince|se estren[óa]|estrena|lleg[óa]|emiti[óo]|ausgestrahlt|lief|läuft|startet|"
    r"sortie|diffus[ée]|disponible)\b|방송|공개|放送|配信",
)
_FUTURE = re.compile(r"\b(?:premieres|arrives|returns|lands|drops|will|is set to|starts|debuts|"
                     r"launches|coming|llega|startet)\b")
# "\ue000" marks a word end (\b) in word_trie() input; one \b up front, then a trie, runs
# about 7x faster than an alternation of \b-led words (every branch tried at every position).
_OTHER = re.compile(r"\b(?:" + word_trie([
    "next\ue000", "upcoming\ue000", "previous\ue000", "last week\ue000",
    *("following " + w for w in ("week", "episode", "installment", "chapter", "day")),
    "nächste", "próximo", "siguiente", "tercer\ue000", "remaining\ue000", "finale is\ue000",
    "finale will\ue000"]).replace("\ue000", r"\b") + r")|다음|오는")
# A sentence ends at . ! ? 。 before a capital, a quote or a non-Latin letter, not before a
# digit or a lowercase word ("Dec. 18"); split_sentences() rejoins "am 23. | April". The
# gap is group 1: led by the stop itself, the regex engine skips ahead to the next stop
# (twice as fast as the lookbehind (?<=[.!?。])\s+(?=[^\da-z]), which it tries everywhere).
_SENTENCE = re.compile(r"[.!?。](\s+)(?=[^\da-z])")
_WEEKDAY = re.compile(r"\b(" + "|".join(sorted((w for w in WEEKDAYS if w.isascii() and len(w) > 3),
                                                key=len, reverse=True)) + r")\b", re.I)
_KO_DAYS = re.compile(r"지난\s*(\d{1,2})일(?:과|와|,|\s)*(?:(\d{1,2})일)?")
_TONIGHT = re.compile(r"\btonight\b|\bthis evening\b|\bheute abend\b|\besta noche\b", re.I)
_YESTERDAY = re.compile(r"\byesterday\b|\bgestern\b|\bayer\b", re.I)


def _resolve_year(found: date, published: date, has_year: bool, future: bool) -> date:
    if has_year:
        return found
    if not future and found > published + timedelta(days=7):
        return found.replace(year=found.year - 1) if not (found.month == 2 and found.day == 29) else found
    if future and found < published - timedelta(days=60):
        return found.replace(year=found.year + 1) if not (found.month == 2 and found.day == 29) else found
    return found


_PAST_VERB = re.compile(r"\b(?:\w+ed|hit|lief|se estren[óa]|lleg[óa]|emiti[óo])\b")
# A sentence can only yield a date if it has a digit or one of these words (weekday
# names, "tonight", "yesterday"): one cheap scan before the sentence-level patterns.
_DAY_CUE = re.compile(r"\d|" + word_trie([w for w in WEEKDAYS if w.isascii() and len(w) > 3]
                                         + ["tonight", "this evening", "heute abend", "esta noche",
                                            "yesterday", "gestern", "ayer"]))
_AND_DAY = re.compile(r"^\s*(?:and|&|y|und|et)\s*(\d{1,2})\b")


def _sentence_dates(sentence: str, published: date, low: str | None = None, dates=None,
                    verb=None) -> list[date]:
    """Release dates a sentence states. low, dates, verb: its lowercase form, find_dates()
    and _RELEASE_VERB match, when the caller has them."""
    low = sentence.lower() if low is None else low
    verb = _RELEASE_VERB.search(low) if verb is None else verb
    future = bool(verb and not _PAST_VERB.fullmatch(verb.group(0)) and _FUTURE.search(low))
    out: list[date] = []
    if dates is None:
        dates = find_dates(sentence, default_year=published.year)
    for found, _start, end, has_year in dates:
        day = found.date() if isinstance(found, datetime) else found
        out.append(_resolve_year(day, published, has_year, future))
        second = _AND_DAY.match(sentence[end:end + 12])
        if second:  # "March 9 and 10"
            try:
                out.append(out[-1].replace(day=int(second.group(1))))
            except ValueError:
                pass
    if out:
        return out
    korean = _KO_DAYS.search(sentence)
    if korean:
        for group in korean.groups():
            if group:
                try:
                    day = published.replace(day=int(group))
                except ValueError:
                    continue
                if day > published:  # "지난 28일" in early March is last month
                    day = (published.replace(day=1) - timedelta(days=1)).replace(day=int(group))
                out.append(day)
        return out
    weekdays = _WEEKDAY.findall(sentence)
    if weekdays:  # "aired Saturday and Sunday"
        return [weekday_near(published, WEEKDAYS[w.lower()], forward=future) for w in weekdays[:7]]
    if _TONIGHT.search(sentence):
        return [published]
    if _YESTERDAY.search(sentence):
        return [published - timedelta(days=1)]
    return []


# Paragraphs read for release sentences: a recap states its airing in the spoiler line; a
# release guide or preview can open with a kicker, a dek and a byline first.
RECAP_LEAD = 4
GUIDE_LEAD = 8
# A schedule table: at least this many cells/rows that hold a date and little else.
MIN_TABLE_DATES = 3


def split_sentences(text: str) -> list[str]:
    """Sentences of a lead; "am 23. April" (a German ordinal day) does not end one."""
    return list(iter_sentences(text))


def iter_sentences(text: str):
    """split_sentences(), one sentence at a time: a recap stops at its first dated one."""
    pending = None
    pos = 0
    for gap in _SENTENCE.finditer(text):
        piece = text[pos:gap.start(1)]
        pos = gap.end()
        if pending is not None and _ordinal_end(pending) and _MONTH_START.match(piece):
            pending += " " + piece
            continue
        if pending is not None:
            yield pending
        pending = piece
    piece = text[pos:]
    if pending is not None and _ordinal_end(pending) and _MONTH_START.match(piece):
        yield pending + " " + piece
        return
    if pending is not None:
        yield pending
    yield piece


def _ordinal_end(sentence: str) -> bool:
    # "\b\d{1,2}\.$" needs at most 4 characters: the digits, the dot and the one before
    return sentence.endswith(".") and _ORDINAL_END.search(sentence[-4:]) is not None


_ORDINAL_END = re.compile(r"\b\d{1,2}\.$")
_MONTH_START = re.compile(r"(?:" + word_trie(MONTHS) + r")\b", re.I)


def _table_dates(paragraphs: list[str], published: date) -> list[date]:
    """Every date of a schedule table: rows or cells that are a date and nothing more."""
    out: list[date] = []
    for text in paragraphs[:200]:
        if len(text) > 40:
            continue
        found = find_dates(text, default_year=published.year, limit=2)
        if len(found) == 1 and found[0][2] - found[0][1] >= len(text.strip(" .,|")) - 12:
            day = found[0][0]
            out.append(day.date() if isinstance(day, datetime) else day)
    out = list(dict.fromkeys(out))
    return out if len(out) >= MIN_TABLE_DATES else []


def release_dates(paragraphs: list[str], record, language: str | None) -> list[date]:
    """Dates the covered episodes were (or will be) released, as the page states them.

    A recap takes the first sentence that says when its episodes aired. A page that is not
    a recap (release guide, refresher, preview) is pegged to a coming release: a schedule
    table gives all its dates; otherwise a sentence with a date on or after the publish
    date wins over one about an earlier release.
    """
    if record.published_at is None:
        return []
    published = record.published_at.date()
    recap = record.is_episode_recap
    if not recap:
        table = _table_dates(paragraphs, published)
        if table:
            return table
    lead = fold(" ".join(paragraphs[:RECAP_LEAD if recap else GUIDE_LEAD]))[:4000]
    earlier: list[date] = []
    for sentence in iter_sentences(lead):
        low = sentence.lower()
        if not _DAY_CUE.search(low) and not _KO_DAYS.search(sentence):
            continue
        verb = _RELEASE_VERB.search(low)
        if not verb or _OTHER.search(low):
            continue
        dates = find_dates(sentence, default_year=published.year)
        if not dates and parse_schedule(sentence, language):
            continue  # "airs new episodes Saturday and Sunday nights": a slot, not a date
        found = list(dict.fromkeys(_sentence_dates(sentence, published, low, dates, verb)))
        found = [d for d in found if abs((d - published).days) <= 400]
        if recap:
            if found:  # one date per covered episode, in the order the sentence gives them
                return found[: max(1, len(record.episodes))]
            continue
        if found and max(found) >= published:
            return [d for d in found if d >= published]
        earlier = earlier or found
    return earlier


# --- weekly schedules ---------------------------------------------------------------
# "new episodes every Wednesday at 1.30 PM IST", "airs Saturdays and Sundays at 9:20 p.m. KST",
# "jeden Mittwoch um 20.15 Uhr", "todos los jueves a las 21:00", "매주 토요일과 일요일 밤 9시 20분".
# dateparser reads none of these (and takes IST for Israel), so they get their own grammar.

# Words that make weekday names a recurring slot rather than one date.
_EVERY = re.compile(r"\b(?:every|each|jeden|jede|todos los|todas las|chaque|tous les|ogni|"
                    r"weekly on|new episodes?(?: drop| arrive| air| stream)?(?: on)?)\b|매주|毎週", re.I)
_DAY_NAMES = sorted((w for w in WEEKDAYS if len(w) > 3 or not w.isascii()), key=len, reverse=True)
_DAY = r"(?:" + word_trie(_DAY_NAMES) + r")s?"
# Every weekday name, lowercase, for the gate over lowercased text (no re.I).
_DAY_GATE = re.compile(word_trie(_DAY_NAMES))
_DAYS = re.compile(r"(?<![\w])(" + _DAY + r"(?:\s*(?:,|and|&|und|y|et|e|or|와|과)\s*" + _DAY + r")*)"
                   r"(?![\w])(?:\s+(?:nights?|evenings?|mornings?))?", re.I)
_CLOCK = re.compile(
    r"(?:\b(?:at|um|a las|à|alle|from)\s+)?(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?\s*"
    r"(?P<ampm>[ap]\.?\s?m\.?)?(?:\s*uhr|\s*h\b)?(?:\s*\(?(?P<tz>(?-i:[A-Z]{2,4}))\)?)?(?![\w])", re.I)
_KO_CLOCK = re.compile(r"(?P<half>오전|오후|밤|저녁|새벽)?\s*(?P<hour>\d{1,2})\s*시(?:\s*(?P<minute>\d{1,2})\s*분)?")
_JA_CLOCK = re.compile(r"(?P<half>午前|午後|深夜)?\s*(?P<hour>\d{1,2})\s*時(?:\s*(?P<minute>\d{1,2})\s*分)?")
# The zone a page means when it names none, by language (Korean and Japanese TV listings).
_DEFAULT_ZONE = {"ko": "Asia/Seoul", "ja": "Asia/Tokyo", "de": "Europe/Berlin"}


@dataclass(frozen=True, slots=True)
class Schedule:
    """A weekly release slot: weekdays (0 = Monday), local clock time, IANA time zone."""

    weekdays: tuple[int, ...]
    time: dtime | None = None
    tz: str | None = None

    def occurrence(self, on_or_after: date) -> datetime | None:
        """The first slot on or after a day, time-zone aware (None without time or zone)."""
        if self.time is None or self.tz is None or not self.weekdays:
            return None
        days = [weekday_near(on_or_after, w, forward=True) for w in self.weekdays]
        day = min(days)
        return datetime.combine(day, self.time, tzinfo=zone(self.tz))

    def in_utc(self, reference: date) -> "Schedule | None":
        """The same slot in UTC (weekday and time can shift), with the offset in force on
        the week of ``reference``; None without time or zone."""
        if self.time is None or self.tz is None:
            return None
        shifted = []
        for weekday in self.weekdays:
            local = datetime.combine(weekday_near(reference, weekday, forward=True), self.time,
                                     tzinfo=zone(self.tz))
            utc = local.astimezone(timezone.utc)
            shifted.append(utc.weekday())
            clock = utc.time().replace(tzinfo=None)
        return Schedule(tuple(shifted), clock, "UTC")


def _clock_of(text: str, language: str | None) -> tuple[dtime | None, str | None]:
    for pattern in (_KO_CLOCK, _JA_CLOCK):
        match = pattern.search(text)
        if match:
            hour, minute = int(match["hour"]), int(match["minute"] or 0)
            if match["half"] in ("오후", "밤", "저녁", "午後") and hour < 12:
                hour += 12
            if hour <= 23 and minute <= 59:
                return dtime(hour, minute), _DEFAULT_ZONE["ko" if pattern is _KO_CLOCK else "ja"]
    for match in _CLOCK.finditer(text):
        if not (match["minute"] or match["ampm"] or "uhr" in match.group(0).lower()):
            continue  # a bare number is not a clock time
        hm = clock_24h(int(match["hour"]), int(match["minute"] or 0), match["ampm"])
        if hm is None:
            continue
        hour, minute = hm
        tz = TZ_ABBR.get((match["tz"] or "").lower())
        return dtime(hour, minute), tz or _DEFAULT_ZONE.get(language or "")
    return None, None


def may_name_a_day(text: str) -> bool:
    """False only when text cannot hold a weekday name, even once folded: a slot needs one.

    Most paragraphs name no weekday; this one C-level scan of the lowercased text spares
    them the fold and the case-insensitive patterns of _parse_schedule.
    """
    low = text.lower()
    if _DAY_GATE.search(low) is not None or len(low) != len(text):
        return True
    # fold() (NFKC, zero-width spaces removed) could make a weekday name appear
    return not (text.isascii() or ("\u200b" not in text and unicodedata.is_normalized("NFKC", text)))


def parse_schedule(text: str | None, language: str | None = None) -> Schedule | None:
    """The weekly slot a sentence states, or None ("every Wednesday at 1.30 PM IST" ->
    Schedule((2,), 13:30, "Asia/Kolkata")). Never raises."""
    if not text or len(text) > 2000:
        return None
    try:
        if not may_name_a_day(text):
            return None
        return _parse_schedule(fold(text), language)
    except Exception:  # noqa: BLE001 - contract: never raise
        return None


def _parse_schedule(text: str, language: str | None) -> Schedule | None:
    every = _EVERY.search(text)
    for match in _DAYS.finditer(text):
        words = re.findall(_DAY, match.group(1), re.I)
        plural = any(w.lower().endswith("s") and w.lower()[:-1] in WEEKDAYS for w in words)
        slot = bool(match.group(0)[len(match.group(1)):].strip())  # "Sunday nights"
        near = every is not None and -3 <= match.start() - every.end() <= 25
        if not (near or plural or slot):
            continue
        days = []
        for word in words:
            key = word.lower()
            day = WEEKDAYS.get(key, WEEKDAYS.get(key[:-1]) if key.endswith("s") else None)
            if day is not None and day not in days:
                days.append(day)
        if not days:
            continue
        clock, tz = _clock_of(text[match.end():match.end() + 60], language)
        if clock is None:  # "at 9 p.m. ET every Sunday": the time can come first
            clock, tz = _clock_of(text[max(0, match.start() - 50):match.start()], language)
        return Schedule(tuple(days), clock, tz)
    return None
