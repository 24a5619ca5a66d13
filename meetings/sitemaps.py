from django.contrib.sitemaps import Sitemap

from .models import Meeting


class MeetingSitemap(Sitemap):
    """Meeting pages (public information only: the video link is never on a visitor's page)."""

    changefreq = "weekly"

    def items(self):
        return Meeting.objects.scheduled().order_by("-starts_at").only("pk", "updated_at")[:1000]

    def lastmod(self, meeting):
        return meeting.updated_at
