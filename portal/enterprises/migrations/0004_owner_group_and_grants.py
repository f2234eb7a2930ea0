"""Ownership becomes the membership of the enterprise's group (stored once, in auth's user
groups), and targeted grants move to guardian's direct object-permission tables.

The owners of each profile join a new group ``enterprise:<uscc>`` before the many-to-many
``owners`` table is dropped.
"""

import django.db.models.deletion
import portal.enterprises.models.enterprise
from django.conf import settings
from django.db import migrations, models


def owners_into_groups(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Group = apps.get_model("auth", "Group")
    Through = Enterprise.owners.through
    owners: dict[int, list[int]] = {}
    for enterprise_id, user_id in Through.objects.values_list("enterprise_id", "user_id"):
        owners.setdefault(enterprise_id, []).append(user_id)
    Membership = apps.get_model("accounts", "User").groups.through
    for enterprise in Enterprise.objects.filter(pk__in=owners):
        group, _created = Group.objects.get_or_create(name=f"enterprise:{enterprise.uscc}")
        enterprise.group = group
        enterprise.save(update_fields=["group"])
        Membership.objects.bulk_create(
            [Membership(user_id=user_id, group_id=group.pk) for user_id in owners[enterprise.pk]],
            ignore_conflicts=True,
        )


def groups_into_owners(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Through = Enterprise.owners.through
    Membership = apps.get_model("accounts", "User").groups.through
    for enterprise in Enterprise.objects.exclude(group=None):
        users = Membership.objects.filter(group_id=enterprise.group_id).values_list(
            "user_id", flat=True
        )
        Through.objects.bulk_create(
            [Through(enterprise_id=enterprise.pk, user_id=user_id) for user_id in users],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_publisher_group'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('enterprises', '0003_enterprise_claim'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='enterprise',
            options={'ordering': ['name'], 'permissions': [('review_enterprise', 'Can review enterprise profiles'), ('view_targeted', 'Can view a targeted enterprise (granted per profile)')], 'verbose_name': 'enterprise', 'verbose_name_plural': 'enterprises'},
        ),
        migrations.AddField(
            model_name='enterprise',
            name='group',
            field=models.OneToOneField(blank=True, editable=False, help_text='Its members own the profile; grants to it reach them while it is approved.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='enterprise', to='auth.group', verbose_name="owners' group"),
        ),
        migrations.RunPython(owners_into_groups, groups_into_owners),
        migrations.RemoveField(
            model_name='enterprise',
            name='owners',
        ),
        migrations.AlterField(
            model_name='enterprise',
            name='uscc',
            field=models.CharField(error_messages={'unique': 'This credit code cannot be used for a new registration.'}, max_length=18, unique=True, validators=[portal.enterprises.models.enterprise._validate_uscc_field], verbose_name='unified social credit code'),
        ),
        migrations.CreateModel(
            name='EnterpriseGroupGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_until', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='valid until')),
                ('reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='group_grants', to='enterprises.enterprise')),
                ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='granted by')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group')),
                ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
            ],
            options={
                'verbose_name': 'targeted grant to a group',
                'verbose_name_plural': 'targeted grants to groups',
                'abstract': False,
                'unique_together': {('group', 'permission', 'content_object')},
            },
        ),
        migrations.CreateModel(
            name='EnterpriseUserGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_until', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='valid until')),
                ('reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='user_grants', to='enterprises.enterprise')),
                ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='granted by')),
                ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'targeted grant to a user',
                'verbose_name_plural': 'targeted grants to users',
                'abstract': False,
                'unique_together': {('user', 'permission', 'content_object')},
            },
        ),
    ]
