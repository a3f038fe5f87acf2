"""What the open-data surface publishes: the public municipalities (as publishers), their datasets and each
dataset's rows. One module per dataset; `core` holds what they share, `registry` their order, `snapshot` the view of
one request or export."""

from cms.opendata.datasets.core import (
    COMMON_COLUMNS,
    LICENCE_COLUMNS,
    PAGE_COLUMNS,
    DatasetKind,
    Publisher,
    base_url,
    columns_of,
)
from cms.opendata.datasets.registry import KINDS, KINDS_BY_SLUG
from cms.opendata.datasets.snapshot import OpenData

__all__ = [
    "COMMON_COLUMNS",
    "KINDS",
    "KINDS_BY_SLUG",
    "LICENCE_COLUMNS",
    "PAGE_COLUMNS",
    "DatasetKind",
    "OpenData",
    "Publisher",
    "base_url",
    "columns_of",
]
