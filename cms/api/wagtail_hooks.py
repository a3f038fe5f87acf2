from wagtail import hooks

from cms.api.rich_text import PublicDocumentLinkHandler, PublicImageEmbedHandler, PublicPageLinkHandler


# Runs after Wagtail's own registrations so that these handlers replace the defaults.
@hooks.register("register_rich_text_features", order=100)
def register_public_rich_text_handlers(features):
    features.register_link_type(PublicPageLinkHandler)
    features.register_link_type(PublicDocumentLinkHandler)
    features.register_embed_type(PublicImageEmbedHandler)
