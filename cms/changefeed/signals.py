"""Signal receivers that keep the change feed (and through it the webhooks) in step with pages, view restrictions,
ideas, images, documents and municipalities.

All of them run inside the transaction of the change where Django or Wagtail provide one (page saves,
moves and deletions do); see docs/changefeed.md for the cases that do not."""

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from cms.changefeed.models import ChangeAction
from cms.changefeed.sync import (
    idea_key,
    local,
    media_key,
    media_models,
    page_key,
    reconcile,
    reconcile_media,
    tombstone,
)
from regions.ideas.models import IdeaSubmission
from sites.models import Municipality, MunicipalityHomePage

# Fields that Wagtail writes when a draft revision is saved or a page is locked: the public page is unchanged.
DRAFT_BOOKKEEPING_FIELDS = frozenset(
    {
        "wagtail_admin_comments",
        "comments",
        "latest_revision_created_at",
        "draft_title",
        "latest_revision",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "numchild",
    }
)
# Fields that Wagtail fills in after an upload: the public image or document is unchanged.
MEDIA_BOOKKEEPING_FIELDS = frozenset({"file_size", "file_hash", "width", "height"})


def _pages_being_moved():
    if not hasattr(local, "moving"):
        local.moving = set()
    return local.moving


def _pages_being_deleted():
    if not hasattr(local, "deleting"):
        local.deleting = set()
    return local.deleting


def page_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or not isinstance(instance, Page):
        return
    if update_fields and DRAFT_BOOKKEEPING_FIELDS.issuperset(update_fields):
        return
    moving = _pages_being_moved()
    trigger = ChangeAction.MOVE if instance.pk in moving else ChangeAction.UPDATE
    moving.discard(instance.pk)
    reconcile(instance.path, trigger=trigger, subject_key=page_key(instance.pk), created=created, force=True)


def page_published_or_unpublished(sender, instance, **kwargs):
    # The save inside publishing already wrote the events; this only catches saves that bypassed post_save.
    reconcile(instance.path, subject_key=page_key(instance.pk))


def page_about_to_move(sender, instance, **kwargs):
    _pages_being_moved().add(instance.pk)


def page_moved(sender, instance, **kwargs):
    _pages_being_moved().discard(instance.pk)
    reconcile(instance.path, trigger=ChangeAction.MOVE)


def page_about_to_be_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _pages_being_deleted().add(instance.pk)


def page_deleted(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        return
    tombstone(page_key(instance.pk))
    # A page type's own table goes first, Wagtail's page table last, and rows that point at the page (its view
    # restrictions) in between: the page counts as being deleted until its last row is gone.
    if sender is Page:
        _pages_being_deleted().discard(instance.pk)


def restriction_changed(sender, instance, **kwargs):
    # A restriction deleted together with its page would briefly make the page look public again.
    if instance.page_id in _pages_being_deleted():
        return
    path = Page.objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    if path is not None:
        reconcile(path, trigger=ChangeAction.RESTRICT)


def idea_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    path = Page.objects.filter(pk=instance.call_id).values_list("path", flat=True).first()
    if path is not None:
        reconcile(path, subject_key=idea_key(instance.reference), created=created, force=True)


def idea_deleted(sender, instance, **kwargs):
    tombstone(idea_key(instance.reference))


def municipality_saved(sender, instance, raw=False, **kwargs):
    # Onboarding creates the pages and the collection before the tenant record; only the record makes them
    # content of a municipality (the owner rule), so this is when they become public.
    if raw:
        return
    home = MunicipalityHomePage.objects.filter(pk=instance.home_page_id).values("path", "media_collection_id").first()
    if home is None:
        return
    reconcile(home["path"])
    collection_path = _collection_path(home["media_collection_id"])
    if collection_path is not None:
        reconcile_media(collection_path)


def municipality_deleted(sender, instance, **kwargs):
    # Deleted together with its home page (removing a municipality): the pages' own deletions write the tombstones.
    if instance.home_page_id in _pages_being_deleted():
        return
    municipality_saved(sender, instance)


def _collection_path(collection_id):
    return Collection.objects.filter(pk=collection_id).values_list("path", flat=True).first()


def media_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields and MEDIA_BOOKKEEPING_FIELDS.issuperset(update_fields)):
        return
    reconcile_media(item=instance, created=created, force=True)


def media_deleted(sender, instance, **kwargs):
    tombstone(media_key(instance))


def collection_restriction_changed(sender, instance, **kwargs):
    collection_path = _collection_path(instance.collection_id)
    if collection_path is not None:
        reconcile_media(collection_path, trigger=ChangeAction.RESTRICT)


def connect():
    uid = "cms.changefeed"
    post_save.connect(page_saved, dispatch_uid=f"{uid}.page_saved")
    pre_delete.connect(page_about_to_be_deleted, dispatch_uid=f"{uid}.page_about_to_be_deleted")
    post_delete.connect(page_deleted, dispatch_uid=f"{uid}.page_deleted")
    page_published.connect(page_published_or_unpublished, dispatch_uid=f"{uid}.page_published")
    page_unpublished.connect(page_published_or_unpublished, dispatch_uid=f"{uid}.page_unpublished")
    pre_page_move.connect(page_about_to_move, dispatch_uid=f"{uid}.pre_page_move")
    post_page_move.connect(page_moved, dispatch_uid=f"{uid}.post_page_move")
    post_save.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid=f"{uid}.restriction_saved")
    post_delete.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid=f"{uid}.restriction_deleted")
    post_save.connect(idea_saved, sender=IdeaSubmission, dispatch_uid=f"{uid}.idea_saved")
    post_delete.connect(idea_deleted, sender=IdeaSubmission, dispatch_uid=f"{uid}.idea_deleted")
    post_save.connect(municipality_saved, sender=Municipality, dispatch_uid=f"{uid}.municipality_saved")
    post_delete.connect(municipality_deleted, sender=Municipality, dispatch_uid=f"{uid}.municipality_deleted")
    for prefix, model in media_models().items():
        post_save.connect(media_saved, sender=model, dispatch_uid=f"{uid}.{prefix}_saved")
        post_delete.connect(media_deleted, sender=model, dispatch_uid=f"{uid}.{prefix}_deleted")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            collection_restriction_changed,
            sender=CollectionViewRestriction,
            dispatch_uid=f"{uid}.collection_restriction_{name}",
        )
