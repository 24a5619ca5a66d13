from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members.admin_access import OrganizerAdminMixin
from members.standing import is_organizer
from solidarityclub.admin_actions import confirm_action, confirmed
from solidarityclub.pagecache import bump_content_version

from .announcements import can_be_sent, send_announcement, waiting_recipients
from .models import Post


class VisibilityFilter(admin.SimpleListFilter):
    title = _("visibility")
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("live", gettext("Live now")), ("scheduled", gettext("Scheduled for later"))]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        return queryset


@admin.register(Post)
class PostAdmin(OrganizerAdminMixin, admin.ModelAdmin):
    """Organizers (staff) write posts and send announcements."""

    list_display = ["title", "kind", "state", "publish_at", "author", "emailed_to"]
    list_filter = ["kind", "status", VisibilityFilter]
    list_select_related = ["author"]
    search_fields = ["title", "slug", "summary", "body"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "meeting"]
    readonly_fields = ["preview", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "body", "language"]}),
        (_("Publishing"), {"fields": ["status", "publish_at", "author", "meeting"]}),
        (_("Preview"), {"fields": ["preview", "created_at", "updated_at"]}),
    ]
    actions = ["publish", "unpublish", "send_to_members"]

    class Media:
        css = {"all": ["css/blog_admin.css"]}

    def has_send_permission(self, request):
        return is_organizer(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(delivery_count=Count("deliveries"))

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description=_("state"))
    def state(self, post):
        return post.state_label

    @admin.display(description=_("emailed to"), ordering="delivery_count")
    def emailed_to(self, post):
        return post.delivery_count or "—"

    @admin.display(description=_("rendered post"))
    def preview(self, post):
        if not post.pk:
            return gettext("Save the post to see it rendered.")
        # body_html was sanitized by solidarityclub.markdown when the post was saved.
        return format_html('<div class="blog-admin-preview">{}</div>', mark_safe(post.body_html))  # noqa: S308

    @admin.action(description=_("Publish the selected posts (a future publish time schedules them)"))
    def publish(self, request, queryset):
        count = sum(post.publish() for post in queryset)
        bump_content_version(Post)  # update() sends no post_save: visitors' cached pages must change now
        scheduled = queryset.scheduled().count()
        text = ngettext("%(count)d post published.", "%(count)d posts published.", count) % {"count": count}
        if scheduled:
            text += " " + ngettext(
                "%(count)d of them will appear at its publish time.",
                "%(count)d of them will appear at their publish time.",
                scheduled,
            ) % {"count": scheduled}
        self.message_user(request, text, messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected posts (back to draft)"))
    def unpublish(self, request, queryset):
        count = queryset.update(status=Post.Status.DRAFT, updated_at=timezone.now())
        bump_content_version(Post)
        self.message_user(
            request,
            ngettext("%(count)d post is a draft again.", "%(count)d posts are drafts again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Send the selected announcements to members by email"), permissions=["send"])
    def send_to_members(self, request, queryset):
        posts = list(queryset.select_related("meeting"))
        sendable = [post for post in posts if can_be_sent(post)]
        if skipped := len(posts) - len(sendable):
            self.message_user(
                request,
                ngettext(
                    "%(count)d post skipped: only published announcements can be sent.",
                    "%(count)d posts skipped: only published announcements can be sent.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        if not sendable:
            return None
        if confirmed(request) is not None:
            for post in sendable:
                sending = send_announcement(post)
                queued = ngettext(
                    "“%(post)s”: %(count)d email queued.",
                    "“%(post)s”: %(count)d emails queued.",
                    sending.queued,
                )
                self.message_user(request, queued % {"post": post, "count": sending.queued}, messages.SUCCESS)
                if sending.failed:
                    addresses = ", ".join(repr(user.email) for user in sending.failed)
                    self.message_user(
                        request,
                        gettext(
                            "“%(post)s”: not sent to %(addresses)s: the address is broken. "
                            "Fix it, then send again: the others will not get it twice."
                        )
                        % {"post": post, "addresses": addresses},
                        messages.ERROR,
                    )
            return None
        for post in sendable:
            post.waiting = waiting_recipients(post).count()
        return confirm_action(
            self,
            request,
            sendable,
            title=gettext("Send announcements to members?"),
            template="blog/admin/send_confirmation.html",
            action="send_to_members",
            total=sum(post.waiting for post in sendable),
        )
