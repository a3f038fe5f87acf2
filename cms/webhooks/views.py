"""Admin views for webhooks, scoped to the municipalities a user moderates; other cities' objects answer 404."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.permission_policies import ModelPermissionPolicy

from cms.webhooks.delivery import retry_now
from cms.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, generate_secret
from sites.models import Municipality
from sites.tenancy import is_scoped

_NEW_SECRET_SESSION_KEY = "webhooks_show_secret"


def municipalities_for(user):
    """Webhooks are managed by a municipality's moderators (its "Freigabe" group), not by its editors."""
    municipalities = Municipality.objects.select_related("home_page")
    if is_scoped(user):
        municipalities = municipalities.filter(moderators_group__user=user)
    return municipalities


def endpoints_for(user):
    endpoints = WebhookEndpoint.objects.select_related("municipality__home_page")
    if is_scoped(user):
        endpoints = endpoints.filter(municipality__in=municipalities_for(user))
    return endpoints


def deliveries_for(user):
    deliveries = WebhookDelivery.objects.select_related("endpoint__municipality__home_page")
    if is_scoped(user):
        deliveries = deliveries.filter(endpoint__municipality__in=municipalities_for(user))
    return deliveries


class ScopedEndpointMixin:
    def get_base_queryset(self):
        return endpoints_for(self.request.user)

    def get_object(self, queryset=None):
        return get_object_or_404(endpoints_for(self.request.user), pk=self.kwargs["pk"])


class EndpointFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["municipalities"] = municipalities_for(self.request.user)
        return kwargs


class EndpointIndexView(ScopedEndpointMixin, generic.IndexView):
    pass


class EndpointCreateView(EndpointFormMixin, generic.CreateView):
    def get_success_url(self):
        self.request.session[_NEW_SECRET_SESSION_KEY] = self.object.pk
        return reverse("webhooks:secret", args=[self.object.pk])


class EndpointEditView(ScopedEndpointMixin, EndpointFormMixin, generic.EditView):
    pass


class EndpointDeleteView(ScopedEndpointMixin, generic.DeleteView):
    pass


class EndpointInspectView(ScopedEndpointMixin, generic.InspectView):
    template_name = "webhooks/endpoint_inspect.html"


class EndpointHistoryView(ScopedEndpointMixin, generic.HistoryView):
    pass


class EndpointUsageView(ScopedEndpointMixin, generic.UsageView):
    pass


def endpoint_secret(request, pk):
    """Shows the secret once, right after creating or renewing it; renewing is a POST."""
    endpoint = get_object_or_404(endpoints_for(request.user), pk=pk)
    if not request.user.has_perm("webhooks.change_webhookendpoint"):
        raise PermissionDenied
    if request.method == "POST":
        endpoint.secret = generate_secret()
        endpoint.save(update_fields=["secret"])
        request.session[_NEW_SECRET_SESSION_KEY] = endpoint.pk
        messages.success(request, "Ein neues Geheimnis wurde erzeugt; das alte gilt ab sofort nicht mehr.")
        return redirect("webhooks:secret", pk=endpoint.pk)
    show = request.session.pop(_NEW_SECRET_SESSION_KEY, None) == endpoint.pk
    return TemplateResponse(
        request,
        "webhooks/secret.html",
        {
            "endpoint": endpoint,
            "secret": endpoint.secret if show else None,
            "page_title": "Webhook-Geheimnis",
            "header_title": f"Geheimnis für {endpoint}",
            "index_url": reverse("webhooks:index"),
            "deliveries_url": reverse("webhook_deliveries:index") + f"?endpoint={endpoint.pk}",
        },
    )


class DeliveryPermissionPolicy(ModelPermissionPolicy):
    """Deliveries are written by the system only: people may look at them and send failed ones again."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete", "copy"):
            return False
        if action == "retry":
            return super().user_has_permission(user, "change")
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def endpoints_choices(request):
    return endpoints_for(request.user) if request is not None else WebhookEndpoint.objects.none()


class DeliveryFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label="Status", choices=DeliveryStatus.choices)
    endpoint = django_filters.ModelChoiceFilter(label="Webhook", queryset=endpoints_choices)

    class Meta:
        model = WebhookDelivery
        fields = ["status", "endpoint"]


class ScopedDeliveryMixin:
    def get_base_queryset(self):
        return deliveries_for(self.request.user)

    def get_object(self, queryset=None):
        return get_object_or_404(deliveries_for(self.request.user), pk=self.kwargs["pk"])


class DeliveryIndexView(ScopedDeliveryMixin, generic.IndexView):
    pass


class DeliveryInspectView(ScopedDeliveryMixin, generic.InspectView):
    template_name = "webhooks/delivery_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_retry"] = self.object.status == DeliveryStatus.FAILED and self.request.user.has_perm(
            "webhooks.change_webhookdelivery"
        )
        return context


class NotFoundBeforeDeniedMixin:
    """Nobody may edit or delete deliveries; another municipality's still answers 404, as everywhere else."""

    def dispatch(self, request, *args, **kwargs):
        self.get_object()
        return super().dispatch(request, *args, **kwargs)


class DeliveryEditView(NotFoundBeforeDeniedMixin, ScopedDeliveryMixin, generic.EditView):
    pass


class DeliveryDeleteView(NotFoundBeforeDeniedMixin, ScopedDeliveryMixin, generic.DeleteView):
    pass


class DeliveryHistoryView(ScopedDeliveryMixin, generic.HistoryView):
    pass


class DeliveryUsageView(ScopedDeliveryMixin, generic.UsageView):
    pass


def retry_delivery(request, pk):
    delivery = get_object_or_404(deliveries_for(request.user), pk=pk)
    if not request.user.has_perm("webhooks.change_webhookdelivery"):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("webhook_deliveries:inspect", pk=delivery.pk)
    if delivery.status != DeliveryStatus.FAILED:
        messages.error(request, "Nur fehlgeschlagene Zustellungen können erneut gesendet werden.")
    else:
        retry_now(delivery)
        messages.success(request, "Die Zustellung wird beim nächsten Durchlauf erneut gesendet.")
    return redirect("webhook_deliveries:inspect", pk=delivery.pk)
