from django import template

from blog.models import Post

register = template.Library()


@register.inclusion_tag("blog/_latest_posts.html")
def latest_posts(count=3):
    """The newest published posts, for the home page (one query)."""
    return {"posts": Post.objects.published()[:count]}
