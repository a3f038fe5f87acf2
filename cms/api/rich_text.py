"""Rich text is rendered for the API too: links to pages the public may not see lose their target,
and images from restricted collections are not embedded."""

from django.db.models import Q
from django.utils import timezone
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.rich_text.pages import PageLinkHandler


def _under_any(paths):
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


class PublicPageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        pages = super().get_many(attrs_list)
        restricted_paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        now = timezone.now()

        def is_public(page):
            return (
                page is not None
                and page.live
                and not (page.expire_at and page.expire_at <= now)
                and not any(page.path.startswith(path) for path in restricted_paths)
            )

        return [page if is_public(page) else None for page in pages]


class PublicImageEmbedHandler(ImageEmbedHandler):
    @classmethod
    def get_many(cls, attrs_list):
        images = super().get_many(attrs_list)
        restricted_paths = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
        if not restricted_paths:
            return images
        restricted_ids = set(Collection.objects.filter(_under_any(restricted_paths)).values_list("id", flat=True))
        return [image if image is not None and image.collection_id not in restricted_ids else None for image in images]
