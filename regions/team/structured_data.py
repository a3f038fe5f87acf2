"""schema.org for the team page: a ContactPage whose organisation has a ContactPoint per role."""


def describe_team(page, describer):
    members = list(page.members.all())
    organisation = describer.organisation(describer.home_of(page)) or {"@type": "GovernmentOrganization"}
    organisation["contactPoint"] = [
        {
            "@type": "ContactPoint",
            "contactType": member.role,
            "name": member.unit,
            "email": member.email,
            "telephone": member.phone,
        }
        for member in members
    ]
    # A person is named only where the team page names them (with their consent); roles stand on their own.
    organisation["member"] = [
        {"@type": "OrganizationRole", "roleName": member.role, "member": {"@type": "Person", "name": member.name}}
        for member in members
        if member.name
    ]
    return {"@type": "ContactPage", "name": page.title, "url": describer.url(page), "mainEntity": organisation}
