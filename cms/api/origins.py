"""The API's origin policy for what a browser page may do on a visitor's behalf (docs/cors.md).

Reading public content is open to every origin (django-cors-headers answers the preflights, settings `CORS_*`).
Writing and previewing are not: a request that carries an `Origin` header comes from a page in a browser, and such a
request may run a mutation or open a preview token only when that origin belongs to the municipality the request
is about (`sites.origins`, from the municipality's settings). Requests without an `Origin` header are server-side
clients and are not limited by it. A mutation must also be sent as `application/json`: a web page cannot send that
content type to another origin without the preflight, and the preflight does not make the origin any more welcome.

The graphene middleware checks the root fields before they resolve, so a refused mutation stores nothing; the HTTP
middleware gives the refused request its status code (403, or 415 for another content type).
"""

from cms.graphql_base.errors import FORBIDDEN_ORIGIN, UNSUPPORTED_MEDIA_TYPE
from graphql import GraphQLError
from sites.origins import accepts_origin
from sites.ownership import owners_for
from sites.site_resolution import find_site

JSON_CONTENT_TYPE = "application/json"
# The argument of a root query field that opens unpublished content (the `page` field's preview token).
PREVIEW_TOKEN_ARGUMENT = "token"

_REFUSED_STATUS = "_cms_api_refused_status"
STATUS_OF_CODE = {FORBIDDEN_ORIGIN: 403, UNSUPPORTED_MEDIA_TYPE: 415}

FORBIDDEN_ORIGIN_MESSAGE = (
    "Mutations and preview tokens are accepted from a browser only on the municipality's own frontend or an origin "
    "listed in its settings; this page's origin is not one of them."
)
UNSUPPORTED_MEDIA_TYPE_MESSAGE = "Mutations must be sent as application/json."


def _refuse(request, code, message):
    setattr(request, _REFUSED_STATUS, STATUS_OF_CODE[code])
    raise GraphQLError(message, extensions={"code": code})


def _site_named_by(arguments):
    """The `site` a root mutation names: its own argument or, as `submitIdea` does, a field of its input."""
    if arguments.get("site"):
        return arguments["site"]
    payload = arguments.get("input")
    return payload.get("site") if isinstance(payload, dict) else None


def _require_own_origin(info, site_argument):
    request = info.context
    origin = request.headers.get("Origin")
    if origin is None:
        return
    owners = owners_for(request)
    municipality_settings = owners.settings_of(owners.of(find_site(info, site_argument)))
    if not accepts_origin(municipality_settings, origin):
        _refuse(request, FORBIDDEN_ORIGIN, FORBIDDEN_ORIGIN_MESSAGE)


class OriginPolicyMiddleware:
    """Checks every root mutation field and every root field given a preview token before it resolves."""

    def resolve(self, next, root, info, **kwargs):
        if info.path.prev is None:
            if info.parent_type is info.schema.mutation_type:
                if info.context.content_type != JSON_CONTENT_TYPE:
                    _refuse(info.context, UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_MEDIA_TYPE_MESSAGE)
                _require_own_origin(info, _site_named_by(kwargs))
            elif kwargs.get(PREVIEW_TOKEN_ARGUMENT):
                _require_own_origin(info, kwargs.get("site"))
        return next(root, info, **kwargs)


class RefusedRequestStatusMiddleware:
    """Gives a GraphQL response whose request the origin policy refused its HTTP status, so that clients and proxies
    see the refusal without parsing the body. Only a 200 is changed: other statuses already tell of a refusal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = getattr(request, _REFUSED_STATUS, None)
        if status is not None and response.status_code == 200:
            response.status_code = status
        return response
