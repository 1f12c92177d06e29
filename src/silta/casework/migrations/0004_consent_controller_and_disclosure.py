"""Consents name the disclosing controller, the data classes, how the client gave
them and who withdrew them (issue 13). Existing rows: the recording organisation is
the discloser, the old scope the one data class; a consent its own recipient recorded
was never a valid basis and is withdrawn now."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def forwards(apps, schema_editor):
    Consent = apps.get_model("casework", "Consent")
    now = timezone.now()
    for consent in Consent.objects.all().iterator():
        consent.controller_id = consent.recorded_by_organisation_id
        consent.data_classes = [consent.scope]
        if consent.controller_id == consent.recipient_id and consent.withdrawn_at is None:
            consent.withdrawn_at = now
        consent.save(update_fields=["controller", "data_classes", "withdrawn_at"])


def backwards(apps, schema_editor):
    Consent = apps.get_model("casework", "Consent")
    for consent in Consent.objects.all().iterator():
        consent.scope = (consent.data_classes or ["social"])[0]
        if consent.scope not in ("social", "health"):
            consent.scope = "health"
        consent.save(update_fields=["scope"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("casework", "0003_outcome_organisation_occurred_on"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("consent", "organisation", "recipient"),
        migrations.AlterField(
            model_name="consent",
            name="recipient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="disclosed to",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="controller",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="disclosed by",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="data_classes",
            field=models.JSONField(default=list, verbose_name="data"),
        ),
        migrations.AddField(
            model_name="consent",
            name="given_how",
            field=models.CharField(
                choices=[
                    ("in_writing", "In writing"),
                    ("orally", "Orally, in person"),
                    ("electronically", "Electronically"),
                    ("not_recorded", "Not recorded (consent from before 2027)"),
                ],
                default="not_recorded",
                max_length=20,
                verbose_name="how the client gave it",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="consent",
            name="given_reference",
            field=models.CharField(blank=True, max_length=200, verbose_name="reference"),
        ),
        migrations.AddField(
            model_name="consent",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="consent",
            name="controller",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="disclosed by",
            ),
        ),
        migrations.RemoveField(model_name="consent", name="scope"),
        migrations.AddIndex(
            model_name="consent",
            index=models.Index(fields=["client", "recipient"], name="consent_client_recipient"),
        ),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("controller", models.F("recipient")), _negated=True),
                    ("withdrawn_at__isnull", False),
                    _connector="OR",
                ),
                name="consent_recipient_is_another_organisation",
            ),
        ),
    ]
