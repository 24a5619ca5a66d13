"""What reaching out holds about a member: their settings section, "download my data", erasing."""

from django.dispatch import receiver

from members.signals import collect_personal_data, collect_settings_sections, erase_personal_data

from .models import DirectoryProfile


@receiver(collect_settings_sections)
def settings_section(sender, request, **kwargs):
    return "members/outreach/_settings_section.html"


@receiver(collect_personal_data)
def personal_data(sender, user, **kwargs):
    profile = DirectoryProfile.objects.filter(user=user).first()
    directory = None
    if profile is not None:
        directory = {
            "listed": profile.listed,
            "languages": profile.languages,
            "ask_me_about": profile.ask_me_about,
            "updated_at": profile.updated_at,
        }
    return {"directory_entry": directory}


@receiver(erase_personal_data)
def erase(sender, user, **kwargs):
    DirectoryProfile.objects.filter(user=user).delete()
