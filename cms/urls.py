from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.api.views import graphql_view
from regions.ideas.views import confirm_idea

# Requests Django refuses before routing them (a disallowed Host header) get a JSON error on the API.
handler400 = "cms.api.views.bad_request"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("graphql/", graphql_view, name="graphql"),
    path("ideen/bestaetigen/<str:token>/", confirm_idea, name="ideas_confirm"),
    path("opendata/", include("cms.opendata.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
