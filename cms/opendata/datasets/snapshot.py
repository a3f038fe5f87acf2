"""One request's (or one export's) view of the open data: the public municipalities as publishers, their datasets'
dates and rows, all decided against one publication snapshot and one owner snapshot."""

from functools import cached_property

from cms.licences import DEFAULT_LICENCE
from cms.opendata.datasets.core import Publisher
from cms.opendata.datasets.registry import KINDS
from cms.publication import publication_for
from sites.ownership import owners_for


class OpenData:
    """Holds the snapshots the way a request does (so sites.public's request-based helpers accept it too); each
    query runs at most once."""

    def __init__(self):
        self.publication = publication_for(self)
        self.owners = owners_for(self)

    @property
    def now(self):
        return self.publication.now

    @cached_property
    def _publishers(self):
        """Every municipality whose home page is public, ordered by regional key."""
        publishers = []
        for municipality in self.owners.municipalities:
            if not self.publication.is_public_page(municipality.home_page):
                continue
            site_settings = self.owners.settings_of(municipality)
            publishers.append(
                Publisher(
                    municipality=municipality,
                    site=self.owners.site_of(municipality),
                    licence=site_settings.data_licence if site_settings else DEFAULT_LICENCE,
                    frontend_base_url=site_settings.frontend_base_url if site_settings else "",
                )
            )
        return sorted(publishers, key=lambda publisher: publisher.regional_key)

    def count_publishers(self):
        return len(self._publishers)

    def publishers(self, start=0, stop=None):
        """The public municipalities ordered by regional key, optionally a slice of them."""
        return self._publishers[start:stop]

    def publisher(self, regional_key):
        """The public municipality with this regional key, or None."""
        return next((publisher for publisher in self._publishers if publisher.regional_key == regional_key), None)

    def dataset_dates(self, publishers, kinds=KINDS):
        """{(regional key, kind slug): (issued, modified)} for dct:issued / dct:modified and Last-Modified, in one
        query per kind."""
        dates = {}
        if not publishers:
            return dates
        for kind in kinds:
            for regional_key, span in kind.loader(self).dates(publishers).items():
                dates[(regional_key, kind.slug)] = span
        return dates

    def rows(self, kind, publishers):
        """The dataset's rows: the common columns, the kind's own columns, the licence columns."""
        return [
            {
                "regional_key": publisher.regional_key,
                "municipality": publisher.name,
                **row,
                "licence": publisher.licence_url,
                "licence_name": publisher.licence_name,
            }
            for publisher, row in kind.loader(self).rows(publishers)
        ]
