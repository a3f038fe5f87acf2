"""The superusers' "Kommunen" area: list, add, rename and remove municipalities through the onboarding service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from sites.forms import AddMunicipalityForm, RemoveMunicipalityForm, RenameMunicipalityForm
from sites.models import Municipality
from sites.onboarding import add_municipality, removal_summary, remove_municipality, rename_municipality
from sites.ownership import owners_for


def superuser_required(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@superuser_required
def index(request):
    # Member counts in the same query: one query for the list, however many municipalities there are.
    municipalities = Municipality.objects.select_related("home_page").annotate(
        editor_count=Count("editors_group__user", distinct=True),
        moderator_count=Count("moderators_group__user", distinct=True),
    )
    owners = owners_for(request)
    rows = [
        {
            "municipality": municipality,
            "site": owners.site_of(municipality),
            "editors": municipality.editor_count,
            "moderators": municipality.moderator_count,
        }
        for municipality in municipalities
    ]
    return TemplateResponse(request, "sites/admin/index.html", {"rows": rows})


@superuser_required
def add(request):
    form = AddMunicipalityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            municipality = add_municipality(form.to_input())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Die Kommune „{municipality}“ wurde angelegt.")
            return redirect("sites_municipalities:index")
    return TemplateResponse(request, "sites/admin/form.html", {"form": form, "title": "Kommune anlegen"})


@superuser_required
def rename(request, pk):
    municipality = get_object_or_404(Municipality.objects.select_related("home_page"), pk=pk)
    home = municipality.home_page
    site = owners_for(request).site_of(municipality)
    initial = {
        "name": home.title,
        "official_name": home.official_name,
        "slug": home.slug,
        "hostname": site.hostname if site else "",
    }
    form = RenameMunicipalityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rename_municipality(municipality, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Die Kommune heißt jetzt „{municipality}“.")
            return redirect("sites_municipalities:index")
    return TemplateResponse(request, "sites/admin/form.html", {"form": form, "title": f"„{home}“ umbenennen"})


@superuser_required
def remove(request, pk):
    municipality = get_object_or_404(Municipality.objects.select_related("home_page"), pk=pk)
    form = RemoveMunicipalityForm(request.POST or None, regional_key=municipality.home_page.regional_key)
    if request.method == "POST" and form.is_valid():
        name = str(municipality)
        remove_municipality(municipality)
        messages.success(request, f"Die Kommune „{name}“ wurde mit allen Inhalten entfernt.")
        return redirect("sites_municipalities:index")
    return TemplateResponse(
        request,
        "sites/admin/remove.html",
        {"form": form, "municipality": municipality, "summary": removal_summary(municipality)},
    )
