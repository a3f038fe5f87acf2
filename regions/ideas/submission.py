"""Accepting an idea from a municipality's frontend: validation, idempotency, rate limits and confirmation mail.

Nothing is stored for a rejected submission. A retried request with the same idempotency key and the same content
returns the reference of the idea stored the first time; with different content it is an error. Under concurrent
retries the unique constraint on (call, idempotency key) decides which request stores the idea. While the cache that
counts the rate limits cannot be reached, every submission is refused before anything is stored: without the limits,
one client could fill a call with ideas (docs/operations.md, "Outages").
"""

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from cms.ids import is_database_id
from cms.throttling import client_key, count_in_window
from regions.calls.models import CallForIdeasPage, CallStatus
from regions.fields_of_action.models import FieldOfActionPage
from regions.ideas.models import IdeaStatus, IdeaSubmission, pseudonym_for
from sites.public import municipality_pages

logger = logging.getLogger(__name__)

CONFIRMATION_SALT = "ideas.confirmation"
IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
LIMITS = {"title": (3, 140), "description": (10, 4000), "name": (0, 120), "display_name": (0, 60)}


@dataclass
class IdeaInput:
    call_id: str
    title: str
    description: str
    email: str
    consent: bool
    consent_text_version: str
    idempotency_key: str
    field_of_action_id: str | None = None
    name: str = ""
    display_name: str = ""
    keep_text_after_erasure: bool = False
    honeypot: str = ""


@dataclass
class FieldError:
    field: str
    code: str
    message: str


@dataclass
class SubmissionResult:
    idea: IdeaSubmission | None = None
    errors: list = field(default_factory=list)
    rate_limited: bool = False
    retry_after: int = 0
    created: bool = False


class RateLimitExceededError(Exception):
    def __init__(self, retry_after):
        super().__init__("Too many submissions; try again later.")
        self.retry_after = retry_after


def plain_text(value):
    """Text without markup, with whitespace runs collapsed (paragraph breaks kept)."""
    text = strip_tags(value or "")
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text)]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _check_length(errors, field_name, value, required):
    minimum, maximum = LIMITS[field_name]
    if not value:
        if required:
            errors.append(FieldError(field_name, "required", "Dieses Feld muss ausgefüllt werden."))
        return
    if len(value) < minimum:
        errors.append(FieldError(field_name, "too_short", f"Bitte mindestens {minimum} Zeichen eingeben."))
    if len(value) > maximum:
        errors.append(FieldError(field_name, "too_long", f"Höchstens {maximum} Zeichen sind erlaubt."))


def _find_call(site, call_id):
    if not is_database_id(call_id):
        return None
    return municipality_pages(None, site, CallForIdeasPage).filter(pk=call_id).first()


def check_address_rate(client_address):
    window = settings.IDEA_RATE_LIMIT_WINDOW
    if client_address is None:
        return
    counted = count_in_window(f"ideas:address:{client_key(client_address)}", window)
    if counted.count > settings.IDEA_RATE_LIMIT_PER_ADDRESS:
        raise RateLimitExceededError(counted.retry_after)


def _check_email_rate(email):
    window = settings.IDEA_RATE_LIMIT_WINDOW
    digest = hashlib.sha256(email.lower().encode()).hexdigest()
    counted = count_in_window(f"ideas:email:{digest}", window)
    if counted.count > settings.IDEA_RATE_LIMIT_PER_EMAIL:
        raise RateLimitExceededError(counted.retry_after)


def _fingerprint(call, data, field_of_action):
    payload = [
        call.pk,
        data.title,
        data.description,
        field_of_action.pk if field_of_action else None,
        data.email.lower(),
        data.name,
        data.display_name,
        bool(data.keep_text_after_erasure),
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def _validate(site, data):
    errors = []
    if (data.honeypot or "").strip():
        errors.append(FieldError("website", "spam_suspected", "Die Einreichung wurde als automatisiert erkannt."))
    data.title = plain_text(data.title)
    data.description = plain_text(data.description)
    data.name = plain_text(data.name)
    data.display_name = plain_text(data.display_name)
    data.email = (data.email or "").strip()
    _check_length(errors, "title", data.title, required=True)
    _check_length(errors, "description", data.description, required=True)
    _check_length(errors, "name", data.name, required=False)
    _check_length(errors, "display_name", data.display_name, required=False)
    try:
        validate_email(data.email)
        if len(data.email) > 254:
            raise ValidationError("too long")
    except ValidationError:
        errors.append(FieldError("email", "invalid", "Bitte eine gültige E-Mail-Adresse angeben."))
    if data.consent is not True:
        errors.append(
            FieldError(
                "consent", "required", "Ohne Einwilligung in den Datenschutzhinweis können wir die Idee nicht annehmen."
            )
        )
    version = (data.consent_text_version or "").strip()
    if not version or len(version) > 40:
        errors.append(FieldError("consentTextVersion", "invalid", "Die Version des Datenschutzhinweises fehlt."))
    data.consent_text_version = version
    if not IDEMPOTENCY_KEY_PATTERN.match(data.idempotency_key or ""):
        errors.append(
            FieldError(
                "idempotencyKey", "invalid", "Der Idempotenzschlüssel muss 8 bis 64 Zeichen [A-Za-z0-9_-] haben."
            )
        )

    call = _find_call(site, data.call_id)
    if call is None:
        errors.append(FieldError("callId", "unknown_call", "Diesen Ideenaufruf gibt es bei dieser Kommune nicht."))
    elif call.status != CallStatus.OPEN:
        code = "call_closed" if call.status == CallStatus.CLOSED else "call_not_open_yet"
        message = (
            "Dieser Ideenaufruf ist beendet."
            if call.status == CallStatus.CLOSED
            else "Dieser Ideenaufruf hat noch nicht begonnen."
        )
        errors.append(FieldError("callId", code, message))

    field_of_action = None
    if data.field_of_action_id not in (None, ""):
        # Only a public field of action of the call's own municipality.
        candidates = municipality_pages(None, site, FieldOfActionPage)
        if is_database_id(data.field_of_action_id):
            field_of_action = candidates.filter(pk=data.field_of_action_id).first()
        if field_of_action is None:
            errors.append(
                FieldError("fieldOfActionId", "unknown_field_of_action", "Dieses Handlungsfeld gibt es hier nicht.")
            )
    return call, field_of_action, errors


def _replay(call, data, fingerprint):
    """The idea already stored under this key, or an error if the key was used for other content."""
    existing = IdeaSubmission.objects.filter(call=call, idempotency_key=data.idempotency_key).first()
    if existing is None:
        return None
    if existing.content_fingerprint != fingerprint:
        return SubmissionResult(
            errors=[
                FieldError(
                    "idempotencyKey",
                    "idempotency_key_reused",
                    "Dieser Idempotenzschlüssel wurde bereits für eine andere Einreichung verwendet.",
                )
            ]
        )
    return SubmissionResult(idea=existing)


def confirmation_token(idea):
    return signing.dumps(idea.reference, salt=CONFIRMATION_SALT)


def confirmation_url(idea):
    path = reverse("ideas_confirm", args=[confirmation_token(idea)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send_confirmation(idea):
    body = (
        f"Guten Tag,\n\nvielen Dank für Ihre Idee „{idea.title}“ zum Aufruf „{idea.call.title}“.\n\n"
        f"Bitte bestätigen Sie Ihre E-Mail-Adresse über diesen Link, damit wir die Idee prüfen können:\n"
        f"{confirmation_url(idea)}\n\n"
        f"Ihre Referenz: {idea.reference}\n\n"
        "Wenn Sie keine Idee eingereicht haben, ignorieren Sie diese Nachricht; ohne Bestätigung wird die "
        "Einreichung nicht bearbeitet und nach Ablauf der Aufbewahrungsfrist gelöscht.\n"
    )
    try:
        send_mail(f"Bitte bestätigen: Ihre Idee {idea.reference}", body, None, [idea.email])
    except Exception:
        # The idea is stored; a failed mail must not turn the submission into an error the client retries.
        logger.exception("Confirmation mail for idea %s could not be sent", idea.reference)


def submit_idea(site, data, client_address=None):
    """Validates and stores one idea; returns a SubmissionResult. Raises RateLimitExceededError for floods and
    CacheUnavailableError while the rate limits cannot be counted; nothing is stored then."""
    check_address_rate(client_address)
    call, field_of_action, errors = _validate(site, data)
    if errors:
        return SubmissionResult(errors=errors)
    fingerprint = _fingerprint(call, data, field_of_action)
    replay = _replay(call, data, fingerprint)
    if replay is not None:
        return replay
    _check_email_rate(data.email)
    try:
        with transaction.atomic():
            idea = IdeaSubmission.objects.create(
                call=call,
                home_page_id=site.root_page_id,
                title=data.title,
                description=data.description,
                field_of_action=field_of_action,
                email=data.email,
                name=data.name,
                display_name=data.display_name,
                client_address=client_address,
                consent_text_version=data.consent_text_version,
                consent_given_at=timezone.now(),
                keep_text_after_erasure=bool(data.keep_text_after_erasure),
                pseudonym=pseudonym_for(data.email, call.pk),
                idempotency_key=data.idempotency_key,
                content_fingerprint=fingerprint,
            )
    except IntegrityError:
        # A concurrent request with the same key won the race; answer as its retry would be answered.
        replay = _replay(call, data, fingerprint)
        if replay is None:
            raise
        return replay
    transaction.on_commit(lambda: _send_confirmation(idea))
    return SubmissionResult(idea=idea, created=True)


def confirm(token):
    """Marks the idea behind a confirmation token as confirmed; returns it, or None for a bad or expired token."""
    try:
        reference = signing.loads(token, salt=CONFIRMATION_SALT, max_age=settings.IDEA_CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        return None
    with transaction.atomic():
        idea = IdeaSubmission.objects.select_for_update().filter(reference=reference).first()
        if idea is None:
            return None
        if idea.status == IdeaStatus.RECEIVED:
            idea.status = IdeaStatus.CONFIRMED
            idea.confirmed_at = timezone.now()
            idea.save(update_fields=["status", "confirmed_at"])
    return idea
