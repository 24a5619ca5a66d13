from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def blog_list(request):
    return render(request, "blog/list.html")
