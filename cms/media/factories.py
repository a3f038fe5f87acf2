import factory
import wagtail_factories

from cms.media.models import CustomImage


class ImageFactory(wagtail_factories.ImageFactory):
    class Meta:
        model = CustomImage

    title = factory.Sequence(lambda n: f"Bild {n}")
    default_alt_text = factory.LazyAttribute(lambda image: f"Beschreibung von {image.title}")
    credit = "Demo"
