"""Shared by the demo municipalities' data: the time zone of dates and the paragraph block."""

from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}
