from django import forms
from django.core.exceptions import ValidationError

from sites.onboarding import MunicipalityInput


class AddMunicipalityForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, help_text="Titel der Startseite, z. B. „Smart City Ulm“.")
    official_name = forms.CharField(label="Amtlicher Name", max_length=255, required=False)
    regional_key = forms.CharField(label="Amtlicher Regionalschlüssel", max_length=12, min_length=12)
    cohort_year = forms.IntegerField(label="Förderstaffel (Jahr)", min_value=2019, max_value=2030)
    hostname = forms.CharField(label="Hostname", max_length=253, help_text="z. B. ulm.smart-cities.de")
    port = forms.IntegerField(label="Port", initial=80, min_value=1, max_value=65535)
    slug = forms.SlugField(label="Kurzname", required=False, help_text="Leer: aus dem Namen gebildet.")
    frontend_base_url = forms.URLField(label="Frontend-Adresse", required=False)
    preview_url = forms.URLField(label="Vorschau-Adresse", required=False)

    def to_input(self):
        return MunicipalityInput(**self.cleaned_data)

    def add_service_errors(self, error: ValidationError):
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class RenameMunicipalityForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    official_name = forms.CharField(label="Amtlicher Name", max_length=255)
    slug = forms.SlugField(label="Kurzname")
    hostname = forms.CharField(label="Hostname", max_length=253)

    add_service_errors = AddMunicipalityForm.add_service_errors


class RemoveMunicipalityForm(forms.Form):
    confirmation = forms.CharField(label="Regionalschlüssel zur Bestätigung", max_length=12)

    def __init__(self, *args, regional_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.regional_key = regional_key

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"].strip()
        if value != self.regional_key:
            raise ValidationError("Der Regionalschlüssel stimmt nicht überein; es wurde nichts gelöscht.")
        return value
