from django.db import migrations

STANDARD_ITEMS = [
    ("Intro, check-in and welcome", 20, "", False),
    ("Meeting", 60, "The topics gathered at the start of the meeting.", True),
    ("Process, check-out", 15, "", False),
]


def create_standard_template(apps, schema_editor):
    AgendaTemplate = apps.get_model("meetings", "AgendaTemplate")
    AgendaTemplateItem = apps.get_model("meetings", "AgendaTemplateItem")
    template, created = AgendaTemplate.objects.get_or_create(
        name="Standard 20/60/15", defaults={"is_default": True}
    )
    if created:
        AgendaTemplateItem.objects.bulk_create(
            AgendaTemplateItem(
                template=template, position=position, title=title, minutes=minutes,
                description=description, holds_topics=holds_topics,
            )
            for position, (title, minutes, description, holds_topics) in enumerate(STANDARD_ITEMS)
        )


def remove_standard_template(apps, schema_editor):
    apps.get_model("meetings", "AgendaTemplate").objects.filter(name="Standard 20/60/15").delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(create_standard_template, remove_standard_template)]
