"""Fields of the municipality's home page type that need the request's snapshot of sites and settings."""

import graphene

from cms.graphql_base.fields import GraphQLTyped, contribute_field, settings_type
from sites.models import MunicipalityHomePage
from sites.ownership import owners_for


def hostname_of(home, info, **kwargs):
    owners = owners_for(info.context)
    site = owners.site_of(owners.of(home))
    return site.hostname if site else None


def settings_of(home, info, **kwargs):
    owners = owners_for(info.context)
    return owners.settings_of(owners.of(home))


def register():
    contribute_field(
        MunicipalityHomePage,
        GraphQLTyped(
            "site_settings",
            settings_type("sites.MunicipalitySettings"),
            description="Frontend URLs and legal links of this municipality.",
            resolver=settings_of,
        ),
    )
    contribute_field(
        MunicipalityHomePage,
        GraphQLTyped(
            "hostname", graphene.String, description="Hostname of the municipality's Site.", resolver=hostname_of
        ),
    )
