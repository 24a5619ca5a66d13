from django import template

from members.outreach.models import DirectoryProfile

register = template.Library()


@register.simple_tag(takes_context=True)
def outreach_summary(context):
    """What the settings page says about the member's entry, conversations and blocks."""
    user = context["user"]
    return {"listed": DirectoryProfile.objects.filter(user=user, listed=True).exists()}
