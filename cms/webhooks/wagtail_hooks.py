from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from cms.webhooks import views
from cms.webhooks.forms import WebhookEndpointForm
from cms.webhooks.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    name = "webhooks"
    icon = "link-external"
    menu_label = "Endpunkte"
    index_view_class = views.EndpointIndexView
    add_view_class = views.EndpointCreateView
    edit_view_class = views.EndpointEditView
    delete_view_class = views.EndpointDeleteView
    inspect_view_class = views.EndpointInspectView
    history_view_class = views.EndpointHistoryView
    usage_view_class = views.EndpointUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_class = WebhookEndpointForm
    list_display = ["__str__", "url", "municipality", "active", "created_at"]
    list_filter = ["active"]
    inspect_view_fields = ["municipality", "name", "url", "events", "active", "created_at"]

    def get_form_class(self, for_update=False):
        return WebhookEndpointForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("<int:pk>/secret/", views.endpoint_secret, name="secret")]


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    name = "webhook_deliveries"
    icon = "list-ul"
    menu_label = "Zustellungen"
    index_view_class = views.DeliveryIndexView
    inspect_view_class = views.DeliveryInspectView
    edit_view_class = views.DeliveryEditView
    delete_view_class = views.DeliveryDeleteView
    history_view_class = views.DeliveryHistoryView
    usage_view_class = views.DeliveryUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = views.DeliveryFilterSet
    # The edit view exists only because ModelViewSet has one; the permission policy refuses it to everyone.
    form_fields = ["status"]
    list_display = ["event", "endpoint", "status", "attempts", "last_status_code", "last_error", "next_attempt_at"]
    inspect_view_fields = [
        "delivery_id",
        "endpoint",
        "event",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "expires_at",
        "delivered_at",
        "payload",
    ]

    @property
    def permission_policy(self):
        return views.DeliveryPermissionPolicy(self.model)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("<int:pk>/retry/", views.retry_delivery, name="retry")]


class WebhookViewSetGroup(ViewSetGroup):
    menu_label = "Webhooks"
    menu_icon = "link-external"
    menu_order = 260
    items = (WebhookEndpointViewSet, WebhookDeliveryViewSet)


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return WebhookViewSetGroup()
