"""schema.org for the funding programme: a MonetaryGrant, which projects name as their funding."""

from sites.structured_data import iso_date


def grant(programme, describer):
    """The programme's federal funding as a MonetaryGrant to the municipality, or None without a programme page."""
    if programme is None:
        return None
    return {
        "@type": "MonetaryGrant",
        "name": programme.programme_name,
        "funder": {"@type": "GovernmentOrganization", "name": programme.funding_ministry},
        "amount": (
            {"@type": "MonetaryAmount", "currency": "EUR", "value": programme.federal_funding_eur}
            if programme.federal_funding_eur is not None
            else None
        ),
        "fundedItem": describer.organisation(describer.home_of(programme)),
    }


def describe_programme(page, describer):
    return {
        **grant(page, describer),
        "url": describer.url(page),
        "description": page.funding_note,
        "startDate": iso_date(page.start_date),
    }
