"""A graphene middleware that is the last line of defence: no resolver, root or nested, can hand out an object the
publication rule hides (a draft, expired or view-restricted page, an image or document from a restricted
collection), nor a page, image or document of another municipality than the object it hangs on."""

from django.db.models import QuerySet
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page
from wagtail.rich_text import RichText

from cms.api.loaders import loader_for
from cms.api.rich_text import rendering_context
from cms.publication import publication_for
from sites.models import MunicipalitySettings
from sites.ownership import owners_for
from sites.public import may_go_out

GUARDED_MODELS = (Page, AbstractImage, AbstractDocument)
_OWNERS_BY_PATH = "_cms_api_owners_by_path"


def _path_key(path):
    return tuple(path.as_list())


class PublicContentMiddleware:
    def resolve(self, next, root, info, **kwargs):
        # Rich text is expanded while its field resolves; its links are checked against the page it is on.
        token = rendering_context.set((info.context, lambda: self._owner_above(info)))
        try:
            result = next(root, info, **kwargs)
            if isinstance(result, RichText):
                result = result.__html__()
        finally:
            rendering_context.reset(token)
        if isinstance(result, QuerySet):
            if not issubclass(result.model, GUARDED_MODELS):
                return result
            result = list(result)
        if isinstance(result, (list, tuple)):
            if not any(isinstance(item, GUARDED_MODELS) for item in result):
                return result
            owner = self._owner_above(info)
            visible = [item for item in result if self._may_go_out(info, item, owner)]
            loader = loader_for(info)
            visible = loader.specific_pages(visible)
            loader.remember_pages(item for item in visible if isinstance(item, Page))
            self._remember_owners(info, visible, listed=True)
            return visible
        if isinstance(result, GUARDED_MODELS):
            if not self._may_go_out(info, result, self._owner_above(info)):
                return None
            if isinstance(result, Page):
                loader = loader_for(info)
                result = loader.specific_pages([result])[0]
                loader.remember_pages([result])
            self._remember_owners(info, [result], listed=False)
        elif isinstance(result, MunicipalitySettings):
            self._remember_owners(info, [result], listed=False)
        return result

    @staticmethod
    def _may_go_out(info, item, owner):
        if getattr(item, "is_preview", False):
            # A preview token opened it; the view checked that the token belongs to this site.
            return True
        # A reference never crosses municipalities, whatever a database holds (the second line behind the forms).
        return may_go_out(item, owner, publication_for(info.context), owners_for(info.context))

    @staticmethod
    def _remember_owners(info, items, listed):
        """Notes which municipality owns each guarded object in the response, by its response path, so that the
        fields below it (relations, StreamField blocks) are checked against it."""
        owners = owners_for(info.context)
        by_path = info.context.__dict__.setdefault(_OWNERS_BY_PATH, {})
        base = _path_key(info.path)
        for index, item in enumerate(items):
            if isinstance(item, (*GUARDED_MODELS, MunicipalitySettings)):
                by_path[(*base, index) if listed else base] = owners.of(item)

    @staticmethod
    def _owner_above(info):
        return owner_above(info)


def owner_above(info):
    """The municipality owning the nearest guarded object above this field in the response, if any. Fields whose
    values reference other objects without resolving them as fields (a block's rawValue) check them against it."""
    by_path = info.context.__dict__.get(_OWNERS_BY_PATH)
    if not by_path:
        return None
    key = _path_key(info.path)
    for end in range(len(key) - 1, 0, -1):
        owner = by_path.get(key[:end])
        if owner is not None:
            return owner
    return None
