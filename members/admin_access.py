"""Who may use the club's admin: organizers, as members.standing decides, not per-model permissions.

Every organizer admin (and inline) mixes in OrganizerAdminMixin; what a section
deliberately refuses (adding topics by hand, writing a read-only register) stays an
explicit override on that admin, or OrganizerReadOnlyMixin for a register nobody writes.
"""

from .standing import is_organizer


class OrganizerAdminMixin:
    """Organizers see, add, change and delete here without per-model Django permissions."""

    def has_module_permission(self, request):
        return is_organizer(request.user)

    def has_view_permission(self, request, obj=None):
        return is_organizer(request.user)

    def has_add_permission(self, request, *args):  # an inline's also receives the parent object
        return is_organizer(request.user)

    def has_change_permission(self, request, obj=None):
        return is_organizer(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_organizer(request.user)


class OrganizerReadOnlyMixin(OrganizerAdminMixin):
    """A register (or an inline history) organizers read; the code writes it, never a hand in the admin."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
