from apps.core.revision import archive_revision, derived
from apps.sources.models import Speaker


def test_every_creation_edit_and_deletion_moves_the_revision(db):
    seen = [archive_revision()]
    speaker = Speaker.objects.create(name="Ann Example")
    seen.append(archive_revision())
    speaker.role = "Spokeswoman"
    speaker.save()
    seen.append(archive_revision())
    speaker.delete()
    seen.append(archive_revision())
    assert len(set(seen)) == 4


def test_derived_values_are_recomputed_once_the_archive_changes(db):
    calls = []

    def compute():
        calls.append(1)
        return list(Speaker.objects.values_list("name", flat=True))

    assert derived("names", (), compute) == []
    assert derived("names", (), compute) == []
    assert len(calls) == 1
    Speaker.objects.create(name="Ann Example")
    assert derived("names", (), compute) == ["Ann Example"]
    assert len(calls) == 2
