import secrets

from django.db import migrations


def new_epoch(apps, schema_editor):
    Version = apps.get_model("core", "Version")
    Version.objects.using(schema_editor.connection.alias).update_or_create(
        key="epoch", defaults={"value": secrets.randbits(62)}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_journal")]

    operations = [migrations.RunPython(new_epoch, migrations.RunPython.noop)]
