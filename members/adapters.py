from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Open sign-up is off: accounts are created when organizers approve an
        # access request (see members.accounts.create_member).
        return False
