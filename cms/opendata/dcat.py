"""DCAT-AP.de 3.0 catalogues, built as rdflib graphs: one per municipality and one for the whole instance.

Every IRI is made of OPENDATA_BASE_URL, the regional key and the dataset kind, never of database ids, so that
harvesters (which identify datasets by IRI and delete the ones that vanish) see the same datasets after restarts,
edits and database moves. Catalogues are paged as hydra:PagedCollection, the way CKAN's DCAT harvester reads them.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from cms.opendata.datasets import KINDS, OpenData, base_url

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")
MEDIA_TYPE = Namespace("https://www.iana.org/assignments/media-types/")
REGIONAL_KEY = Namespace("http://dcat-ap.de/def/politicalGeocoding/regionalKey/")
GEOCODING_LEVEL_MUNICIPALITY = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/municipality")

# ending -> (rdflib format, Content-Type)
FORMATS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "rdf": ("xml", "application/rdf+xml; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
}
MEDIA_TYPES = {"text/turtle": "ttl", "application/rdf+xml": "rdf", "application/ld+json": "jsonld"}
DEFAULT_FORMAT = "ttl"


class CataloguePageError(Exception):
    pass


def catalogue_iri(regional_key=None):
    if regional_key:
        return f"{base_url()}/opendata/{regional_key}/catalog"
    return f"{base_url()}/opendata/catalog"


def dataset_iri(regional_key, kind_slug):
    return f"{base_url()}/opendata/{regional_key}/datasets/{kind_slug}"


def export_url(regional_key, kind_slug, ending):
    return base_url() + reverse("opendata:municipality_export", args=[regional_key, kind_slug, ending])


def page_size_setting():
    return max(1, int(getattr(settings, "OPENDATA_CATALOG_PAGE_SIZE", 50)))


@dataclass
class CataloguePage:
    graph: object
    page: int
    last_page: int
    total_items: int
    dataset_count: int


def build_catalogue(regional_key=None, page=1, page_size=None, page_url=None):
    """The catalogue graph of one municipality (regional_key) or of all, one page of it, or all (page_size=0).

    Datasets are ordered by regional key and kind; because every public municipality has the same kinds, a page
    maps to a slice of municipalities and costs the same few queries whatever its number.
    Raises LookupError for an unknown municipality and CataloguePageError for a page out of range.
    """
    data = OpenData()
    per_publisher = len(KINDS)
    if regional_key is not None:
        publisher = data.publisher(regional_key)
        if publisher is None:
            raise LookupError(regional_key)
        publisher_count = 1
    else:
        publisher_count = data.count_publishers()
    total = publisher_count * per_publisher
    size = page_size if page_size is not None else page_size_setting()
    unpaged = size == 0
    if unpaged:
        size = max(total, 1)
    last_page = max(1, math.ceil(total / size))
    if page < 1 or page > last_page:
        raise CataloguePageError(page)
    start = (page - 1) * size
    stop = min(start + size, total)
    first_publisher = start // per_publisher
    if regional_key is not None:
        publishers = [publisher]
    elif stop > start:
        publishers = data.publishers(first_publisher, (stop - 1) // per_publisher + 1)
    else:
        publishers = []
    dates = data.dataset_dates(publishers)

    graph = _new_graph()
    catalogue = URIRef(catalogue_iri(regional_key))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.language, LANGUAGE.DEU))
    if regional_key is not None:
        graph.add((catalogue, DCTERMS.title, Literal(f"Offene Daten – {publisher.name}", lang="de")))
        graph.add(
            (
                catalogue,
                DCTERMS.description,
                Literal(
                    f"Datenkatalog von {publisher.name} im Programm „Modellprojekte Smart Cities“: Handlungsfelder, "
                    "Projekte, Förderung, Ideenaufrufe, veröffentlichte Ideen und Ansprechstellen.",
                    lang="de",
                ),
            )
        )
        graph.add((catalogue, DCTERMS.publisher, _agent(graph, publisher)))
        graph.add((catalogue, DCTERMS.license, URIRef(publisher.licence_url)))
        graph.add((catalogue, DCTERMS.spatial, REGIONAL_KEY[publisher.regional_key]))
    else:
        graph.add((catalogue, DCTERMS.title, Literal("Offene Daten der Modellprojekte Smart Cities", lang="de")))
        graph.add(
            (
                catalogue,
                DCTERMS.description,
                Literal(
                    "Gemeinsamer Datenkatalog aller Kommunen dieses Redaktionssystems im Programm „Modellprojekte "
                    "Smart Cities“. Jede Kommune veröffentlicht ihre Datensätze unter ihrer eigenen Lizenz.",
                    lang="de",
                ),
            )
        )
        instance_publisher = URIRef(f"{base_url()}/opendata/publisher")
        graph.add((instance_publisher, RDF.type, FOAF.Agent))
        graph.add((instance_publisher, FOAF.name, Literal(settings.OPENDATA_PUBLISHER_NAME, lang="de")))
        graph.add((catalogue, DCTERMS.publisher, instance_publisher))

    by_key = {p.regional_key: p for p in publishers}
    ordered = sorted(by_key)
    count = 0
    for index in range(start, stop):
        publisher = by_key[ordered[index // per_publisher - first_publisher]]
        kind = KINDS[index % per_publisher]
        issued, modified = dates.get((publisher.regional_key, kind.slug), (None, None))
        graph.add((catalogue, DCAT.dataset, _dataset(graph, publisher, kind, issued, modified)))
        count += 1

    if page_url is None:
        page_url = catalogue_iri(regional_key)
    if not unpaged:
        _add_paging(graph, page_url, page, last_page, total, size)
    return CataloguePage(graph=graph, page=page, last_page=last_page, total_items=total, dataset_count=count)


def serialise(graph, ending):
    rdf_format, _ = FORMATS[ending]
    if rdf_format == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
        return graph.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")
    return graph.serialize(format=rdf_format, encoding="utf-8")


def _new_graph():
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in [
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("dcatde", DCATDE),
        ("hydra", HYDRA),
        ("xsd", XSD),
        ("rdf", RDF),
    ]:
        graph.bind(prefix, namespace)
    return graph


def _agent(graph, publisher):
    agent = URIRef(f"{base_url()}/opendata/{publisher.regional_key}/publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(publisher.name, lang="de")))
    return agent


def _contact_point(graph, publisher):
    contact = URIRef(f"{base_url()}/opendata/{publisher.regional_key}/contact")
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(publisher.name, lang="de")))
    if publisher.email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{publisher.email}")))
    phone = "".join(char for char in publisher.home.contact_phone if char.isdigit() or char == "+")
    if phone:
        graph.add((contact, VCARD.hasTelephone, URIRef(f"tel:{phone}")))
    # DCAT-AP.de requires one way to reach the contact; the public website is the fallback without e-mail and phone.
    graph.add((contact, VCARD.hasURL, URIRef(publisher.website_url)))
    return contact


def _dataset(graph, publisher, kind, issued, modified):
    iri = dataset_iri(publisher.regional_key, kind.slug)
    dataset = URIRef(iri)
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.identifier, Literal(iri)))
    graph.add((dataset, DCTERMS.title, Literal(f"{kind.title} – {publisher.name}", lang="de")))
    graph.add((dataset, DCTERMS.description, Literal(kind.description.format(name=publisher.name), lang="de")))
    graph.add((dataset, DCTERMS.publisher, _agent(graph, publisher)))
    graph.add((dataset, DCAT.contactPoint, _contact_point(graph, publisher)))
    graph.add((dataset, DCTERMS.spatial, REGIONAL_KEY[publisher.regional_key]))
    # Typing the vocabulary IRI spares harvesters the class warning for dcterms:spatial.
    graph.add((REGIONAL_KEY[publisher.regional_key], RDF.type, DCTERMS.Location))
    graph.add((dataset, DCATDE.politicalGeocodingLevelURI, GEOCODING_LEVEL_MUNICIPALITY))
    graph.add((dataset, DCTERMS.language, LANGUAGE.DEU))
    graph.add((dataset, DCTERMS.accessRights, ACCESS_RIGHT.PUBLIC))
    graph.add((dataset, DCTERMS.accrualPeriodicity, FREQUENCY.IRREG))
    for theme in kind.themes:
        graph.add((dataset, DCAT.theme, THEME[theme]))
    for keyword in kind.keywords:
        graph.add((dataset, DCAT.keyword, Literal(keyword, lang="de")))
    if issued:
        graph.add((dataset, DCTERMS.issued, Literal(issued, datatype=XSD.dateTime)))
    if modified:
        graph.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))

    licence = URIRef(publisher.licence_url)
    for ending, file_type, media_type, title in [
        ("csv", FILE_TYPE.CSV, MEDIA_TYPE["text/csv"], "CSV-Export"),
        ("json", FILE_TYPE.JSON, MEDIA_TYPE["application/json"], "JSON-Export"),
    ]:
        url = URIRef(export_url(publisher.regional_key, kind.slug, ending))
        distribution = URIRef(f"{iri}/{ending}")
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(f"{kind.title} – {title}", lang="de")))
        graph.add((distribution, DCAT.accessURL, url))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((distribution, DCTERMS.format, file_type))
        graph.add((distribution, DCAT.mediaType, media_type))
        graph.add((distribution, DCTERMS.license, licence))
        if modified:
            graph.add((distribution, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
        graph.add((dataset, DCAT.distribution, distribution))

    if publisher.graphql_url:
        distribution = URIRef(f"{iri}/graphql")
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(f"{kind.title} – GraphQL-Schnittstelle", lang="de")))
        graph.add(
            (
                distribution,
                DCTERMS.description,
                Literal(
                    "Öffentliche GraphQL-Schnittstelle der Kommune (HTTP POST, JSON). Einstieg: Abfrage "
                    "„municipality“; das Schema beschreibt alle Felder.",
                    lang="de",
                ),
            )
        )
        graph.add((distribution, DCAT.accessURL, URIRef(publisher.graphql_url)))
        graph.add((distribution, DCTERMS.format, FILE_TYPE.JSON))
        graph.add((distribution, DCAT.mediaType, MEDIA_TYPE["application/json"]))
        graph.add((distribution, DCTERMS.license, licence))
        graph.add((dataset, DCAT.distribution, distribution))
    return dataset


def _add_paging(graph, page_url, page, last_page, total, size):
    def link(number):
        separator = "&" if "?" in page_url else "?"
        return URIRef(f"{page_url}{separator}page={number}")

    collection = link(page)
    graph.add((collection, RDF.type, HYDRA.PagedCollection))
    graph.add((collection, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((collection, HYDRA.itemsPerPage, Literal(size, datatype=XSD.integer)))
    # hydra:first/last/next/previous is current Hydra; older ckanext-dcat releases read the *Page variants.
    links = [("first", "firstPage", 1), ("last", "lastPage", last_page)]
    if page < last_page:
        links.append(("next", "nextPage", page + 1))
    if page > 1:
        links.append(("previous", "previousPage", page - 1))
    for current, legacy, number in links:
        graph.add((collection, HYDRA[current], link(number)))
        graph.add((collection, HYDRA[legacy], link(number)))


def negotiate(accept_header):
    """The catalogue format for an Accept header: the highest-q supported media type, Turtle if none."""
    best, best_q = None, 0.0
    for item in (accept_header or "").split(","):
        parts = [part.strip() for part in item.split(";")]
        media_type = parts[0].lower()
        q = 1.0
        for param in parts[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ending = MEDIA_TYPES.get(media_type)
        # Earlier entries win ties, as clients list their preference first.
        if ending and q > 0 and (q > best_q or best is None):
            best, best_q = ending, q
    return best or DEFAULT_FORMAT
