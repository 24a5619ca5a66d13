from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from members.standing import is_organizer

from .models import Kind, Post

POSTS_PER_PAGE = 10


@require_safe
def post_list(request):
    posts = Post.objects.published().select_related("author")
    kind = request.GET.get("kind", "")
    if kind:
        if kind not in Kind.values:
            raise Http404("No such kind of post.")
        posts = posts.filter(kind=kind)
    try:
        page = Paginator(posts, POSTS_PER_PAGE).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page.") from None
    kinds = [("", "All posts")] + [(value, f"{label}s") for value, label in Kind.choices]
    return render(request, "blog/list.html", {"page": page, "kind": kind, "kinds": kinds})


@require_safe
def post_detail(request, slug):
    post = get_object_or_404(Post.objects.select_related("author", "meeting"), slug=slug)
    organizer = is_organizer(request.user)
    preview = not post.is_visible
    # Drafts and scheduled posts exist only for organizers, as a preview.
    if preview and not organizer:
        raise Http404("No such post.")
    context = {
        "post": post,
        "preview": preview,
        "organizer": organizer,
        "canonical_url": request.build_absolute_uri(post.get_absolute_url()),
    }
    response = render(request, "blog/detail.html", context)
    if preview:
        add_never_cache_headers(response)
    return response
