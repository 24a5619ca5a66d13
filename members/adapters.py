from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from solidarityclub.emails import speaking_to, standard_headers


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Open sign-up is off: accounts are created when organizers approve an
        # access request (see members.accounts.create_member).
        return False

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's emails (codes, password resets, notices) in the club's voice and layout.

        Each has the club's text template (templates/account/email/); the HTML part is
        its own `*_message.html` when there is one, else the text in the club's HTML frame,
        so every email the site sends looks like the club's; every one has the site's
        Message-ID domain and Auto-Submitted. It is written in the language of the member
        the address belongs to, else in the language of the page that asked for it.
        """
        with speaking_to(email, default=translation.get_language()):
            return self._render_mail(template_prefix, email, context, headers)

    def _render_mail(self, template_prefix, email, context, headers):
        headers = {**standard_headers(), **(headers or {})}
        context = {
            "CLUB_NAME": settings.CLUB_NAME,
            "CLUB_CONTACT_EMAIL": settings.CLUB_CONTACT_EMAIL,
            **context,
        }
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if not getattr(message, "alternatives", None) and message.content_subtype == "plain":
            try:
                html = render_to_string(
                    "account/email/base_message.html",
                    {**context, "text": message.body, "subject": message.subject},
                )
            except TemplateDoesNotExist:  # pragma: no cover - the template ships with the site
                return message
            message.attach_alternative(html, "text/html")
        return message
