from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from blog.models import Post
from solidarityclub.pagecache import fragment

register = template.Library()


@register.simple_tag
def latest_posts(count=3):
    """The newest published posts, for the home page: one query, then a fragment cached under the blog's version."""

    def render_posts():
        return render_to_string("blog/_latest_posts.html", {"posts": Post.objects.published()[:count]}), None

    return mark_safe(fragment("blog:latest", ["blog"], [count], render_posts).fill({}))  # noqa: S308
