from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.html import escape
from django.views.decorators.http import require_GET

from regions.ideas.submission import confirm

PAGE = '<!doctype html><html lang="de"><meta charset="utf-8"><title>{title}</title><h1>{title}</h1><p>{text}</p>'


@require_GET
def confirm_idea(request, token):
    """The link in the confirmation mail: confirms the address, after which the idea goes to moderation."""
    idea = confirm(token)
    if idea is None:
        return HttpResponseBadRequest(
            PAGE.format(
                title="Link ungültig",
                text="Der Bestätigungslink ist ungültig oder abgelaufen. Bitte reichen Sie die Idee erneut ein.",
            )
        )
    return HttpResponse(
        PAGE.format(
            title="Vielen Dank!",
            text=f"Ihre Idee „{escape(idea.title)}“ (Referenz {idea.reference}) ist bestätigt und wird jetzt geprüft.",
        )
    )
