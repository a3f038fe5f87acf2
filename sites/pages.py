"""The base class of every page type: headless, with preview on the frontend of the page's own municipality."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature, SignatureExpired
from django.http import Http404
from django.shortcuts import redirect
from wagtail.models import Page
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview

from cms.security.csp import allow_frames
from sites.admin_forms import MunicipalityPageForm
from sites.origins import origin_of
from sites.ownership import Owners
from sites.page_urls import frontend_url


class BasePage(HeadlessPreviewMixin, Page):
    """Pages are rendered by each municipality's own frontend, never by Wagtail templates."""

    # Offers and accepts only references inside the page's own municipality (sites.cross_references).
    base_form_class = MunicipalityPageForm

    class Meta:
        abstract = True

    def get_client_root_url(self, request):
        # Chosen from the settings of the municipality that owns the page, never from the admin request's host:
        # the admin runs on one hostname for every municipality.
        owners = Owners()
        municipality_settings = owners.settings_of(owners.of(self))
        root_url = (
            municipality_settings.preview_url or municipality_settings.frontend_base_url
            if municipality_settings
            else ""
        )
        if not root_url:
            return super().get_client_root_url(request)
        return root_url.rstrip("/") + "/"

    def serve_preview(self, request, preview_mode):
        # The headless preview page frames the municipality's frontend; the admin's Content-Security-Policy lets this
        # one response frame that one origin.
        response = super().serve_preview(request, preview_mode)
        origin = origin_of(self.get_client_root_url(request))
        return allow_frames(response, origin) if origin else response

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
        url = frontend_url(self, Owners())
        if url is None:
            raise Http404("Diese Kommune hat keine Frontend-Adresse hinterlegt.")
        return redirect(url)
