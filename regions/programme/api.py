import graphene

from regions.programme.models import PhaseKind

PhaseKindEnum = graphene.Enum.from_enum(PhaseKind, description="Phase of the funding programme.")
