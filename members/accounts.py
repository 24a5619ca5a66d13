"""Creating member accounts: the seam that approved access requests go through."""

from allauth.account.models import EmailAddress
from django.db import transaction

from .models import User


@transaction.atomic
def create_member(email, *, password=None, display_name="", is_staff=False, **fields):
    """Create (or reactivate) the account for an address, with a verified email.

    Without a password the account signs in by emailed code or password reset.
    """
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email)
    user.is_active = True
    user.is_staff = user.is_staff or is_staff
    if display_name:
        user.display_name = display_name
    for name, value in fields.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
