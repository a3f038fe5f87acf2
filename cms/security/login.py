"""Throttling of failed logins with django-axes: per account and per address, with a German message on the login page.

Every login form of this instance (Wagtail's, Django admin's, the password check when a second factor is set up) calls
`django.contrib.auth.authenticate` with the request, so axes' backend sees every attempt (see docs/security.md).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.template.response import TemplateResponse
from django.utils import timezone

# Axes counts failures per lockout parameter; these are the two this instance uses, each with its own limit.
ACCOUNT = "username"
ADDRESS = "ip_address"


def failure_limits():
    return {ACCOUNT: settings.AXES_FAILURE_LIMIT, ADDRESS: settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS}


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per account and a separate, higher one per address.

    Axes compares one failure count with one limit (AXES_FAILURE_LIMIT, here the limit per account). Many editors can
    share one address (a town hall behind one NAT), so an address gets more attempts before it is locked: an address
    that has reached its own limit reports the account limit as its count, which locks it.
    """

    def get_failures(self, request, credentials=None):
        limits = failure_limits()
        attempt_sets = self.get_user_attempts(request, credentials)
        failures = 0
        for parameter, attempts in zip(settings.AXES_LOCKOUT_PARAMETERS, attempt_sets, strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == ACCOUNT:
                failures = max(failures, count)
            elif count >= limits[parameter]:
                failures = max(failures, limits[ACCOUNT])
        return failures


def cool_off_text():
    minutes = int(get_cool_off().total_seconds() // 60)
    return "einer Minute" if minutes == 1 else f"{minutes} Minuten"


def lockout_message():
    return (
        "Zu viele fehlgeschlagene Anmeldeversuche: Die Anmeldung ist für dieses Konto oder von dieser Adresse aus "
        f"vorübergehend gesperrt. Bitte versuchen Sie es in {cool_off_text()} erneut oder bitten Sie eine "
        "Administratorin oder einen Administrator, die Sperre aufzuheben."
    )


def lockout_response(request, original_response=None, credentials=None):
    """The login form again, with the lockout explained in place of "wrong password" (AXES_LOCKOUT_CALLABLE).

    Every login form here is rendered as a TemplateResponse, so the form the user sent is still at hand and keeps the
    username; anything else gets a plain German page. Either way with axes' status code (429)."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and form is not None and form.is_bound:
        form.errors.clear()
        form.add_error(None, ValidationError(lockout_message(), code="locked_out"))
        response = TemplateResponse(request, original_response.template_name, context, status=status)
    else:
        response = TemplateResponse(request, "security/locked_out.html", {"message": lockout_message()}, status=status)
    response["Retry-After"] = str(int(get_cool_off().total_seconds()))
    # Axes' middleware runs after the view layer, which renders template responses: this one is rendered here.
    return response.render()


def _locked(attempts, field, limit, cool_off):
    rows = (
        attempts.values(field)
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("-last_failure")
    )
    return [
        {"value": row[field], "failures": row["failures"], "locked_until": row["last_failure"] + cool_off}
        for row in rows
        if row[field] is not None
    ]


def active_lockouts(now=None):
    """Accounts and addresses that are locked right now, as axes counts them: failures within the cool-off."""
    now = now or timezone.now()
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
    limits = failure_limits()
    return {
        "accounts": _locked(recent, ACCOUNT, limits[ACCOUNT], cool_off),
        "addresses": _locked(recent, ADDRESS, limits[ADDRESS], cool_off),
    }
