from django.db import models
from grapple.models import GraphQLInt, GraphQLString
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class CustomImage(AbstractImage):
    """An image with the credit line that German image rights require next to every picture."""

    default_alt_text = models.CharField(
        "Standard-Alternativtext",
        max_length=255,
        blank=True,
        help_text="Beschreibt das Bild für Menschen, die es nicht sehen. Blöcke können einen eigenen Text setzen.",
    )
    credit = models.CharField("Bildnachweis", max_length=255, blank=True)

    admin_form_fields = Image.admin_form_fields + ("default_alt_text", "credit")

    graphql_fields = [
        GraphQLString("default_alt_text", description="Alternative text for people who cannot see the image."),
        GraphQLString("credit", description="Credit line (photographer, licence)."),
        GraphQLInt("collection_id", description="ID of the media collection the image belongs to."),
    ]

    class Meta(AbstractImage.Meta):
        verbose_name = "Bild"
        verbose_name_plural = "Bilder"


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
