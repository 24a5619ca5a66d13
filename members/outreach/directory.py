"""The opt-in directory: who is listed, searching it, and a member's own entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.db.models.functions import Lower
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from members.standing import may_take_part
from solidarityclub.pagination import page_or_404

from .forms import DirectoryProfileForm, DirectorySearchForm
from .models import Block, DirectoryProfile, listed_members
from .relay import name_of

PAGE_SIZE = 50


def on_break(request):
    """What a member who may not take part right now sees instead of the directory."""
    return render(request, "members/outreach/on_break.html", status=403)


def search(words):
    members = listed_members().select_related("directory_profile").order_by(Lower("display_name"), "pk")
    for word in words:
        members = members.filter(
            Q(display_name__icontains=word)
            | Q(pronouns__icontains=word)
            | Q(directory_profile__languages__icontains=word)
            | Q(directory_profile__ask_me_about__icontains=word)
        )
    return members


@require_safe
@login_required
def directory(request):
    if not may_take_part(request.user):
        return on_break(request)
    form = DirectorySearchForm(request.GET or None)
    words = form.words()
    page = page_or_404(request, search(words), PAGE_SIZE)
    listed = DirectoryProfile.objects.filter(user=request.user, listed=True).exists()
    return render(
        request,
        "members/outreach/directory.html",
        {"form": form, "page": page, "query": " ".join(words), "listed": listed},
    )


def own_profile(user):
    return DirectoryProfile.objects.filter(user=user).first() or DirectoryProfile(user=user)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def directory_settings(request):
    profile = own_profile(request.user)
    data = request.POST if request.method == "POST" else None
    form = DirectoryProfileForm(data, instance=profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.cleaned_data["listed"]:
            messages.success(request, _("Your directory entry is saved and listed."))
        else:
            messages.success(request, _("Your directory entry is saved; you are not listed."))
        return redirect("members:directory-settings")
    blocks = [
        (block, name_of(block.blocked))
        for block in Block.objects.filter(blocker=request.user)
        .select_related("blocked")
        .order_by("-created_at")
    ]
    return render(
        request,
        "members/outreach/directory_settings.html",
        {"form": form, "profile": profile, "blocks": blocks},
    )
