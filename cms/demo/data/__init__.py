"""The demo municipalities' content, one module each, built only from the seed texts in shared/seeds.

The data describes KielRegion and Kassel as their own publications do. Where a seed gives no value (no dates of a
call, no amounts), the field stays empty rather than being guessed. The team names roles and offices, never people.
"""

from cms.demo.data.kassel import KASSEL
from cms.demo.data.kielregion import KIELREGION

MUNICIPALITIES = [KIELREGION, KASSEL]
