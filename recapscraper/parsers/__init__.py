"""Pure extraction: (url, html, fetched_at) -> RecapRecord. No Scrapy import here."""
from .page import parse_page

__all__ = ["parse_page"]
