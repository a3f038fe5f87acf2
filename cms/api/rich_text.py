"""Rich text is rendered for the API too: a link to a page or document and an embedded image go out only if the
publication rule shows the target and, within a GraphQL response, the target belongs to the same municipality as
the page the text is on. Otherwise the link loses its target and the image is not embedded."""

from contextvars import ContextVar

from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.rich_text.pages import PageLinkHandler

from cms.publication import Publication, publication_for
from sites.ownership import Owners, owners_for
from sites.public import may_go_out

# (request, function giving the municipality of the object the field is on) while the API middleware resolves.
rendering_context = ContextVar("rich_text_rendering_context", default=None)


def _filter_targets(targets):
    """Outside a GraphQL field (the admin's preview of rich text, say) only the publication rule applies."""
    context = rendering_context.get()
    if context is None:
        publication, owners, owner = Publication(), Owners(), None
    else:
        request, owner_above = context
        publication, owners, owner = publication_for(request), owners_for(request), owner_above()
    return [target if may_go_out(target, owner, publication, owners) else None for target in targets]


class PublicPageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        return _filter_targets(super().get_many(attrs_list))


class PublicDocumentLinkHandler(DocumentLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        return _filter_targets(super().get_many(attrs_list))


class PublicImageEmbedHandler(ImageEmbedHandler):
    @classmethod
    def get_many(cls, attrs_list):
        return _filter_targets(super().get_many(attrs_list))
