"""Dates: machine timestamps, visible date phrases, relative dates, time zones.

Most pages are handled by the fast paths here (ISO parsing, a month-name table, a
relative-date regex). dateparser is only a fall-back for a short candidate phrase in a
language the table does not know, restricted to the page language; it is imported lazily
because its import and first call cost about 0.2 s.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

# Month names (lowercase, accents kept and stripped) of the languages we meet most.
MONTHS: dict[str, int] = {}
for _n, _names in enumerate((
    "january jan janvier janv januar jänner enero ene gennaio gen janeiro januari styczeń",
    "february feb febr février févr februar febrero febbraio fevereiro fev februari",
    "march mar mars märz marz marzo março maart",
    "april apr avril abril aprile",
    "may mai mayo maggio maio mei",
    "june jun juin juni junio giugno junho",
    "july jul juillet juil juli julio luglio lug julho",
    "august aug août aout agosto ago augustus",
    "september sep sept septembre septiembre settembre set setembro",
    "october oct octobre oktober octubre ottobre ott outubro out okt",
    "november nov novembre noviembre novembro",
    "december dec décembre decembre dezember diciembre dic dicembre dezembro dez",
), 1):
    for _name in _names.split():
        MONTHS.setdefault(_name, _n)


def word_trie(words) -> str:
    """A regex alternation of words as a trie: "jan(?:uary|v(?:ier)?)?" for jan, january, janv, janvier.

    Python's re tries every alternative of a flat alternation at every position; a trie
    fails after one character at most positions (measured: the month pattern went from
    1.2 ms to 0.03 ms on a 1 KB lead). Longer words are still preferred, as in a flat
    alternation sorted longest first.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(trie)


_MONTH_RE = word_trie(MONTHS)
WEEKDAYS = {name: i for i, names in enumerate((
    "monday mon montag lunes lundi lunedì segunda 월요일",
    "tuesday tue tues dienstag martes mardi martedì terça 화요일",
    "wednesday wed mittwoch miércoles miercoles mercredi mercoledì quarta 수요일",
    "thursday thu thurs donnerstag jueves jeudi giovedì quinta 목요일",
    "friday fri freitag viernes vendredi venerdì sexta 금요일",
    "saturday sat samstag sábado sabado samedi sabato 토요일",
    "sunday sun sonntag domingo dimanche domenica 일요일",
)) for name in names.split()}

# Time-zone abbreviations -> IANA zones (IST is India: the sites we read that say IST are).
TZ_ABBR = {
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "gmt": "Europe/London", "bst": "Europe/London", "uk": "Europe/London",
    "utc": "UTC", "z": "UTC",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "mez": "Europe/Berlin", "mesz": "Europe/Berlin",
    "ist": "Asia/Kolkata", "jst": "Asia/Tokyo", "kst": "Asia/Seoul",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "pht": "Asia/Manila",
}
# Upper case only: "ist" and "et" are words in German and French.
_TZ_RE = r"(?-i:" + "|".join(sorted((k.upper() for k in TZ_ABBR), key=len, reverse=True)) + r")"

_TIME = (r"(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
         r"(?:\s*(?:uhr|h))?(?:\s*\(?(?P<tz>" + _TZ_RE + r")\)?)?(?![\w])")
# Date phrases: "April 23, 2024", "Apr. 23", "23 April 2024", "23. April 2024",
# "21 de abril de 2025", "2024년 3월 11일", "2024-03-11", "11/28/2016", "2024.03.11".
# Each is (pattern, lowercase, not_after): the month-name patterns are written in lowercase
# and run over the lowercased text (no re.I: it is ten times slower); not_after is the set of
# characters that must not come right before a match, checked in Python because a leading
# look-behind keeps the regex engine from skipping ahead to the digits.
DATE_PATTERNS: list[tuple[re.Pattern, bool, str]] = [
    (re.compile(r"(?P<month>" + _MONTH_RE + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
                r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?(?![\d:])"), True, ""),
    (re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?P<month>"
                + _MONTH_RE + r")\.?(?:,?\s+(?:de\s+)?(?P<year>(?:19|20)\d{2}))?(?!\w)"), True, "0123456789."),
    (re.compile(r"(?P<year>(?:19|20)\d{2})\s*년\s*(?P<month>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일"), False, ""),
    (re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"), False, ""),
    (re.compile(r"(?P<year>(?:19|20)\d{2})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?![\d])"), False,
     "0123456789/."),
    (re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d{2})(?![\d])"), False, "0123456789/."),
    (re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d{2})(?![\d])"), False, "0123456789/."),
]
# A literal that every match of DATE_PATTERNS[i] contains ("" = none): the pattern is not
# run over a text without it (an `in` test costs a small fraction of a regex scan).
_NEEDS = ("", "", "년", "年", "", "/", ".")
_DIGIT = re.compile(r"\d")
_TIME_AFTER = re.compile(r"^[\s,|@\-–—]*(?:at|um|a las|à|alle|,)?\s*" + _TIME, re.I)
_TIME_BEFORE = re.compile(_TIME + r"[\s,|\-–—]*(?:on\s+)?$", re.I)

# Relative phrases: "2 days ago", "vor 23 Minuten", "hace 4 minutos", "il y a 3 heures",
# "3시간 전", "8h", "yesterday".
_UNITS = {
    "s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds", "seconds": "seconds",
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "d": "days", "day": "days", "days": "days", "w": "weeks", "week": "weeks", "weeks": "weeks",
    "minute": "minutes", "minuten": "minutes", "stunde": "hours", "stunden": "hours",
    "tag": "days", "tagen": "days", "woche": "weeks", "wochen": "weeks",
    "minuto": "minutes", "minutos": "minutes", "hora": "hours", "horas": "hours",
    "día": "days", "días": "days", "dia": "days", "dias": "days", "semana": "weeks", "semanas": "weeks",
    "heure": "hours", "heures": "hours", "jour": "days", "jours": "days",
    "분": "minutes", "시간": "hours", "일": "days", "주": "weeks",
}
RELATIVE = re.compile(
    r"(?:(?P<n1>\d{1,3}|an?|one)\s*(?P<u1>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|[smhdw])"
    r"\s*ago\b)"
    r"|(?:\bvor\s+(?P<n2>\d{1,3}|einer?)\s+(?P<u2>Minuten?|Stunden?|Tag(?:en)?|Wochen?))"
    r"|(?:\bhace\s+(?P<n3>\d{1,3}|una?)\s+(?P<u3>minutos?|horas?|d[ií]as?|semanas?))"
    r"|(?:\bil y a\s+(?P<n4>\d{1,3}|une?)\s+(?P<u4>minutes?|heures?|jours?))"
    r"|(?:(?P<n5>\d{1,3})\s*(?P<u5>분|시간|일|주)\s*전)"
    r"|(?:^\s*(?P<n6>\d{1,2})(?P<u6>[mhd])\s*$)"
    r"|(?P<yesterday>\byesterday\b|\bgestern\b|\bayer\b|\bhier\b|어제)",
    re.I,
)

ISO_RE = re.compile(
    r"(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[T\s]*(?:[A-Z]{3,4})?(?P<H>\d{2}):?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?",
    re.I,
)


@lru_cache(maxsize=64)
def zone(name: str):
    try:
        return ZoneInfo(name)
    except Exception:  # noqa: BLE001
        return timezone.utc


def parse_machine(value) -> datetime | date | None:
    """An ISO-like or epoch timestamp from metadata. Naive when the value names no zone."""
    if value is None:
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()
                                            and len(value.strip()) in (10, 13)):
        try:
            seconds = float(value) / (1000 if len(str(value).strip()) == 13 else 1)
            return datetime.fromtimestamp(seconds, timezone.utc)
        except (ValueError, OverflowError, OSError):
            return None
    text = str(value).strip()
    if not text:
        return None
    short = re.fullmatch(r"(\d{2})-(\d{2})-(\d{2})", text)  # "14-12-28"
    if short:
        text = f"20{short.group(1)}-{short.group(2)}-{short.group(3)}"
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if len(text) <= 10:
            return parsed.date()
        return parsed
    except ValueError:
        pass
    match = ISO_RE.match(text)
    if not match:
        found = find_dates(text, limit=1)
        return found[0][0] if found else None
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    if not match["H"]:
        return day
    try:
        moment = datetime(day.year, day.month, day.day, int(match["H"]), int(match["M"]),
                          int(match["S"] or 0))
    except ValueError:
        return day
    tz = match["tz"]
    if tz:
        if tz.upper() in ("Z", "UTC", "GMT"):
            return moment.replace(tzinfo=timezone.utc)
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
        return moment.replace(tzinfo=timezone(sign * offset))
    return moment


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _month(value: str) -> int | None:
    if value.isdigit():
        month = int(value)
        return month if 1 <= month <= 12 else None
    return MONTHS.get(value.lower().rstrip("."))


def matches_not_after(pattern: re.Pattern, text: str, not_after: str):
    """pattern.finditer(text), skipping matches right after a character in not_after."""
    if not not_after:
        yield from pattern.finditer(text)
        return
    pos = 0
    while True:
        match = pattern.search(text, pos)
        if match is None:
            return
        start = match.start()
        if start > 0 and text[start - 1] in not_after:
            pos = start + 1
            continue
        yield match
        pos = max(match.end(), start + 1)


def find_dates(text: str, default_year: int | None = None, limit: int = 10):
    """[(date or datetime, start, end, has_year)] for every date phrase in text.

    A datetime is returned when a clock time follows (or precedes) the date; it is aware
    when a zone abbreviation is given, naive otherwise.
    """
    if not text or not _DIGIT.search(text):  # every date phrase has a digit
        return []
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lengthen when lowercased: keep offsets
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    out = []
    taken: list[tuple[int, int]] = []
    for (pattern, lowercase, not_after), needs in zip(DATE_PATTERNS, _NEEDS):
        if needs and needs not in text:
            continue
        for match in matches_not_after(pattern, lowered if lowercase else text, not_after):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            month = _month(match["month"])
            day = _int(match["day"])
            year = _int(match["year"]) or default_year
            if not month or not day or not year:
                continue
            try:
                found = date(year, month, day)
            except ValueError:
                continue
            after = _TIME_AFTER.match(text[end:end + 40])
            before = _TIME_BEFORE.search(text[max(0, start - 30):start])
            clock = after or before
            if clock and (clock["minute"] or clock["ampm"]):
                moment = _with_clock(found, clock)
                if moment is not None:
                    found = moment
                    end = end + after.end() if after else end
            taken.append((start, end))
            out.append((found, start, end, bool(match["year"])))
    out.sort(key=lambda item: item[1])
    return out[:limit]


def clock_24h(hour: int, minute: int, ampm: str | None) -> tuple[int, int] | None:
    """(hour, minute) on a 24-hour clock from "9", "30", "p.m."; None when impossible."""
    ampm = (ampm or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return None if hour > 23 or minute > 59 else (hour, minute)


def _with_clock(day: date, clock) -> datetime | None:
    hm = clock_24h(int(clock["hour"]), int(clock["minute"] or 0), clock["ampm"])
    if hm is None:
        return None
    hour, minute = hm
    moment = datetime(day.year, day.month, day.day, hour, minute)
    if clock["tz"]:
        return moment.replace(tzinfo=zone(TZ_ABBR[clock["tz"].lower()]))
    return moment


def find_relative(text: str, base: datetime | None) -> datetime | None:
    """A relative phrase ("2 days ago", "vor 23 Minuten") resolved against base."""
    if base is None:
        return None
    match = RELATIVE.search(text)
    if not match:
        return None
    if match["yesterday"]:
        return base - timedelta(days=1)
    for i in range(1, 7):
        number, unit = match[f"n{i}"], match[f"u{i}"]
        if number is None:
            continue
        n = int(number) if number.isdigit() else 1
        key = unit.lower()
        key = _UNITS.get(key) or _UNITS.get(key.rstrip("s")) or _UNITS.get(key[:1])
        if not key:
            return None
        try:
            return base - timedelta(**{key: n})
        except OverflowError:
            return None
    return None


def weekday_near(base: date, weekday: int, forward: bool) -> date:
    """The given weekday on or before base (forward=False) or on or after it."""
    delta = (base.weekday() - weekday) % 7
    if forward:
        return base + timedelta(days=(weekday - base.weekday()) % 7)
    return base - timedelta(days=delta)


def local_date_in(moment: datetime, zones: list[str], wanted: date) -> datetime | None:
    """The moment expressed in the first zone where its calendar date is ``wanted``."""
    for name in zones:
        local = moment.astimezone(zone(name))
        if local.date() == wanted:
            return local
    return None


def dateparser_parse(text: str, language: str | None, base: datetime | None):
    """Last resort for one short phrase; None on failure. Imported on first use."""
    if not text or len(text) > 80:
        return None
    try:
        import dateparser  # noqa: PLC0415 - slow import, only when needed
        settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
        if base is not None:
            settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
        languages = [language] if language else ["en"]
        return dateparser.parse(text, languages=languages, settings=settings)
    except Exception:  # noqa: BLE001
        return None
