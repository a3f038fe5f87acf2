"""Ideas that citizens submit to a call for ideas.

Personal data (e-mail, name, client address, consent record) lives only in the fields listed in
`PERSONAL_FIELDS`; the API type declares none of them, and the GDPR tooling clears exactly these.
"""

import hashlib
import hmac
import secrets

import graphene
from django.conf import settings
from django.db import models
from django.utils import timezone
from grapple.models import GraphQLField, GraphQLString

from cms.graphql_base.fields import GraphQLTyped, page_type


class IdeaStatus(models.TextChoices):
    RECEIVED = "received", "Eingegangen"
    CONFIRMED = "confirmed", "Bestätigt"
    IN_REVIEW = "in_review", "In Prüfung"
    ACCEPTED = "accepted", "Angenommen"
    REJECTED = "rejected", "Abgelehnt"
    PUBLISHED = "published", "Veröffentlicht"


# Statuses a moderator may set; "received" and "confirmed" only come from the submitter.
MODERATION_STATUSES = [IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.REJECTED, IdeaStatus.PUBLISHED]

PERSONAL_FIELDS = ["email", "name", "display_name", "client_address", "consent_text_version", "consent_given_at"]

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference():
    return "IDEE-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def pseudonym_for(email, call_id):
    """A stable pseudonym per submitter and call that reveals nothing about the e-mail address."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{call_id}:{email.lower()}".encode(), hashlib.sha256)
    number = int.from_bytes(digest.digest()[:4], "big") % 100_000
    return f"Teilnehmende·r {number:05d}"


IdeaStatusEnum = graphene.Enum.from_enum(IdeaStatus, description="Moderation status of an idea.")


class IdeaQuerySet(models.QuerySet):
    def for_email(self, email):
        return self.filter(email__iexact=email.strip())


class IdeaSubmission(models.Model):
    call = models.ForeignKey(
        "calls.CallForIdeasPage", verbose_name="Ideenaufruf", on_delete=models.CASCADE, related_name="ideas"
    )
    # Denormalised from the call, whose municipality owns the idea (`owner_field`), so that a listing can be
    # narrowed with one indexed filter.
    home_page = models.ForeignKey(
        "sites.MunicipalityHomePage", verbose_name="Kommune", on_delete=models.CASCADE, related_name="ideas"
    )
    reference = models.CharField("Referenz", max_length=16, unique=True, default=new_reference, editable=False)
    title = models.CharField("Titel", max_length=140)
    description = models.TextField("Beschreibung", max_length=4000)
    field_of_action = models.ForeignKey(
        "fields_of_action.FieldOfActionPage",
        verbose_name="Handlungsfeld",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("Status", max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.RECEIVED)
    moderator_note = models.TextField("Notiz der Moderation", blank=True)
    submitted_at = models.DateTimeField("Eingereicht am", default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField("Bestätigt am", null=True, blank=True, editable=False)

    # Personal data: never exposed through the API, erased or anonymised by the GDPR tooling.
    email = models.EmailField("E-Mail-Adresse", blank=True)
    name = models.CharField("Name", max_length=120, blank=True)
    display_name = models.CharField("Öffentlicher Anzeigename", max_length=60, blank=True)
    client_address = models.GenericIPAddressField("Client-Adresse", null=True, blank=True)
    consent_text_version = models.CharField("Version des Datenschutzhinweises", max_length=40, blank=True)
    consent_given_at = models.DateTimeField("Einwilligung erteilt am", null=True, blank=True)
    keep_text_after_erasure = models.BooleanField(
        "Text darf nach Löschung veröffentlicht bleiben",
        default=False,
        help_text="Die einreichende Person hat zugestimmt, dass Titel und Beschreibung nach einer Löschung ihrer "
        "Daten veröffentlicht bleiben.",
    )
    pseudonym = models.CharField("Pseudonym", max_length=40, editable=False)
    anonymised_at = models.DateTimeField("Anonymisiert am", null=True, blank=True, editable=False)

    # A retried request carries the same key; the fingerprint tells a retry from a different idea.
    idempotency_key = models.CharField(max_length=64, editable=False)
    content_fingerprint = models.CharField(max_length=64, editable=False)

    objects = IdeaQuerySet.as_manager()

    # The publication rule (cms.publication): public when published and its call is public.
    publication_status = ("status", IdeaStatus.PUBLISHED)
    publication_page = "call"
    # The owner rule (sites.ownership): the municipality of its call.
    owner_field = "call"

    graphql_fields = [
        GraphQLString("reference", required=True, description="Public reference of the idea."),
        GraphQLString("title", required=True),
        GraphQLString("description", required=True),
        GraphQLTyped(
            "field_of_action",
            page_type("fields_of_action.FieldOfActionPage"),
            description="The field of action the idea concerns, if the submitter named one.",
        ),
        GraphQLTyped("status", IdeaStatusEnum, required=True, description="Moderation status."),
        GraphQLField("submitted_on", graphene.Date, required=True, description="Day of submission, Europe/Berlin."),
        GraphQLString(
            "author",
            required=True,
            description="The display name the submitter chose to publish, or else a stable pseudonym.",
        ),
    ]

    class Meta:
        verbose_name = "Idee"
        verbose_name_plural = "Ideen"
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "idempotency_key"], name="idea_idempotency_key_per_call"),
        ]
        indexes = [models.Index(fields=["home_page", "status"]), models.Index(fields=["email"])]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def submitted_on(self):
        return timezone.localdate(self.submitted_at)

    @property
    def author(self):
        return self.display_name or self.pseudonym

    def personal_data(self):
        return {field: getattr(self, field) for field in PERSONAL_FIELDS}
