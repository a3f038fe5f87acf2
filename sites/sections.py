"""The standard sections every new municipality starts with, directly below its home page.

Content concepts register their section pages (Handlungsfelder, Projekte, ...) from their models modules; onboarding
creates every registered section in the order of `position`, so the tenant layer names no concept."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    model: type
    title: str
    slug: str
    position: int
    settings_field: str = ""
    # Raw StreamField data for the section's body, for sections whose text the municipality provides later.
    placeholder_body: tuple = ()


_sections = {}


def register_section(section):
    if _sections.get(section.key, section) != section:
        raise ValueError(f"The standard section {section.key!r} is registered twice.")
    _sections[section.key] = section


def standard_sections():
    return sorted(_sections.values(), key=lambda section: section.position)
