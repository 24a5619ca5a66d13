"""Words the admin shows from apps the site uses that ship no Spanish of their own.

Only marked here (gettext_noop) so that makemessages puts them in the site's catalog,
whose translations Django prefers to the apps' own.
"""

from django.utils.translation import gettext_noop

THIRD_PARTY_STRINGS = [
    # django-mailer's app and models, on the admin's index
    gettext_noop("Mailer"),
    gettext_noop("message"),
    gettext_noop("messages"),
    gettext_noop("message log"),
    gettext_noop("message logs"),
    gettext_noop("don't send entry"),
    gettext_noop("don't send entries"),
]
