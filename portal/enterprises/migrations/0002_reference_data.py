"""Load the reference data from ``portal/enterprises/reference/*.json`` (regions, industries,
qualification types). Re-running updates names in place, so corrected data ships as a new
migration that calls the same loader."""

from django.db import migrations

from portal.enterprises.reference.loader import load_reference_data


def forwards(apps, schema_editor):
    load_reference_data(
        apps.get_model("enterprises", "Region"),
        apps.get_model("enterprises", "Industry"),
        apps.get_model("enterprises", "QualificationType"),
    )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
