from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def topics_list(request):
    return render(request, "topics/list.html")
