"""Signals by which one output hears about changes another output computed, without importing it.

`public_changes` is the one pipeline of "what the public can see changed": the change feed's reconciliation
(`cms.changefeed.sync`) compares the database with what it last announced, decides with the publication rule
(`cms.publication`) and the owner rule (`sites.ownership`) which objects became public, changed or stopped being
public, writes its events, and then sends this signal with the same changes as plain data. Other outputs (the
webhooks) connect a receiver in their AppConfig.ready() instead of deciding "public" from Wagtail's signals
themselves, so every output sees the same changes: publish, unpublish, delete, expiry, move, view restrictions.

Contract of `public_changes`:

- sent with `changes`, a non-empty list of `PublicChange` in the order the feed wrote them (ascending event id);
  `sender` is the feed's event model and carries no meaning for receivers;
- sent synchronously inside the database transaction of the change, after the feed's rows were written and while
  the feed's lock is held: rows a receiver writes commit or roll back together with the change and the feed, and
  an exception in a receiver rolls all of it back;
- sent only when the feed is installed (`cms.changefeed` in INSTALLED_APPS); the feed is the only sender.
"""

from dataclasses import dataclass
from datetime import datetime

from django.dispatch import Signal

# Kinds: the object is public with this data, or it is no longer public.
UPSERT = "upsert"
TOMBSTONE = "tombstone"

# Actions: what happened to the object. A change of a whole subtree (move, restrict, delete, sync) gives every
# object it affects that action; otherwise tombstones are UNPUBLISH (unpublished, expired, hidden with a section)
# and upserts CREATE, PUBLISH (was not public before) or UPDATE.
CREATE = "create"
UPDATE = "update"
PUBLISH = "publish"
UNPUBLISH = "unpublish"
MOVE = "move"
DELETE = "delete"
RESTRICT = "restrict"
SYNC = "sync"


@dataclass(frozen=True)
class PublicChange:
    """One change of one public object, as the change feed wrote it."""

    key: str  # "page:42", "idea:IDEE-ABCD2345", "image:7", "document:3"
    kind: str  # UPSERT or TOMBSTONE
    action: str  # one of the actions above
    content_type: str  # "projects.ProjectPage", "ideas.IdeaSubmission", "media.CustomImage", …
    municipality: str  # regional key (ARS) of the owning municipality; "" outside municipalities
    url_path: str  # below the municipality's home page; for a tombstone, the path it had when last public
    title: str  # for a tombstone, the title it had when last public
    occurred_at: datetime

    @property
    def object_type(self):
        """The part of the key before the colon: "page", "idea", "image" or "document"."""
        return self.key.partition(":")[0]

    @property
    def object_id(self):
        """The part of the key after the colon, as a string."""
        return self.key.partition(":")[2]


public_changes = Signal()
