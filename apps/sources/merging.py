"""Merging two speakers who are the same person or organization."""

from django.core.exceptions import ValidationError

from apps.core.review import change_reason
from apps.core.versions import collecting

from .models import Speaker, SpeakerAlias


@collecting()
def merge_speakers(survivor: Speaker, duplicate: Speaker) -> int:
    """Move everything of `duplicate` onto `survivor`, then delete `duplicate`.

    Quotes, aliases (the duplicate's name becomes one) and members move in one
    transaction; each moved quote and the deletion are recorded in the history
    with the reason. Both rows are locked in id order first, so two merges
    running at once cannot lose a quote or deadlock. Returns the quotes moved.
    """
    if survivor.pk == duplicate.pk:
        raise ValidationError("A speaker cannot be merged into itself.")
    locked = {
        s.pk: s
        for s in Speaker.objects.select_for_update()
        .filter(pk__in=[survivor.pk, duplicate.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise ValidationError("One of the two speakers no longer exists.")
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    if duplicate.members.exists() and not survivor.is_organization:
        raise ValidationError(
            f"{duplicate.name} has members; merge it into an organization, not a person."
        )
    if survivor.affiliation_id == duplicate.pk:
        raise ValidationError(
            f"{survivor.name} is affiliated with {duplicate.name}; change that first."
        )
    reason = change_reason(
        f"Merged speaker #{duplicate.pk} “{duplicate.name}” into #{survivor.pk} “{survivor.name}”"
    )
    moved = 0
    for quote in duplicate.quotes.select_for_update().order_by("pk"):
        quote.speaker = survivor
        quote.version += 1
        quote._change_reason = reason
        quote.save(update_fields=["speaker", "version", "updated_at"])
        moved += 1
    for member in duplicate.members.select_for_update().order_by("pk"):
        member.affiliation = survivor
        member._change_reason = reason
        member.save(update_fields=["affiliation", "updated_at"])
    known = {a.lower() for a in survivor.aliases.values_list("alias", flat=True)}
    known.add(survivor.name.lower())
    for alias in [duplicate.name, *duplicate.aliases.values_list("alias", flat=True)]:
        if alias.lower() not in known:
            SpeakerAlias.objects.create(speaker=survivor, alias=alias)
            known.add(alias.lower())
    duplicate._change_reason = reason
    duplicate.delete()
    return moved
