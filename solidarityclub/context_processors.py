from django.conf import settings


def club(request):
    return {
        "CLUB_NAME": settings.CLUB_NAME,
        "CLUB_CONTACT_EMAIL": settings.CLUB_CONTACT_EMAIL,
    }
