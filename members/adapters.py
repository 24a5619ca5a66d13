from allauth.account.adapter import DefaultAccountAdapter

from solidarityclub.emails import standard_headers


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        # Sign-in codes and password resets: the site's Message-ID domain and Auto-Submitted.
        headers = {**standard_headers(), **(headers or {})}
        return super().render_mail(template_prefix, email, context, headers=headers)

    def is_open_for_signup(self, request):
        # Open sign-up is off: accounts are created when organizers approve an
        # access request (see members.accounts.create_member).
        return False
