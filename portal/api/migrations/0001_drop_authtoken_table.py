"""Drop the table of DRF's ``authtoken`` app, which knox replaced.

Its tokens never expired and were stored as plain text; they no longer authenticate, and a
database that predates knox should not keep them. A fresh database never had the table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("knox", "0009_extend_authtoken_field")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
