import json

from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from solidarityclub.middleware import keep_language_after_sign_out

from . import access
from .accounts import leave as leave_club
from .accounts import personal_data
from .decorators import login_required_back_to
from .forms import BreakForm, ConfirmForm, DecisionForm, JoinForm, LeaveForm, SettingsForm
from .models import AccessRequest, User
from .signals import collect_settings_sections
from .standing import is_organizer
from .tokens import LinkExpired, LinkInvalid, read_confirm_token, read_decide_token, welcome_link_tokens


def _posted(request):
    """The submitted data on a POST (even an empty one), None on a GET: an unbound form."""
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "HEAD", "POST"])
def join(request):
    if request.user.is_authenticated and request.user.is_active:
        messages.info(request, gettext("You are a member already: welcome back."))
        return redirect("home")
    form = JoinForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        # An atomic counter in the shared cache (settings.ACCOUNT_RATE_LIMITS["members_join"]):
        # a burst of posts gets at most the limit through, and the friendly page for the rest.
        if not ratelimit.consume(request, action="members_join", key=form.cleaned_data["email"].lower()):
            return render(request, "members/join_limited.html", status=429)
        access.submit(form.cleaned_data, request=request)
        # The same answer whether or not the address is known: no one learns who is a member.
        return redirect("members:join-thanks")
    return render(request, "members/join.html", {"form": form})


@require_safe
def join_thanks(request):
    return render(request, "members/join_thanks.html")


def _link_problem(request, *, expired, kind):
    return render(request, "members/link_problem.html", {"expired": expired, "kind": kind}, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    try:
        access_request, revision = read_confirm_token(token)
    except LinkExpired:
        return _link_problem(request, expired=True, kind="confirm")
    except LinkInvalid:
        return _link_problem(request, expired=False, kind="confirm")
    text = revision or access_request
    waiting = access_request.is_open and (
        revision is not None or access_request.status == AccessRequest.Status.UNCONFIRMED
    )
    # A request that arrived by email agrees to the code of conduct here (the join form asks already).
    form = ConfirmForm(_posted(request), access_request=text)
    context = {"access_request": access_request, "text": text, "waiting": waiting, "form": form}
    if request.method == "POST":
        if not waiting:
            return redirect("members:confirmed")  # confirmed already, or decided: nothing to do
        if form.is_valid():
            access.confirm(
                access_request,
                revision=revision,
                request=request,
                agreed_to_code_of_conduct=form.cleaned_data.get("agreed_to_code_of_conduct", False),
            )
            return redirect("members:confirmed")
        return render(request, "members/confirm.html", context, status=400)
    return render(request, "members/confirm.html", context)


@require_safe
def confirmed(request):
    return render(request, "members/confirmed.html")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def decide(request, token):
    if not is_organizer(request.user):
        raise PermissionDenied
    try:
        access_request = read_decide_token(token)
    except LinkExpired:
        return _link_problem(request, expired=True, kind="decide")
    except LinkInvalid:
        return _link_problem(request, expired=False, kind="decide")
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            access.decide(
                access_request,
                approve=approve,
                by=request.user,
                message=form.cleaned_data["message"],
                send_decline_message=form.cleaned_data["send_decline_message"],
                request=request,
            )
        except access.AlreadyDecidedError:
            messages.warning(
                request, gettext("This request was not waiting for a decision: nothing was changed.")
            )
        else:
            if approve:
                text = gettext("Approved: %(name)s has been sent a welcome email.")
            else:
                text = gettext("Declined the request from %(name)s.")
            messages.success(request, text % {"name": access_request.name})
        return redirect("members:decide", token=token)
    access_request.refresh_from_db()
    return render(
        request,
        "members/decide.html",
        {"access_request": access_request, "form": form},
        status=400 if form.errors else 200,
    )


def _welcome_user(uidb64, token):
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if welcome_link_tokens.check_token(user, token) else None


@require_http_methods(["GET", "HEAD", "POST"])
def welcome(request, uidb64, token):
    """The one-time sign-in link of the welcome email: a GET asks, a POST signs in."""
    user = _welcome_user(uidb64, token)
    if user is None:
        return _link_problem(request, expired=False, kind="welcome")
    # Someone who has set up two-factor authentication signs in the usual way.
    if Authenticator.objects.filter(user=user).exists():
        messages.info(request, gettext("Please sign in with your second factor."))
        return redirect("account_login")
    if request.method == "POST":
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("members:start")
    return render(request, "members/welcome.html", {"member": user})


@require_safe
@login_required
def start(request):
    """Where the welcome link lands: what happens next, the next meeting, the calendar, the backlog."""
    return render(request, "members/start.html", access.welcome_context(request.user, request=request))


def _settings_sections(request):
    sections = []
    for _receiver, response in collect_settings_sections.send(sender=User, request=request):
        if response:
            sections.append(response)
    return sections


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def member_settings(request):
    form = SettingsForm(_posted(request), instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Your settings are saved."))
        return redirect("members:settings")
    return render(
        request,
        "members/settings.html",
        {"form": form, "break_form": BreakForm(), "sections": _settings_sections(request)},
    )


@require_POST
@login_required_back_to("members:settings")
def take_break(request):
    if request.user.break_is_advised:
        messages.info(request, gettext("You are on a break the organizers advised; it ends by itself."))
        return redirect("members:settings")
    if request.user.is_on_break:  # a form from an older tab: the page shows no break form now
        messages.info(
            request, gettext("You are already on a break. Come back first if you would like to change it.")
        )
        return redirect("members:settings")
    form = BreakForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "members/settings.html",
            {
                "form": SettingsForm(instance=request.user),
                "break_form": form,
                "sections": _settings_sections(request),
            },
            status=400,
        )
    request.user.take_break(until=form.cleaned_data["until"])
    messages.success(request, gettext("Enjoy your break. Come back whenever you like."))
    return redirect("members:settings")


@require_POST
@login_required_back_to("members:settings")
def come_back(request):
    user = request.user
    if user.break_is_advised:
        messages.info(
            request,
            gettext(
                "The organizers advised this break until the date they chose. "
                "If you would like to talk about it, write to them."
            ),
        )
    elif user.break_since is not None:
        user.end_break()
        messages.success(request, gettext("Welcome back!"))
    return redirect("members:settings")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def leave(request):
    form = LeaveForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        user = request.user
        language = user.language  # erasing blanks it; the goodbye page still speaks it
        leave_club(user, erase=form.cleaned_data["erase"])
        logout(request)
        request.session["members_left_erased"] = form.cleaned_data["erase"]
        return keep_language_after_sign_out(redirect("members:left"), language)
    return render(request, "members/leave.html", {"form": form})


@require_safe
def left(request):
    return render(request, "members/left.html", {"erased": request.session.get("members_left_erased", False)})


@require_safe
@login_required
def my_data(request):
    data = {
        "club": settings.CLUB_NAME,
        "exported_at": timezone.now(),
        **personal_data(request.user),
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="solidarity-club-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response
