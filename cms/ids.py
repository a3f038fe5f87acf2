"""What counts as a database id in input from outside: ASCII digits that fit a 64-bit primary key.

`str.isdigit()` is not enough: it accepts superscript and other Unicode digits, and numbers too large for the
database, which then fail inside the ORM instead of being refused as bad input."""

import re

_DATABASE_ID = re.compile(r"[0-9]{1,18}")


def is_database_id(value):
    """True when `value` (a string or number) can be used as a primary key."""
    return value is not None and _DATABASE_ID.fullmatch(str(value)) is not None
