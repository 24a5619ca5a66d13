from django import template

register = template.Library()


@register.inclusion_tag("members/_break_banner.html", takes_context=True)
def break_banner(context):
    """A kind banner on every page while the signed-in member is on a break."""
    user = context.get("user")
    on_break = user is not None and user.is_authenticated and user.is_on_break
    return {"member": user if on_break else None, "csrf_token": context.get("csrf_token")}


@register.simple_tag
def waiting_access_requests(user):
    """{% waiting_access_requests user as count %}: requests an organizer may decide now (0 for others)."""
    from members.models import AccessRequest
    from members.standing import is_organizer

    if not is_organizer(user):
        return 0
    return AccessRequest.objects.filter(status=AccessRequest.Status.PENDING).count()
