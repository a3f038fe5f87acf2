"""The base class of every page type: headless, with preview on the page's own municipality frontend."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature, SignatureExpired
from django.http import Http404
from django.shortcuts import redirect
from wagtail.models import Page
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview


class BasePage(HeadlessPreviewMixin, Page):
    """Pages are rendered by each municipality's own frontend, never by Wagtail templates."""

    class Meta:
        abstract = True

    def get_owning_site(self):
        """The Site this page belongs to, also for a page that is being created and has no id yet."""
        if self.pk:
            return self.get_site()
        parent = self.get_parent() if self.path else None
        return parent.get_site() if parent else None

    def get_client_root_url(self, request):
        # Chosen from the page's own site, never from the admin request's host:
        # the admin runs on one hostname for every municipality.
        from sites.models import MunicipalitySettings

        site = self.get_owning_site()
        if site is None:
            return super().get_client_root_url(request)
        municipality_settings = MunicipalitySettings.for_site(site)
        root_url = municipality_settings.preview_url or municipality_settings.frontend_base_url
        if not root_url:
            return super().get_client_root_url(request)
        return root_url.rstrip("/") + "/"

    @classmethod
    def get_page_from_preview_token(cls, token):
        try:
            cls.get_preview_signer().unsign(token, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
        except (SignatureExpired, BadSignature):
            return None
        preview = PagePreview.objects.filter(content_type=ContentType.objects.get_for_model(cls), token=token).first()
        if preview is None:
            return None
        page = preview.as_page()
        page.is_preview = True
        return page

    def serve(self, request, *args, **kwargs):
        from sites.models import MunicipalitySettings

        site = self.get_site()
        base_url = MunicipalitySettings.for_site(site).frontend_base_url if site else ""
        if not base_url:
            raise Http404("Diese Kommune hat keine Frontend-Adresse hinterlegt.")
        return redirect(base_url.rstrip("/") + self.get_url_parts(request)[2])
