"""The GraphQL schema: grapple generates the types from the models' `graphql_fields`; the root
query is ours, so that every entry point resolves its site explicitly and shows only public content."""

import graphene
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from grapple.registry import registry
from grapple.types.documents import get_document_type
from grapple.types.images import get_image_type
from grapple.types.pages import get_preview_page
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.api.interfaces import PageInterface
from cms.api.pagination import paginate, pagination_arguments
from cms.api.site_resolution import find_optional_site, find_site
from cms.api.state import get_state
from cms.api.type_pruning import prune_generated_types
from cms.changefeed.api import change_snapshot_field, changes_field
from graphql import GraphQLError

SITE_ARGUMENT_HELP = (
    'Hostname of the municipality\'s site, e.g. "kassel.localhost". '
    "Defaults to the hostname the API is called on; an unknown site is an error."
)


def site_argument(required=False):
    return graphene.String(required=required, description=SITE_ARGUMENT_HELP)


def model_type(label):
    return lambda: registry.pages[apps.get_model(label)]


def _call_status_enum():
    from regions.calls.api import CallStatusEnum

    return CallStatusEnum


def _project_status_enum():
    from regions.projects.api import ProjectStatusEnum

    return ProjectStatusEnum


def _content_type_filter(content_type):
    try:
        app_label, model = content_type.strip().lower().split(".")
        return ContentType.objects.get_by_natural_key(app_label, model)
    except (ValueError, ContentType.DoesNotExist) as error:
        raise GraphQLError(f'Unknown content type "{content_type}". Use "app_label.ModelName".') from error


def _pages_in_site(info, site, queryset=None):
    queryset = Page.objects.all() if queryset is None else queryset
    return get_state(info).visible_pages(queryset.descendant_of(site.root_page, inclusive=True))


def _media_in_site(info, model, site):
    home_page = get_state(info).home_pages_by_root_path.get(site.root_page.path)
    if home_page is None or home_page.media_collection_id is None:
        return model.objects.none()
    collection = Collection.objects.get(pk=home_page.media_collection_id)
    items = model.objects.filter(collection__path__startswith=collection.path)
    restricted = get_state(info).restricted_collection_ids
    if restricted:
        items = items.exclude(collection_id__in=restricted)
    return items.order_by("-created_at", "-pk")


class Query(graphene.ObjectType):
    municipality = graphene.Field(
        model_type("sites.MunicipalityHomePage"),
        site=site_argument(),
        description="The municipality of one site, with its master data and content.",
    )
    municipalities = graphene.List(
        graphene.NonNull(model_type("sites.MunicipalityHomePage")),
        required=True,
        call_status=graphene.Argument(
            _call_status_enum, description="Only municipalities with at least one call for ideas in this status."
        ),
        description="All municipalities of the instance, for aggregators and open-data portals.",
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
        query=graphene.String(required=True),
        description="Full-text search over the public pages of a site, best match first.",
        **pagination_arguments(),
    )
    projects = graphene.List(
        graphene.NonNull(model_type("projects.ProjectPage")),
        required=True,
        site=site_argument(),
        field_of_action=graphene.ID(description="Only projects of this field of action."),
        status=graphene.Argument(_project_status_enum),
        description="Public projects of a site.",
        **pagination_arguments(),
    )
    calls_for_ideas = graphene.List(
        graphene.NonNull(model_type("calls.CallForIdeasPage")),
        required=True,
        site=graphene.String(description="Hostname of one municipality's site; all municipalities if omitted."),
        status=graphene.Argument(_call_status_enum),
        description="Public calls for ideas, across all municipalities unless a site is given.",
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
        lambda: registry.settings[apps.get_model("sites", "MunicipalitySettings")],
        site=site_argument(),
        description="Frontend URLs and legal pages of a site.",
    )
    changes = changes_field()
    change_snapshot = change_snapshot_field()

    def resolve_municipality(root, info, site=None):
        return get_state(info).home_pages_by_root_path.get(find_site(info, site).root_page.path)

    def resolve_municipalities(root, info, call_status=None):
        from regions.calls.models import CallForIdeasPage
        from sites.models import MunicipalityHomePage

        state = get_state(info)
        homes = state.visible_pages(MunicipalityHomePage.objects.all()).order_by("official_name")
        if call_status:
            call_paths = state.visible_pages(CallForIdeasPage.objects.with_status(call_status)).values_list(
                "path", flat=True
            )
            homes = [home for home in homes if any(path.startswith(home.path) for path in call_paths)]
        return homes

    def resolve_page(root, info, site=None, id=None, url_path=None, slug=None, token=None):
        target = find_site(info, site)
        if token:
            return _preview_page(target, token)
        lookups = [value for value in (id, url_path, slug) if value]
        if len(lookups) != 1:
            raise GraphQLError("Pass exactly one of id, urlPath, slug or token.")
        pages = _pages_in_site(info, target)
        if id:
            pages = pages.filter(pk=id)
        elif url_path:
            relative = url_path.strip("/")
            pages = pages.filter(url_path=target.root_page.url_path + (relative + "/" if relative else ""))
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
        if not query.strip():
            raise GraphQLError("query must not be empty.")
        visible = _pages_in_site(info, find_site(info, site))
        # The search backend filters only on indexed fields, so visibility is applied through the primary key.
        hits = list(paginate(Page.objects.filter(pk__in=visible.values("pk")).search(query), limit, offset))
        specific = {page.pk: page for page in Page.objects.filter(pk__in=[hit.pk for hit in hits]).specific()}
        return [specific[hit.pk] for hit in hits if hit.pk in specific]

    def resolve_projects(root, info, site=None, field_of_action=None, status=None, limit=None, offset=None):
        from regions.projects.models import ProjectPage

        projects = _pages_in_site(info, find_site(info, site), ProjectPage.objects.all())
        if field_of_action:
            projects = projects.filter(fields_of_action__pk=field_of_action)
        if status:
            projects = projects.filter(status=status)
        projects = projects.prefetch_related("fields_of_action", "partners").order_by("path")
        return paginate(projects, limit, offset)

    def resolve_calls_for_ideas(root, info, site=None, status=None, limit=None, offset=None):
        from regions.calls.models import CallForIdeasPage

        target = find_optional_site(info, site)
        calls = CallForIdeasPage.objects.all()
        if target is not None:
            calls = calls.descendant_of(target.root_page)
        calls = get_state(info).visible_pages(calls)
        if status:
            calls = calls.with_status(status)
        return paginate(calls.select_related("field_of_action").order_by("opens_at", "path"), limit, offset)

    def resolve_images(root, info, site=None, limit=None, offset=None):
        return paginate(_media_in_site(info, get_image_model(), find_site(info, site)), limit, offset)

    def resolve_image(root, info, id, site=None):
        return _media_in_site(info, get_image_model(), find_site(info, site)).filter(pk=id).first()

    def resolve_documents(root, info, site=None, limit=None, offset=None):
        return paginate(_media_in_site(info, get_document_model(), find_site(info, site)), limit, offset)

    def resolve_document(root, info, id, site=None):
        return _media_in_site(info, get_document_model(), find_site(info, site)).filter(pk=id).first()

    def resolve_site_settings(root, info, site=None):
        return get_state(info).settings_by_site_id.get(find_site(info, site).pk)


def _preview_page(site, token):
    page = get_preview_page(token)
    if page is None:
        raise GraphQLError("The preview token is invalid or has expired.")
    if page.path and not page.path.startswith(site.root_page.path):
        raise GraphQLError("This preview belongs to another municipality's site.")
    return page


def build_schema():
    prune_generated_types()
    # No snippet models exist, so the snippet chooser block type is left out rather than exposed empty.
    blocks = [block for key, block in registry.streamfield_blocks.items() if key is not SnippetChooserBlock]
    # Grapple registers every model of the listed apps; only those that declare `graphql_fields` are public.
    declared_models = [
        graphene_type
        for model, graphene_type in registry.django_models.items()
        if getattr(model, "graphql_fields", None)
    ]
    types = [*registry.pages.values(), *blocks, *declared_models]
    from regions.ideas.api import Mutation

    return graphene.Schema(query=Query, mutation=Mutation, types=types, auto_camelcase=True)


schema = build_schema()
