"""The dcat-ap.de licence vocabulary (http://dcat-ap.de/def/licenses/), as far as it suits open municipal data.

Kept free of model imports so that sites.models can use it for the choices of MunicipalitySettings.data_licence.
"""

LICENCE_BASE = "http://dcat-ap.de/def/licenses/"
DEFAULT_LICENCE = "dl-by-de/2.0"

LICENCE_CHOICES = [
    ("dl-by-de/2.0", "Datenlizenz Deutschland – Namensnennung – Version 2.0"),
    ("dl-zero-de/2.0", "Datenlizenz Deutschland – Zero – Version 2.0"),
    ("cc-by/4.0", "Creative Commons Namensnennung 4.0 International (CC BY 4.0)"),
    ("cc-by-sa/4.0", "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 (CC BY-SA 4.0)"),
    ("cc-zero", "Creative Commons Zero (CC0 1.0)"),
    ("odbl", "Open Data Commons Open Database License (ODbL)"),
    ("officialWork", "Amtliches Werk, lizenzfrei nach § 5 UrhG"),
]
LICENCE_NAMES = dict(LICENCE_CHOICES)


def licence_url(code):
    return LICENCE_BASE + (code if code in LICENCE_NAMES else DEFAULT_LICENCE)


def licence_name(code):
    return LICENCE_NAMES.get(code) or LICENCE_NAMES[DEFAULT_LICENCE]
