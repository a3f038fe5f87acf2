import graphene

from regions.projects.models import ProjectKind, ProjectStatus

ProjectStatusEnum = graphene.Enum.from_enum(ProjectStatus, description="Lifecycle state of a project.")
ProjectKindEnum = graphene.Enum.from_enum(ProjectKind, description="Kind of measure in the programme.")
