"""The weekly release slot a page states reaches the record, local and in UTC."""
from datetime import datetime, timezone

from recapscraper.parsers.page import parse_page

PAGE = """<html lang="en"><head><title>Harbor Lights Season 1 Episode 2 Recap</title>
<meta property="article:published_time" content="2025-03-04T10:00:00+00:00"></head><body>
<h1>Harbor Lights Season 1 Episode 2 Recap: The Tide</h1><p>By Nora Quill</p>
<p>{line}</p><p>Mara reads the letters at last, and the harbor pact comes apart.</p>
</body></html>"""


def test_schedule_in_local_time_and_utc():
    record = parse_page("https://a.example/x/", PAGE.format(
        line="Harbor Lights airs every Wednesday at 1.30 PM IST on JioCinema."),
        datetime(2025, 3, 5, tzinfo=timezone.utc))
    assert record.schedule == {"weekdays": [2], "time": "13:30", "tz": "Asia/Kolkata",
                               "utc": {"weekdays": [2], "time": "08:00"}}
    assert record.to_json()["schedule"]["utc"]["time"] == "08:00"


def test_no_schedule_when_the_page_states_none():
    record = parse_page("https://a.example/x/", PAGE.format(line="It streams on JioCinema."))
    assert record.schedule is None
