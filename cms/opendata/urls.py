from django.urls import path, re_path

from cms.opendata import views

app_name = "opendata"

# The dataset and ending patterns are loose on purpose: the views answer unknown ones with a plain-text 404.
urlpatterns = [
    path("catalog", views.catalogue, name="catalogue"),
    path("catalog.<str:ending>", views.catalogue, name="catalogue_file"),
    path("<str:dataset>.<str:ending>", views.export, name="export"),
    path("<str:regional_key>/catalog", views.catalogue, name="municipality_catalogue"),
    path("<str:regional_key>/catalog.<str:ending>", views.catalogue, name="municipality_catalogue_file"),
    path("<str:regional_key>/<str:dataset>.<str:ending>", views.export, name="municipality_export"),
    re_path(r"^(?P<rest>.*)$", views.fallback),
]
