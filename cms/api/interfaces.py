"""The interface every page type implements. Its relations only ever lead to public pages."""

import graphene
from django.contrib.contenttypes.models import ContentType
from grapple.registry import registry

from cms.api.loaders import loader_for
from cms.graphql_base.fields import page_type as lazy_page_type
from cms.graphql_base.pagination import paginate, pagination_arguments
from sites.ownership import owners_for
from sites.page_urls import frontend_url, relative_url_path
from sites.structured_data import structured_data


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
    municipality = graphene.Field(
        lazy_page_type("sites.MunicipalityHomePage"), description="The municipality this page belongs to."
    )
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
        # Library-forced: grapple.types.pages imports this module (GRAPPLE["PAGE_INTERFACE"]) while it defines Page.
        from grapple.types.pages import Page as GrapplePage

        return registry.pages.get(type(instance), GrapplePage)

    def resolve_content_type(self, info):
        content_type = ContentType.objects.get_for_id(self.content_type_id)
        return f"{content_type.app_label}.{content_type.model_class().__name__}"

    def resolve_page_type(self, info):
        return PageInterface.resolve_type(self, info)._meta.name

    def resolve_url_path(self, info):
        return relative_url_path(self, owners_for(info.context))

    def resolve_url(self, info):
        return frontend_url(self, owners_for(info.context))

    def resolve_seo_title(self, info):
        return self.seo_title or self.title

    def resolve_depth(self, info):
        municipality = owners_for(info.context).of(self)
        return self.depth - municipality.home_page.depth + 1 if municipality else None

    def resolve_municipality(self, info):
        municipality = owners_for(info.context).of(self)
        return municipality.home_page if municipality else None

    def resolve_parent(self, info):
        return loader_for(info).parent_of(self)

    def resolve_children(self, info, limit=None, offset=None):
        return paginate(loader_for(info).children_of(self), limit, offset)

    def resolve_ancestors(self, info):
        loader = loader_for(info)
        ancestors = []
        page = loader.parent_of(self)
        while page is not None:
            ancestors.append(page)
            page = loader.parent_of(page)
        return list(reversed(ancestors))

    def resolve_search_score(self, info):
        return getattr(self, "search_score", None)

    def resolve_structured_data(self, info):
        return structured_data(self, info.context)
