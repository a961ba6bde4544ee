"""The settled columns of stored states (the timeline's last entry), filled from the timelines."""

import datetime as dt

from django.db import migrations, models


def fill_settled(apps, schema_editor):
    ConsentState = apps.get_model("consent", "ConsentState")
    HistoricalConsentState = apps.get_model("consent", "HistoricalConsentState")
    for model in (ConsentState, HistoricalConsentState):
        rows = list(model.objects.all())
        for row in rows:
            start, status = row.timeline[-1]
            row.settled_on = dt.date.fromisoformat(start) if start else None
            row.settled_status = status
        model.objects.bulk_update(rows, ["settled_on", "settled_status"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="consentstate", name="state_school_purpose"),
        migrations.AddField(
            model_name="consentstate",
            name="settled_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="consentstate",
            name="settled_status",
            field=models.CharField(default="", max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalconsentstate",
            name="settled_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalconsentstate",
            name="settled_status",
            field=models.CharField(default="", max_length=20),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="consentstate",
            index=models.Index(
                fields=["school", "purpose", "settled_on"], name="state_school_purpose_settled"
            ),
        ),
        migrations.RunPython(fill_settled, migrations.RunPython.noop),
    ]
