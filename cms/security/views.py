"""The superusers' list of active login lockouts, with a button to lift each one."""

from axes.utils import reset
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from cms.security.addresses import is_ip_address
from cms.security.login import active_lockouts, failure_limits

KINDS = {"account": "username", "address": "ip"}


def lockouts(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":
        kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
        if kind not in KINDS or not value or (kind == "address" and not is_ip_address(value)):
            messages.error(request, "Unbekannte Sperre: Bitte laden Sie die Liste neu.")
        else:
            reset(**{KINDS[kind]: value})
            label = "das Konto" if kind == "account" else "die Adresse"
            messages.success(request, f"Die Anmeldung für {label} „{value}“ ist wieder möglich.")
        return redirect("security_lockouts")
    limits = failure_limits()
    return TemplateResponse(
        request,
        "security/lockouts.html",
        {**active_lockouts(), "account_limit": limits["username"], "address_limit": limits["ip_address"]},
    )
