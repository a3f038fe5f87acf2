"""What one municipality publishes: the publication rule (cms.publication) and the owner rule (sites.ownership)
combined, for the outputs and the content concepts' API fields. References stay inside one municipality: a page's
fields of action, chooser blocks, image and document fields and blocks and rich-text links go out only if their
target is public and owned by the page's own municipality."""

from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from cms.publication import publication_for
from sites.ownership import owners_for


def is_visible(target, publication):
    """The publication rule for a page, image or document; other objects are checked where they are listed."""
    if isinstance(target, Page):
        return publication.is_public_page(target)
    if isinstance(target, (AbstractImage, AbstractDocument)):
        return publication.is_public_media(target)
    return target is not None


def may_go_out(target, owner, publication, owners):
    """Whether `target` may go out within content of municipality `owner` (None: not within a municipality's)."""
    return is_visible(target, publication) and (owner is None or owners.of(target) is owner)


def is_public_reference(source, target, publication, owners):
    """Whether `target`, referenced from `source`, may go out: public, and owned by the source's municipality."""
    return is_visible(target, publication) and owners.of(target) is owners.of(source)


def municipality_pages(request, anchor, model):
    """Public pages of `model` owned by the municipality that owns `anchor` (its home page or Site, say)."""
    owners = owners_for(request)
    municipality = owners.of(anchor)
    if municipality is None:
        return model.objects.none()
    return publication_for(request).pages(owners.owned_by(model.objects.all(), municipality))


def public_references(request, source, targets):
    """The targets (pages, images, documents) that may go out with `source`."""
    publication, owners = publication_for(request), owners_for(request)
    return [target for target in targets if is_public_reference(source, target, publication, owners)]
