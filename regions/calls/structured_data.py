"""schema.org for calls for ideas: an online Event with the call's funding as a MonetaryGrant."""

from sites.structured_data import iso_date


def describe_call(page, describer):
    grant = None
    if page.max_grant_eur is not None:
        grant = {
            "@type": "MonetaryGrant",
            "name": page.get_funding_pot_display(),
            "amount": {"@type": "MonetaryAmount", "currency": "EUR", "maxValue": page.max_grant_eur},
        }
    return {
        "@type": "Event",
        "name": page.title,
        "description": page.description,
        "url": describer.url(page),
        "startDate": iso_date(page.opens_at),
        "endDate": iso_date(page.closes_at),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "location": {"@type": "VirtualLocation", "url": describer.url(page)},
        "organizer": describer.organisation(describer.home_of(page)),
        "funding": grant,
    }
