"""Admin actions on one idea: download its personal data, or anonymise it. Scoped like the moderation listing."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from regions.ideas.gdpr import anonymise as anonymise_ideas
from regions.ideas.gdpr import export_for_email, export_idea
from regions.ideas.moderation import ideas_for


def _idea(request, pk):
    if not request.user.has_perm("ideas.change_ideasubmission"):
        raise PermissionDenied
    return get_object_or_404(ideas_for(request.user), pk=pk)


def export_personal_data(request, pk):
    idea = _idea(request, pk)
    # Within the moderator's municipalities only: another city's data about the same address is not theirs.
    data = export_for_email(idea.email, ideas_for(request.user)) if idea.email else {"ideas": [export_idea(idea)]}
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="auskunft-{idea.reference}.json"'
    return response


@require_http_methods(["GET", "POST"])
def anonymise(request, pk):
    idea = _idea(request, pk)
    if request.method == "POST":
        anonymise_ideas(ideas_for(request.user).filter(pk=idea.pk))
        messages.success(request, f"Die personenbezogenen Daten von {idea.reference} wurden entfernt.")
        return redirect("ideen:inspect", idea.pk)
    return TemplateResponse(request, "ideas/confirm_anonymise.html", {"idea": idea})
