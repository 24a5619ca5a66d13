from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from . import views
from .sitemaps import collect_sitemaps

admin.site.site_header = _("Solidarity Club organizers")
admin.site.site_title = _("Solidarity Club admin")
admin.site.index_title = _("Scheduling, approvals, posts and moderation")
# The admin has no sign-in form of its own: allauth's applies its second factor and rate limits.
admin.site.login = secure_admin_login(admin.site.login)

handler400 = "solidarityclub.views.bad_request"
handler403 = "solidarityclub.views.permission_denied"
handler404 = "solidarityclub.views.page_not_found"
handler500 = "solidarityclub.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("code-of-conduct/", views.code_of_conduct, name="code-of-conduct"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Django's set_language (django.conf.urls.i18n), saving a member's choice too.
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("sitemap.xml", sitemap, {"sitemaps": collect_sitemaps()}, name="sitemap"),
    path("", include("topics.urls")),  # /topics/… and /meetings/<id>/gather/ (before meetings)
    path("decisions/", include("topics.decision_urls")),
    path("meetings/", include("meetings.urls")),
    path("blog/", include("blog.urls")),
    path("", include("members.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
