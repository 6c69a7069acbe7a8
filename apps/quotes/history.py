"""A quote's history as rows a person can read: who, when, what changed."""

from dataclasses import dataclass, field

from apps.sources.models import Source, Speaker

from .models import Quote

SHOWN_FIELDS = {
    "exact": "Text",
    "start": "Start",
    "end": "End",
    "kind": "Kind",
    "speaker": "Speaker",
    "source": "Source",
    "cue": "Cue",
    "note": "Note",
    "status": "Status",
    "orphaned": "Needs repair",
}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    record: object
    action: str
    who: str
    version: int
    reason: str
    changes: list[Change] = field(default_factory=list)


def quote_history_rows(quote_id: int) -> list[HistoryRow]:
    """Newest first. Works after deletion: the history outlives the quote."""
    records = list(
        Quote.history.filter(id=quote_id)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    speaker_ids = {r.speaker_id for r in records if r.speaker_id}
    source_ids = {r.source_id for r in records if r.source_id}
    speakers = dict(Speaker.objects.filter(pk__in=speaker_ids).values_list("pk", "name"))
    sources = dict(Source.objects.filter(pk__in=source_ids).values_list("pk", "title"))

    def shown(name, value):
        if value is None or value == "":
            return "—"
        if name == "speaker":
            return speakers.get(value, f"speaker #{value} (deleted)")
        if name == "source":
            return sources.get(value, f"source #{value} (deleted)")
        if name == "kind":
            return Quote.Kind(value).label if value in Quote.Kind.values else value
        if name == "status":
            return Quote.Status(value).label if value in Quote.Status.values else value
        if name == "orphaned":
            return "yes" if value else "no"
        return str(value)

    rows = []
    previous = None
    for record in records:
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, included_fields=list(SHOWN_FIELDS))
            for change in delta.changes:
                changes.append(
                    Change(
                        SHOWN_FIELDS[change.field],
                        shown(change.field, change.old),
                        shown(change.field, change.new),
                    )
                )
        user = record.history_user
        rows.append(
            HistoryRow(
                record=record,
                action=ACTIONS.get(record.history_type, record.history_type),
                who=user.get_username() if user else "system",
                version=record.version,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    rows.reverse()
    return rows
