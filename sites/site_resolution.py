"""Which municipality a query is about. Explicit, never a silent fallback to a default site."""

import graphene

from graphql import GraphQLError
from sites.ownership import owners_for

SITE_ARGUMENT_HELP = (
    'Hostname of the municipality\'s site, e.g. "kassel.localhost". '
    "Defaults to the hostname the API is called on; an unknown site is an error."
)


def site_argument(required=False):
    return graphene.String(required=required, description=SITE_ARGUMENT_HELP)


def _split_host(value):
    hostname, _, port = value.strip().lower().partition(":")
    return hostname, port


def find_site(info, site_argument):
    """The Site named by the `site` argument, or else by the hostname the API was called on.

    Unknown or ambiguous hostnames are errors: falling back to another municipality's site
    would publish the wrong city's content under this one's name.
    """
    if site_argument:
        hostname, port = _split_host(site_argument)
        source = f'site "{site_argument}"'
    else:
        hostname, port = _split_host(info.context.get_host())
        source = f'request host "{hostname}"'

    candidates = [site for site in owners_for(info.context).sites if site.hostname.lower() == hostname]
    if port:
        exact = [site for site in candidates if str(site.port) == port]
        candidates = exact or (candidates if len(candidates) == 1 else [])

    if not candidates:
        if site_argument:
            raise GraphQLError(f"Unknown {source}. Use the hostname of a municipality's site.")
        raise GraphQLError(
            f'No municipality is served at {source}. Pass the `site` argument, e.g. site: "kassel.localhost".'
        )
    if len(candidates) > 1:
        raise GraphQLError(f'The {source} matches several sites; add the port, e.g. "{hostname}:443".')
    return candidates[0]


def find_optional_site(info, site_argument):
    """For cross-municipality fields: no argument means all sites, an unknown one is still an error."""
    return find_site(info, site_argument) if site_argument else None
