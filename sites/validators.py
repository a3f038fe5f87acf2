import re

from django.core.exceptions import ValidationError

# The first two digits of the Amtlicher Regionalschlüssel name the federal state.
FEDERAL_STATES = [
    ("01", "Schleswig-Holstein"),
    ("02", "Hamburg"),
    ("03", "Niedersachsen"),
    ("04", "Bremen"),
    ("05", "Nordrhein-Westfalen"),
    ("06", "Hessen"),
    ("07", "Rheinland-Pfalz"),
    ("08", "Baden-Württemberg"),
    ("09", "Bayern"),
    ("10", "Saarland"),
    ("11", "Berlin"),
    ("12", "Brandenburg"),
    ("13", "Mecklenburg-Vorpommern"),
    ("14", "Sachsen"),
    ("15", "Sachsen-Anhalt"),
    ("16", "Thüringen"),
]
FEDERAL_STATE_CODES = {code for code, _name in FEDERAL_STATES}

REGIONAL_KEY_PATTERN = re.compile(r"^\d{12}$")


def validate_regional_key(value):
    """A 12-digit Amtlicher Regionalschlüssel (ARS) whose first two digits are a federal state."""
    if not REGIONAL_KEY_PATTERN.match(value or ""):
        raise ValidationError(
            "Der Amtliche Regionalschlüssel besteht aus genau 12 Ziffern (z. B. 010020000000 für Kiel).",
            code="invalid_regional_key",
        )
    if value[:2] not in FEDERAL_STATE_CODES:
        raise ValidationError(
            "Die ersten beiden Ziffern des Regionalschlüssels müssen ein Bundesland bezeichnen (01 bis 16).",
            code="invalid_regional_key_state",
        )


def validate_date_range(start, end, end_field, message="Das Ende darf nicht vor dem Beginn liegen."):
    """Raises a form error on `end_field` when a range ends before it starts."""
    if start and end and end < start:
        raise ValidationError({end_field: message}, code="invalid_range")
