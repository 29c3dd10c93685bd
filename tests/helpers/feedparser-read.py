"""Reads feeds with Python's feedparser and prints what it saw as JSON, one object per URL."""
import json
import sys
import calendar
import html

import feedparser


def stamp(struct):
    return calendar.timegm(struct) if struct else None


def shown(entry, key):
    value = entry.get(key)
    detail = entry.get(key + "_detail") or {}
    return html.unescape(value) if value is not None and detail.get("type") == "text/html" else value


result = []
for url in sys.argv[1:]:
    parsed = feedparser.parse(url)
    result.append({
        "url": url,
        "status": parsed.get("status"),
        "bozo": bool(parsed.bozo),
        "bozo_exception": str(parsed.get("bozo_exception", "")),
        "version": parsed.version,
        "feed": {"title": parsed.feed.get("title"), "language": parsed.feed.get("language")},
        "entries": [
            {
                "id": entry.get("id"),
                # A title feedparser reads as HTML (all RSS titles) is shown as the text it marks up.
                "title": shown(entry, "title"),
                "link": entry.get("link"),
                "published": stamp(entry.get("published_parsed")),
                "updated": stamp(entry.get("updated_parsed")),
                "content": (entry.get("content") or [{}])[0].get("value"),
                "language": (entry.get("title_detail") or {}).get("language"),
                "enclosures": [e.get("href") for e in entry.get("enclosures", [])],
            }
            for entry in parsed.entries
        ],
    })
print(json.dumps(result))
