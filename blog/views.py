from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from members.standing import is_organizer
from solidarityclub.pagecache import cache_for_visitors
from solidarityclub.pagination import page_or_404

from .models import FormerSlug, Kind, Post

POSTS_PER_PAGE = 10


@require_safe
@cache_for_visitors("blog", "members")
def post_list(request):
    posts = Post.objects.published().select_related("author")
    kind = request.GET.get("kind", "")
    if kind:
        if kind not in Kind.values:
            raise Http404("No such kind of post.")
        posts = posts.filter(kind=kind)
    page = page_or_404(request, posts, POSTS_PER_PAGE)
    kinds = [("", _("All posts")), (Kind.ANNOUNCEMENT, _("Announcements")), (Kind.PROJECT, _("Projects"))]
    kind_label = dict(kinds)[kind] if kind else ""
    return render(
        request, "blog/list.html", {"page": page, "kind": kind, "kinds": kinds, "kind_label": kind_label}
    )


@require_safe
@cache_for_visitors("blog", "meetings", "members")
def post_detail(request, slug):
    organizer = is_organizer(request.user)
    posts = Post.objects.select_related("author", "meeting")
    # Drafts and scheduled posts exist only for organizers, as a preview.
    visible = posts if organizer else posts.published()
    post = visible.filter(slug=slug).first()
    if post is None:
        former = FormerSlug.objects.filter(slug=slug, post__in=visible).select_related("post").first()
        if former is None:
            raise Http404("No such post.")
        return redirect(former.post, permanent=True)
    preview = not post.is_visible
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
