from django import forms

from cms.webhooks.models import WebhookEndpoint, WebhookEvent
from cms.webhooks.validation import validate_webhook_url


class WebhookEndpointForm(forms.ModelForm):
    """Endpoint form; the municipality choice is limited to those the user moderates (see the views)."""

    events = forms.MultipleChoiceField(
        label="Ereignisse",
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Bitte mindestens ein Ereignis auswählen."},
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["municipality", "name", "url", "events", "active"]
        error_messages = {"url": {"invalid": "Bitte eine gültige URL eingeben."}}

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities
            choices = list(municipalities[:2])
            if self.instance.pk is None and len(choices) == 1:
                self.fields["municipality"].initial = choices[0].pk
        self.fields["municipality"].empty_label = None
        if self.instance.pk is not None:
            self.fields["events"].initial = self.instance.events

    def clean_url(self):
        url = self.cleaned_data["url"]
        validate_webhook_url(url)
        return url
