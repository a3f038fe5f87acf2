"""GraphQL for ideas: the submission mutation that a municipality's frontend calls."""

import graphene

from cms.availability import CacheUnavailableError, retry_later
from cms.graphql_base.errors import RATE_LIMITED, TEMPORARILY_UNAVAILABLE
from cms.graphql_base.registry import register_mutation_field
from cms.security.addresses import client_address
from graphql import GraphQLError
from regions.ideas.models import IdeaStatusEnum
from regions.ideas.submission import IdeaInput, RateLimitExceededError, submit_idea
from sites.site_resolution import find_site


class IdeaFieldError(graphene.ObjectType):
    field = graphene.String(required=True, description="Input field the error concerns, as named in the input.")
    code = graphene.String(required=True, description="Stable machine-readable code, e.g. call_closed.")
    message = graphene.String(required=True, description="German message to show to the submitter.")


class SubmitIdeaInput(graphene.InputObjectType):
    site = graphene.String(description="Hostname of the municipality's Site; defaults to the request host.")
    call_id = graphene.ID(required=True, description="Id of the open call for ideas.")
    title = graphene.String(required=True, description="3 to 140 characters; markup is removed.")
    description = graphene.String(required=True, description="10 to 4000 characters; markup is removed.")
    field_of_action_id = graphene.ID(description="Id of a field of action of the same municipality.")
    email = graphene.String(required=True, description="For the confirmation link only; never published.")
    name = graphene.String(description="Optional; never published.")
    display_name = graphene.String(description="Optional name to publish with the idea (max. 60 characters).")
    consent = graphene.Boolean(required=True, description="Consent to the privacy notice; must be true.")
    consent_text_version = graphene.String(required=True, description="Version of the privacy notice shown.")
    keep_text_after_erasure = graphene.Boolean(
        default_value=False, description="The idea's text may stay published if the submitter's data is erased."
    )
    idempotency_key = graphene.String(
        required=True, description="Client-generated, 8-64 characters [A-Za-z0-9_-]; send the same key on retries."
    )
    website = graphene.String(description="Honeypot: leave empty. Frontends hide this field from people.")


class SubmitIdeaPayload(graphene.ObjectType):
    reference = graphene.String(description="Public reference of the stored idea; null if there are errors.")
    status = graphene.Field(IdeaStatusEnum, description="Status of the stored idea.")
    errors = graphene.List(graphene.NonNull(IdeaFieldError), required=True, description="Empty on success.")


class SubmitIdea(graphene.Mutation):
    """Submits an idea to an open call. The idea is moderated once the submitter confirms the e-mail link."""

    class Arguments:
        input = SubmitIdeaInput(required=True)

    Output = SubmitIdeaPayload

    @staticmethod
    def mutate(root, info, input):
        site = find_site(info, input.get("site"))
        data = IdeaInput(
            call_id=input.call_id,
            title=input.title,
            description=input.description,
            field_of_action_id=input.get("field_of_action_id"),
            email=input.email,
            name=input.get("name") or "",
            display_name=input.get("display_name") or "",
            consent=input.consent,
            consent_text_version=input.consent_text_version,
            keep_text_after_erasure=bool(input.get("keep_text_after_erasure")),
            idempotency_key=input.idempotency_key,
            honeypot=input.get("website") or "",
        )
        try:
            result = submit_idea(site, data, client_address(info.context))
        except RateLimitExceededError as limited:
            raise GraphQLError(
                "Zu viele Einreichungen in kurzer Zeit. Bitte später erneut versuchen.",
                extensions={"code": RATE_LIMITED, "retryAfter": limited.retry_after},
            ) from limited
        except CacheUnavailableError as unavailable:
            raise GraphQLError(
                "Einreichungen sind gerade vorübergehend nicht möglich. Bitte in einigen Minuten erneut versuchen.",
                extensions={"code": TEMPORARILY_UNAVAILABLE, "retryAfter": retry_later(info.context)},
            ) from unavailable
        if result.errors:
            return SubmitIdeaPayload(errors=[IdeaFieldError(**vars(error)) for error in result.errors])
        return SubmitIdeaPayload(reference=result.idea.reference, status=result.idea.status, errors=[])


def register():
    register_mutation_field(
        "submit_idea", SubmitIdea.Field(description="Submit a citizen's idea to an open call for ideas.")
    )
