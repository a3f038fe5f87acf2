"""Two onboarded municipalities with staff and one object of every kind each, for the admin isolation tests."""

from dataclasses import dataclass

import wagtail_factories
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Collection

from cms.media.factories import ImageFactory
from regions.fields_of_action.models import FieldOfActionIndexPage, FieldOfActionPage
from sites.models import MunicipalitySettings
from sites.onboarding import MunicipalityInput, add_municipality


@dataclass
class City:
    municipality: object
    home: object
    site: object
    page: object
    draft: object
    image: object
    document: object
    editor: object
    moderator: object
    marker: str

    @property
    def settings(self):
        return MunicipalitySettings.objects.get(site=self.site)


def onboard(name, regional_key, hostname):
    return add_municipality(
        MunicipalityInput(
            name=name,
            official_name=name,
            regional_key=regional_key,
            hostname=hostname,
            cohort_year=2020,
            frontend_base_url=f"http://{hostname}:3000",
            preview_url=f"http://{hostname}:3000/preview",
        )
    )


def user_in(group, username):
    user = get_user_model().objects.create_user(username=username, password="x")
    user.groups.add(group)
    return user


def build_city(name, regional_key, hostname):
    municipality = onboard(name, regional_key, hostname)
    home = municipality.home_page
    marker = f"Geheim{name}"
    foa_index = FieldOfActionIndexPage.objects.child_of(home).get()
    page = foa_index.add_child(instance=FieldOfActionPage(title=f"{marker} Handlungsfeld", teaser="Öffentlich."))
    page.save_revision().publish()
    draft = foa_index.add_child(instance=FieldOfActionPage(title=f"{marker} Entwurf", teaser="Entwurf.", live=False))
    draft.save_revision()
    collection = Collection.objects.get(pk=home.media_collection_id)
    image = ImageFactory(collection=collection, title=f"{marker} Bild")
    document = wagtail_factories.DocumentFactory(collection=collection, title=f"{marker} Dokument")
    slug = home.slug
    return City(
        municipality=municipality,
        home=home,
        site=home.get_site(),
        page=page,
        draft=draft,
        image=image,
        document=document,
        editor=user_in(municipality.editors_group, f"{slug}-redaktion"),
        moderator=user_in(municipality.moderators_group, f"{slug}-freigabe"),
        marker=marker,
    )


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
