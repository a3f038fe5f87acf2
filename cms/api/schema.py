"""The GraphQL schema: grapple generates the types from the models' `graphql_fields`; the root
query is ours, so that every entry point resolves its site explicitly and shows only public content."""

import graphene
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from grapple.registry import registry
from grapple.types.documents import get_document_type
from grapple.types.images import get_image_type
from grapple.types.pages import get_preview_page
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.api.images import install_rendition_fallbacks
from cms.api.interfaces import PageInterface
from cms.api.streamfield import install_block_resolvers
from cms.api.type_pruning import prune_generated_types
from cms.graphql_base.errors import BAD_USER_INPUT
from cms.graphql_base.fields import page_type, settings_type
from cms.graphql_base.pagination import paginate, pagination_arguments
from cms.graphql_base.registry import municipality_filters, mutation_fields, query_fields
from cms.publication import publication_for
from graphql import GraphQLError
from sites.models import MunicipalityHomePage
from sites.ownership import owners_for
from sites.page_urls import stored_url_path
from sites.public import municipality_pages
from sites.site_resolution import find_site, site_argument


def _content_type_filter(content_type):
    try:
        app_label, model = content_type.strip().lower().split(".")
        return ContentType.objects.get_by_natural_key(app_label, model)
    except (ValueError, ContentType.DoesNotExist) as error:
        raise GraphQLError(f'Unknown content type "{content_type}". Use "app_label.ModelName".') from error


def _pages_in_site(info, site):
    return municipality_pages(info.context, site, Page)


def _media_in_site(info, model, site):
    owners = owners_for(info.context)
    municipality = owners.of(site)
    if municipality is None:
        return model.objects.none()
    items = publication_for(info.context).media(owners.owned_by(model.objects.all(), municipality))
    return items.order_by("-created_at", "-pk")


class Query(graphene.ObjectType):
    municipality = graphene.Field(
        page_type("sites.MunicipalityHomePage"),
        site=site_argument(),
        description="The municipality of one site, with its master data and content.",
    )
    page = graphene.Field(
        PageInterface,
        site=site_argument(),
        id=graphene.ID(),
        url_path=graphene.String(description='Path below the home page, e.g. "/projekte/smart-welcome-city/".'),
        slug=graphene.String(description="Slug; an error if several pages of the site share it."),
        token=graphene.String(description="Preview token from the admin's headless preview."),
        description="One public page of a site, by id, path or slug; drafts only with a preview token.",
    )
    pages = graphene.List(
        graphene.NonNull(PageInterface),
        required=True,
        site=site_argument(),
        content_type=graphene.String(description='Only pages of this model, e.g. "projects.ProjectPage".'),
        description="Public pages of a site in tree order.",
        **pagination_arguments(),
    )
    search = graphene.List(
        graphene.NonNull(PageInterface),
        required=True,
        site=site_argument(),
        query=graphene.String(
            required=True,
            description=f"Words to search for: at most {settings.GRAPHQL_SEARCH_MAX_WORDS} words and "
            f"{settings.GRAPHQL_SEARCH_MAX_LENGTH} characters.",
        ),
        description="Full-text search over the public pages of a site, best match first.",
        **pagination_arguments(),
    )
    images = graphene.List(
        graphene.NonNull(get_image_type),
        required=True,
        site=site_argument(),
        description="Public images of a municipality's media collection.",
        **pagination_arguments(),
    )
    image = graphene.Field(get_image_type, site=site_argument(), id=graphene.ID(required=True))
    documents = graphene.List(
        graphene.NonNull(get_document_type),
        required=True,
        site=site_argument(),
        description="Public documents of a municipality's media collection.",
        **pagination_arguments(),
    )
    document = graphene.Field(get_document_type, site=site_argument(), id=graphene.ID(required=True))
    site_settings = graphene.Field(
        settings_type("sites.MunicipalitySettings"),
        site=site_argument(),
        description="Frontend URLs and legal pages of a site.",
    )

    def resolve_municipality(root, info, site=None):
        return owners_for(info.context).home_page_of_site(find_site(info, site))

    def resolve_municipalities(root, info, limit=None, offset=None, **filters):
        homes = publication_for(info.context).pages(MunicipalityHomePage.objects.all()).order_by("official_name")
        for name, value in filters.items():
            if value is not None:
                homes = municipality_filters()[name].apply(homes, value, info)
        return paginate(homes, limit, offset)

    def resolve_page(root, info, site=None, id=None, url_path=None, slug=None, token=None):
        target = find_site(info, site)
        if token:
            return _preview_page(info, target, token)
        lookups = [value for value in (id, url_path, slug) if value]
        if len(lookups) != 1:
            raise GraphQLError("Pass exactly one of id, urlPath, slug or token.")
        pages = _pages_in_site(info, target)
        if id:
            pages = pages.filter(pk=id)
        elif url_path:
            pages = pages.filter(url_path=stored_url_path(target.root_page, url_path))
        else:
            pages = pages.filter(slug=slug)
        found = list(pages.specific()[:2])
        if len(found) > 1:
            raise GraphQLError(f'Several pages of this site have the slug "{slug}"; query by urlPath instead.')
        return found[0] if found else None

    def resolve_pages(root, info, site=None, content_type=None, limit=None, offset=None):
        pages = _pages_in_site(info, find_site(info, site))
        if content_type:
            pages = pages.filter(content_type=_content_type_filter(content_type))
        return paginate(pages.order_by("path").specific(), limit, offset)

    def resolve_search(root, info, query, site=None, limit=None, offset=None):
        words = _search_words(query)
        visible = _pages_in_site(info, find_site(info, site))
        # The search backend filters only on indexed fields, so visibility is applied through the primary key.
        hits = Page.objects.filter(pk__in=visible.values("pk")).search(" ".join(words))
        hits = list(paginate(hits, limit, offset))
        specific = {page.pk: page for page in Page.objects.filter(pk__in=[hit.pk for hit in hits]).specific()}
        return [specific[hit.pk] for hit in hits if hit.pk in specific]

    def resolve_images(root, info, site=None, limit=None, offset=None):
        return paginate(_media_in_site(info, get_image_model(), find_site(info, site)), limit, offset)

    def resolve_image(root, info, id, site=None):
        return _media_in_site(info, get_image_model(), find_site(info, site)).filter(pk=id).first()

    def resolve_documents(root, info, site=None, limit=None, offset=None):
        return paginate(_media_in_site(info, get_document_model(), find_site(info, site)), limit, offset)

    def resolve_document(root, info, id, site=None):
        return _media_in_site(info, get_document_model(), find_site(info, site)).filter(pk=id).first()

    def resolve_site_settings(root, info, site=None):
        owners = owners_for(info.context)
        return owners.settings_of(owners.of(find_site(info, site)))


def _search_words(query):
    """The words to search for, within bounds: the database backend builds one condition per word, and a few hundred
    words took seconds and then failed deep in the ORM. Double quotes separate words like spaces: SQLite's full-text
    index would read them as an (often unbalanced) phrase."""
    words = query.replace('"', " ").split()
    if not words:
        raise GraphQLError("query must not be empty.", extensions={"code": BAD_USER_INPUT})
    if len(query) > settings.GRAPHQL_SEARCH_MAX_LENGTH:
        raise GraphQLError(
            f"query must be at most {settings.GRAPHQL_SEARCH_MAX_LENGTH} characters long, got {len(query)}.",
            extensions={"code": BAD_USER_INPUT},
        )
    if len(words) > settings.GRAPHQL_SEARCH_MAX_WORDS:
        raise GraphQLError(
            f"query must have at most {settings.GRAPHQL_SEARCH_MAX_WORDS} words, got {len(words)}.",
            extensions={"code": BAD_USER_INPUT},
        )
    return words


def _preview_page(info, site, token):
    page = get_preview_page(token)
    if page is None:
        raise GraphQLError("The preview token is invalid or has expired.")
    owners = owners_for(info.context)
    if page.path and owners.of(page) is not owners.of(site):
        raise GraphQLError("This preview belongs to another municipality's site.")
    return page


def _with_contributions(base, fields):
    """The root type with the fields that concepts and outputs registered (cms.graphql_base.registry)."""
    return type(base.__name__, (base,), dict(fields))


def _municipalities_field():
    """`municipalities`, with the filter arguments that concepts registered (e.g. callStatus)."""
    arguments = {name: contribution.argument for name, contribution in municipality_filters().items()}
    return graphene.List(
        graphene.NonNull(page_type("sites.MunicipalityHomePage")),
        required=True,
        description="All municipalities of the instance, for aggregators and open-data portals.",
        **arguments,
        **pagination_arguments(),
    )


def build_schema():
    prune_generated_types()
    install_block_resolvers()
    install_rendition_fallbacks()
    # No snippet models exist, so the snippet chooser block type is left out rather than exposed empty.
    blocks = [block for key, block in registry.streamfield_blocks.items() if key is not SnippetChooserBlock]
    # Grapple registers every model of the listed apps; only those that declare `graphql_fields` are public.
    declared_models = [
        graphene_type
        for model, graphene_type in registry.django_models.items()
        if getattr(model, "graphql_fields", None)
    ]
    types = [*registry.pages.values(), *blocks, *declared_models]
    query = _with_contributions(Query, {"municipalities": _municipalities_field(), **query_fields()})
    mutations = mutation_fields()
    mutation = type("Mutation", (graphene.ObjectType,), mutations) if mutations else None
    return graphene.Schema(query=query, mutation=mutation, types=types, auto_camelcase=True)


schema = build_schema()
