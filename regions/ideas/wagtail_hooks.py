from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from regions.ideas import gdpr_views
from regions.ideas.models import IdeaSubmission
from regions.ideas.moderation import (
    IdeaDeleteView,
    IdeaEditView,
    IdeaFilterSet,
    IdeaIndexView,
    IdeaInspectView,
    ModerationForm,
)


class IdeaViewSet(ModelViewSet):
    model = IdeaSubmission
    name = "ideen"
    icon = "comment"
    menu_label = "Ideen"
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = IdeaIndexView
    edit_view_class = IdeaEditView
    inspect_view_class = IdeaInspectView
    delete_view_class = IdeaDeleteView
    inspect_view_enabled = True
    form_class = ModerationForm
    filterset_class = IdeaFilterSet
    list_display = ["reference", "title", "call", "status", "submitted_at"]
    list_export = [
        "reference",
        "call",
        "title",
        "description",
        "field_of_action",
        "status",
        "submitted_at",
        "confirmed_at",
        "author",
        "moderator_note",
    ]
    export_headings = {
        "reference": "Referenz",
        "call": "Ideenaufruf",
        "title": "Titel",
        "description": "Beschreibung",
        "field_of_action": "Handlungsfeld",
        "status": "Status",
        "submitted_at": "Eingereicht am",
        "confirmed_at": "Bestätigt am",
        "author": "Autor·in (öffentlich)",
        "moderator_note": "Notiz der Moderation",
    }
    export_filename = "ideen"
    inspect_view_fields = [
        "reference",
        "call",
        "title",
        "description",
        "field_of_action",
        "status",
        "moderator_note",
        "submitted_at",
        "confirmed_at",
        "email",
        "name",
        "display_name",
        "pseudonym",
        "consent_text_version",
        "consent_given_at",
        "keep_text_after_erasure",
        "anonymised_at",
    ]

    def get_form_class(self, for_update=False):
        return ModerationForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/personal-data/", gdpr_views.export_personal_data, name="personal_data"),
            path("<int:pk>/anonymise/", gdpr_views.anonymise, name="anonymise"),
        ]


idea_viewset = IdeaViewSet()


@hooks.register("register_admin_viewset")
def register_idea_viewset():
    return idea_viewset
