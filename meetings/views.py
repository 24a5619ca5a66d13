from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def meetings_list(request):
    return render(request, "meetings/list.html")
