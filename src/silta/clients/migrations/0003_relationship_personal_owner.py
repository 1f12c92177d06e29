"""A personal owner on a service relationship (issue 13, ADR 0015).

An IPS coach's relationship with a client is the coach's own, not the organisation's:
``staff_user`` set opens the client to that user only. The new kind names the coaching
relationship so that closing a case-work referral does not close it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0002_search_name_trigram_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerelationship",
            name="staff_user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="personal owner",
            ),
        ),
        migrations.AlterField(
            model_name="servicerelationship",
            name="kind",
            field=models.CharField(
                choices=[
                    ("jobseeker", "Jobseeker customer of employment services"),
                    ("social_work", "Client of adult social work"),
                    ("health_services", "Client of health services"),
                    ("kela_benefits", "Benefit client of Kela"),
                    ("joint_service", "Member of the joint service team"),
                    ("referral", "Accepted referral"),
                    ("placement", "Placement"),
                    ("ips_coaching", "IPS coaching"),
                ],
                max_length=40,
                verbose_name="kind",
            ),
        ),
    ]
