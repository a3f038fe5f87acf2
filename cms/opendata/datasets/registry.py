"""Every dataset a municipality publishes, in catalogue order."""

from cms.opendata.datasets import calls, fields_of_action, ideas, programme, projects, team

KINDS = (
    fields_of_action.KIND,
    projects.KIND,
    programme.KIND,
    calls.KIND,
    ideas.KIND,
    team.KIND,
)
KINDS_BY_SLUG = {kind.slug: kind for kind in KINDS}
