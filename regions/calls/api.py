"""The calls' root field `callsForIdeas` and the `callStatus` filter of `municipalities`."""

import graphene

from cms.graphql_base.fields import page_type
from cms.graphql_base.pagination import paginate, pagination_arguments
from cms.graphql_base.registry import register_municipality_filter, register_query_field
from cms.publication import publication_for
from regions.calls.models import CallForIdeasPage, CallStatusEnum
from sites.ownership import owners_for
from sites.site_resolution import find_optional_site


def resolve_calls_for_ideas(root, info, site=None, status=None, limit=None, offset=None):
    target = find_optional_site(info, site)
    calls = CallForIdeasPage.objects.all()
    if target is not None:
        owners = owners_for(info.context)
        calls = owners.owned_by(calls, owners.of(target))
    calls = publication_for(info.context).pages(calls)
    if status:
        calls = calls.with_status(status)
    return paginate(calls.select_related("field_of_action").order_by("opens_at", "path"), limit, offset)


def municipalities_with_calls(home_pages, status, info):
    """Only municipalities with at least one public call for ideas in `status`."""
    owners = owners_for(info.context)
    calls = publication_for(info.context).pages(CallForIdeasPage.objects.with_status(status)).only("path")
    with_calls = {owners.of(call) for call in calls}
    return [home for home in home_pages if owners.of(home) in with_calls]


def register():
    register_query_field(
        "calls_for_ideas",
        graphene.List(
            graphene.NonNull(page_type("calls.CallForIdeasPage")),
            required=True,
            site=graphene.String(description="Hostname of one municipality's site; all municipalities if omitted."),
            status=graphene.Argument(CallStatusEnum),
            description="Public calls for ideas, across all municipalities unless a site is given.",
            resolver=resolve_calls_for_ideas,
            **pagination_arguments(),
        ),
    )
    register_municipality_filter(
        "call_status",
        graphene.Argument(
            CallStatusEnum, description="Only municipalities with at least one call for ideas in this status."
        ),
        municipalities_with_calls,
    )
