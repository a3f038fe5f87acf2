import graphene

from regions.calls.models import CallStatus, FundingPot

CallStatusEnum = graphene.Enum.from_enum(CallStatus, description="Whether a call for ideas accepts submissions now.")
FundingPotEnum = graphene.Enum.from_enum(FundingPot, description="Which funding pot a call draws on.")
