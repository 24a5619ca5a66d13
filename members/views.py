from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def join(request):
    return render(request, "members/join.html")


@login_required
@require_safe
def member_settings(request):
    return render(request, "members/settings.html")
