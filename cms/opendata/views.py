"""HTTP endpoints of the open-data surface: catalogues (content negotiation, paging) and bulk exports."""

import hashlib

from django.http import HttpResponse, HttpResponseNotFound
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from cms.opendata.datasets import KINDS_BY_SLUG
from cms.opendata.dcat import FORMATS, CataloguePageError, base_url, build_catalogue, negotiate, serialise
from cms.opendata.exports import ENDINGS, build_export


def not_found(message):
    # Harvesters and scripts read these, so plain text in both languages instead of an HTML page.
    return HttpResponseNotFound(f"{message}\n", content_type="text/plain; charset=utf-8")


UNKNOWN_MUNICIPALITY = "Unbekannte Kommune / Unknown municipality"
UNKNOWN_FORMAT = "Unbekanntes Format / Unknown format"
UNKNOWN_DATASET = "Unbekannter Datensatz / Unknown dataset"


@require_safe
def catalogue(request, regional_key=None, ending=None):
    negotiated = ending is None
    if negotiated:
        ending = negotiate(request.headers.get("Accept"))
    if ending not in FORMATS:
        return not_found(UNKNOWN_FORMAT)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        return not_found("Unbekannte Seite / Unknown page")
    try:
        result = build_catalogue(regional_key=regional_key, page=page, page_url=base_url() + request.path)
    except LookupError:
        return not_found(UNKNOWN_MUNICIPALITY)
    except CataloguePageError:
        return not_found("Unbekannte Seite / Unknown page")
    response = _conditional(request, serialise(result.graph, ending), FORMATS[ending][1])
    if negotiated:
        patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def export(request, dataset, ending, regional_key=None):
    kind = KINDS_BY_SLUG.get(dataset)
    if kind is None:
        return not_found(UNKNOWN_DATASET)
    if ending not in ENDINGS:
        return not_found(UNKNOWN_FORMAT)
    result = build_export(kind, ending, regional_key=regional_key)
    if result is None:
        return not_found(UNKNOWN_MUNICIPALITY)
    response = _conditional(request, result.body, result.content_type, result.etag, result.last_modified)
    response["Link"] = ", ".join(f'<{url}>; rel="license"' for url in result.licences)
    return response


def fallback(request, rest=""):
    return not_found("Nicht gefunden / Not found")


def _conditional(request, body, content_type, etag=None, last_modified=None):
    etag = etag or '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    # Short shared caching; revalidation with If-None-Match is cheap for clients and proxies.
    response["Cache-Control"] = "public, max-age=300"
    return response
