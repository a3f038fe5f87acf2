"""Rich text is rendered for the API too: links to pages the public may not see lose their target,
and images from restricted collections are not embedded."""

from django.utils import timezone
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.rich_text.pages import PageLinkHandler

from cms.api.state import page_is_public, restricted_collection_ids, restricted_page_paths


class PublicPageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        pages = super().get_many(attrs_list)
        restricted_paths = restricted_page_paths()
        now = timezone.now()
        return [page if page is not None and page_is_public(page, restricted_paths, now) else None for page in pages]


class PublicImageEmbedHandler(ImageEmbedHandler):
    @classmethod
    def get_many(cls, attrs_list):
        images = super().get_many(attrs_list)
        restricted_ids = restricted_collection_ids()
        return [image if image is not None and image.collection_id not in restricted_ids else None for image in images]
