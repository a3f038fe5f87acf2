"""Opaque, signed cursors: clients can store and pass them back, but not forge or edit them."""

from django.core import signing

VERSION = 1
CHANGES_SALT = "cms.changefeed.changes"
SNAPSHOT_SALT = "cms.changefeed.snapshot"


class CursorError(ValueError):
    pass


def encode_changes(event_id):
    return _dump([VERSION, int(event_id)], CHANGES_SALT)


def decode_changes(cursor):
    payload = _load(cursor, CHANGES_SALT, "cursor")
    if len(payload) != 2 or not isinstance(payload[1], int) or payload[1] < 0:
        raise CursorError("Malformed cursor: pass back an `endCursor` or `cursor` exactly as the API returned it.")
    return payload[1]


def encode_snapshot(changes_from, last_key):
    return _dump([VERSION, int(changes_from), last_key], SNAPSHOT_SALT)


def _dump(payload, salt):
    # Without a timestamp, so that the same position always has the same cursor.
    return signing.Signer(salt=salt).sign_object(payload)


def decode_snapshot(cursor):
    payload = _load(cursor, SNAPSHOT_SALT, "snapshot cursor")
    if len(payload) != 3 or not isinstance(payload[1], int) or not isinstance(payload[2], str):
        raise CursorError("Malformed snapshot cursor: pass back `nextPage` exactly as the API returned it.")
    return payload[1], payload[2]


def _load(cursor, salt, name):
    try:
        payload = signing.Signer(salt=salt).unsign_object(cursor)
    except (signing.BadSignature, ValueError) as error:
        raise CursorError(
            f"Malformed {name}: it was not issued by this API or has been altered. Pass it back exactly as returned."
        ) from error
    if not isinstance(payload, list) or not payload or payload[0] != VERSION:
        raise CursorError(f"Malformed {name}: unknown cursor version; start over from the beginning (the snapshot).")
    return payload
