from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.ids import is_database_id
from sites.tenancy import is_scoped, scope_for

PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
IMAGE_KWARGS = ("image_id",)
DOCUMENT_KWARGS = ("document_id", "doc_id")
# Views that name their object `pk`, by the kind of object.
PK_VIEWS = {
    "wagtailadmin_api:pages:detail": "page",
    "wagtailadmin_api:pages:action": "page",
    "wagtailadmin_api:images:detail": "image",
    "wagtailadmin_api:documents:detail": "document",
    "wagtailimages_chooser:chosen": "image",
    "wagtaildocs_chooser:chosen": "document",
    "wagtailsettings:edit": "site",
    "wagtailsettings:preview_on_edit": "site",
}
# Explorer and page chooser may start at the tree root; they then show only the user's own municipalities.
ROOT_ALLOWED_VIEWS = {"wagtailadmin_explore", "wagtailadmin_explore_results", "wagtailadmin_choose_page_child"}
# Reports and listings that count or list content across all sites: for superusers only.
SUPERUSER_ONLY_VIEWS = {
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
    "wagtailadmin_pages:type_use",
    "wagtailadmin_pages:type_use_results",
    "wagtailadmin_api:images:listing",
    "wagtailadmin_api:documents:listing",
}


class MunicipalityScopeMiddleware:
    """Answers 404 when an admin user who is not a superuser opens an object of another municipality by URL.

    Wagtail's own permission checks come first and stay in force; this is the second door, so that every view
    (including those Wagtail serves to anyone with admin access, such as choosers and previews) is scoped the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not match.view_name:
            return None
        view_name = match.view_name
        # The view name first: other views (the API) must not load the session, which would make them vary by cookie.
        if not (view_name.startswith("wagtail") or view_name.startswith("sites_")) or not is_scoped(request.user):
            return None
        if view_name in SUPERUSER_ONLY_VIEWS:
            raise PermissionDenied
        user = request.user
        allow_root = view_name in ROOT_ALLOWED_VIEWS
        for name in PAGE_KWARGS:
            if name in view_kwargs and not self._may_see(Page, view_kwargs[name], user, allow_root=allow_root):
                raise Http404
        for name in IMAGE_KWARGS:
            if name in view_kwargs:
                self._check(get_image_model(), view_kwargs[name], user)
        for name in DOCUMENT_KWARGS:
            if name in view_kwargs:
                self._check(get_document_model(), view_kwargs[name], user)
        kind = PK_VIEWS.get(view_name)
        if kind and "pk" in view_kwargs:
            pk = view_kwargs["pk"]
            if not is_database_id(pk):
                raise Http404
            if kind == "page" and not self._may_see(Page, pk, user):
                raise Http404
            if kind == "image":
                self._check(get_image_model(), pk, user)
            if kind == "document":
                self._check(get_document_model(), pk, user)
            if kind == "site":
                self._check(Site, pk, user)
        return None

    @staticmethod
    def _may_see(model, pk, user, allow_root=False):
        """Objects that do not exist are left to Wagtail's own 404; the tree root only where `allow_root`."""
        if not is_database_id(pk):
            return True
        obj = model.objects.filter(pk=pk).first()
        if obj is None:
            return True
        if allow_root and isinstance(obj, Page) and obj.depth == 1:
            return True
        return scope_for(user).contains(obj)

    def _check(self, model, pk, user):
        if not self._may_see(model, pk, user):
            raise Http404
