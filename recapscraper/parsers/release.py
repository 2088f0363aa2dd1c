"""Release dates of the episodes a page is about.

Read from the sentences that say when the covered episodes aired or dropped ("aired
Tuesday, April 23, on FX", "hit Hulu on Thursday", "지난 9일과 10일 ... 방송"), in the first
paragraphs. A weekday or a date without a year is resolved against the publish date.
Sentences about other episodes ("next week", "Episode 3 airs ...") are skipped.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .dates import WEEKDAYS, find_dates, weekday_near, word_trie
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
_OTHER = re.compile(r"\bnext\b|\bupcoming\b|\bprevious\b|\blast week\b|"
                    r"\bfollowing (?:week|episode|installment|chapter|day)|\bnächste|"
                    r"\bpróximo|\bsiguiente|\btercer\b|다음|오는|\bremaining\b|\bfinale (?:is|will)\b")
# A sentence ends at . ! ? 。 before a capital, a quote or a non-Latin letter, but not
# after a number ("am 23. April") nor before a digit or lowercase word ("Dec. 18").
_SENTENCE = re.compile(r"(?<=[^\d\s][.!?。])\s+(?=[^\da-z])")
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


def _sentence_dates(sentence: str, published: date, low: str | None = None) -> list[date]:
    low = sentence.lower() if low is None else low
    verb = _RELEASE_VERB.search(low)
    future = bool(verb and not _PAST_VERB.fullmatch(verb.group(0)) and _FUTURE.search(low))
    out: list[date] = []
    for found, _start, end, has_year in find_dates(sentence, default_year=published.year):
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


def release_dates(paragraphs: list[str], record, language: str | None) -> list[date]:
    """Dates the covered episodes were (or will be) released, as the page states them."""
    if record.published_at is None:
        return []
    published = record.published_at.date()
    lead = fold(" ".join(paragraphs[:4]))[:3000]
    for sentence in _SENTENCE.split(lead):
        low = sentence.lower()
        if not _DAY_CUE.search(low) and not _KO_DAYS.search(sentence):
            continue
        if not _RELEASE_VERB.search(low) or _OTHER.search(low):
            continue
        found = list(dict.fromkeys(_sentence_dates(sentence, published, low)))
        found = [d for d in found if abs((d - published).days) <= 400]
        if found and record.is_episode_recap:
            # One date per covered episode, in the order the sentence gives them.
            found = found[: max(1, len(record.episodes))]
        if found:
            return found
    return []
