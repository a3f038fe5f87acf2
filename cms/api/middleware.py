"""A graphene middleware that is the last line of defence: no resolver, root or nested, can hand out
a draft, expired or view-restricted page, or an image or document from a restricted collection."""

from django.db.models import QuerySet
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from cms.api.state import get_state

GUARDED_MODELS = (Page, AbstractImage, AbstractDocument)


class PublicContentMiddleware:
    def resolve(self, next, root, info, **kwargs):
        result = next(root, info, **kwargs)
        if isinstance(result, QuerySet):
            if not issubclass(result.model, GUARDED_MODELS):
                return result
            result = list(result)
        if isinstance(result, (list, tuple)):
            if not any(isinstance(item, GUARDED_MODELS) for item in result):
                return result
            state = get_state(info)
            visible = state.specific_pages([item for item in result if self._is_visible(state, item)])
            state.remember_pages(item for item in visible if isinstance(item, Page))
            return visible
        if isinstance(result, GUARDED_MODELS):
            state = get_state(info)
            if not self._is_visible(state, result):
                return None
            if isinstance(result, Page):
                result = state.specific_pages([result])[0]
                state.remember_pages([result])
        return result

    @staticmethod
    def _is_visible(state, item):
        if isinstance(item, Page):
            return state.is_visible_page(item)
        if isinstance(item, (AbstractImage, AbstractDocument)):
            return state.is_visible_media(item)
        return True
