"""The Content-Security-Policy header, with one policy per kind of response (django-csp 4)."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import NoReverseMatch, reverse


def is_html(response):
    return response.get("Content-Type", "").split(";")[0].strip().lower() == "text/html"


def is_graphiql(request, response):
    if not (settings.GRAPHIQL_ENABLED and is_html(response)):
        return False
    try:
        return request.path_info == reverse("graphql")
    except NoReverseMatch:
        return False


def allow_frames(response, *origins):
    """Lets this one response frame these origins besides the frame-src of CONTENT_SECURITY_POLICY (django-csp's
    per-response update, as its `csp_update` decorator sets it)."""
    update = dict(getattr(response, "_csp_update", None) or {})
    update["frame-src"] = [*update.get("frame-src", []), *origins]
    response._csp_update = update
    return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the policy by what the response is.

    HTML (the admin, Wagtail's own pages) gets CONTENT_SECURITY_POLICY. Everything else (the API's JSON, open data,
    feeds) gets CONTENT_SECURITY_POLICY_NON_HTML, which allows nothing: such a response never needs to run or load
    anything, even if a browser is made to render it. GraphiQL, a developer tool that is off in production, loads its
    code from a CDN and gets CONTENT_SECURITY_POLICY_GRAPHIQL. A policy a view sets itself (django-csp's decorators)
    or a header it sends (Wagtail's document downloads) is left alone.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if is_graphiql(request, response):
            parts.config = settings.CONTENT_SECURITY_POLICY_GRAPHIQL["DIRECTIVES"]
        elif not is_html(response):
            parts.config = settings.CONTENT_SECURITY_POLICY_NON_HTML["DIRECTIVES"]
        return parts
