"""The projects' root field `projects`."""

import graphene

from cms.graphql_base.fields import page_type
from cms.graphql_base.pagination import paginate, pagination_arguments
from cms.graphql_base.registry import register_query_field
from cms.ids import is_database_id
from cms.publication import publication_for
from regions.fields_of_action.models import FieldOfActionPage
from regions.projects.models import ProjectPage, ProjectStatusEnum
from sites.ownership import owners_for
from sites.public import municipality_pages
from sites.site_resolution import find_site, site_argument


def resolve_projects(root, info, site=None, field_of_action=None, status=None, limit=None, offset=None):
    target = find_site(info, site)
    projects = municipality_pages(info.context, target, ProjectPage)
    if field_of_action:
        if not is_database_id(field_of_action):
            return []
        # Only a public field of action of the same municipality selects projects.
        owners, publication = owners_for(info.context), publication_for(info.context)
        linked = owners.condition(FieldOfActionPage, owners.of(target), prefix="fields_of_action__")
        linked &= publication.page_condition(prefix="fields_of_action__")
        projects = projects.filter(linked, fields_of_action__pk=field_of_action)
    if status:
        projects = projects.filter(status=status)
    projects = projects.prefetch_related("fields_of_action", "partners").order_by("path")
    return paginate(projects, limit, offset)


def register():
    register_query_field(
        "projects",
        graphene.List(
            graphene.NonNull(page_type("projects.ProjectPage")),
            required=True,
            site=site_argument(),
            field_of_action=graphene.ID(description="Only projects of this field of action."),
            status=graphene.Argument(ProjectStatusEnum),
            description="Public projects of a site.",
            resolver=resolve_projects,
            **pagination_arguments(),
        ),
    )
