"""No reference crosses municipalities: what a page or a municipality's settings link to belongs to the same
municipality (the owner rule, sites.ownership).

A reference is a foreign key or many-to-many field to a page, image or document (a page's fields of action, its
image, the imprint page of the settings), the same fields of inline children (a team member's photo), a chooser block
anywhere in a StreamField (nested in struct, list and stream blocks too) and a page link, document link or image
embed in rich text, in a RichTextField or a RichTextBlock. A reference to an object that belongs to no municipality
crosses too, because the API would drop it (sites.public.is_public_reference).

The API drops references that cross, whatever the database holds; this module keeps them from being saved and finds
the ones that are there:

- the admin forms (sites.admin_forms, hooked up in sites.wagtail_hooks) offer only the own municipality's objects in
  their choice fields (`restrict_form_choices`) and refuse a cross reference with a German error on its field
  (`validate_form`);
- scripts that write content without the forms call `validate(obj)`;
- `manage.py report_cross_references` lists what the database holds (`Scan`).
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.forms.widgets import ChoiceWidget
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from cms.ids import is_database_id
from sites.ownership import Owners, owners_for
from sites.tenancy import is_scoped, scope_for

HINT = "Bitte nur Inhalte der eigenen Kommune verknüpfen."
_CHUNK = 500


def target_base(model):
    """The model a referenced object is looked up in: Page for every page type, the image or document model itself;
    None for what this rule does not concern (users, collections, sites, revisions)."""
    if model is None:
        return None
    if issubclass(model, Page):
        return Page
    if issubclass(model, (AbstractImage, AbstractDocument)):
        return model
    return None


@cache
def reference_fields(model):
    """The fields of `model` that can hold references: foreign keys and many-to-many fields to pages, images and
    documents, and fields that list their references themselves (StreamField, RichTextField)."""
    fields = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if hasattr(field, "extract_references") or (
            field.is_relation
            and not isinstance(field, ParentalKey)
            and not field.remote_field.parent_link
            and target_base(field.related_model) is not None
        ):
            fields.append(field)
    return tuple(fields)


def value_references(field, value):
    """(base model, pk as a string) of every object that `value` of model field `field` refers to; `value` may be
    what the model holds (an id for a foreign key) or what a form cleaned (an object, a queryset)."""
    if value is None or value == "":
        return
    if hasattr(field, "extract_references"):
        for model, pk, _model_path, _content_path in field.extract_references(value):
            base = target_base(model)
            if base is not None and pk not in (None, ""):
                yield base, str(pk)
        return
    base = target_base(field.related_model)
    items = value if field.many_to_many else [value]
    for item in items:
        yield base, str(getattr(item, "pk", item))


@dataclass(frozen=True)
class Reference:
    """One reference: where it is (`path`, e.g. "body" or "members.photo"; `label`, the German field name) and the
    target as its base model and primary key."""

    path: str
    label: str
    model: type
    pk: str


def _instance_value(obj, field):
    if field.many_to_many:
        # A page's ParentalManyToManyField holds unsaved choices in memory; a plain many-to-many needs a row.
        if obj.pk is None and not isinstance(field, ParentalManyToManyField):
            return []
        return list(getattr(obj, field.name).all())
    if field.is_relation:
        return getattr(obj, field.attname)
    return field.value_from_object(obj)


def _own_references(obj, prefix=""):
    for field in reference_fields(type(obj)):
        for model, pk in value_references(field, _instance_value(obj, field)):
            yield Reference(f"{prefix}{field.name}", _label(field.verbose_name), model, pk)


def references_of(obj):
    """Every reference `obj` holds as it is in memory, its inline children (ParentalKey) included."""
    yield from _own_references(obj)
    if isinstance(obj, ClusterableModel):
        for relation in get_all_child_relations(type(obj)):
            name = relation.get_accessor_name()
            if not reference_fields(relation.related_model):
                continue
            for child in getattr(obj, name).all():
                yield from _own_references(child, prefix=f"{name}.")


def _label(text):
    text = str(text)
    return text[:1].upper() + text[1:]


def load_targets(keys):
    """{(base model, pk): object} for the referenced objects that exist, loaded in a few queries per model."""
    pks_by_model = defaultdict(set)
    for model, pk in keys:
        if is_database_id(pk):
            pks_by_model[model].add(int(pk))
    found = {}
    for model, pks in pks_by_model.items():
        fields = ("title", "path", "live") if model is Page else ("title", "collection")
        pks = sorted(pks)
        for start in range(0, len(pks), _CHUNK):
            for obj in model.objects.filter(pk__in=pks[start : start + _CHUNK]).only(*fields):
                found[(model, str(obj.pk))] = obj
    return found


def owner_of(obj, owners, parent=None):
    """The municipality of a page, image, document or record with an `owner_field`; a page that is being created
    has no place in the tree yet and belongs to the municipality of its `parent`."""
    if isinstance(obj, Page) and not obj.path:
        return owners.of(parent) if parent is not None else None
    if isinstance(obj, (Page, AbstractImage, AbstractDocument)) or hasattr(type(obj), "owner_field"):
        return owners.of(obj)
    return None


@dataclass(frozen=True)
class Crossing:
    """A reference of `source` (owned by `owner`) to `target`, which `target_owner` (None: no municipality) owns."""

    source: object
    owner: object
    reference: Reference
    target: object
    target_owner: object

    def message(self, user=None):
        """The German error for an editor: names the target only for who may see it."""
        return crossing_message(self.reference.label, self.target, self.target_owner, _may_name(user, self.target))


def crossing_message(label, target, target_owner, named=True):
    if not named:
        return f"{label}: Eine Verknüpfung führt zu Inhalten einer anderen Kommune. {HINT}"
    where = f"zu einer anderen Kommune ({target_owner})" if target_owner is not None else "zu keiner Kommune"
    return f"{label}: „{target.title}“ gehört {where}. {HINT}"


def _may_name(user, target):
    """Superusers (and scripts) may read every title; others only what their municipalities own, so that an error
    never tells an editor what another municipality's page or image with some id is called."""
    return user is None or not is_scoped(user) or scope_for(user).contains(target)


def _crossing(source, owner, reference, targets, owners):
    """The Crossing if `reference` of `source` (owned by `owner`) leads to an existing object of another
    municipality or of none; None if it stays inside or leads nowhere (a deleted object is not this rule's case)."""
    target = targets.get((reference.model, reference.pk))
    if target is None:
        return None
    target_owner = owners.of(target)
    if target_owner is not None and target_owner.pk == owner.pk:
        return None
    return Crossing(source, owner, reference, target, target_owner)


def crossings(items, owners):
    """The crossings among `items`, triples (source, its municipality, its references); sources of no
    municipality are not checked. Each target is reported once per field of a source."""
    items = [(source, owner, list(references)) for source, owner, references in items if owner is not None]
    targets = load_targets({(ref.model, ref.pk) for _, _, references in items for ref in references})
    found = []
    for source, owner, references in items:
        for reference in dict.fromkeys(references):
            crossing = _crossing(source, owner, reference, targets, owners)
            if crossing is not None:
                found.append(crossing)
    return found


def crossings_of(obj, owners=None, parent=None):
    """The crossings of one object as it is in memory (a page, settings or a record with an `owner_field`)."""
    owners = owners or Owners()
    return crossings([(obj, owner_of(obj, owners, parent), references_of(obj))], owners)


def validate(obj, parent=None):
    """Raises ValidationError, keyed by field, if `obj` holds a reference into another municipality. For code that
    writes content without the admin forms (imports, scripts): call it before `save()`."""
    errors = defaultdict(list)
    for crossing in crossings_of(obj, parent=parent):
        errors[crossing.reference.path.split(".")[0]].append(crossing.message())
    if errors:
        raise ValidationError(dict(errors))


# The admin forms (sites.admin_forms).

_RESTRICTED = "_own_municipality_only"


def _form_municipality(form, owners):
    return owner_of(form.instance, owners, parent=getattr(form, "parent_page", None))


def restrict_form_choices(form):
    """Offers only the own municipality's pages, images and documents in the form's choice fields (drafts of the
    own municipality included: editors may link them before they go live); a choice of another municipality is
    refused with an error that names the field."""
    owners = owners_for(form.for_user)
    municipality = _form_municipality(form, owners)
    if municipality is None:
        return
    for field in form.fields.values():
        if not isinstance(field, ModelChoiceField) or target_base(field.queryset.model) is None:
            continue
        field.queryset = owners.owned_by(field.queryset, municipality)
        label = _label(field.label or "").replace("%", "%%")
        field.error_messages["invalid_choice"] = f"{label}: Diese Auswahl gehört nicht zur eigenen Kommune. {HINT}"
        setattr(field, _RESTRICTED, True)
        if issubclass(field.queryset.model, Page):
            field.label_from_instance = _page_choice_label


def _page_choice_label(page):
    return page.title if page.live else f"{page.title} (Entwurf)"


def _form_references(form):
    """(form, field name, Reference) for what the form and its inline forms cleaned; a field that failed its own
    validation is not in `cleaned_data` and has its error already."""
    model = form._meta.model
    for field in reference_fields(model):
        if field.name in form.cleaned_data:
            for target_model, pk in value_references(field, form.cleaned_data[field.name]):
                yield form, field.name, Reference(field.name, _form_label(form, field), target_model, pk)
    for relation_name, formset in _reference_formsets(form):
        fields = reference_fields(formset.model)
        for child in formset.forms:
            if not child.is_valid() or child.cleaned_data.get("DELETE"):
                continue
            for field in fields:
                if field.name in child.cleaned_data:
                    path, label = f"{relation_name}.{field.name}", _form_label(child, field)
                    for target_model, pk in value_references(field, child.cleaned_data[field.name]):
                        yield child, field.name, Reference(path, label, target_model, pk)


def _reference_formsets(form):
    return [
        (name, formset) for name, formset in getattr(form, "formsets", {}).items() if reference_fields(formset.model)
    ]


def _form_label(form, field):
    form_field = form.fields.get(field.name)
    return _label(form_field.label if form_field is not None and form_field.label else field.verbose_name)


def validate_form(form):
    """Adds a German error to each field (of the form or of an inline form) that references another
    municipality's object; the form is then invalid and nothing is saved.

    An editor must not learn anything about an object of another municipality that they chose by its id (no
    chooser offers it): the error does not name it, and the field is shown again with the value the page had,
    because Wagtail's choosers would show the refused object's title and preview. What the page already
    referenced (content from before this rule) the editor sees anyway; the error names it."""
    user = form.for_user
    owners = owners_for(user)
    municipality = _form_municipality(form, owners)
    if municipality is None:
        return
    # Read before the inline forms are validated: that writes their values onto the page's children.
    stored = _stored_references(form) if user is not None and is_scoped(user) else set()
    entries = list(dict.fromkeys(_form_references(form)))
    targets = load_targets({(reference.model, reference.pk) for _, _, reference in entries})
    for holder, field_name, reference in entries:
        crossing = _crossing(form.instance, municipality, reference, targets, owners)
        if crossing is None:
            continue
        named = _may_name(user, crossing.target) or (reference.model, reference.pk) in stored
        holder.add_error(field_name, crossing_message(reference.label, crossing.target, crossing.target_owner, named))
        if not named:
            _show_stored_value(holder, field_name)
    # A refused choice of a chooser field (image, imprint page) is not shown again either.
    for holder in [form, *(child for _name, formset in _reference_formsets(form) for child in formset.forms)]:
        for name, field in holder.fields.items():
            if (
                getattr(field, _RESTRICTED, False)
                and name in holder.errors
                and not isinstance(field.widget, ChoiceWidget)
            ):
                _show_stored_value(holder, name)


def _stored_references(form):
    """(model, pk) of what the page or settings being edited reference as stored (latest revision)."""
    instance = form.instance
    if isinstance(instance, Page) and not instance.pk:
        return set()
    return {(reference.model, reference.pk) for reference in references_of(instance)}


def _show_stored_value(form, name):
    """Renders field `name` of a refused form with the value it had before (the form's initial data) instead of the
    posted one."""
    form.fields[name].bound_data = _initial_value


def _initial_value(data, initial):
    return initial


# The report over the database (manage.py report_cross_references).


def source_models():
    """Every model whose rows can hold references and belong to a municipality: the page types and records with an
    `owner_field` (the municipality settings, ideas); inline children are read through their page."""
    models = []
    for model in apps.get_models():
        if issubclass(model, Page):
            if model is not Page and (reference_fields(model) or _has_child_references(model)):
                models.append(model)
        elif hasattr(model, "owner_field") and reference_fields(model):
            models.append(model)
    return models


def _has_child_references(model):
    return issubclass(model, ClusterableModel) and any(
        reference_fields(relation.related_model) for relation in get_all_child_relations(model)
    )


@dataclass(frozen=True)
class Found:
    """A crossing in the database: in the row itself (`revision` None) or in the latest draft revision of a page."""

    crossing: Crossing
    revision: object = None


class Scan:
    """Reads every source row (and, for pages with unpublished changes, their latest revision) and yields what
    crosses, one batch of rows at a time."""

    def __init__(self, owners=None, batch_size=200, revisions=True):
        self.owners = owners or Owners()
        self.batch_size = batch_size
        self.revisions = revisions

    def __iter__(self):
        for model in source_models():
            yield from self._scan(model)

    def _scan(self, model):
        queryset = model.objects.order_by("pk")
        owner_field = getattr(model, "owner_field", None)
        if owner_field and model._meta.get_field(owner_field).many_to_one:
            # The owner rule follows the relation (an idea's call): one join instead of a query per row.
            queryset = queryset.select_related(owner_field)
        if issubclass(model, Page):
            # Only rows of exactly this type (a subclass is scanned as itself), with their latest revision.
            queryset = queryset.filter(content_type=ContentType.objects.get_for_model(model)).select_related(
                "latest_revision"
            )
        last = None
        while True:
            batch = list((queryset.filter(pk__gt=last) if last is not None else queryset)[: self.batch_size])
            if not batch:
                return
            last = batch[-1].pk
            items = [(obj, owner_of(obj, self.owners), references_of(obj)) for obj in batch]
            for crossing in crossings(items, self.owners):
                yield Found(crossing)
            if self.revisions and issubclass(model, Page):
                yield from self._scan_drafts(batch)

    def _scan_drafts(self, pages):
        items, revisions = [], {}
        for page in pages:
            revision = page.latest_revision
            if revision is None or revision.pk == page.live_revision_id:
                continue
            draft = revision.as_object()
            revisions[id(draft)] = revision
            items.append((draft, owner_of(page, self.owners), references_of(draft)))
        for crossing in crossings(items, self.owners):
            yield Found(crossing, revisions[id(crossing.source)])
