"""Bulk exports of one dataset as CSV or JSON, for one municipality or for all of them."""

import csv
import hashlib
import io
import json
from dataclasses import dataclass

from cms.opendata.datasets import COMMON_COLUMNS, LICENCE_COLUMNS, OpenData, columns_of

ENDINGS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@dataclass
class Export:
    body: bytes
    content_type: str
    licences: list
    last_modified: object  # an aware datetime or None
    etag: str


def build_export(kind, ending, regional_key=None):
    """The export, or None for an unknown municipality."""
    data = OpenData()
    if regional_key is not None:
        publisher = data.publisher(regional_key)
        if publisher is None:
            return None
        publishers = [publisher]
    else:
        publishers = data.publishers()
    rows = data.rows(kind, publishers)
    licences = sorted({publisher.licence_url for publisher in publishers})
    dates = data.dataset_dates(publishers, kinds=[kind])
    modified = [span[1] for span in dates.values() if span[1]]
    body = _csv(kind, rows) if ending == "csv" else _json(kind, rows, licences, regional_key)
    return Export(
        body=body,
        content_type=ENDINGS[ending],
        licences=licences,
        last_modified=max(modified) if modified else None,
        # The ETag hashes the bytes, so it changes with every visible change, including removals.
        etag='"' + hashlib.sha256(body).hexdigest()[:40] + '"',
    )


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "; ".join(_phase_text(item) for item in value)
        return "; ".join(str(item) for item in value)
    return value


def _phase_text(phase):
    span = "–".join(part for part in (phase.get("start_date"), phase.get("end_date")) if part)
    return f"{phase['title']} ({span})" if span else phase["title"]


def _csv(kind, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = columns_of(kind)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(column)) for column in columns])
    return buffer.getvalue().encode("utf-8")


def _json(kind, rows, licences, regional_key):
    document = {
        "dataset": kind.slug,
        "title": kind.title,
        # One licence when all municipalities in the export share it; each item names its own licence anyway.
        "license": licences[0] if len(licences) == 1 else None,
        "licenses": licences,
        "regional_key": regional_key,
        "columns": {name: description for name, description in COMMON_COLUMNS + kind.columns + LICENCE_COLUMNS},
        "count": len(rows),
        "items": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
