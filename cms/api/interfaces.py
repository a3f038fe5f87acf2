"""The interface every page type implements. Its relations only ever lead to public pages."""

import graphene
from django.contrib.contenttypes.models import ContentType
from grapple.registry import registry

from cms.api.pagination import paginate, pagination_arguments
from cms.api.state import get_state


def _municipality_type():
    from django.apps import apps

    return registry.pages[apps.get_model("sites", "MunicipalityHomePage")]


class PageInterface(graphene.Interface):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    slug = graphene.String(required=True)
    content_type = graphene.String(required=True, description='Model of the page as "app_label.ModelName".')
    page_type = graphene.String(description="Name of the GraphQL type of the page.")
    url_path = graphene.String(
        required=True, description='Path below the municipality\'s home page, e.g. "/projekte/".'
    )
    url = graphene.String(description="Absolute URL on the municipality's frontend, if it has one configured.")
    seo_title = graphene.String(required=True)
    search_description = graphene.String()
    first_published_at = graphene.DateTime()
    last_published_at = graphene.DateTime()
    depth = graphene.Int(description="Level in the municipality's tree; the home page is 1.")
    municipality = graphene.Field(_municipality_type, description="The municipality this page belongs to.")
    parent = graphene.Field(lambda: PageInterface, description="The public parent page, null for a home page.")
    children = graphene.List(
        graphene.NonNull(lambda: PageInterface),
        required=True,
        description="Public child pages in editorial order.",
        **pagination_arguments(),
    )
    ancestors = graphene.List(
        graphene.NonNull(lambda: PageInterface),
        required=True,
        description="Public ancestors from the home page down to the parent, for breadcrumbs.",
    )
    search_score = graphene.Float()
    structured_data = graphene.JSONString(
        required=True,
        description="schema.org description of the page as a JSON-LD document (a string), ready for "
        '<script type="application/ld+json">: GovernmentOrganization, Project with MonetaryGrant, ContactPage, '
        "Event for calls, MonetaryGrant for the programme, WebPage otherwise.",
    )

    @classmethod
    def resolve_type(cls, instance, info):
        from grapple.types.pages import Page

        return registry.pages.get(type(instance), Page)

    def resolve_content_type(self, info):
        content_type = ContentType.objects.get_for_id(self.content_type_id)
        return f"{content_type.app_label}.{content_type.model_class().__name__}"

    def resolve_page_type(self, info):
        return PageInterface.resolve_type(self, info)._meta.name

    def resolve_url_path(self, info):
        site = get_state(info).site_for_page(self)
        if site is None:
            return self.url_path
        return "/" + self.url_path[len(site.root_page.url_path) :]

    def resolve_url(self, info):
        state = get_state(info)
        site = state.site_for_page(self)
        base_url = state.frontend_base_url(site) if site else ""
        if not base_url:
            return None
        return base_url.rstrip("/") + PageInterface.resolve_url_path(self, info)

    def resolve_seo_title(self, info):
        return self.seo_title or self.title

    def resolve_depth(self, info):
        site = get_state(info).site_for_page(self)
        return self.depth - site.root_page.depth + 1 if site else None

    def resolve_municipality(self, info):
        return get_state(info).municipality_for_page(self)

    def resolve_parent(self, info):
        site = get_state(info).site_for_page(self)
        if site is None or self.path == site.root_page.path:
            return None
        return get_state(info).parent_of(self)

    def resolve_children(self, info, limit=None, offset=None):
        return paginate(get_state(info).children_of(self), limit, offset)

    def resolve_ancestors(self, info):
        state = get_state(info)
        ancestors = []
        page = self
        site = state.site_for_page(self)
        while site is not None and page is not None and page.path != site.root_page.path:
            page = state.parent_of(page)
            if page is not None:
                ancestors.append(page)
        return list(reversed(ancestors))

    def resolve_search_score(self, info):
        return getattr(self, "search_score", None)

    def resolve_structured_data(self, info):
        from cms.api.structured_data import structured_data

        return structured_data(self, info)
